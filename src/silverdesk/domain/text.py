"""Text normalisation for everything typed or imported."""

from __future__ import annotations

import re
import unicodedata

_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\ufeff]+")
_NEEDS_CLEANING = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\ufeff\u3000\uff01-\uff5e]")
"""Anything :func:`clean` would change: most cells have none of it and are returned as they are."""


def to_halfwidth(text: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３，ideographic space) to half-width; CJK left as is."""
    return text.translate(_FULLWIDTH)


def clean(value: object) -> str:
    """A trimmed single-line string: full-width ASCII folded, runs of white space made one space.

    ``None`` becomes ``""``.  Chinese punctuation that is not a full-width ASCII form (、。“”)
    is kept, and so are rare characters outside the BMP.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.__class__ is str and _NEEDS_CLEANING.search(text) is None:
        return text
    text = to_halfwidth(text)
    return _SPACES.sub(" ", text).strip()


_ALNUM_FULLWIDTH = {
    i: i - 0xFEE0 for i in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_ALNUM_FULLWIDTH[0x3000] = 0x20


def clean_text(value: object) -> str:
    """Free text written by the clerk (a reason, a note, an evaluation): like :func:`clean`, but
    Chinese punctuation typed full-width stays as typed (“社区改期，下周再办（二期）”), only
    full-width letters, digits and spaces are folded."""
    if value is None:
        return ""
    text = (value if isinstance(value, str) else str(value)).translate(_ALNUM_FULLWIDTH)
    return _SPACES.sub(" ", text).strip()


def clean_name(value: object) -> str:
    """A person's name: cleaned, and the spaces some clerks type between characters removed.

    Ethnic-minority names keep their middle dot (·), whichever dot was typed.
    """
    text = clean(value)
    if not text:
        return ""
    if all(not ch.isascii() or ch == " " for ch in text):
        text = text.replace(" ", "")
    return re.sub(r"[•・‧∙⋅.]", "·", text) if any(ord(ch) > 0x2E7F for ch in text) else text


def clean_digits(value: object) -> str:
    """Digits and the letter X only (for ID numbers); spaces and dashes removed."""
    text = clean(value).upper()
    return re.sub(r"[\s\-]", "", text)


def is_cjk(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return name.startswith("CJK UNIFIED IDEOGRAPH") or name.startswith("CJK COMPATIBILITY IDEOGRAPH")


FORMULA_STARTS = ("=", "+", "-", "@")
"""What makes Excel/WPS take a cell for a formula (a leading tab or CR is removed by :func:`clean`)."""
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]")
"""C0/C1 control characters and the bidi controls (LRM/RLM, ALM, embeddings, overrides, isolates)
that make text display differently from what it holds (``"\u202eanahZ"`` shows as ``Zhana``)."""


def visible(text: str) -> str:
    """``text`` without the characters :func:`name_problem` refuses (for quoting it in a reason)."""
    return _INVISIBLE.sub("", text)


def name_problem(text: str) -> str | None:
    """Why ``text`` (an already cleaned name) cannot be a name, or ``None`` when it can.

    One rule for forms, paste and import (issue #16): a name beginning with ``= + - @`` is a
    formula to Excel and WPS (it would run in every export and roster printed from it), and one
    holding control or bidi-override characters shows something other than what is stored.  The
    reason is a Chinese sentence to follow the field's label.
    """
    if text.startswith(FORMULA_STARTS):
        return f"“{visible(text)[:20]}”以“{text[0]}”开头，表格软件会把它当作公式；请只填写姓名本身"
    bad = _INVISIBLE.search(text)
    if bad:
        return (
            f"“{visible(text)[:20]}”含有看不见的控制字符（U+{ord(bad.group()):04X}，会改变文字显示的方向或内容），"
            "多为复制粘贴带入；请删除后重新填写"
        )
    return None
