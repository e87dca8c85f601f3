"""Reporting periods: parse ``2026-10``, ``2026Q3``, ``2026``, ``2026-01-01..2026-06-30``; neighbours."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from silverdesk.errors import UserError

_QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass(frozen=True)
class ReportPeriod:
    start: dt.date
    end: dt.date
    kind: str  # month | quarter | year | custom

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年{_QUARTER_NAMES[(self.start.month - 1) // 3 + 1]}"
        if self.kind == "year":
            return f"{self.start.year}年"
        return self.range_text

    @property
    def range_text(self) -> str:
        end = (
            f"{self.end.month}月{self.end.day}日"
            if self.end.year == self.start.year
            else f"{self.end.year}年{self.end.month}月{self.end.day}日"
        )
        return f"{self.start.year}年{self.start.month}月{self.start.day}日—{end}"

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def previous(self) -> ReportPeriod:
        """The period just before, of the same kind and length."""
        if self.kind == "month":
            return month(*_add_months(self.start.year, self.start.month, -1))
        if self.kind == "quarter":
            y, m = _add_months(self.start.year, self.start.month, -3)
            return quarter(y, (m - 1) // 3 + 1)
        if self.kind == "year":
            return year(self.start.year - 1)
        days = (self.end - self.start).days + 1
        return ReportPeriod(self.start - dt.timedelta(days=days), self.start - dt.timedelta(days=1), "custom")

    def same_last_year(self) -> ReportPeriod:
        return ReportPeriod(_shift_year(self.start, -1), _shift_year(self.end, -1), self.kind)

    def year_to_date(self) -> ReportPeriod:
        return ReportPeriod(dt.date(self.end.year, 1, 1), self.end, "custom")


def _add_months(y: int, m: int, delta: int) -> tuple[int, int]:
    index = y * 12 + (m - 1) + delta
    return index // 12, index % 12 + 1


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def month(y: int, m: int) -> ReportPeriod:
    return ReportPeriod(dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]), "month")


def quarter(y: int, q: int) -> ReportPeriod:
    first = 3 * (q - 1) + 1
    return ReportPeriod(
        dt.date(y, first, 1), dt.date(y, first + 2, calendar.monthrange(y, first + 2)[1]), "quarter"
    )


def year(y: int) -> ReportPeriod:
    return ReportPeriod(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")


def parse_period(text: str) -> ReportPeriod:
    t = text.strip().upper().replace("／", "/")
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
            return month(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})Q([1-4])", t):
            return quarter(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})", t):
            return year(int(m[1]))
        if m := re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})\.\.(\d{4}-\d{1,2}-\d{1,2})", t):
            start, end = (dt.date(*map(int, s.split("-"))) for s in (m[1], m[2]))
            if end < start:
                raise UserError(f"统计时段“{text}”的结束日期早于开始日期")
            return ReportPeriod(start, end, "custom")
    except ValueError:
        pass
    raise UserError(
        f"统计时段“{text}”无法识别：月份写 2026-10，季度写 2026Q3，年度写 2026，"
        "自定义时段写 2026-01-01..2026-06-30"
    )


def months_ending(end: dt.date, count: int = 12) -> list[ReportPeriod]:
    """``count`` whole months ending with the month of ``end``, oldest first."""
    return [month(*_add_months(end.year, end.month, -i)) for i in range(count - 1, -1, -1)]
