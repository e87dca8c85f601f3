"""Pinyin search keys for names, computed on save and stored (pypinyin is imported lazily: ~0.5 s).

A key string looks like ``|zjg|zhangjianguo|`` and holds every plausible reading: common
polyphonic surnames (单 shàn, 曾 zēng, 仇 qiú …) get their surname reading as well as the
default, and polyphonic characters in given names contribute up to two readings, capped so a
name never yields more than a handful of alternatives.
"""

from __future__ import annotations

import itertools
import sys
import threading
from collections.abc import Iterable
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


_preload_lock = threading.Lock()
_preload_started = False


def preload() -> None:
    """Start importing pypinyin on a background thread, so the first key later need not wait for it.

    An import that is about to compute keys (a roster) calls this before reading the file: the
    spreadsheet reader releases the interpreter lock while it parses, so pypinyin's tables
    (~0.2–0.5 s) load meanwhile on the other core.  At most one thread, once per process;
    nothing when pypinyin is already imported.  A key asked for before the thread is done waits
    for the same import (Python's import lock), and a failed import here is simply redone — and
    reported — by the first real use.
    """
    global _preload_started
    with _preload_lock:
        if _preload_started or "pypinyin" in sys.modules:
            return
        _preload_started = True
    threading.Thread(target=_preload, name="pypinyin-preload", daemon=True).start()


def _preload() -> None:
    try:
        _tables()
    except Exception:  # the first real use imports it again and reports the failure
        _tables.cache_clear()
        _pypinyin.cache_clear()


def readings(name: str) -> list[list[str]]:
    """Per-character candidate readings (lower-case, no tones), non-Chinese kept as is."""
    return [list(r) for r in _readings(name)]


def _readings(name: str) -> list[list[str]]:
    """:func:`readings` without the copies: the lists may be shared with the memos (read them only)."""
    out: list[list[str]] = []
    rest = name
    for surname in (name[:2], name[:1]):
        if surname and surname in SURNAME_READINGS and len(name) > len(surname):
            out.append(list(SURNAME_READINGS[surname]))
            rest = name[len(surname):]
            break
    out.extend(_segment_readings(rest))
    return out


_WORD_MEMO: dict[str, list[list[str]]] = {}
_CHAR_MEMO: dict[str, list[list[str]]] = {}
WORD_MEMO_LIMIT = 50_000


def _segment_readings(text: str) -> list[list[str]]:
    """What ``pypinyin.pinyin(text, heteronym=True)`` gives, from memos instead of a call per name.

    pypinyin segments the text (phrases of its dictionary, single characters, runs of
    non-Chinese) and converts each word on its own, so a word's readings never depend on its
    neighbours.  A name of Chinese characters none of whose substrings is a dictionary phrase
    is therefore read character by character from :data:`_CHAR_MEMO`; anything else is
    segmented with pypinyin's own segmenter and read word by word from :data:`_WORD_MEMO`.
    For a 100,000-row roster (25,000 distinct names) this took the keys from ~1.3 s to ~0.2 s;
    ``tests/unit/test_pinyin.py`` checks the result against a whole-name pypinyin call.
    """
    chars = _CHAR_MEMO
    out: list[list[str]] = []
    words: Iterable[str] | None = None
    for ch in text:
        got = chars.get(ch)
        if got is None:
            if not _tables()[1].match(ch):
                break
            got = chars[ch] = _pypinyin_readings(ch)
        out.extend(got)
    else:
        phrases = _tables()[0]
        n = len(text)
        if not any(text[i:j] in phrases for i in range(n - 1) for j in range(i + 2, n + 1)):
            return out
        words = _cutter()(text)  # all Chinese: pypinyin's segmenter would hand it whole to this cut
    memo = _WORD_MEMO
    out = []
    for word in _segmenter()(text) if words is None else words:
        got = memo.get(word)
        if got is None:
            got = _pypinyin_readings(word)
            if len(memo) < WORD_MEMO_LIMIT:
                memo[word] = got
        out.extend(got)
    return out


@cache
def _tables():  # type: ignore[no-untyped-def]
    """pypinyin's phrase dictionary and its pattern of Chinese characters (imports pypinyin)."""
    _pypinyin()
    from pypinyin.constants import PHRASES_DICT, RE_HANS

    return PHRASES_DICT, RE_HANS


@cache
def _cutter():  # type: ignore[no-untyped-def]
    """pypinyin's maximum-matching cut of a run of Chinese characters (what its segmenter uses)."""
    _pypinyin()
    from pypinyin.seg.mmseg import seg

    return seg.cut


@cache
def _segmenter():  # type: ignore[no-untyped-def]
    _pypinyin()
    from pypinyin.seg.simpleseg import seg

    return seg


def _pypinyin_readings(text: str) -> list[list[str]]:
    """pypinyin on ``text`` as a whole: up to two distinct readings per character."""
    pp = _pypinyin()
    out: list[list[str]] = []
    for item in pp.pinyin(text, style=pp.Style.NORMAL, heteronym=True, errors=lambda s: list(s.lower())):
        cands = [c.lower() for c in item if c and c.strip()]
        if cands:
            out.append(list(dict.fromkeys(cands))[:2])
    return out


def name_keys(name: str) -> str:
    """``|initials|full|…|`` for every combination of readings, at most :data:`MAX_VARIANTS`."""
    if not name:
        return ""
    per_char = _readings(name.replace("·", ""))
    if all(len(r) == 1 for r in per_char):  # one reading per character: one combination
        combo = [r[0] for r in per_char]
        initials = "".join([r[0] for r in combo if r])
        full = "".join(combo)
        unique = [k for k in dict.fromkeys((initials, full)) if k]
        return "|" + "|".join(unique) + "|" if unique else ""
    keys: list[str] = []
    for combo in itertools.islice(itertools.product(*per_char), MAX_VARIANTS):
        initials = "".join(r[0] for r in combo if r)
        full = "".join(combo)
        keys.extend((initials, full))
    unique = list(dict.fromkeys(k for k in keys if k))
    return "|" + "|".join(unique) + "|" if unique else ""
