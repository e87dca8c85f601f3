"""Pinyin for names: search keys and the sort key, computed on save and stored (from pypinyin's tables,
cached: see :class:`Tables`).

A search key string looks like ``|zjg|zhangjianguo|`` and holds every plausible reading: common
polyphonic surnames (单 shàn, 曾 zēng, 仇 qiú …) get their surname reading as well as the
default, and polyphonic characters in given names contribute up to two readings, capped so a
name never yields more than a handful of alternatives.

A sort key (:func:`name_sort_key` for a person, :func:`collation_key` for any other text) orders
names as a Chinese phone book does: by the full pinyin, syllable by syllable (曹宝山 cao, 程爱民
cheng, 崔爱民 cui); where that is the same, by the tones (1–4, then the neutral tone; 李 lǐ before
利 lì); where those are the same too, by the characters' code points (张三 before 章三: 张 U+5F20,
章 U+7AE0 — for the common characters this follows radical and stroke order).  A person's
polyphonic surname sorts by its surname reading (曾 zēng with the z's, 单 shàn with the s's);
every other character by pypinyin's reading in context (重庆 chóngqìng).  ü sorts as u with its
tones after u's (女 nǚ after 努 nǔ), letters of Latin words as they are, a run of digits by its
value (服务队2 before 服务队12), other signs (·、（）) only where everything else is equal.
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

SURNAMES: dict[str, tuple[str, ...]] = {
    "单": ("shan4",), "曾": ("zeng1",), "仇": ("qiu2",), "解": ("xie4",), "朴": ("piao2",), "区": ("ou1",),
    "查": ("zha1",), "盖": ("ge3",), "乐": ("yue4", "le4"), "尉": ("yu4", "wei4"), "缪": ("miao4",),
    "翟": ("zhai2",), "秘": ("bi4",), "繁": ("po2",), "员": ("yun4",), "覃": ("qin2",), "种": ("chong2",),
    "纪": ("ji3",), "任": ("ren2",), "华": ("hua4",), "宁": ("ning4",), "葛": ("ge3",), "燕": ("yan1",),
    "长孙": ("zhang3 sun1",), "尉迟": ("yu4 chi2",), "万俟": ("mo4 qi2",), "单于": ("chan2 yu2",),
}  # fmt: skip
"""Surnames read otherwise than their characters' commonest reading: toned syllables, the first
reading is the one a name sorts by."""
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    surname: tuple(dict.fromkeys("".join(syl[:-1] for syl in reading.split()) for reading in readings))
    for surname, readings in SURNAMES.items()
}
"""The surnames' readings for the search keys (no tones; a two-character surname is one word)."""
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
TABLES_FORMAT = 2
"""Bumped whenever what :func:`build_tables` stores changes (old cache files are then ignored)."""


@dataclass(frozen=True)
class Tables:
    """What :func:`_pypinyin_readings` gives for every character and every phrase pypinyin knows.

    Importing pypinyin parses two JSON files and builds its segmenter's prefix set (~0.3 s of
    CPU per process, most of a 2,000-row roster import); these flat tables, built from it once
    (~0.3 s) and kept in the user's cache folder, load in ~0.04 s.  A value is ``"a1,b4 c2"``:
    words (characters) separated by spaces, each one's readings by commas, each reading with its
    tone (1–4, 5 the neutral tone) as its last character.
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
    """A table value's readings without their tones, word by word."""
    return [[reading[:-1] for reading in part.split(",")] for part in value.split(" ") if part]


def build_tables() -> Tables:
    """The tables from pypinyin itself (imports it): what :func:`_pypinyin_readings` gives, word by word.

    pypinyin reads a character from its dictionary (every reading when ``heteronym``) and a
    phrase from its phrase dictionary, then converts each toned syllable to the plain style —
    a conversion that depends on the syllable alone (~1,600 distinct), so it is done once per
    syllable, as is the one to the style with the tone as a digit (kept for the sort keys).
    ``tests/unit/domain/test_pinyin.py`` checks every character and phrase against :func:`_pypinyin_readings`.
    """
    pp = _pypinyin()
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.converter import UltimateConverter
    from pypinyin.pinyin_dict import pinyin_dict

    converter = UltimateConverter(v_to_u=False, neutral_tone_with_five=True)
    normal, tone3 = pp.Style.NORMAL, pp.Style.TONE3
    plain: dict[str, tuple[str, str]] = {}

    def syllable(toned: str) -> tuple[str, str]:
        """(the plain reading, its tone digit) of one of pypinyin's toned syllables."""
        got = plain.get(toned)
        if got is None:
            digit = converter.convert_style("", toned, tone3, True)[-1:]
            got = plain[toned] = (
                converter.convert_style("", toned, normal, True),
                digit if digit.isdigit() else "5",
            )
        return got

    def item(alternatives: Iterable[str]) -> str:
        cands: dict[str, str] = {}
        for text, tone in map(syllable, alternatives):
            if text and text.strip():
                cands.setdefault(text.lower(), tone)
        return ",".join([text + tone for text, tone in itertools.islice(cands.items(), 2)])

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
            rest = name[len(surname) :]
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
        got = _CHAR_READINGS[ch] = tuple([r[:-1] for r in known.split(",")]) if known else ()
    return got


def _segment_readings(text: str) -> list[Sequence[str]]:
    """What ``pypinyin.pinyin(text, heteronym=True)`` gives, from the tables instead of a call per name.

    pypinyin segments the text (phrases of its dictionary, single characters, runs of
    non-Chinese) and converts each word on its own, so a word's readings never depend on its
    neighbours.  A name of Chinese characters none of whose substrings is a phrase is read
    character by character; one with a phrase in it is cut as pypinyin's segmenter cuts it
    (:func:`_cut`) and read word by word; anything else (letters, digits, characters pypinyin
    does not know) goes to pypinyin itself.  ``tests/unit/domain/test_pinyin.py`` checks the result
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


# ---- sort keys -----------------------------------------------------------------------------
_TOKEN_END, _LEVEL_END = " ", "!"
"""A sort key is ``syllables!tones!text``: every syllable (or word, or number) followed by a space,
then one character per syllable for its tone, then the text itself.  Both separators sort below
every letter and digit, so a shorter syllable comes first (li before lin) and a name that is a
prefix of another before it; the strings compare the same in Python, in SQLite and (the column
being collated "C") in PostgreSQL."""
_UNKNOWN = ("{", "0")
"""A character pypinyin cannot read: after every syllable (``{`` follows ``z``)."""
_CHAR_TOKENS: dict[str, tuple[str, str] | None] = {}


def _han_token(reading: str) -> tuple[str, str]:
    """(syllable, tone character) of a toned reading such as ``lv3``: ü sorts as u, its tones after u's."""
    text, tone = reading[:-1], int(reading[-1])
    if "v" in text or "ê" in text:
        text = text.replace("ê", "e")
        if "v" in text:
            text, tone = text.replace("v", "u"), tone + 5
    return text, chr(ord("0") + tone)


def _char_token(ch: str) -> tuple[str, str] | None:
    """The token of a character pypinyin reads (its first reading), ``None`` for any other (memoised)."""
    if ch in _CHAR_TOKENS:
        return _CHAR_TOKENS[ch]
    known = _tables().chars.get(ch)
    got = _CHAR_TOKENS[ch] = _han_token(known.split(",", 1)[0]) if known else None
    return got


def _number_token(digits: str) -> tuple[str, str]:
    """Digits compared by value: their count (1–9) first, then the digits without leading zeros."""
    value = digits.lstrip("0") or "0"
    return chr(ord("0") + min(len(value), 9)) + value, "0"


def _tokens(text: str, out: list[tuple[str, str]]) -> None:
    """The sort tokens of ``text`` (read in context as pypinyin reads it), appended to ``out``."""
    tables = _tables()
    phrase = tables.has_phrase(text)
    if not phrase:  # the commonest name: every character read on its own
        memo = _CHAR_TOKENS
        tokens = [memo.get(ch) or _char_token(ch) for ch in text]
        if None not in tokens:
            out.extend(tokens)  # type: ignore[arg-type]
            return
    words: Iterable[str] = _cut(text, tables) if phrase else text
    run, digits = "", False

    def flush() -> None:
        nonlocal run
        if run:
            out.append(_number_token(run) if digits else (run.lower(), "0"))
            run = ""

    for word in words:
        if len(word) > 1:  # a phrase of pypinyin's dictionary
            flush()
            out.extend(_han_token(part.split(",", 1)[0]) for part in tables.phrases[word].split(" ") if part)
            continue
        token = _char_token(word)
        if token is not None:
            flush()
            out.append(token)
        elif word.isascii() and word.isalnum():
            if run and word.isdigit() != digits:
                flush()
            run, digits = run + word, word.isdigit()
        else:
            flush()
            if word.isalpha():
                out.append(_UNKNOWN)
    flush()


def _key(tokens: Sequence[tuple[str, str]], text: str) -> str:
    return (
        "".join([t[0] + _TOKEN_END for t in tokens])
        + _LEVEL_END
        + "".join([t[1] for t in tokens])
        + _LEVEL_END
        + text
    )


def collation_key(text: str) -> str:
    """The key that sorts ``text`` (a team's, a party organisation's, a place's name …) as a Chinese
    phone book does: pinyin syllable by syllable, then tones, then code points (module docstring)."""
    tokens: list[tuple[str, str]] = []
    _tokens(text, tokens)
    return _key(tokens, text)


def name_sort_key(name: str) -> str:
    """:func:`collation_key` of a person's name, a polyphonic surname read as a surname (单 shàn, 曾 zēng)."""
    tokens: list[tuple[str, str]] = []
    rest = name
    for surname in (name[:2], name[:1]):
        if surname and surname in SURNAMES and len(name) > len(surname):
            tokens.extend(_han_token(syllable) for syllable in SURNAMES[surname][0].split())
            rest = name[len(surname) :]
            break
    _tokens(rest, tokens)
    return _key(tokens, name)


NAME_COLUMNS = ("name_pinyin", "name_sort")
"""The columns of ``person`` computed from its name (:func:`name_columns`), never typed."""


def name_columns(name: str) -> dict[str, str]:
    """The values of :data:`NAME_COLUMNS` for a person called ``name``: search keys and sort key."""
    return {"name_pinyin": name_keys(name), "name_sort": name_sort_key(name)}
