"""Pinyin keys: the memoised readings equal a whole-name pypinyin call, surnames keep their readings."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from silverdesk.domain import pinyin
from silverdesk.domain.pinyin import SURNAME_READINGS, name_keys, readings

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
        monkeypatch.setattr(pinyin, "_CHAR_READINGS", {})
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
        "from silverdesk.domain import pinyin\n"
        "assert pinyin._TABLES is None\n"
        "pinyin.preload(); pinyin.preload()\n"
        "threads = [t for t in threading.enumerate() if t.name == 'pypinyin-preload']\n"
        f"keys = [pinyin.name_keys(n) for n in {names!r}]\n"
        "for t in threads: t.join()\n"
        "print(json.dumps([len(threads), keys, pinyin._TABLES is not None]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=os.environ.copy())  # fmt: skip
    threads, keys, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert threads <= 1 and loaded
    assert keys == [name_keys(n) for n in names]


def test_keys_of_names_with_one_reading_per_character_equal_the_general_rule() -> None:
    def general(name: str) -> str:  # every combination of readings, as name_keys computes them in general
        if not name:
            return ""
        keys: list[str] = []
        for combo in itertools.islice(
            itertools.product(*readings(name.replace("·", ""))), pinyin.MAX_VARIANTS
        ):
            keys.extend(("".join(r[0] for r in combo if r), "".join(combo)))
        unique = list(dict.fromkeys(k for k in keys if k))
        return "|" + "|".join(unique) + "|" if unique else ""

    names = [*_names(), "·", "李·", "A·B", "王"]
    assert [name_keys(n) for n in names] == [general(n) for n in names]
    assert any(all(len(r) == 1 for r in readings(n)) for n in names)  # the short cut is taken


# ---- the cached tables ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def built() -> pinyin.Tables:
    return pinyin.build_tables()


def test_tables_hold_what_pypinyin_gives_for_every_character_and_phrase(built: pinyin.Tables) -> None:
    assert len(built.chars) > 40_000 and len(built.phrases) > 40_000
    wrong = [
        ch for ch, value in built.chars.items() if pinyin._unpack(value) != pinyin._pypinyin_readings(ch)
    ]
    assert not wrong, wrong[:10]
    wrong = [w for w, value in built.phrases.items() if pinyin._unpack(value) != pinyin._pypinyin_readings(w)]
    assert not wrong, wrong[:10]
    assert pinyin._unpack(built.phrases["重庆"]) == [["chong"], ["qing"]]
    assert pinyin._unpack(built.chars["行"])[0][:2] == ["xing", "hang"]


def test_cut_is_pypinyins_strict_maximum_matching(built: pinyin.Tables) -> None:
    """Pieces of phrases run together: prefixes of phrases, phrases overlapping, the rest of a phrase."""
    import random

    from pypinyin.seg.mmseg import seg

    rnd = random.Random(11)
    words = [w for w in built.phrase_keys if len(w) >= 2]
    texts = ["一丁", "一丁不", "银行行长", "长孙无忌", "重庆市长江大桥", "建国国庆", "中华人民共和国"]
    for _ in range(4000):
        a, b = rnd.choice(words), rnd.choice(words)
        texts.append(
            rnd.choice([a[: rnd.randrange(1, len(a) + 1)] + b, a[1:] + b[:2], a + b[:-1], a[:-1] + b[1:]])
        )
    cut = [list(pinyin._cut(t, built)) for t in texts]
    assert cut == [list(seg.cut(t)) for t in texts]
    assert any(
        len(c) > 1 and any(len(w) > 1 for w in c) for c in cut
    )  # phrases were found inside longer texts
    for t in texts[:1500]:  # and the readings of such texts equal a whole-text pypinyin call
        assert [list(r) for r in pinyin._segment_readings(t)] == pinyin._pypinyin_readings(t), t


def _run(code: str) -> list:  # type: ignore[type-arg]
    import json
    import os
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=os.environ.copy())  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


_KEYS_IN_A_FRESH_PROCESS = (
    "import json, sys\n"
    "from silverdesk.domain import pinyin\n"
    "keys = [pinyin.name_keys(n) for n in ['张建国', '单田芳', '银行行长', 'John Smith']]\n"
    "print(json.dumps([keys, 'pypinyin' in sys.modules, str(pinyin._cache_file())]))\n"
)


def test_tables_are_cached_so_later_processes_need_not_import_pypinyin(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("SILVERDESK_CACHE_DIR", str(tmp_path / "cache"))
    expected = [name_keys(n) for n in ["张建国", "单田芳", "银行行长", "John Smith"]]
    keys, imported, cache_file = _run(_KEYS_IN_A_FRESH_PROCESS)
    assert keys == expected and imported  # no cache yet: built from pypinyin, and written
    assert Path(cache_file).parent == tmp_path / "cache" and Path(cache_file).is_file()
    keys, imported, _ = _run(_KEYS_IN_A_FRESH_PROCESS.replace("'John Smith'", "'李四'"))
    assert keys[:3] == expected[:3] and not imported  # loaded from the cache: pypinyin never imported
    assert keys[3] == "|ls|lisi|"


@pytest.mark.parametrize("damage", [b"", b"junk", b"\xe9" * 50])
def test_a_damaged_or_stale_cache_is_rebuilt(
    damage: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SILVERDESK_CACHE_DIR", str(cache))
    path = pinyin._cache_file()
    assert path is not None
    cache.mkdir()
    path.write_bytes(damage)
    stale = cache / "pinyin-0000000000000000.marshal"
    stale.write_bytes(b"an older pypinyin")
    keys, imported, _ = _run(_KEYS_IN_A_FRESH_PROCESS)
    assert keys[0] == "|zjg|zhangjianguo|" and imported
    assert pinyin._load_cached(path) is not None and not stale.exists()
