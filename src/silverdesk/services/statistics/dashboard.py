"""The 首页 at a glance: this month and this year, a 12-month trend, categories, open work.

Qt-free: the dashboard screen calls :meth:`DashboardService.load` in a worker and draws the
frozen dataclasses it returns.  Every figure is a question of the statistics query model, asked in
one session (the same measures and rules as the report: 活动项数, 场次 … by 期间:月, 服务领域, 服务队,
单位; 志愿者数 and 队伍数 today); the lists of open orders and demands are the records themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import Demand, ServiceOrder, Unit
from silverdesk.services.base import Context
from silverdesk.services.statistics.query.model import DimRef, Question

if TYPE_CHECKING:
    from silverdesk.services.statistics.query.batch import Asker

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


def month_start(day: dt.date, back: int = 0) -> dt.date:
    """The first day of the month ``back`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


class DashboardService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def load(self, today: dt.date | None = None) -> Dashboard:
        """Everything the 首页 shows, as of ``today`` (default: the context's today)."""
        from silverdesk.services.statistics.query.batch import Asker

        today = today or self.ctx.today()
        month_from, year_from = month_start(today), dt.date(today.year, 1, 1)
        with self.ctx.db.reader() as session:
            ask = Asker(session)
            orders, n_orders = self._open_orders(session)
            demands, n_demands = self._unmatched_demands(session)
            if session.scalar(select(func.count(Unit.id))) == 0:  # a new database: nothing to count yet
                return Dashboard(
                    today,
                    PeriodFigures(month_from, today, 0, 0, 0, 0.0, 0, 0),
                    PeriodFigures(year_from, today, 0, 0, 0, 0.0, 0, 0),
                    0,
                    0,
                    tuple(MonthPoint(m.year, m.month, 0, 0) for m in _months(today)),
                    (),
                    orders,
                    n_orders,
                    demands,
                    n_demands,
                    (),
                    "全县",
                )
            now_result = ask(Question((VOLUNTEERS, TEAMS), today, today))
            now = now_result.total
            return Dashboard(
                today=today,
                month=_figures(ask, month_from, today),
                year=_figures(ask, year_from, today),
                teams=int(now[1]),
                volunteers=int(now[0]),
                trend=_trend(ask, month_start(today, 11), today),
                by_category=_by_category(ask, year_from, today),
                open_orders=orders,
                open_order_count=n_orders,
                unmatched_demands=demands,
                unmatched_demand_count=n_demands,
                silent_units=_silent_units(ask, session, month_from, today),
                scope=now_result.scope_name,
            )

    # --- pieces --------------------------------------------------------------------------------
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


# --- the figures, asked of the statistics query model ------------------------------------------------
ACTIVITY = ("活动项数", "场次", "参与人次", "服务时长", "受益人次")
VOLUNTEERS, TEAMS, ACTIVE_TEAMS = "志愿者数", "队伍数", "开展活动的服务队数"


def _figures(ask: Asker, start: dt.date, end: dt.date) -> PeriodFigures:
    """The activity measures of ``start`` … ``end``, and the teams with an activity then."""
    values = ask(Question(ACTIVITY, start, end)).total
    teams = ask(Question((ACTIVE_TEAMS,), start, end)).total
    return PeriodFigures(
        start,
        end,
        int(values[0]),
        int(values[1]),
        int(values[2]),
        round(float(values[3]), 1),
        int(values[4]),
        int(teams[0]),
    )


def _trend(ask: Asker, start: dt.date, end: dt.date) -> tuple[MonthPoint, ...]:
    """场次 and 受益人次 by 期间:月, the last twelve months."""
    found = {
        row.keys[0]: row.values
        for row in ask(Question(("场次", "受益人次"), start, end, rows=(DimRef("期间", "month"),))).rows
    }
    return tuple(
        MonthPoint(m.year, m.month, *(int(v) for v in found.get(f"{m.year}-{m.month:02d}", (0, 0))))
        for m in _months(end)
    )


def _months(end: dt.date) -> list[dt.date]:
    """The first days of the twelve months ending with ``end``'s, oldest first."""
    return [month_start(end, back) for back in range(11, -1, -1)]


def _by_category(ask: Asker, start: dt.date, end: dt.date) -> tuple[CategoryFigure, ...]:
    """场次 by 服务领域 this year, largest first."""
    rows = ask(Question(("场次",), start, end, rows=(DimRef("服务领域"),))).rows
    totals = [(row.labels[0], int(row.values[0])) for row in rows]
    return tuple(CategoryFigure(n, v) for n, v in sorted(totals, key=lambda kv: (-kv[1], kv[0])))


def _silent_units(ask: Asker, session: Session, start: dt.date, end: dt.date) -> tuple[UnitItem, ...]:
    """Subordinate units (乡镇/街道/部门 under the county) with no activity so far this month: no row of
    活动项数 by 单位:下一级 (a community's activity counts for its street)."""
    units = session.execute(
        select(Unit.id, Unit.name, Unit.kind, Unit.parent_id, Unit.sort_order).where(Unit.active.is_(True))
    ).all()
    roots = {u.id for u in units if u.parent_id is None}
    reporting = sorted(
        (u for u in units if u.parent_id in roots and u.kind in REPORTING_UNIT_KINDS),
        key=lambda u: (u.sort_order, u.id),
    )
    if not reporting:
        return ()
    result = ask(Question(("活动项数",), start, end, rows=(DimRef("单位", "下一级"),)))
    reported = {row.keys[0] for row in result.rows}
    return tuple(UnitItem(u.id, u.name) for u in reporting if u.id not in reported)
