"""The 月度主题 planner: a theme per (year, month); the same month again in the file is refused, a month
already set is 未变 when the names agree and a conflict (never overwritten silently) when they differ.

A row gives 年份, 月份 (3, 3月, 三月) and 主题, or only a 主题 cell written “1月 银龄暖冬” (a 年度主题 sheet):
the month is then read from the cell, the year from the sheet's title (“2026年月度主题”), else it is this
year (said on the row)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import MonthlyTheme
from silverdesk.services.importing.dedupe import compare
from silverdesk.services.importing.plan import REJECTED, UNCHANGED, ImportPlan, RowPlan
from silverdesk.services.importing.planners.base import Planner
from silverdesk.services.importing.resolve import Resolver
from silverdesk.services.importing.rows import NormalizedRow
from silverdesk.services.org.themes import MAX_NAME, read_month, split_theme_line

_YEAR = re.compile(r"(19|20|21)\d{2}")


class ThemePlanner(Planner):
    entity = "monthly_theme"

    def __init__(self, ctx: Any, session: Session, resolver: Resolver, plan: ImportPlan, *given: Any) -> None:
        super().__init__(ctx, session, resolver, plan, *given)
        title = str((self.table.meta.get("title") if self.table else "") or "")
        found = _YEAR.search(title) or _YEAR.search(plan.sheet or "")
        self.sheet_year = int(found.group(0)) if found else None
        self.stored = {(y, m): (tid, name) for tid, y, m, name in session.execute(
            select(MonthlyTheme.id, MonthlyTheme.year, MonthlyTheme.month, MonthlyTheme.name))}  # fmt: skip
        self.seen: dict[tuple[int, int], int] = {}

    def first(self, n: NormalizedRow) -> RowPlan:
        rp = self.start(n)
        assert rp is not None
        if rp.fate == REJECTED:
            return rp
        v, row = n.values, n.row_number
        name = str(v.get("name", "")).strip()
        month = read_month(v["month"]) if v.get("month") not in (None, "") else None
        if v.get("month") not in (None, "") and month is None:
            rp.refuse(self.issue("month", v["month"], f"{self.label('month')}“{v['month']}”不是月份，请填写 1 到 12 或“1月”"))  # fmt: skip
            return rp
        if month is None:
            line = split_theme_line(name)
            if line is None:
                rp.refuse(self.issue("month", None, f"不知道是哪个月的主题：请填写{self.label('month')}，"
                                     f"或把主题写成“1月 银龄暖冬”"))  # fmt: skip
                return rp
            month, name = line
        elif (line := split_theme_line(name)) is not None and line[0] == month:
            name = line[1]  # “3月 学雷锋” in a 月份 3 row
        year = v.get("year")
        if year is None:
            year = self.sheet_year
            if year is None:
                year = self.today.year
                rp.note(f"未写年份，按今年（{year}年）计")
        if not 1900 <= int(year) <= 2200:
            rp.refuse(self.issue("year", year, f"{self.label('year')}“{year}”不对，请填写四位年份，如 2026"))
            return rp
        if not name:
            rp.refuse(self.issue("name", None, f"{self.label('name')}未填写"))
            return rp
        if len(name) > MAX_NAME:
            rp.refuse(self.issue("name", name, f"{self.label('name')}有 {len(name)} 个字，超过 {MAX_NAME} 个字的上限，请精简"))  # fmt: skip
            return rp
        key = (int(year), month)
        earlier = self.seen.setdefault(key, row)
        if earlier != row:
            rp.refuse(
                self.issue("month", month, f"与第 {earlier} 行是同一个月（{key[0]}年{month}月），未重复导入")
            )
            return rp
        stored = self.stored.get(key)
        if stored is None:
            rp.insert = {"year": key[0], "month": month, "name": name}
            return rp
        rp.entity_id = stored[0]
        _fills, _before, conflicts = compare({"name": stored[1]}, {"name": name}, {"name": "主题"})
        rp.fate = UNCHANGED  # a different name is a conflict: stored only if the clerk chooses the file's
        rp.conflicts = conflicts or None
        if not conflicts:
            rp.note(f"{key[0]}年{month}月已是这个主题")
        return rp
