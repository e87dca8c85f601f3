"""Resident identity card numbers (公民身份号码), GB 11643-1999.

18 characters: 6-digit address code, 8-digit birth date, 3-digit order code (odd for men,
even for women) and a check character computed with ISO 7064 MOD 11-2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from silverdesk.domain.text import clean_digits

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    """The check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("需要17位数字")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: dt.date
    gender: str  # "男" / "女"
    region_code: str


class IdNumberError(ValueError):
    """The reason is a Chinese sentence telling the clerk what is wrong."""


def parse_id_number(raw: object, *, today: dt.date | None = None) -> IdInfo:
    """Validate an 18-character ID number and return what follows from it.

    Raises :class:`IdNumberError` with a clerk-readable reason.  A value that arrives as a
    float (Excel stored the number as a number and dropped the last digits) is refused: it
    can never be repaired reliably.
    """
    if isinstance(raw, float) or (isinstance(raw, int) and not isinstance(raw, bool) and raw > 10**15):
        raise IdNumberError("身份证号被表格存成了数字，末几位已丢失；请把该列设为“文本”格式后重新填写")
    text = clean_digits(raw)
    if not text:
        raise IdNumberError("身份证号为空")
    if "E+" in text or "E" in text.replace("X", ""):
        raise IdNumberError("身份证号被表格存成了科学计数法（如 3.7E+17），数字已丢失；请设为文本后重新填写")
    if len(text) == 15 and text.isdigit():
        raise IdNumberError("这是15位旧身份证号，请填写18位新号码")
    if len(text) != 18:
        raise IdNumberError(f"身份证号应为18位，现为{len(text)}位")
    if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise IdNumberError("身份证号前17位应为数字，最后一位为数字或X")
    try:
        birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise IdNumberError(f"身份证号中的出生日期 {text[6:14]} 不是有效日期") from None
    today = today or dt.date.today()
    if birth.year < 1890 or birth > today:
        raise IdNumberError(f"身份证号中的出生日期 {birth:%Y-%m-%d} 不合理")
    expected = check_char(text[:17])
    if text[17] != expected:
        raise IdNumberError("身份证号校验位不对（可能有数字录错），请核对原件")
    gender = "男" if int(text[16]) % 2 == 1 else "女"
    return IdInfo(number=text, birth_date=birth, gender=gender, region_code=text[:6])


def is_valid_id_number(raw: object) -> bool:
    try:
        parse_id_number(raw)
    except IdNumberError:
        return False
    return True


def make_id_number(region_code: str, birth: dt.date, order: int) -> str:
    """Build a valid number (for demo data and tests).  ``order`` is 0–999; odd means male."""
    first17 = f"{region_code}{birth:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)


def mask_id_number(number: str) -> str:
    """3701**********123X style: the first 4 and last 4 characters kept."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
