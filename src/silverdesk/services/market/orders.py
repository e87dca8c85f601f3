"""银龄共治订单 as the app reads them: the list (filter, sort, rows), one order, its history, and the
activities linked to it; :class:`OrderService` is these on top of the flow in
:mod:`silverdesk.services.market.order_flow`.

An order's service totals (场次, 参与人次, 时长, 受益人次) are the sums over the activities linked
to it (``activity.order_id``), so they never disagree with the activity log and 表1/表2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from silverdesk.db.models import Activity, Demand, PartyOrg, Person, Resource, ServiceOrder, Team, Unit
from silverdesk.domain.text import clean
from silverdesk.errors import NotFound, UserError
from silverdesk.services.base import audit
from silverdesk.services.list_sums import ListSums, list_sums
from silverdesk.services.market.order_flow import OPEN_STATUSES, OrderFlow, is_overdue
from silverdesk.services.people.roster import unit_subtree_ids_stmt


@dataclass(frozen=True)
class OrderTotals:
    activities: int
    sessions: int  # 场次
    participants: int  # 参与人次
    hours: float  # 服务时长
    beneficiaries: int  # 受益人次


@dataclass(frozen=True)
class OrderEventRow:
    from_status: str | None
    to_status: str
    happened_on: dt.date
    operator: str
    note: str


@dataclass(frozen=True)
class OrderFilter:
    query: str = ""  # a fragment of the code or the title
    status: str | None = None
    open_only: bool = False
    overdue_only: bool = False
    unit_id: int | None = None  # requester (or, without a demand, the claiming team) in this subtree
    published_from: dt.date | None = None
    published_to: dt.date | None = None


@dataclass(frozen=True)
class OrderRow:
    id: int
    code: str
    title: str
    demand: str
    requester: str
    provider: str
    status: str
    published_on: dt.date
    claimed_on: dt.date | None
    signed_on: dt.date | None
    due_on: dt.date | None
    completed_on: dt.date | None
    score: int | None
    overdue: bool
    totals: OrderTotals


SORT_KEYS = {
    "code": ServiceOrder.code,
    "title": ServiceOrder.title,
    "status": ServiceOrder.status,
    "published_on": ServiceOrder.published_on,
    "due_on": ServiceOrder.due_on,
    "completed_on": ServiceOrder.completed_on,
    "score": ServiceOrder.score,
    "id": ServiceOrder.id,
}


class OrderService(OrderFlow):
    """Orders: the flow (:class:`OrderFlow`), the list, one order's record and its linked activities."""

    # --- activities --------------------------------------------------------------------------
    def link_activity(self, order_id: int, activity_id: int) -> None:
        with self.ctx.db.session() as session:
            order = self._load(session, order_id)
            if order.status == "撤销":
                raise UserError(f"订单{order.code}已撤销，不能再关联活动")
            activity = session.get(Activity, activity_id)
            if activity is None:
                raise NotFound(f"找不到该活动（编号 {activity_id}），可能已被删除")
            old = activity.order_id
            if old == order_id:
                return
            activity.order_id = order_id
            audit(
                session,
                self.ctx,
                "修改",
                "activity",
                activity_id,
                f"活动“{activity.title}”关联订单{order.code}",
                {"order_id": [old, order_id]},
            )

    def unlink_activity(self, activity_id: int) -> None:
        with self.ctx.db.session() as session:
            activity = session.get(Activity, activity_id)
            if activity is None:
                raise NotFound(f"找不到该活动（编号 {activity_id}），可能已被删除")
            if activity.order_id is None:
                return
            old, activity.order_id = activity.order_id, None
            audit(
                session,
                self.ctx,
                "修改",
                "activity",
                activity_id,
                f"活动“{activity.title}”取消关联订单",
                {"order_id": [old, None]},
            )

    def totals(self, order_id: int) -> OrderTotals:
        return self._totals([order_id]).get(order_id, OrderTotals(0, 0, 0, 0.0, 0))

    def activity_ids(self, order_id: int) -> list[int]:
        with self.ctx.db.reader() as session:
            return list(
                session.scalars(
                    select(Activity.id)
                    .where(Activity.order_id == order_id)
                    .order_by(Activity.occurred_on, Activity.id)
                )
            )

    # --- reading -----------------------------------------------------------------------------
    def get(self, order_id: int) -> dict[str, object]:
        with self.ctx.db.reader() as session:
            order = self._load(session, order_id)
            return {c.key: getattr(order, c.key) for c in ServiceOrder.__table__.columns}

    def events(self, order_id: int) -> list[OrderEventRow]:
        with self.ctx.db.reader() as session:
            order = self._load(session, order_id)
            return [
                OrderEventRow(e.from_status, e.to_status, e.happened_on, e.operator, e.note)
                for e in order.events
            ]

    def search_ids(self, flt: OrderFilter, sort: str = "published_on", descending: bool = True) -> list[int]:
        column = SORT_KEYS.get(sort, ServiceOrder.published_on)
        order = (
            (column.desc(), ServiceOrder.id.desc()) if descending else (column.asc(), ServiceOrder.id.asc())
        )
        with self.ctx.db.reader() as session:
            return list(session.scalars(self._filtered(flt).order_by(*order)))

    def list_sums(self, flt: OrderFilter) -> ListSums:
        """The order list's line: how many orders ``flt`` finds, the 场次 and 服务时长 of the activities
        linked to them (the list's 服务 column, summed) and their average 评价 — in SQL, over the
        list's own query."""
        filtered = self._filtered(flt)
        with self.ctx.db.reader() as session:
            found = list_sums(session, filtered, {}, {"score": ServiceOrder.score})
            served = list_sums(
                session,
                select(Activity.id).where(Activity.order_id.in_(filtered)),
                {"sessions": Activity.sessions, "hours": Activity.hours},
            )
        return ListSums(found.count, {**found.values, **served.values}, found.means)

    def _filtered(self, flt: OrderFilter) -> Select[Any]:
        stmt = select(ServiceOrder.id)
        if flt.status:
            stmt = stmt.where(ServiceOrder.status == flt.status)
        if flt.open_only or flt.overdue_only:
            stmt = stmt.where(ServiceOrder.status.in_(OPEN_STATUSES))
        if flt.overdue_only:
            stmt = stmt.where(ServiceOrder.due_on < self.ctx.today())
        if flt.published_from:
            stmt = stmt.where(ServiceOrder.published_on >= flt.published_from)
        if flt.published_to:
            stmt = stmt.where(ServiceOrder.published_on <= flt.published_to)
        if flt.unit_id is not None:
            units = unit_subtree_ids_stmt(flt.unit_id)
            stmt = stmt.where(
                or_(
                    ServiceOrder.demand_id.in_(select(Demand.id).where(Demand.requester_unit_id.in_(units))),
                    ServiceOrder.demand_id.is_(None)
                    & ServiceOrder.team_id.in_(select(Team.id).where(Team.unit_id.in_(units))),
                )
            )
        q = clean(flt.query)
        if q:
            like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            stmt = stmt.where(
                or_(ServiceOrder.code.like(like, escape="\\"), ServiceOrder.title.like(like, escape="\\"))
            )
        return stmt

    def rows_by_ids(self, ids: Sequence[int]) -> list[OrderRow]:
        if not ids:
            return []
        requester = aliased(Unit)
        stmt = (
            select(
                ServiceOrder,
                Demand.title.label("demand"),
                requester.name.label("requester"),
                Demand.requester_text,
                Team.name.label("team"),
                Person.name.label("person"),
                PartyOrg.name.label("org"),
                Resource.provider_text,
            )
            .outerjoin(Demand, Demand.id == ServiceOrder.demand_id)
            .outerjoin(requester, requester.id == Demand.requester_unit_id)
            .outerjoin(Team, Team.id == ServiceOrder.team_id)
            .outerjoin(Person, Person.id == ServiceOrder.person_id)
            .outerjoin(PartyOrg, PartyOrg.id == ServiceOrder.party_org_id)
            .outerjoin(Resource, Resource.id == ServiceOrder.resource_id)
            .where(ServiceOrder.id.in_(list(ids)))
        )
        with self.ctx.db.reader() as session:
            found = {r.ServiceOrder.id: r for r in session.execute(stmt)}
        totals = self._totals(ids)
        today = self.ctx.today()
        out = []
        for i in ids:
            r = found.get(i)
            if r is None:
                continue
            o: ServiceOrder = r.ServiceOrder
            out.append(
                OrderRow(
                    o.id,
                    o.code,
                    o.title,
                    r.demand or "",
                    r.requester or r.requester_text or "",
                    r.team or r.person or r.org or r.provider_text or "",
                    o.status,
                    o.published_on,
                    o.claimed_on,
                    o.signed_on,
                    o.due_on,
                    o.completed_on,
                    o.score,
                    is_overdue(o.status, o.due_on, today),
                    totals.get(o.id, OrderTotals(0, 0, 0, 0.0, 0)),
                )
            )
        return out

    def overdue_ids(self) -> list[int]:
        """Open orders past their 约定完成日期, the most overdue first."""
        return self.search_ids(OrderFilter(overdue_only=True), sort="due_on", descending=False)

    # --- internals -----------------------------------------------------------------------------
    def _totals(self, ids: Sequence[int]) -> dict[int, OrderTotals]:
        with self.ctx.db.reader() as session:
            rows = session.execute(
                select(
                    Activity.order_id,
                    func.count(),
                    func.coalesce(func.sum(Activity.sessions), 0),
                    func.coalesce(func.sum(Activity.participants), 0),
                    func.coalesce(func.sum(Activity.hours), 0),
                    func.coalesce(func.sum(Activity.beneficiaries), 0),
                )
                .where(Activity.order_id.in_(list(ids)))
                .group_by(Activity.order_id)
            )
            return {
                r[0]: OrderTotals(r[1], int(r[2]), int(r[3]), round(float(r[4]), 2), int(r[5]))
                for r in rows
                if r[0] is not None  # as the query says: for the type checker
            }
