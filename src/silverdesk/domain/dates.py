"""Dates in the forms clerks and spreadsheets use.

Accepted: ``date``/``datetime`` objects, Excel serial numbers, ``1956-3-1``, ``1956/03/01``,
``1956.03.01``, ``1956.3``, ``1956年3月``, ``1956年3月1日``, ``19560301``, ``195603``.
A year and month without a day gives the first of the month and says so (``precision``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from silverdesk.domain.text import clean

EXCEL_EPOCH = dt.date(1899, 12, 30)


class DateError(ValueError):
    pass


@dataclass(frozen=True)
class ParsedDate:
    value: dt.date
    precision: str  # "day" | "month" | "year"


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"), "day"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"), "day"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})年(\d{1,2})月?$"), "month"),
    (re.compile(r"^(\d{4})(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})年?$"), "year"),
]


def from_excel_serial(value: float) -> dt.date:
    if not 1 <= value < 2958466:
        raise DateError(f"“{value}”不是有效的表格日期")
    return EXCEL_EPOCH + dt.timedelta(days=int(value))


def parse_date(raw: object, *, field_label: str = "日期") -> ParsedDate | None:
    """Parse or raise :class:`DateError`; empty input gives ``None``."""
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return ParsedDate(raw.date(), "day")
    if isinstance(raw, dt.date):
        return ParsedDate(raw, "day")
    if isinstance(raw, bool):
        raise DateError(f"{field_label}“{raw}”不是日期")
    if isinstance(raw, int | float):
        value = float(raw)
        # 1956.03 typed into a numeric cell: a year.month, not an Excel serial
        if 1900 <= value < 2100 and not value.is_integer():
            text = f"{value:.2f}"
            return _match(text, field_label, text)
        if 1900 <= value < 2100:
            return ParsedDate(dt.date(int(value), 1, 1), "year")
        if 19000101 <= value <= 21001231 and value.is_integer():
            return _match(str(int(value)), field_label, str(raw))
        return ParsedDate(from_excel_serial(value), "day")
    text = clean(raw)
    if not text:
        return None
    text = text.replace("．", ".").replace(" 年", "年").replace(" 月", "月")
    return _match(text, field_label, text)


def _match(text: str, field_label: str, shown: str) -> ParsedDate:
    for pattern, precision in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        groups = [int(g) for g in m.groups()]
        year = groups[0]
        month = groups[1] if len(groups) > 1 else 1
        day = groups[2] if len(groups) > 2 else 1
        try:
            value = dt.date(year, month, day)
        except ValueError:
            raise DateError(f"{field_label}“{shown}”不存在（月或日超出范围）") from None
        if not 1890 <= year <= 2100:
            raise DateError(f"{field_label}“{shown}”的年份不合理")
        return ParsedDate(value, precision)
    raise DateError(f"{field_label}“{shown}”无法识别，请写成 2026-10-01 或 2026年10月1日")


def parse_date_value(raw: object, *, field_label: str = "日期") -> dt.date | None:
    parsed = parse_date(raw, field_label=field_label)
    return parsed.value if parsed else None


def month_label(year: int, month: int) -> str:
    """A month as reports name it: "2025年12月" (four-digit year)."""
    return f"{year}年{month}月"


_MONTH_LABEL = re.compile(r"^(\d{4})年(\d{1,2})月$")


def axis_month_labels(labels: list[str], *, year_below: bool = False) -> list[str]:
    """Compact labels for a chart axis of consecutive months named by :func:`month_label`: the month,
    with its year (four digits) at the first month and at each January — "2025年12月", "2026年1月",
    "2月", … ; ``year_below`` puts that year on a second line ("12月\n2025年") so the months align.
    Anything else is kept as it is."""
    out: list[str] = []
    shown_year = None
    for label in labels:
        m = _MONTH_LABEL.match(label)
        if m is None:
            out.append(label)
            continue
        year, month = m.groups()
        if year == shown_year:
            out.append(f"{month}月")
        else:
            out.append(f"{month}月\n{year}年" if year_below else label)
        shown_year = year
    return out
