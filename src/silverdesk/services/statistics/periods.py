"""Reporting periods: parse ``2026-10``, ``2026Q3``, ``2026``, ``2026-01-01..2026-06-30`` and 累计 since a day
(``2020-05-01..`` or ``自2020-05-01起``, up to today); their neighbours for 环比 and 同比.

* 环比 (:meth:`ReportPeriod.previous`): the month, quarter or year before; for any other span the span of
  equal length just before it — as many whole months when it is made of whole months, else as many days.
* 同比 (:meth:`ReportPeriod.same_last_year`): the same span a year earlier (February's 29th becomes the
  28th, a whole February stays a whole February). It does not apply (:meth:`ReportPeriod.no_same_last_year`)
  to a 累计 span or a span longer than a year: the span a year earlier would overlap it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from silverdesk.errors import UserError

_QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}

#: what a report of each kind of period is called (its title ends with it)
REPORT_NAMES = {
    "month": "统计月报",
    "quarter": "统计季报",
    "year": "统计年报",
    "custom": "统计报表",
    "since": "累计统计报表",
}


@dataclass(frozen=True)
class ReportPeriod:
    start: dt.date
    end: dt.date
    kind: str  # month | quarter | year | custom | since (累计 from ``start`` up to ``end``, today)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年{_QUARTER_NAMES[(self.start.month - 1) // 3 + 1]}"
        if self.kind == "year":
            return f"{self.start.year}年"
        if self.kind == "since":
            return f"{self.start.year}年{self.start.month}月{self.start.day}日以来累计"
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
        if self.kind == "since":
            return f"{self.start.isoformat()}.."
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def previous(self) -> ReportPeriod:
        """环比's base: the period just before, of the same kind and length (a span of whole months: as
        many whole months before; any other span: as many days before)."""
        if self.kind == "month":
            return month(*_add_months(self.start.year, self.start.month, -1))
        if self.kind == "quarter":
            y, m = _add_months(self.start.year, self.start.month, -3)
            return quarter(y, (m - 1) // 3 + 1)
        if self.kind == "year":
            return year(self.start.year - 1)
        months = _whole_months(self.start, self.end)
        if months:
            y, m = _add_months(self.start.year, self.start.month, -months)
            last_y, last_m = _add_months(self.start.year, self.start.month, -1)
            end = dt.date(last_y, last_m, calendar.monthrange(last_y, last_m)[1])
            return ReportPeriod(dt.date(y, m, 1), end, "custom")
        days = (self.end - self.start).days + 1
        return ReportPeriod(self.start - dt.timedelta(days=days), self.start - dt.timedelta(days=1), "custom")

    def same_last_year(self) -> ReportPeriod:
        """同比's base: the same span a year earlier (see :meth:`no_same_last_year` for when it does not apply)."""
        if self.kind == "month":
            return month(self.start.year - 1, self.start.month)
        if self.kind == "quarter":
            return quarter(self.start.year - 1, (self.start.month - 1) // 3 + 1)
        if self.kind == "year":
            return year(self.start.year - 1)
        start = _shift_year(self.start, -1)
        if _whole_months(self.start, self.end):  # whole months stay whole months (February's 29th)
            y, m = self.end.year - 1, self.end.month
            return ReportPeriod(start, dt.date(y, m, calendar.monthrange(y, m)[1]), "custom")
        return ReportPeriod(start, _shift_year(self.end, -1), "custom")

    def no_same_last_year(self) -> str:
        """Why 同比 does not apply to this period ("" when it does): a 累计 span, or a span longer than a
        year (the same span a year earlier would overlap it)."""
        if self.kind == "since":
            return f"累计时段（{self.label}）不作同比：上年同期与本期重叠，可比较环比或分年度统计"
        if self.kind == "custom" and _shift_year(self.end, -1) >= self.start:
            return f"跨年度时段（{self.range_text}）不作同比：上年同期与本期重叠，可比较环比或分年度统计"
        return ""

    def year_to_date(self) -> ReportPeriod:
        return ReportPeriod(dt.date(self.end.year, 1, 1), self.end, "custom")


def _add_months(y: int, m: int, delta: int) -> tuple[int, int]:
    index = y * 12 + (m - 1) + delta
    return index // 12, index % 12 + 1


def _whole_months(start: dt.date, end: dt.date) -> int:
    """How many whole months ``start`` … ``end`` is (0: it does not begin on a 1st or end on a month's end)."""
    if start.day != 1 or end.day != calendar.monthrange(end.year, end.month)[1]:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


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


def since(start: dt.date, today: dt.date) -> ReportPeriod:
    """累计 from ``start`` up to ``today``."""
    if start > today:
        raise UserError(f"累计的起始日期{start.isoformat()}晚于今天，请检查")
    return ReportPeriod(start, today, "since")


def period_of(start: dt.date, end: dt.date) -> ReportPeriod:
    """The period ``start`` … ``end`` is: a month, a quarter or a year when it is one, else a custom span."""
    months = _whole_months(start, end)
    if months == 1:
        return month(start.year, start.month)
    if months == 3 and start.month % 3 == 1:
        return quarter(start.year, (start.month - 1) // 3 + 1)
    if months == 12 and start.month == 1:
        return year(start.year)
    return ReportPeriod(start, end, "custom")


_DAY = r"(\d{4})(?:-|年)(\d{1,2})(?:-|月)(\d{1,2})日?"


def parse_period(text: str, today: dt.date | None = None) -> ReportPeriod:
    """A period as a clerk writes it; a 累计 span (``2020-05-01..``, ``自2020-05-01起``, ``自2020年5月1日起``)
    runs up to ``today`` (default: the computer's date)."""
    t = text.strip().upper().replace("／", "/").replace("．", ".").replace("…", "..")
    try:
        if m := (re.fullmatch(_DAY + r"\.\.", t) or re.fullmatch("自" + _DAY + "(?:起|以来)?", t)):
            return since(dt.date(int(m[1]), int(m[2]), int(m[3])), today or dt.date.today())
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
        "自定义时段写 2026-01-01..2026-06-30，累计写 2020-05-01.. 或 自2020-05-01起"
    )


def months_ending(end: dt.date, count: int = 12) -> list[ReportPeriod]:
    """``count`` whole months ending with the month of ``end``, oldest first."""
    return [month(*_add_months(end.year, end.month, -i)) for i in range(count - 1, -1, -1)]
