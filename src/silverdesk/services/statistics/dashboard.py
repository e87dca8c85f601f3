"""The 首页 at a glance: this month and this year, a 12-month trend, categories, open work.

Qt-free: the dashboard screen calls :meth:`DashboardService.load` in a worker and draws the
frozen dataclasses it returns.  The activity figures come from one grouped query over the
last twelve months (see :meth:`DashboardService._daily`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import (
    Activity,
    ActivityTeam,
    Demand,
    Lookup,
    Person,
    ServiceOrder,
    Team,
    TeamMember,
    Unit,
)
from silverdesk.services.base import Context
from silverdesk.services.statistics.query.units import whole_label

OPEN_ORDER_STATUSES = ("发布", "认领", "签约", "实施")
REPORTING_UNIT_KINDS = ("乡镇", "街道", "部门")
LIST_LIMIT = 8


@dataclass(frozen=True)
class PeriodFigures:
    """Totals of the activities in ``start`` … ``end`` (both included)."""

    start: dt.date
    end: dt.date
    activities: int
    sessions: int  # 场次
    participations: int  # 参与人次
    hours: float  # 服务时长
    beneficiaries: int  # 受益人次
    teams_active: int  # teams with at least one activity in the period


@dataclass(frozen=True)
class MonthPoint:
    year: int
    month: int
    sessions: int
    beneficiaries: int


@dataclass(frozen=True)
class CategoryFigure:
    name: str
    sessions: int


@dataclass(frozen=True)
class OpenItem:
    """A line of the 'waiting' lists: an open order or a demand without a match."""

    id: int
    title: str
    status: str
    since: dt.date | None


@dataclass(frozen=True)
class UnitItem:
    """A unit in the 'not reported yet' list."""

    id: int
    name: str


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    month: PeriodFigures
    year: PeriodFigures
    teams: int  # 活跃 teams on record
    volunteers: int  # people on the roster (在册) who belong to an active team
    trend: tuple[MonthPoint, ...]  # the last 12 months, oldest first
    by_category: tuple[CategoryFigure, ...]  # this year, largest first
    open_orders: tuple[OpenItem, ...]
    open_order_count: int
    unmatched_demands: tuple[OpenItem, ...]
    unmatched_demand_count: int
    silent_units: tuple[UnitItem, ...]  # subordinate units without an activity this month
    scope: str = "全县"  # what the whole tree is called: 全县 / 全市 / 全区 (UnitScope.label)


@dataclass(frozen=True)
class _Day:
    day: dt.date
    category_id: int | None
    activities: int
    sessions: int
    participations: int
    hours: float
    beneficiaries: int


def _whole_label(session: Session) -> str:
    root = session.execute(
        select(Unit.kind, Unit.name).where(Unit.parent_id.is_(None)).order_by(Unit.sort_order, Unit.id)
    ).first()
    return whole_label(root.kind, root.name) if root else "全县"


def _figures(days: list[_Day], start: dt.date, end: dt.date, teams_active: int) -> PeriodFigures:
    picked = [d for d in days if start <= d.day <= end]
    return PeriodFigures(
        start,
        end,
        sum(d.activities for d in picked),
        sum(d.sessions for d in picked),
        sum(d.participations for d in picked),
        round(sum(d.hours for d in picked), 1),
        sum(d.beneficiaries for d in picked),
        teams_active,
    )


def _trend(days: list[_Day], today: dt.date) -> tuple[MonthPoint, ...]:
    sessions: dict[tuple[int, int], int] = {}
    beneficiaries: dict[tuple[int, int], int] = {}
    for d in days:
        key = (d.day.year, d.day.month)
        sessions[key] = sessions.get(key, 0) + d.sessions
        beneficiaries[key] = beneficiaries.get(key, 0) + d.beneficiaries
    months = [month_start(today, back) for back in range(11, -1, -1)]
    return tuple(
        MonthPoint(
            m.year, m.month, sessions.get((m.year, m.month), 0), beneficiaries.get((m.year, m.month), 0)
        )
        for m in months
    )


def _by_category(days: list[_Day], names: dict[int, str], since: dt.date) -> tuple[CategoryFigure, ...]:
    totals: dict[str, int] = {}
    for d in days:
        if d.day >= since:
            name = names.get(d.category_id, "未分类") if d.category_id is not None else "未分类"
            totals[name] = totals.get(name, 0) + d.sessions
    return tuple(CategoryFigure(n, v) for n, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))


def month_start(day: dt.date, back: int = 0) -> dt.date:
    """The first day of the month ``back`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


class DashboardService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def load(self, today: dt.date | None = None) -> Dashboard:
        """Everything the 首页 shows, as of ``today`` (default: the context's today)."""
        today = today or self.ctx.today()
        with self.ctx.db.reader() as session:
            days = self._daily(session, month_start(today, 11), today)
            names = dict(
                session.execute(
                    select(Lookup.id, Lookup.name).where(Lookup.kind == "activity_category")
                ).all()
            )
            orders, n_orders = self._open_orders(session)
            demands, n_demands = self._unmatched_demands(session)
            month_from, year_from = month_start(today), dt.date(today.year, 1, 1)
            return Dashboard(
                today=today,
                month=_figures(days, month_from, today, self._teams_active(session, month_from, today)),
                year=_figures(days, year_from, today, self._teams_active(session, year_from, today)),
                teams=session.scalar(select(func.count(Team.id)).where(Team.status == "活跃")) or 0,
                volunteers=self._volunteers(session),
                trend=_trend(days, today),
                by_category=_by_category(days, names, year_from),
                open_orders=orders,
                open_order_count=n_orders,
                unmatched_demands=demands,
                unmatched_demand_count=n_demands,
                silent_units=self._silent_units(session, today),
                scope=_whole_label(session),
            )

    # --- pieces --------------------------------------------------------------------------------
    @staticmethod
    def _daily(session: Session, start: dt.date, end: dt.date) -> list[_Day]:
        """Totals per (day, category) over the window: one pass over the activities, a few thousand rows out.

        One grouped query is the cheapest plan SQLite has for a year of a big log (~2 s on
        1,000,000 activities, ~0.1 s on 50,000); per-month range queries or CASE sums were
        slower (shared/BASELINES.md; measured for issue #3).  The screen runs it in a worker.
        """
        rows = session.execute(
            select(
                Activity.occurred_on,
                Activity.category_id,
                func.count(Activity.id),
                func.sum(Activity.sessions),
                func.sum(Activity.participants),
                func.sum(Activity.hours),
                func.sum(Activity.beneficiaries),
            )
            .where(Activity.occurred_on >= start, Activity.occurred_on <= end)
            .group_by(Activity.occurred_on, Activity.category_id)
        )
        return [
            _Day(r[0], r[1], int(r[2]), int(r[3] or 0), int(r[4] or 0), float(r[5] or 0), int(r[6] or 0))
            for r in rows
        ]

    @staticmethod
    def _teams_active(session: Session, start: dt.date, end: dt.date) -> int:
        # EXISTS per team stops at the first activity found: ~10 ms where a DISTINCT over the
        # period's team links takes ~100 ms on 1,000,000 activities
        active = (
            select(ActivityTeam.activity_id)
            .join(Activity, Activity.id == ActivityTeam.activity_id)
            .where(
                ActivityTeam.team_id == Team.id, Activity.occurred_on >= start, Activity.occurred_on <= end
            )
        )
        return session.scalar(select(func.count(Team.id)).where(active.exists())) or 0

    @staticmethod
    def _volunteers(session: Session) -> int:
        stmt = (
            select(func.count(func.distinct(TeamMember.person_id)))
            .join(Team, Team.id == TeamMember.team_id)
            .join(Person, Person.id == TeamMember.person_id)
            .where(Team.status == "活跃", Person.status == "在册", TeamMember.left_on.is_(None))
        )
        return session.scalar(stmt) or 0

    @staticmethod
    def _open_orders(session: Session) -> tuple[tuple[OpenItem, ...], int]:
        where = ServiceOrder.status.in_(OPEN_ORDER_STATUSES)
        rows = session.execute(
            select(ServiceOrder.id, ServiceOrder.title, ServiceOrder.status, ServiceOrder.published_on)
            .where(where)
            .order_by(ServiceOrder.published_on, ServiceOrder.id)
            .limit(LIST_LIMIT)
        ).all()
        count = session.scalar(select(func.count(ServiceOrder.id)).where(where)) or 0
        return tuple(OpenItem(r[0], r[1], r[2], r[3]) for r in rows), count

    @staticmethod
    def _unmatched_demands(session: Session) -> tuple[tuple[OpenItem, ...], int]:
        where = Demand.status == "待对接"
        rows = session.execute(
            select(Demand.id, Demand.title, Demand.urgency, Demand.raised_on)
            .where(where)
            .order_by(Demand.raised_on, Demand.id)
            .limit(LIST_LIMIT)
        ).all()
        count = session.scalar(select(func.count(Demand.id)).where(where)) or 0
        return tuple(OpenItem(r[0], r[1], r[2], r[3]) for r in rows), count

    @staticmethod
    def _silent_units(session: Session, today: dt.date) -> tuple[UnitItem, ...]:
        """Subordinate units (乡镇/街道/部门 under the county) with no activity so far this month."""
        units = session.execute(
            select(Unit.id, Unit.name, Unit.kind, Unit.parent_id, Unit.sort_order).where(
                Unit.active.is_(True)
            )
        ).all()
        parent = {u.id: u.parent_id for u in units}
        roots = {u.id for u in units if u.parent_id is None}
        reporting = sorted(
            (u for u in units if u.parent_id in roots and u.kind in REPORTING_UNIT_KINDS),
            key=lambda u: (u.sort_order, u.id),
        )
        reporting_ids = {u.id for u in reporting}
        active_units = session.scalars(
            select(func.distinct(Activity.unit_id)).where(
                Activity.occurred_on >= month_start(today), Activity.occurred_on <= today
            )
        ).all()
        reported: set[int] = set()
        for unit_id in active_units:
            seen: set[int] = set()
            while unit_id is not None and unit_id not in seen:  # walk up to the reporting unit
                seen.add(unit_id)
                if unit_id in reporting_ids:
                    reported.add(unit_id)
                    break
                unit_id = parent.get(unit_id)
        return tuple(UnitItem(u.id, u.name) for u in reporting if u.id not in reported)
