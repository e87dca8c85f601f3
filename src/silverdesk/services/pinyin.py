"""Pinyin search keys for names, computed on save and stored (from pypinyin's tables, cached: see :class:`Tables`).

A key string looks like ``|zjg|zhangjianguo|`` and holds every plausible reading: common
polyphonic surnames (单 shàn, 曾 zēng, 仇 qiú …) get their surname reading as well as the
default, and polyphonic characters in given names contribute up to two readings, capped so a
name never yields more than a handful of alternatives.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import itertools
import logging
import marshal
import os
import sys
import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

log = logging.getLogger(__name__)

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
    """Load the reading tables on a background thread, so the first key later need not wait for them.

    An import that is about to compute keys (a roster) calls this before reading the file: the
    spreadsheet reader releases the interpreter lock while it parses, so the tables load
    meanwhile on the other core.  At most one thread, once per process; nothing when they are
    loaded already.  A key asked for before the thread is done waits for the same load (the
    lock of :func:`_tables`), and a failed load here is simply redone — and reported — by the
    first real use.
    """
    global _preload_started
    with _preload_lock:
        if _preload_started or _TABLES is not None:
            return
        _preload_started = True
    threading.Thread(target=_preload, name="pypinyin-preload", daemon=True).start()


def _preload() -> None:
    with contextlib.suppress(Exception):  # the first real use loads them again and reports the failure
        _tables()


# ---- pypinyin's readings, cached -----------------------------------------------------------
TABLES_FORMAT = 1
"""Bumped whenever what :func:`build_tables` stores changes (old cache files are then ignored)."""


@dataclass(frozen=True)
class Tables:
    """What :func:`_pypinyin_readings` gives for every character and every phrase pypinyin knows.

    Importing pypinyin parses two JSON files and builds its segmenter's prefix set (~0.3 s of
    CPU per process, most of a 2,000-row roster import); these flat tables, built from it once
    (~0.3 s) and kept in the user's cache folder, load in ~0.04 s.  A value is ``"a,b c"``:
    words (characters) separated by spaces, each one's readings by commas.
    """

    chars: dict[str, str]
    phrases: dict[str, str]
    phrase_keys: list[str]  # the phrases, sorted: a word is a prefix of one iff bisect finds it

    @cached_property
    def pairs(self) -> frozenset[str]:
        """The first two characters of every phrase: a text holds a phrase only where it holds one of these."""
        return frozenset(k[:2] for k in self.phrase_keys)

    def has_phrase(self, text: str) -> bool:
        """Whether some part of ``text`` (two characters or more) is a phrase."""
        pairs, phrases, n = self.pairs, self.phrases, len(text)
        for i in range(n - 1):
            if text[i : i + 2] in pairs:
                for j in range(i + 2, n + 1):
                    if text[i:j] in phrases:
                        return True
        return False

    def is_prefix(self, word: str) -> bool:
        """Whether ``word`` begins some phrase (pypinyin's segmenter's prefix set)."""
        keys = self.phrase_keys
        i = bisect_left(keys, word)
        return i < len(keys) and keys[i].startswith(word)


def _unpack(value: str) -> list[list[str]]:
    return [part.split(",") for part in value.split(" ") if part]


def build_tables() -> Tables:
    """The tables from pypinyin itself (imports it): what :func:`_pypinyin_readings` gives, word by word.

    pypinyin reads a character from its dictionary (every reading when ``heteronym``) and a
    phrase from its phrase dictionary, then converts each toned syllable to the plain style —
    a conversion that depends on the syllable alone (~1,600 distinct), so it is done once per
    syllable.  ``tests/unit/test_pinyin.py`` checks every character and phrase against
    :func:`_pypinyin_readings`.
    """
    pp = _pypinyin()
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.core import UltimateConverter
    from pypinyin.pinyin_dict import pinyin_dict

    converter = UltimateConverter(v_to_u=False, neutral_tone_with_five=False)
    normal = pp.Style.NORMAL
    plain: dict[str, str] = {}

    def syllable(toned: str) -> str:
        got = plain.get(toned)
        if got is None:
            got = plain[toned] = converter.convert_style("", toned, normal, True)
        return got

    def item(alternatives: Iterable[str]) -> str:
        cands = [s.lower() for s in map(syllable, alternatives) if s and s.strip()]
        return ",".join(list(dict.fromkeys(cands))[:2])

    chars = {chr(code): item(value.split(",")) for code, value in pinyin_dict.items()}
    phrases = {word: " ".join(item(alts) for alts in value) for word, value in PHRASES_DICT.items()}
    return Tables(chars, phrases, sorted(phrases))


def cache_dir() -> Path:
    """``SILVERDESK_CACHE_DIR``, else ``cache`` in ``SILVERDESK_DATA_DIR`` when that is set, else the user's cache folder."""
    env = os.environ.get("SILVERDESK_CACHE_DIR")
    if env:
        return Path(env)
    data = os.environ.get("SILVERDESK_DATA_DIR")
    if data:
        return Path(data) / "cache"
    import platformdirs

    from silverdesk.paths import APP_AUTHOR, APP_NAME

    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def _cache_file() -> Path | None:
    """The cache file for the installed pypinyin (its data files' sizes and times), or ``None``."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations)))
    stamp = hashlib.sha256(f"{TABLES_FORMAT};{marshal.version};{sys.version_info[:2]}".encode())
    for name in ("pinyin_dict.json", "phrases_dict.json"):
        info = (base / name).stat()
        stamp.update(f"{name}:{info.st_size}:{info.st_mtime_ns};".encode())
    return cache_dir() / f"pinyin-{stamp.hexdigest()[:16]}.marshal"


def _load_cached(path: Path) -> Tables | None:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(data, tuple) and len(data) == 3 and data[0] == TABLES_FORMAT
            and isinstance(data[1], dict) and isinstance(data[2], dict)):  # fmt: skip
        return None
    return Tables(data[1], data[2], sorted(data[2]))


def _save_cached(path: Path, tables: Tables) -> None:
    """Written to a temporary file and renamed (a reader never sees half a file); older versions removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(marshal.dumps((TABLES_FORMAT, tables.chars, tables.phrases)))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    for old in path.parent.glob("pinyin-*.marshal"):
        if old != path:
            old.unlink(missing_ok=True)


_tables_lock = threading.Lock()
_TABLES: Tables | None = None


def _tables() -> Tables:
    """The reading tables, loaded from the cache (or built and cached) once per process."""
    global _TABLES
    tables = _TABLES
    if tables is None:
        with _tables_lock:
            if _TABLES is None:
                _TABLES = _load_tables()
            tables = _TABLES
    return tables


def _load_tables() -> Tables:
    try:
        path = _cache_file()
    except OSError:
        path = None
    if path is not None:
        cached = _load_cached(path)
        if cached is not None:
            return cached
    tables = build_tables()
    if path is not None:
        try:
            _save_cached(path, tables)
        except OSError as exc:  # a read-only or full disk: keys still work, just without the cache
            log.warning("pinyin tables not cached in %s: %s", path.parent, exc)
    return tables


# ---- readings ------------------------------------------------------------------------------
def readings(name: str) -> list[list[str]]:
    """Per-character candidate readings (lower-case, no tones), non-Chinese kept as is."""
    return [list(r) for r in _readings(name)]


def _readings(name: str) -> list[Sequence[str]]:
    """:func:`readings` without the copies: the sequences are shared with the memos (read them only)."""
    out: list[Sequence[str]] = []
    rest = name
    for surname in (name[:2], name[:1]):
        if surname and surname in SURNAME_READINGS and len(name) > len(surname):
            out.append(list(SURNAME_READINGS[surname]))
            rest = name[len(surname):]
            break
    out.extend(_segment_readings(rest))
    return out


_WORD_MEMO: dict[str, list[list[str]]] = {}
WORD_MEMO_LIMIT = 50_000
_CHAR_READINGS: dict[str, tuple[str, ...]] = {}
"""Character → its readings (``()`` for one pypinyin knows but reads as nothing)."""


def _char_readings(ch: str) -> tuple[str, ...] | None:
    """A character's readings from the tables (memoised), ``None`` for one they do not know."""
    got = _CHAR_READINGS.get(ch)
    if got is None:
        known = _tables().chars.get(ch)
        if known is None:
            return None
        got = _CHAR_READINGS[ch] = tuple(known.split(",")) if known else ()
    return got


def _segment_readings(text: str) -> list[Sequence[str]]:
    """What ``pypinyin.pinyin(text, heteronym=True)`` gives, from the tables instead of a call per name.

    pypinyin segments the text (phrases of its dictionary, single characters, runs of
    non-Chinese) and converts each word on its own, so a word's readings never depend on its
    neighbours.  A name of Chinese characters none of whose substrings is a phrase is read
    character by character; one with a phrase in it is cut as pypinyin's segmenter cuts it
    (:func:`_cut`) and read word by word; anything else (letters, digits, characters pypinyin
    does not know) goes to pypinyin itself.  ``tests/unit/test_pinyin.py`` checks the result
    against a whole-name pypinyin call.
    """
    tables = _tables()
    out: list[Sequence[str]] = []
    for ch in text:
        got = _CHAR_READINGS.get(ch) or _char_readings(ch)
        if got is None:
            break
        if got:
            out.append(got)
    else:
        if not tables.has_phrase(text):
            return out
        return _words_readings(_cut(text, tables), tables)
    return _words_readings(_segmenter()(text), None)


def _words_readings(words: Iterable[str], tables: Tables | None) -> list[Sequence[str]]:
    """Word by word: from the tables (words of :func:`_cut`), else from pypinyin (``tables`` None)."""
    memo = _WORD_MEMO
    out: list[Sequence[str]] = []
    for word in words:
        got = memo.get(word)
        if got is None:
            known = tables.phrases.get(word) or tables.chars.get(word) if tables is not None else None
            got = _unpack(known) if known is not None else _pypinyin_readings(word)
            if len(memo) < WORD_MEMO_LIMIT:
                memo[word] = got
        out.extend(got)
    return out


def _cut(text: str, tables: Tables) -> Iterator[str]:
    """pypinyin's strict forward maximum matching (``pypinyin.seg.mmseg.seg``) on the cached phrases.

    From the start of what remains: extend the word while it begins some phrase, remembering
    the longest word that is a phrase; give that (or one character), go on after it.  When the
    whole rest begins a phrase but holds none from its start, each character is given alone.
    """
    phrases = tables.phrases
    remain = text
    while remain:
        last = 0
        for index in range(len(remain)):
            word = remain[: index + 1]
            if not tables.is_prefix(word):
                break
            if word in phrases:
                last = index + 1
        else:
            if not last:
                yield from remain
                return
        if last:
            yield remain[:last]
            remain = remain[last:]
        else:
            yield remain[0]
            remain = remain[1:]


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


def _fast_keys(name: str) -> str | None:
    """:func:`name_keys` of the commonest name — no listed surname, no phrase, every character
    known — from per-character readings without segmenting; ``None`` for any other name."""
    if name[:1] in SURNAME_READINGS or name[:2] in SURNAME_READINGS:
        return None
    memo = _CHAR_READINGS
    per_char = []
    single = True
    for ch in name:
        got = memo.get(ch) or _char_readings(ch)
        if not got:
            return None
        if len(got) > 1:
            single = False
        per_char.append(got)
    if _tables().has_phrase(name):
        return None
    if single:
        full = "".join([r[0] for r in per_char])
        initials = "".join([r[0][0] for r in per_char])
        return f"|{initials}|{full}|" if initials != full else f"|{full}|"
    return _combined(per_char)


def _combined(per_char: Sequence[Sequence[str]]) -> str:
    """The keys of every combination of the readings, at most :data:`MAX_VARIANTS`."""
    keys: list[str] = []
    for combo in itertools.islice(itertools.product(*per_char), MAX_VARIANTS):
        keys.append("".join([r[0] for r in combo if r]))
        keys.append("".join(combo))
    unique = [k for k in dict.fromkeys(keys) if k]
    return "|" + "|".join(unique) + "|" if unique else ""


def name_keys(name: str) -> str:
    """``|initials|full|…|`` for every combination of readings, at most :data:`MAX_VARIANTS`."""
    if not name:
        return ""
    if "·" in name:
        name = name.replace("·", "")
    fast = _fast_keys(name) if name else None
    return fast if fast is not None else _combined(_readings(name))
