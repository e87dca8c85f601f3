"""表4 供需对接 on the model: the 资源, 需求 and 订单 facts with 资源条目, 需求条目, 对接次数, 签约订单 and
完成订单 — the rules of :mod:`silverdesk.services.statistics.market`, with one change to the scope: a
resource without a 服务区域 counts in the unit of its provider, a team's, a person's or a party
organisation's (表4 today drops a resource offered by a street's own person from the street's scope).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select

from silverdesk.db.models import Demand, PartyOrg, Person, Resource, ServiceOrder, Team
from silverdesk.services.statistics import asof
from silverdesk.services.statistics.query.common import column, computed, count_distinct
from silverdesk.services.statistics.query.dimensions import lookup_dimension
from silverdesk.services.statistics.query.model import Fact, Measure, Window
from silverdesk.services.statistics.query.registry import REGISTRY

DONE = ("完成", "评价")


def _unit_of(model: Any, ref: Any) -> ColumnElement[Any]:
    """The unit of the record ``ref`` points at (a team, a person, a party organisation, a demand)."""
    col = model.requester_unit_id if model is Demand else model.unit_id
    return select(col).where(model.id == ref).scalar_subquery()


# -- 资源 ----------------------------------------------------------------------------------------------
def resource_unit() -> ColumnElement[Any]:
    """A resource's unit: its 服务区域, else the unit of the team, the person or the party organisation
    that offers it."""
    return func.coalesce(
        Resource.area_unit_id,
        _unit_of(Team, Resource.team_id),
        _unit_of(Person, Resource.person_id),
        _unit_of(PartyOrg, Resource.party_org_id),
    )


def _resources(w: Window) -> Select[Any]:
    stmt = select(Resource.id).where(asof.resource_available_at(w.end))
    return stmt if w.scope.whole else stmt.where(resource_unit().in_(w.scope.ids))


REGISTRY.fact(
    Fact(
        key="resource",
        name="资源",
        record="resource",
        base=_resources,
        id_column=lambda: Resource.id,
        attributes={
            "unit": computed(lambda w: resource_unit()),
            "market_category": column(Resource.category_id),
        },
        rule="资源按统计时段末日计，按服务区域计入单位，未填服务区域的按提供它的服务队、个人或党组织的所属单位计。"
        + asof.RULES["resource_listed_at"]
        + asof.RULES["resource_available_at"],
    )
)

REGISTRY.measure(
    Measure(
        "resources",
        "资源条目",
        "resource",
        count_distinct(Resource.id),
        "条",
        "统计时段末日已登记、可用且可用期未结束的资源条数。",
        aliases=("资源", "资源数", "资源清单"),
        additive=True,
    )
)


# -- 需求 ----------------------------------------------------------------------------------------------
def _demands(w: Window) -> Select[Any]:
    return select(Demand.id).where(
        Demand.raised_on.between(w.start, w.end),
        asof.demand_live_at(w.end),
        w.scope.contains(Demand.requester_unit_id),
    )


REGISTRY.fact(
    Fact(
        key="demand",
        name="需求",
        record="demand",
        base=_demands,
        id_column=lambda: Demand.id,
        attributes={
            "unit": column(Demand.requester_unit_id),
            "market_category": column(Demand.category_id),
        },
        rule="需求按提出日期计入统计时段，按提出需求的单位计入统计范围。" + asof.RULES["demand_live_at"],
    )
)

REGISTRY.measure(
    Measure(
        "demands",
        "需求条目",
        "demand",
        count_distinct(Demand.id),
        "条",
        "统计时段内提出的需求条数（已撤销的不计）。",
        aliases=("需求", "需求数", "需求清单"),
        additive=True,
    )
)


# -- 订单 ----------------------------------------------------------------------------------------------
def order_unit() -> ColumnElement[Any]:
    """An order's unit: its demand's requesting unit; an order made without a demand, the claiming team's."""
    return case(
        (ServiceOrder.demand_id.is_not(None), _unit_of(Demand, ServiceOrder.demand_id)),
        else_=_unit_of(Team, ServiceOrder.team_id),
    )


def _orders(w: Window) -> Select[Any]:
    stmt = select(ServiceOrder.id)
    return stmt if w.scope.whole else stmt.where(order_unit().in_(w.scope.ids))


REGISTRY.fact(
    Fact(
        key="order",
        name="订单",
        record="order",
        base=_orders,
        id_column=lambda: ServiceOrder.id,
        attributes={
            "unit": computed(lambda w: order_unit()),
            "team": column(ServiceOrder.team_id),
        },
        rule="订单按各项指标所说的日期（发布、签约、完成）计入统计时段，按其需求的提出单位计入统计范围，"
        "没有需求的按认领的服务队的所属单位计；统计时段末日已撤销的订单不计。"
        + asof.RULES["order_status_at"],
    )
)


def _published(w: Window) -> ColumnElement[bool]:
    return and_(ServiceOrder.published_on.between(w.start, w.end), ~asof.order_withdrawn_by(w.end))


def _signed(w: Window) -> ColumnElement[bool]:
    return and_(ServiceOrder.signed_on.between(w.start, w.end), ~asof.order_withdrawn_by(w.end))


def _completed(w: Window) -> ColumnElement[bool]:
    return and_(ServiceOrder.completed_on.between(w.start, w.end), ServiceOrder.status.in_(DONE))


_COUNT = count_distinct(ServiceOrder.id)

REGISTRY.measure(
    Measure(
        "matches",
        "对接次数",
        "order",
        _COUNT,
        "次",
        "统计时段内发布的订单数（已撤销的不计）。",
        aliases=("对接", "供需对接次数"),
        where=_published,
        additive=True,
    )
)
REGISTRY.measure(
    Measure(
        "signed_orders",
        "签约订单",
        "order",
        _COUNT,
        "单",
        "统计时段内签约的订单数（已撤销的不计）。",
        aliases=("签约", "签约订单数"),
        where=_signed,
        additive=True,
    )
)
REGISTRY.measure(
    Measure(
        "completed_orders",
        "完成订单",
        "order",
        _COUNT,
        "单",
        "统计时段内完成的订单数（状态为完成或已评价）。",
        aliases=("完成", "完成订单数"),
        where=_completed,
        additive=True,
    )
)

lookup_dimension(
    "market_category",
    "资源需求类别",
    "market_category",
    "resource_category",
    "按资源、需求登记的类别分组；“大类”把小项归入其上级。",
    two_levels=True,
)
