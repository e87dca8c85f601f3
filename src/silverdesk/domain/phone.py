"""Phone numbers: mainland mobile (11 digits, 1[3-9]x) and landlines (area code + 7/8 digits)."""

from __future__ import annotations

import re

from silverdesk.domain.text import clean

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,5})?$")
_LOCAL = re.compile(r"^[2-9]\d{6,7}$")


class PhoneError(ValueError):
    pass


def normalize_phone(raw: object) -> str:
    """Return the number in a canonical form or raise :class:`PhoneError`.

    Mobiles come back as 11 digits; landlines as ``0533-1234567`` (an extension after ``-``).
    ``+86``/``86`` prefixes and spaces, dots or dashes inside a mobile are removed.
    Several numbers typed in one cell ("138…/0533…") keep the first valid one's form and
    the rest, separated by ``、``.
    """
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = clean(raw)
    if not text:
        return ""
    out: list[str] = []
    for part in (p for p in re.split(r"[/、,，;；]", text) if p.strip()):
        try:
            out.append(_one(part))
        except PhoneError:
            pieces = part.split()
            if len(pieces) < 2:
                raise
            out.extend(_one(piece) for piece in pieces)
    return "、".join(out)


def _one(text: str) -> str:
    t = re.sub(r"[\s.()（）]", "", text)
    digits = re.sub(r"^(\+?86)(?=1\d{10}$)", "", t.replace("-", ""))
    if _MOBILE.match(digits):
        return digits
    if _LANDLINE.match(t):
        if "-" not in t:
            area_len = (
                3 if t[:3] in {"010", "020", "021", "022", "023", "024", "025", "027", "028", "029"} else 4
            )
            t = t[:area_len] + "-" + t[area_len:]
        return t
    if _LOCAL.match(digits):
        return digits
    if digits.isdigit() and digits.startswith("1"):
        raise PhoneError(f"手机号码“{text}”应为以1开头的11位数字")
    raise PhoneError(f"电话号码“{text}”格式不对：手机填11位，座机填“区号-号码”")


def mask_phone(number: str) -> str:
    """138****5678 for mobiles; landlines keep the area code and last 2 digits."""
    out = []
    for n in number.split("、"):
        if _MOBILE.match(n):
            out.append(n[:3] + "****" + n[-4:])
        elif len(n) > 4:
            out.append(n[: max(0, len(n) - 6)] + "****" + n[-2:])
        else:
            out.append("*" * len(n))
    return "、".join(out)
