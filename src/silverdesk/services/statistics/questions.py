"""表1–表4, the totals and the trend of a report, asked of the statistics query model.

Every figure of a report is a measure of the query model (:mod:`silverdesk.services.statistics.query`)
asked for the report's period and scope — the counting rules live with the measures, not here:

* 表1: 场次, 参与人次, 服务时长, 受益人次 by 单位:下一级 (and again for the year to date), 志愿者数 and 其中党员
  by 单位:下一级, 队伍数 by 单位:下一级 (a stock at the period end);
* 表2: the four activity measures by 服务领域;
* 表3 and 表4: the organisation and market measures (stocks at the period end, flows in the period);
  任职人数 by 任职类别;
* 上期, 去年同期 and 年度累计: the same measures' totals for those periods;
* the 12-month trend: 场次 and 受益人次 by 期间:月.

Here the answers are only laid out as the report's rows (:mod:`silverdesk.reports.model`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence, Set
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import Lookup
from silverdesk.domain.dates import month_label
from silverdesk.reports.model import OrgFigures, SupplyDemand, Totals, TrendPoint
from silverdesk.services.statistics.periods import ReportPeriod, months_ending
from silverdesk.services.statistics.query.batch import Asker
from silverdesk.services.statistics.query.model import DimRef, Number, Question, Result

ACTIVITY = ("场次", "参与人次", "服务时长", "受益人次")
PEOPLE = ("志愿者数", "其中党员")
TEAMS = "队伍数"
ORG = ("党组织数", "党员数", "共建协议数", "报到人数", "任职人数", "阵地数")
ROLES = ("任职人数", "任职类别")  # the measure and the dimension of 表3's rows by community role
MARKET = ("资源条目", "需求条目", "对接次数", "签约订单", "完成订单")
TREND = ("场次", "受益人次")

BY_UNIT = (DimRef("单位", "下一级"),)
BY_CATEGORY = (DimRef("服务领域"),)
BY_MONTH = (DimRef("期间", "month"),)


@dataclass
class Sums:
    activities: int = 0
    participations: int = 0
    hours: float = 0.0
    beneficiaries: int = 0

    def add(self, sessions: Number, participants: Number, hours: Number, beneficiaries: Number) -> None:
        self.activities += int(sessions or 0)
        self.participations += int(participants or 0)
        self.hours += float(hours or 0)
        self.beneficiaries += int(beneficiaries or 0)

    @classmethod
    def of(cls, values: Sequence[Number]) -> Sums:
        out = cls()
        out.add(*values[:4])
        return out


class ReportQuestions:
    """The questions of one report's scope, asked in one session (``ask``: an :class:`Asker`)."""

    def __init__(self, ask: Asker, unit_id: int | None) -> None:
        self.ask = ask
        self.unit_id = unit_id

    def question(
        self, measures: Sequence[str], start: dt.date, end: dt.date, rows: tuple[DimRef, ...] = ()
    ) -> Question:
        return Question(tuple(measures), start, end, self.unit_id, rows)

    def answer(
        self, measures: Sequence[str], start: dt.date, end: dt.date, rows: tuple[DimRef, ...] = ()
    ) -> Result:
        return self.ask(self.question(measures, start, end, rows))

    # -- 表1 --------------------------------------------------------------------------------------
    def by_unit(self, measures: Sequence[str], start: dt.date, end: dt.date) -> dict[int, tuple[Number, ...]]:
        """The measures per row of 表1: {the row's unit id (the scope itself for 本级): figures}."""
        result = self.answer(measures, start, end, BY_UNIT)
        return {row.keys[0]: row.values for row in result.rows if row.keys[0] is not None}

    # -- 表2 --------------------------------------------------------------------------------------
    def by_category(
        self, s: Session, start: dt.date, end: dt.date, leave_out: Set[int] = frozenset()
    ) -> dict[str, Sums]:
        """表2: the activity measures per 服务领域 — every active one in the list's order (0 when none),
        then any other the period's activities name (a retired one, 未分类). ``leave_out``: rows of 表1
        (units) whose records are not counted (they sent a return: its 表2 is added instead)."""
        active = s.execute(
            select(Lookup.id, Lookup.name)
            .where(Lookup.kind == "activity_category", Lookup.active)
            .order_by(Lookup.sort_order)
        ).all()
        out: dict[str, Sums] = {name: Sums() for _, name in active}
        if not leave_out:
            for row in self.answer(ACTIVITY, start, end, BY_CATEGORY).rows:
                out.setdefault(row.labels[0], Sums()).add(*row.values)
            return out
        for row in self.answer(ACTIVITY, start, end, (*BY_CATEGORY, *BY_UNIT)).rows:
            if row.keys[1] not in leave_out:
                out.setdefault(row.labels[0], Sums()).add(*row.values)
        return out

    # -- totals -----------------------------------------------------------------------------------
    def totals(self, period: ReportPeriod) -> Totals:
        """上期 / 去年同期 / 年度累计: the headline measures for ``period`` (teams at its end)."""
        act = self.answer(ACTIVITY, period.start, period.end).total
        people = self.answer(PEOPLE, period.start, period.end).total
        teams = self.answer((TEAMS,), period.start, period.end).total
        return Totals(
            int(act[0]), int(act[1]), round(float(act[2]), 1), int(act[3]), int(teams[0]), int(people[0])
        )

    def trend(self, end: dt.date) -> list[TrendPoint]:
        """场次 and 受益人次 of the twelve months ending with ``end``'s."""
        months = months_ending(end, 12)
        result = self.answer(TREND, months[0].start, months[-1].end, BY_MONTH)
        found = {row.keys[0]: row.values for row in result.rows}
        return [
            TrendPoint(month_label(m.start.year, m.start.month), *map(int, found.get(m.code, (0, 0))))
            for m in months
        ]

    # -- 表3, 表4 ---------------------------------------------------------------------------------
    def org(self, start: dt.date, end: dt.date) -> OrgFigures:
        """表3, stocks at the period end; the community roles in their list's order."""
        # 任职人数 once: its total (one person, one count however many roles) comes with the rows by role
        names = [m for m in ORG if m != ROLES[0]]
        stocks = dict(zip(names, self.answer(names, start, end).total, strict=True))
        roles = self.answer((ROLES[0],), start, end, (DimRef(ROLES[1]),))
        by_role = {row.labels[0]: int(row.values[0]) for row in roles.rows}
        return OrgFigures(
            int(stocks["党组织数"]),
            int(stocks["党员数"]),
            int(stocks["共建协议数"]),
            int(stocks["报到人数"]),
            tuple((name, by_role.get(name, 0)) for name in self._role_names()),
            int(roles.total[0]),
            int(stocks["阵地数"]),
        )

    def _role_names(self) -> list[str]:
        s = self.ask.session
        return list(
            s.scalars(
                select(Lookup.name)
                .where(Lookup.kind == "community_role", Lookup.active)
                .order_by(Lookup.sort_order)
            )
        )

    def market(self, start: dt.date, end: dt.date) -> SupplyDemand:
        """表4: resources available at the period end; demands, matches, signed and completed orders in it."""
        return SupplyDemand(*(int(v) for v in self.answer(MARKET, start, end).total))
