"""Pinyin search keys for names, computed on save and stored (pypinyin is imported lazily: ~0.5 s).

A key string looks like ``|zjg|zhangjianguo|`` and holds every plausible reading: common
polyphonic surnames (单 shàn, 曾 zēng, 仇 qiú …) get their surname reading as well as the
default, and polyphonic characters in given names contribute up to two readings, capped so a
name never yields more than a handful of alternatives.
"""

from __future__ import annotations

import itertools
from functools import cache

SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",), "曾": ("zeng",), "仇": ("qiu",), "解": ("xie",), "朴": ("piao",), "区": ("ou",),
    "查": ("zha",), "盖": ("ge",), "乐": ("yue", "le"), "尉": ("yu", "wei"), "缪": ("miao",),
    "翟": ("zhai",), "秘": ("bi",), "繁": ("po",), "员": ("yun",), "覃": ("qin",), "种": ("chong",),
    "纪": ("ji",), "任": ("ren",), "华": ("hua",), "宁": ("ning",), "葛": ("ge",), "燕": ("yan",),
    "长孙": ("zhangsun",), "尉迟": ("yuchi",), "万俟": ("moqi",), "单于": ("chanyu",),
}
MAX_VARIANTS = 8


@cache
def _pypinyin():  # type: ignore[no-untyped-def]
    import pypinyin

    return pypinyin


def readings(name: str) -> list[list[str]]:
    """Per-character candidate readings (lower-case, no tones), non-Chinese kept as is."""
    pp = _pypinyin()
    out: list[list[str]] = []
    rest = name
    for surname in (name[:2], name[:1]):
        if surname and surname in SURNAME_READINGS and len(name) > len(surname):
            out.append(list(SURNAME_READINGS[surname]))
            rest = name[len(surname):]
            break
    for item in pp.pinyin(rest, style=pp.Style.NORMAL, heteronym=True, errors=lambda s: list(s.lower())):
        cands = [c.lower() for c in item if c and c.strip()]
        if cands:
            out.append(list(dict.fromkeys(cands))[:2])
    return out


def name_keys(name: str) -> str:
    """``|initials|full|…|`` for every combination of readings, at most :data:`MAX_VARIANTS`."""
    if not name:
        return ""
    per_char = readings(name.replace("·", ""))
    keys: list[str] = []
    for combo in itertools.islice(itertools.product(*per_char), MAX_VARIANTS):
        initials = "".join(r[0] for r in combo if r)
        full = "".join(combo)
        keys.extend((initials, full))
    unique = list(dict.fromkeys(k for k in keys if k))
    return "|" + "|".join(unique) + "|" if unique else ""
