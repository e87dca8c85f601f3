"""A statistics report (表1–表4, totals, trend, 编报说明) for a period and a scope, assembled from the query model.

Every figure is a measure of the statistics query model (:mod:`silverdesk.services.statistics.query`) asked
for the report's period and scope in one reader session (:mod:`silverdesk.services.statistics.questions`):
the counting rules are written once, next to each measure, and 编报说明 prints them
(:func:`silverdesk.services.statistics.report_notes.counting_rules`). Here the
answers are laid out as the report's rows: 表1 one row per unit directly under the scope (its whole
subtree; 本级 last, when it has anything), 合计 the sum of the rows; 表2 per 服务领域 with 占比.

汇总: a subordinate unit that sent its own report for exactly this period (imported with
``silverdesk import --kind report``) is shown with the figures it reported, replacing what is recorded
here for that unit (in 表1, 表2, 表3 and 表4); without one, its monthly returns inside the period are
summed by :data:`silverdesk.services.statistics.returns.RULE`
(:func:`~silverdesk.services.statistics.returns.returns_for`), and the 12-month trend and the 环比/同比
totals use its returns the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.reports.model import (
    CategoryRow,
    OrgFigures,
    Period,
    ReportData,
    SupplyDemand,
    Totals,
    TrendPoint,
    UnitRow,
)
from silverdesk.services.base import Context
from silverdesk.services.org.lookups import SETTING_NAMES
from silverdesk.services.statistics.periods import REPORT_NAMES, ReportPeriod, months_ending
from silverdesk.services.statistics.query.model import Number
from silverdesk.services.statistics.query.units import OWN, UnitScope
from silverdesk.services.statistics.questions import (
    ACTIVITY,
    BY_MONTH,
    BY_UNIT,
    PEOPLE,
    TEAMS,
    ReportQuestions,
    Sums,
)
from silverdesk.services.statistics.report_notes import counting_rules
from silverdesk.services.statistics.returns import monthly_returns, returns_for, trend_with_returns

TITLES = REPORT_NAMES

# the report's signatories, settings of 设置 › 本单位 (their names, SETTING_NAMES, are the footer's labels)
SIGNATORIES = ("report_leader", "report_reviewer", "report_preparer", "report_phone")


class StatisticsService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # -- public ---------------------------------------------------------------------------------
    def report(
        self,
        period: ReportPeriod,
        unit_id: int | None = None,
        *,
        reported_on: dt.date | None = None,
        progress: Progress = null_progress,
        cancel: CancelToken = NEVER,
    ) -> ReportData:
        """The report's figures; its footer signed as set in 设置 › 本单位, dated ``reported_on``
        (报送日期, default today)."""
        from silverdesk.services.statistics.query.batch import Asker
        from silverdesk.services.statistics.query.units import UnitScope

        _refresh_rollup(self.ctx, period)
        with self.ctx.db.reader() as s:
            settings = self._settings(s)
            scope = UnitScope.load(s, unit_id)
            ask = ReportQuestions(Asker(s, cancel), scope.root)
            ytd_start = dt.date(period.end.year, 1, 1)
            progress(1, 8, "统计活动")
            cur = ask.by_unit(ACTIVITY, period.start, period.end)
            ytd = ask.by_unit(ACTIVITY, ytd_start, period.end)
            progress(2, 8, "统计队伍和志愿者")
            teams = ask.by_unit((TEAMS,), period.start, period.end)
            volunteers = ask.by_unit(PEOPLE, period.start, period.end)
            progress(3, 8, "统计服务领域")
            submitted = _submitted(s, scope, period)
            # a unit that sent its return counts by it in 表2 too: its own records are left out
            categories = ask.by_category(s, period.start, period.end, set(submitted))
            progress(4, 8, "统计组织建设")
            table3 = ask.org(period.start, period.end)
            table4 = ask.market(period.start, period.end)
            progress(5, 8, "对比上期和同期")
            rows = _table1(scope, cur, ytd, teams, volunteers, submitted)
            total = _total_row(rows)
            table2, table2_total = _table2(categories, submitted)
            if submitted:
                table3, table4 = _add_submitted_org(table3, table4, submitted.values())
            current = Totals(
                total.activities,
                total.participations,
                round(total.hours, 1),
                total.beneficiaries,
                total.teams,
                total.volunteers,
            )
            previous = _totals(ask, scope, period.previous())
            last_year = None if period.no_same_last_year() else _totals(ask, scope, period.same_last_year())
            ytd_totals = (
                Totals(total.ytd_activities, 0, 0.0, total.ytd_beneficiaries, total.teams, 0)
                if submitted
                else _totals(ask, scope, period.year_to_date())
            )
            progress(7, 8, "统计月度趋势")
            trend = _trend(ask, s, scope, period.end)
        progress(8, 8, "完成")
        bureau = settings.get("bureau_name", "")
        if not bureau or "XX" in bureau:
            bureau = f"中共{scope.name}委老干部局"
        footer = report_footer(settings, reported_on or self.ctx.today())
        return ReportData(
            title=f"{scope.name}离退休干部志愿服务工作{TITLES[period.kind]}",
            issuer=bureau if scope.whole else scope.name,
            scope=scope.label,
            period=Period(period.start, period.end, period.kind, period.label, period.range_text),
            table1=tuple(rows),
            table1_total=total,
            table2=tuple(table2),
            table2_total=table2_total,
            table3=table3,
            table4=table4,
            current=current,
            previous=previous,
            last_year=last_year,
            year_to_date=ytd_totals,
            trend=tuple(trend),
            narrative="",
            notes=counting_rules(),
            footer=footer,
            generated_at=self.ctx.clock(),
        )

    def totals(self, period: ReportPeriod, unit_id: int | None = None) -> Totals:
        from silverdesk.services.statistics.query.batch import Asker

        _refresh_rollup(self.ctx, period)
        with self.ctx.db.reader() as s:
            scope = UnitScope.load(s, unit_id)
            ask = ReportQuestions(Asker(s), scope.root)
            return _totals(ask, scope, period)

    # -- settings ---------------------------------------------------------------------------------
    def _settings(self, s: Session) -> dict[str, str]:
        from silverdesk.db.models import Setting

        return dict(s.execute(select(Setting.key, Setting.value)).all())


def _submitted(s: Session, scope: UnitScope, period: ReportPeriod) -> dict[int, ReportData]:
    """The returns of the units of 表1's rows for the period (exact, or built from their months)."""
    return returns_for(s, scope.tree.children.get(scope.root, []), period.start, period.end)


def _totals(ask: ReportQuestions, scope: UnitScope, period: ReportPeriod) -> Totals:
    """The 合计 of 表1 for ``period`` (for 环比, 同比 and 年度累计): subordinates' returns counted as in 表1."""
    cur = ask.by_unit(ACTIVITY, period.start, period.end)
    teams = ask.by_unit((TEAMS,), period.start, period.end)
    volunteers = ask.by_unit(PEOPLE, period.start, period.end)
    t = _total_row(_table1(scope, cur, cur, teams, volunteers, _submitted(ask.ask.session, scope, period)))
    return Totals(t.activities, t.participations, t.hours, t.beneficiaries, t.teams, t.volunteers)


def _trend(ask: ReportQuestions, s: Session, scope: UnitScope, end: dt.date) -> list[TrendPoint]:
    """场次 and 受益人次 by 期间:月 (× 单位:下一级) for the twelve months ending with ``end``'s; a subordinate's
    month return replaces its records of that month, as in 表1."""
    months = months_ending(end, 12)
    points = ask.trend(end)
    returned = monthly_returns(s, scope.tree.children.get(scope.root, []), months)
    if not returned:
        return points
    by_unit = ask.answer(("场次", "受益人次"), months[0].start, months[-1].end, (*BY_MONTH, *BY_UNIT))
    own = {  # the returned units' own records, by month
        (row.keys[0], row.keys[1]): (int(row.values[0]), int(row.values[1]))
        for row in by_unit.rows
        if row.keys[1] in returned.get(row.keys[0], {})
    }
    return trend_with_returns(points, months, returned, own)


def _refresh_rollup(ctx: Context, period: ReportPeriod) -> None:
    """Brings the month roll-up of the months a report reads up to date (the query model answers whole
    months from it only when they are fresh; a read-only database is counted from the activities)."""
    from silverdesk.errors import StorageError
    from silverdesk.services.statistics.rollup import Rollup, month_key

    first = min(
        period.same_last_year().start,
        period.previous().start,
        months_ending(period.end, 12)[0].start,
        dt.date(period.end.year, 1, 1),
    )
    months: list[str] = []
    day = first.replace(day=1)
    while day <= period.end:
        months.append(month_key(day))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    from silverdesk.db.models import ActivityMonthState

    with ctx.db.reader() as s:  # a read first: most reports find their months fresh, and write nothing
        stale = list(
            s.scalars(
                select(ActivityMonthState.month).where(
                    ActivityMonthState.month.in_(months), ActivityMonthState.stale.is_(True)
                )
            )
        )
    if stale:
        with contextlib.suppress(StorageError):
            Rollup(ctx.db).refresh(stale)


def _table1(
    scope: UnitScope,
    cur: dict[int, tuple[Number, ...]],
    ytd: dict[int, tuple[Number, ...]],
    teams: dict[int, tuple[Number, ...]],
    volunteers: dict[int, tuple[Number, ...]],
    submitted: dict[int, ReportData],
) -> list[UnitRow]:
    """One row per unit directly under the scope (its whole subtree), then 本级 when it has anything."""
    rows: list[UnitRow] = []
    keys: list[tuple[int, str]] = [
        (uid, scope.tree.nodes[uid].name) for uid in scope.tree.children.get(scope.root, [])
    ]
    keys.append((scope.root, OWN))
    for unit_id, label in keys:
        if unit_id in submitted:
            t = submitted[unit_id].table1_total
            rows.append(
                UnitRow(
                    0,
                    label,
                    t.teams,
                    t.volunteers,
                    t.party_members,
                    t.activities,
                    t.participations,
                    t.hours,
                    t.beneficiaries,
                    t.ytd_activities,
                    t.ytd_beneficiaries,
                    t.note or "据报表汇总",
                )
            )
            continue
        c, y = Sums.of(cur.get(unit_id, (0, 0, 0.0, 0))), Sums.of(ytd.get(unit_id, (0, 0, 0.0, 0)))
        n_teams = int(teams.get(unit_id, (0,))[0])
        n_vol, n_party = (int(v) for v in volunteers.get(unit_id, (0, 0)))
        if unit_id == scope.root and not (c.activities or y.activities or n_teams or n_vol):
            continue  # no 本级 row when the scope itself has nothing
        rows.append(
            UnitRow(
                0,
                label,
                n_teams,
                n_vol,
                n_party,
                c.activities,
                c.participations,
                round(c.hours, 1),
                c.beneficiaries,
                y.activities,
                y.beneficiaries,
            )
        )
    return [UnitRow(i, *(getattr(r, f) for f in _UNITROW_FIELDS[1:])) for i, r in enumerate(rows, start=1)]


def _table2(
    categories: dict[str, Sums], submitted: dict[int, ReportData]
) -> tuple[list[CategoryRow], CategoryRow]:
    for data in submitted.values():
        for row in data.table2:
            categories.setdefault(row.category, Sums()).add(
                row.activities, row.participations, row.hours, row.beneficiaries
            )
    total = Sums()
    for c in categories.values():
        total.add(c.activities, c.participations, c.hours, c.beneficiaries)
    rows = [
        CategoryRow(
            name,
            c.activities,
            c.participations,
            round(c.hours, 1),
            c.beneficiaries,
            round(c.activities / total.activities, 4) if total.activities else 0.0,
        )
        for name, c in categories.items()
    ]
    return rows, CategoryRow(
        "合计",
        total.activities,
        total.participations,
        round(total.hours, 1),
        total.beneficiaries,
        1.0 if total.activities else 0.0,
    )


def report_footer(settings: dict[str, str], reported_on: dt.date) -> tuple[tuple[str, str], ...]:
    """The footer fields: the signatories as set (a blank one stays blank: the writers print a line to
    sign on), then 报送日期."""
    return (
        *((SETTING_NAMES[key], settings.get(key, "").strip()) for key in SIGNATORIES),
        ("报送日期", f"{reported_on.year}年{reported_on.month}月{reported_on.day}日"),
    )


_UNITROW_FIELDS = (
    "seq",
    "unit",
    "teams",
    "volunteers",
    "party_members",
    "activities",
    "participations",
    "hours",
    "beneficiaries",
    "ytd_activities",
    "ytd_beneficiaries",
    "note",
)


def _total_row(rows: Iterable[UnitRow]) -> UnitRow:
    rows = list(rows)

    def total(name: str) -> float:
        value: float = sum(getattr(r, name) for r in rows)
        return value

    return UnitRow(
        None,
        "合计",
        int(total("teams")),
        int(total("volunteers")),
        int(total("party_members")),
        int(total("activities")),
        int(total("participations")),
        round(total("hours"), 1),
        int(total("beneficiaries")),
        int(total("ytd_activities")),
        int(total("ytd_beneficiaries")),
    )


def _add_submitted_org(
    t3: OrgFigures, t4: SupplyDemand, reports: Iterable[ReportData]
) -> tuple[OrgFigures, SupplyDemand]:
    roles = dict(t3.community_roles)
    for data in reports:
        o, d = data.table3, data.table4
        for name, n in o.community_roles:
            roles[name] = roles.get(name, 0) + n
        t3 = OrgFigures(
            t3.party_orgs + o.party_orgs,
            t3.party_members + o.party_members,
            t3.agreements + o.agreements,
            t3.registered + o.registered,
            (),
            t3.community_role_people + o.community_role_people,
            t3.places + o.places,
        )
        t4 = SupplyDemand(
            t4.resources + d.resources,
            t4.demands + d.demands,
            t4.matches + d.matches,
            t4.orders_signed + d.orders_signed,
            t4.orders_completed + d.orders_completed,
        )
    return OrgFigures(
        t3.party_orgs,
        t3.party_members,
        t3.agreements,
        t3.registered,
        tuple(roles.items()),
        t3.community_role_people,
        t3.places,
    ), t4
