"""资源清单 and 需求清单 as lists: filter and sort in SQL (``search_ids``), then fetch rows by id.

Mixed into :class:`~silverdesk.services.market.entries.ResourceService` and ``DemandService`` so the
screens use the id-list model (STYLE B3): a list of 20,000 resources costs one ``SELECT id``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import aliased

from silverdesk.db.models import Demand, Lookup, PartyOrg, Person, Resource, ServiceOrder, Team, Unit
from silverdesk.domain.text import clean
from silverdesk.services.base import Context
from silverdesk.services.people.roster import unit_subtree_ids_stmt

OPEN_ORDER_STATUSES = ("发布", "认领", "签约", "实施")


@dataclass(frozen=True)
class ResourceFilter:
    query: str = ""  # a fragment of the name, content or provider
    category_id: int | None = None  # a 大类 includes its 小项
    status: str | None = "可用"
    unit_id: int | None = None  # service area within this unit's subtree
    available_on: dt.date | None = None  # the availability window covers this day


@dataclass(frozen=True)
class ResourceRow:
    id: int
    title: str
    major: str  # 大类
    category: str  # 小项 (or the 大类 when filed directly under it)
    provider: str
    area: str
    available_from: dt.date | None
    available_to: dt.date | None
    available_text: str
    capacity: int
    contact_phone: str
    status: str
    listed_on: dt.date
    open_orders: int


@dataclass(frozen=True)
class DemandFilter:
    query: str = ""
    category_id: int | None = None
    status: str | None = None
    unit_id: int | None = None  # requester within this unit's subtree
    urgency: str | None = None
    raised_from: dt.date | None = None
    raised_to: dt.date | None = None


@dataclass(frozen=True)
class DemandRow:
    id: int
    title: str
    major: str
    category: str
    requester: str
    contact_name: str
    contact_phone: str
    wanted_by: dt.date | None
    urgency: str
    status: str
    raised_on: dt.date


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _category_ids(category_id: int) -> Select[Any]:
    return select(Lookup.id).where(or_(Lookup.id == category_id, Lookup.parent_id == category_id))


def _category_sort_key(column: Any) -> Any:
    """Sort by the category's place in the tree: 大类 order, then 小项 order."""
    item, parent = aliased(Lookup), aliased(Lookup)
    major_order = (
        select(func.coalesce(parent.sort_order, item.sort_order))
        .select_from(item)
        .outerjoin(parent, parent.id == item.parent_id)
        .where(item.id == column)
        .scalar_subquery()
    )
    minor_order = select(item.sort_order).where(item.id == column).scalar_subquery()
    return major_order * 1000 + func.coalesce(minor_order, 0)


RESOURCE_SORT: dict[str, Any] = {
    "title": Resource.title,
    "category": _category_sort_key(Resource.category_id),
    "capacity": Resource.capacity,
    "status": Resource.status,
    "listed_on": Resource.listed_on,
    "available_to": Resource.available_to,
    "id": Resource.id,
}

DEMAND_SORT: dict[str, Any] = {
    "title": Demand.title,
    "category": _category_sort_key(Demand.category_id),
    "urgency": case({"一般": 0, "较急": 1, "紧急": 2}, value=Demand.urgency, else_=0),
    "status": Demand.status,
    "raised_on": Demand.raised_on,
    "wanted_by": Demand.wanted_by,
    "id": Demand.id,
}


def _order(column: Any, id_column: Any, descending: bool) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    return (column.desc(), id_column.desc()) if descending else (column.asc(), id_column.asc())


class ResourceQueries:
    ctx: Context

    def search_ids(self, flt: ResourceFilter, sort: str = "listed_on", descending: bool = True) -> list[int]:
        """Ids of the resources matching ``flt``, sorted in SQL by ``sort`` (a key of ``RESOURCE_SORT``)."""
        stmt = select(Resource.id)
        if flt.status:
            stmt = stmt.where(Resource.status == flt.status)
        if flt.category_id is not None:
            stmt = stmt.where(Resource.category_id.in_(_category_ids(flt.category_id)))
        if flt.unit_id is not None:
            stmt = stmt.where(Resource.area_unit_id.in_(unit_subtree_ids_stmt(flt.unit_id)))
        if flt.available_on is not None:
            day = flt.available_on
            stmt = stmt.where(
                or_(Resource.available_from.is_(None), Resource.available_from <= day),
                or_(Resource.available_to.is_(None), Resource.available_to >= day),
            )
        q = clean(flt.query)
        if q:
            like = _like(q)
            stmt = stmt.where(
                or_(
                    Resource.title.like(like, escape="\\"),
                    Resource.content.like(like, escape="\\"),
                    Resource.provider_text.like(like, escape="\\"),
                    Resource.team_id.in_(select(Team.id).where(Team.name.like(like, escape="\\"))),
                    Resource.person_id.in_(select(Person.id).where(Person.name.like(like, escape="\\"))),
                )
            )
        column = RESOURCE_SORT.get(sort, Resource.listed_on)
        with self.ctx.db.reader() as session:
            return list(session.scalars(stmt.order_by(*_order(column, Resource.id, descending))))

    def rows_by_ids(self, ids: Sequence[int]) -> list[ResourceRow]:
        """Rows for ``ids`` in the same order, with provider, area and the count of open orders."""
        if not ids:
            return []
        minor, major = aliased(Lookup), aliased(Lookup)
        stmt = (
            select(
                Resource,
                minor.name.label("minor"),
                major.name.label("major"),
                Team.name.label("team"),
                Person.name.label("person"),
                PartyOrg.name.label("org"),
                Unit.name.label("area"),
            )
            .outerjoin(minor, minor.id == Resource.category_id)
            .outerjoin(major, major.id == minor.parent_id)
            .outerjoin(Team, Team.id == Resource.team_id)
            .outerjoin(Person, Person.id == Resource.person_id)
            .outerjoin(PartyOrg, PartyOrg.id == Resource.party_org_id)
            .outerjoin(Unit, Unit.id == Resource.area_unit_id)
            .where(Resource.id.in_(list(ids)))
        )
        with self.ctx.db.reader() as session:
            found = {r.Resource.id: r for r in session.execute(stmt)}
            open_orders = dict(
                session.execute(
                    select(ServiceOrder.resource_id, func.count())
                    .where(
                        ServiceOrder.resource_id.in_(list(ids)), ServiceOrder.status.in_(OPEN_ORDER_STATUSES)
                    )
                    .group_by(ServiceOrder.resource_id)
                ).all()
            )
        out = []
        for i in ids:
            r = found.get(i)
            if r is None:
                continue
            res: Resource = r.Resource
            out.append(
                ResourceRow(
                    res.id,
                    res.title,
                    r.major or r.minor or "",
                    (r.minor or "") if r.major else "",
                    r.team or r.person or r.org or res.provider_text,
                    r.area or "",
                    res.available_from,
                    res.available_to,
                    res.available_text,
                    res.capacity,
                    res.contact_phone,
                    res.status,
                    res.listed_on,
                    open_orders.get(res.id, 0),
                )
            )
        return out


class DemandQueries:
    ctx: Context

    def search_ids(self, flt: DemandFilter, sort: str = "raised_on", descending: bool = True) -> list[int]:
        """Ids of the demands matching ``flt``, sorted in SQL by ``sort`` (a key of ``DEMAND_SORT``)."""
        stmt = select(Demand.id)
        if flt.status:
            stmt = stmt.where(Demand.status == flt.status)
        if flt.urgency:
            stmt = stmt.where(Demand.urgency == flt.urgency)
        if flt.category_id is not None:
            stmt = stmt.where(Demand.category_id.in_(_category_ids(flt.category_id)))
        if flt.unit_id is not None:
            stmt = stmt.where(Demand.requester_unit_id.in_(unit_subtree_ids_stmt(flt.unit_id)))
        if flt.raised_from is not None:
            stmt = stmt.where(Demand.raised_on >= flt.raised_from)
        if flt.raised_to is not None:
            stmt = stmt.where(Demand.raised_on <= flt.raised_to)
        q = clean(flt.query)
        if q:
            like = _like(q)
            stmt = stmt.where(
                or_(
                    Demand.title.like(like, escape="\\"),
                    Demand.content.like(like, escape="\\"),
                    Demand.requester_text.like(like, escape="\\"),
                    Demand.contact_name.like(like, escape="\\"),
                )
            )
        column = DEMAND_SORT.get(sort, Demand.raised_on)
        with self.ctx.db.reader() as session:
            return list(session.scalars(stmt.order_by(*_order(column, Demand.id, descending))))

    def rows_by_ids(self, ids: Sequence[int]) -> list[DemandRow]:
        if not ids:
            return []
        minor, major = aliased(Lookup), aliased(Lookup)
        stmt = (
            select(Demand, minor.name.label("minor"), major.name.label("major"), Unit.name.label("unit"))
            .outerjoin(minor, minor.id == Demand.category_id)
            .outerjoin(major, major.id == minor.parent_id)
            .outerjoin(Unit, Unit.id == Demand.requester_unit_id)
            .where(Demand.id.in_(list(ids)))
        )
        with self.ctx.db.reader() as session:
            found = {r.Demand.id: r for r in session.execute(stmt)}
        out = []
        for i in ids:
            r = found.get(i)
            if r is None:
                continue
            d: Demand = r.Demand
            out.append(
                DemandRow(
                    d.id,
                    d.title,
                    r.major or r.minor or "",
                    (r.minor or "") if r.major else "",
                    r.unit or d.requester_text,
                    d.contact_name,
                    d.contact_phone,
                    d.wanted_by,
                    d.urgency,
                    d.status,
                    d.raised_on,
                )
            )
        return out
