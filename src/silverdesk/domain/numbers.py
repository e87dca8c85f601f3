"""Counts and hours as reports write them: ``200余人``, ``约50``, ``三十``, ``1,200``, ``2.5小时`` (read by
:func:`parse_count`), and as silverdesk writes them for a clerk — one rule for every screen, the command line
and the files (:func:`count_text`, :func:`hours_text`, :func:`figure_text` for a measure's figure,
:func:`percent_text` for a growth rate; ``fixed=True`` for columns that line up)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from silverdesk.domain.text import clean


class NumberError(ValueError):
    pass


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    approximate: bool  # "余", "约", "多", "左右" or written in Chinese numerals
    note: str = ""


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_APPROX = re.compile(r"(余|多|约|大约|近|左右|以上|上下|\+)")
_UNIT_WORDS = re.compile(r"(人次|人|场次|场|次|小时|个|支|名|户|件|项|h|H)$")


def chinese_to_int(text: str) -> int:
    """三十 → 30, 一百二十 → 120, 两千 → 2000, 十五 → 15, 三万五千 → 35000."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        raise NumberError(text)
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                total += (section + digit) * unit
                section, digit = 0, 0
            else:
                section += (digit or 1) * unit
                digit = 0
    return total + section + digit


def parse_count(
    raw: object, *, field_label: str = "数量", allow_fraction: bool = False
) -> ParsedNumber | None:
    """Parse a non-negative count; ``None`` for empty.  Raises :class:`NumberError` with a reason."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise NumberError(f"{field_label}“{raw}”不是数字")
    if isinstance(raw, int | float):
        value = float(raw)
        approx = False
        note = ""
    else:
        text = clean(raw).replace(",", "").replace("，", "")
        if not text:
            return None
        approx = bool(_APPROX.search(text))
        core = _APPROX.sub("", text).strip()
        core = _UNIT_WORDS.sub("", core).strip()
        core = _APPROX.sub("", core).strip()
        note = ""
        try:
            value = float(core)
        except ValueError:
            try:
                value = float(chinese_to_int(core))
                approx = True
                note = f"“{text}”按 {int(value)} 计"
            except NumberError:
                raise NumberError(f"{field_label}“{text}”不是数字，请填写阿拉伯数字") from None
        if approx and not note:
            note = f"“{text}”是约数，按 {value:g} 计"
    if value < 0:
        raise NumberError(f"{field_label}不能为负数（“{raw}”）")
    if not allow_fraction and not float(value).is_integer():
        raise NumberError(f"{field_label}应为整数（“{raw}”）")
    return ParsedNumber(value, approx, note)


def count_text(value: float, *, grouped: bool = True, signed: bool = False) -> str:
    """A count as a clerk writes it: ``1,234`` (a list, a status line, the command line) or, ``grouped``
    off, ``1234`` (the narrative's prose). Never scientific notation. ``signed``: a change, ``+5`` / ``-4``
    (0 has no sign)."""
    number = round(value)
    sign = "+" if signed and number else ""
    return f"{number:{sign},}" if grouped else f"{number:{sign}}"


def hours_text(value: float, *, grouped: bool = True, fixed: bool = False, signed: bool = False) -> str:
    """Hours as a clerk writes them: at most one decimal, no trailing ".0", never scientific notation:
    ``1,344,680.5``, ``8,120``, ``7.5`` (``grouped`` off: ``1344680.5``, as the narrative's prose).

    ``fixed``: always the one decimal (``8,120.0``), for a column of figures that lines up on the point
    (the 分组统计 table, its xlsx/PDF and ``silverdesk stats``). ``signed``: a change, ``+2.5`` / ``-1``."""
    text = f"{value:{'+' if signed else ''}{',' if grouped else ''}.1f}"
    if text.lstrip("+-").replace(",", "") == "0.0":
        text = "0.0"  # no sign and no "-0" for a figure that rounds to nothing
    if not fixed and text.endswith(".0"):
        text = text[:-2]
    return text


def figure_text(value: float, decimals: int, *, fixed: bool = False, signed: bool = False) -> str:
    """A figure of a measure with ``decimals`` places (0: a count, 1: hours, 积分 …) by the rules above:
    :func:`count_text` or :func:`hours_text` (``fixed`` and ``signed`` as there)."""
    if decimals == 0:
        return count_text(value, signed=signed)
    return hours_text(value, fixed=fixed, signed=signed)


def percent_text(ratio: float | None, *, fixed: bool = False) -> str:
    """A growth rate ``(本期 − 上期) ÷ 上期`` as a percentage with its sign and one decimal at most, by the
    hours rule: ``+12.5%``, ``-100%`` (``fixed``: ``+25.0%``); no base (None, 上期 0): ``—``."""
    if ratio is None:
        return "—"
    return hours_text(ratio * 100, fixed=fixed, signed=True) + "%"


def count_scale(most: float, intervals: int = 6) -> tuple[int, int]:
    """(top, step) of a chart axis of whole counts reaching ``most`` (the dashboard's and the report's
    charts): a step of 1, 2, 5, 10, 20 … giving at most ``intervals`` intervals, so every tick is a
    whole number — an empty chart reads 0 and 1, a top of 3 reads 0 1 2 3, never 0 0 1 2 2 3."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            step = multiple * magnitude
            top = max(step, math.ceil(most / step) * step)
            if top <= step * intervals:
                return top, step
        magnitude *= 10


PLAUSIBLE_MAX: dict[str, float] = {
    "sessions": 366,  # 场次: one a day for a year
    "participants": 5000,  # 参与人次 of one activity: the largest county events
    "beneficiaries": 100000,  # 受益人次: a publicity campaign reaches many
    "hours": 20000,  # 服务时长 of one activity record (person-hours: 5,000 people × 4 hours)
}
"""The largest value one activity record usually holds per count field (issue #16: a date typed into
参与人次 was stored as 20,261,015 participants). The import holds a larger figure back (超出常见范围)
and stores it only once the clerk confirms it (``PlanOptions.confirm_over_limit``)."""
_DATE_DIGITS = re.compile(r"^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")


CONFIRM_HINT = "如确认无误，请在预览中勾选“已核对”或用 --confirm-large 导入"
"""How the clerk confirms a figure above its limit (the wizard's checkbox, ``silverdesk import --confirm-large``)."""


def implausible(key: str, label: str, value: float, shown: str) -> str | None:
    """Why ``value`` is held back in the count field ``key`` (超出常见范围), or ``None`` when it is within its limit.

    The reason names the field, the figure and the limit, says so when the figure reads as a date
    (``20261015``: a date typed into the wrong column) and ends with how to confirm it
    (:data:`CONFIRM_HINT`): the import stores such a figure only once the clerk confirms it.
    """
    limit = PLAUSIBLE_MAX.get(key)
    if limit is None or value <= limit:
        return None
    digits = shown.replace(",", "").replace(".0", "")
    looks = (
        f"；看起来是日期 {digits[:4]}-{digits[4:6]}-{digits[6:]}，可能填错了列"
        if _DATE_DIGITS.match(digits)
        else ""
    )
    return f"数字超出常见范围（{label}“{shown}”，一条活动记录通常不超过 {limit:,.0f}{looks}），{CONFIRM_HINT}"
