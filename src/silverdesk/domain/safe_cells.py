"""Hostile content out: spreadsheet cells that stay text, file names that stay in their folder.

Values in imported files come from outside the office.  A cell that begins with ``=`` is a
formula to Excel and to openpyxl (``=HYPERLINK("http://…", "点此")``, ``=cmd|' /C calc'!A0``),
and ``+``, ``-``, ``@`` or a leading tab/CR make Excel and WPS re-parse the text as a formula
when a clerk edits the cell.  Such values must be written as literal text, never as formulas
(OWASP "CSV injection"; issue #7).

openpyxl decides the cell type when a value is assigned (``Cell._bind_value``): a ``str``
starting with ``=`` becomes a formula and ``"#N/A"`` an error value, whatever the caller
meant.  So the guard has two halves, both standard-library only (this is ``domain``):

* :func:`excel_safe` cleans a value so any spreadsheet writer accepts it (characters XML
  cannot hold removed, Excel's 32,767-character limit applied) and marks risky text with the
  :class:`LiteralText` type;
* :func:`set_cell` assigns a value to an openpyxl cell (duck-typed, normal or write-only) and
  then forces every string to the text type with Excel's *quote prefix* style flag, which is
  what Excel itself sets when a user types ``'=1+1``: the cell shows ``=1+1``, stays text when
  edited, and the stored value has no apostrophe.

:func:`safe_filename` turns a name that came from outside (a unit's file, a sheet title, a
person's name) into a file name inside a given folder on Windows and Linux alike.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Protocol, TypeAlias

RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
EXCEL_MAX_CHARS = 32767
# XML 1.0 forbids C0 controls other than tab/LF/CR, and U+FFFE/U+FFFF; lone surrogates cannot be
# encoded at all.  openpyxl raises IllegalCharacterError on the C0 ones.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{c}" for c in "123456789¹²³"}
    | {f"LPT{c}" for c in "123456789¹²³"}
)
_FILENAME_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_FILENAME_BYTES = 240  # ext4/NTFS allow 255; leave room for "-2" suffixes and ".part" temp files


class LiteralText(str):
    """A string that must be written as text even though it looks like a formula."""

    __slots__ = ()


SafeValue: TypeAlias = str | int | float | dt.date | dt.time | dt.timedelta | None
"""What :func:`excel_safe` returns (``bool`` is an ``int``; ``datetime`` a ``date``)."""


class CellLike(Protocol):
    """What :func:`set_cell` needs of an openpyxl ``Cell``/``WriteOnlyCell``."""

    @property
    def value(self) -> object: ...
    @value.setter
    def value(self, value: SafeValue) -> None: ...

    data_type: str
    quotePrefix: bool  # openpyxl's spelling


def looks_like_formula(text: str) -> bool:
    """True when Excel/WPS could take ``text`` (or its re-edit) for a formula."""
    return text.startswith(RISKY_PREFIXES)


def clean_cell_text(text: str) -> str:
    """Remove characters a worksheet cannot hold and apply Excel's length limit.

    Line breaks become ``\n`` (XML turns a bare CR into LF anyway, and Excel breaks on LF), so
    what is written is exactly what a reader gets back.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", text)[:EXCEL_MAX_CHARS]


def excel_safe(value: object) -> SafeValue:
    """A value any writer can put in a cell; risky text comes back as :class:`LiteralText`.

    Numbers, dates, booleans and ``None`` pass through unchanged.  Strings are cleaned with
    :func:`clean_cell_text`.  Other objects become their ``str()``.  Write the result with
    :func:`set_cell` to be sure it lands as text (a bare ``cell.value = …`` lets openpyxl turn
    ``"=…"`` into a formula again).

    Args:
        value: anything read from an imported file or the database.

    Returns:
        The value to write.
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return value
    text = clean_cell_text(value if isinstance(value, str) else str(value))
    return LiteralText(text) if looks_like_formula(text) else text


def set_cell(cell: CellLike, value: object) -> None:
    """Assign ``excel_safe(value)`` to ``cell`` so that text is always stored as text.

    Works for cells of normal and write-only workbooks (create ``WriteOnlyCell(ws)`` and append
    it).  Strings never become formulas or error values; risky ones also get the quote-prefix
    flag so Excel keeps them as text when a clerk edits the cell.
    """
    safe = excel_safe(value)
    cell.value = safe
    if isinstance(safe, str):
        cell.data_type = "s"
        if isinstance(safe, LiteralText):
            cell.quotePrefix = True


def clean_filename(name: object, *, default: str = "未命名") -> str:
    """One safe path component: no separators, drive letters, ``..``, control characters or
    reserved Windows device names; Chinese and other letters kept; at most 240 UTF-8 bytes.

    Args:
        name: a name from outside (may be anything, e.g. ``"../../etc/passwd"``, ``"C:\\x"``).
        default: used when nothing usable is left.

    Returns:
        A non-empty file name that is the same on Windows and Linux.
    """
    text = unicodedata.normalize("NFC", "" if name is None else str(name))
    text = _XML_ILLEGAL.sub("", text)  # lone surrogates cannot be encoded as a file name
    text = _FILENAME_BAD.sub("_", text)
    # Windows drops trailing dots and spaces (so "a." and "a" collide); leading dots hide files on
    # Linux and make "..", "...", ". ." harmless once removed.
    text = re.sub(r"\s+", " ", text).strip(" .")
    if not text.strip("_ "):
        text = default
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    if text.split(".")[0].strip().upper() in WINDOWS_RESERVED:  # "CON", "con.txt", "NUL.tar.gz"
        text = "_" + text
        stem, dot, ext = text.rpartition(".")
        if not dot:
            stem, ext = text, ""
    return _fit_bytes(stem, f".{ext}" if dot and ext else "", default)


def safe_filename(name: object, folder: str | Path, *, default: str = "未命名") -> Path:
    """The path of a file called (a cleaned) ``name`` directly inside ``folder``.

    Args:
        name: a name from outside.
        folder: the target folder; the result is always one of its direct children.
        default: used when ``name`` holds nothing usable.

    Returns:
        ``Path(folder) / clean_filename(name)``.

    Raises:
        ValueError: only if the cleaning above were ever broken (a last guard, never expected).
    """
    base = Path(folder)
    path = base / clean_filename(name, default=default)
    if path.parent != base or path.name in ("", ".", ".."):
        raise ValueError(f"文件名“{name!r}”无法安全使用")
    return path


def _fit_bytes(stem: str, ext: str, default: str) -> str:
    if len(ext.encode("utf-8")) > 32:  # a "suffix" that long is part of the name
        stem, ext = stem + ext, ""
    budget = MAX_FILENAME_BYTES - len(ext.encode("utf-8"))
    encoded = stem.encode("utf-8")
    if len(encoded) > budget:
        stem = encoded[:budget].decode("utf-8", errors="ignore").rstrip(" .")
    if not stem:
        stem = default
    return stem + ext
