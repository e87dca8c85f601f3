"""Pinyin keys: the memoised readings equal a whole-name pypinyin call, surnames keep their readings."""

from __future__ import annotations

import itertools

import pytest

from silverdesk.services import pinyin
from silverdesk.services.pinyin import SURNAME_READINGS, name_keys, readings

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕单仇解乐尉"
GIVEN = "建国秀英玉兰志强红梅桂芳德明淑珍文华永安丽华海燕国庆春生振华金凤长发重阳朝行"
ODD = ["重庆", "长孙无忌", "尉迟恭", "单于", "阿依古丽·买买提", "John Smith", "李 四", "王小明abc", "𠮷田", "曾国藩",
       "单田芳", "银行行长", "乐乐", "朝阳", "解放军", "重重", "张长发", "〇", "王㐀", "", "A", "张3", "李·", "查理"]  # fmt: skip


def _whole(name: str) -> list[list[str]]:
    """The readings as computed before the memo: pypinyin on the whole name after the surname."""
    out: list[list[str]] = []
    rest = name
    for surname in (name[:2], name[:1]):
        if surname and surname in SURNAME_READINGS and len(name) > len(surname):
            out.append(list(SURNAME_READINGS[surname]))
            rest = name[len(surname) :]
            break
    out.extend(pinyin._pypinyin_readings(rest))
    return out


def _names() -> list[str]:
    given = ["".join(p) for n in (1, 2) for p in itertools.permutations(GIVEN, n)]
    names = [s + g for s in SURNAMES[::3] for g in given[::7]]
    return names + ODD


@pytest.mark.parametrize("cold", [True, False])
def test_memoised_readings_equal_whole_name_pypinyin(cold: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if cold:
        monkeypatch.setattr(pinyin, "_CHAR_MEMO", {})
        monkeypatch.setattr(pinyin, "_WORD_MEMO", {})
    names = _names()
    assert len(names) > 1000
    for name in names:
        assert readings(name) == _whole(name), name


def test_keys_keep_surname_and_phrase_readings() -> None:
    assert name_keys("张建国") == "|zjg|zhangjianguo|"
    assert name_keys("单志祥") == "|szx|shanzhixiang|"  # 单 as a surname: shàn, not dān
    assert name_keys("曾国藩").startswith("|zgf|zengguofan|")
    assert "chongqing" in name_keys("重庆")  # a phrase of pypinyin's dictionary read as one word


def test_readings_are_fresh_lists() -> None:
    first = readings("王建国")
    kept = [list(r) for r in first]
    first[0].append("x")
    assert readings("王建国") == kept


def test_preload_imports_in_the_background_and_keys_are_the_same() -> None:
    """In a fresh interpreter: keys asked for while the preload thread is importing equal the usual ones."""
    import json
    import os
    import subprocess
    import sys

    names = ["张建国", "单田芳", "曾国藩", "银行行长", "John Smith", "尉迟恭", "王小明abc"]
    code = (
        "import json, sys, threading\n"
        "from silverdesk.services import pinyin\n"
        "assert 'pypinyin' not in sys.modules\n"
        "pinyin.preload(); pinyin.preload()\n"
        "threads = [t for t in threading.enumerate() if t.name == 'pypinyin-preload']\n"
        f"keys = [pinyin.name_keys(n) for n in {names!r}]\n"
        "for t in threads: t.join()\n"
        "print(json.dumps([len(threads), keys, 'pypinyin' in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=os.environ.copy())  # fmt: skip
    threads, keys, imported = json.loads(out.stdout.strip().splitlines()[-1])
    assert threads <= 1 and imported
    assert keys == [name_keys(n) for n in names]


def test_keys_of_names_with_one_reading_per_character_equal_the_general_rule() -> None:
    def general(name: str) -> str:  # every combination of readings, as name_keys computes them in general
        if not name:
            return ""
        keys: list[str] = []
        for combo in itertools.islice(itertools.product(*readings(name.replace("·", ""))), pinyin.MAX_VARIANTS):
            keys.extend(("".join(r[0] for r in combo if r), "".join(combo)))
        unique = list(dict.fromkeys(k for k in keys if k))
        return "|" + "|".join(unique) + "|" if unique else ""

    names = [*_names(), "·", "李·", "A·B", "王"]
    assert [name_keys(n) for n in names] == [general(n) for n in names]
    assert any(all(len(r) == 1 for r in readings(n)) for n in names)  # the short cut is taken
