"""表4 供需对接: the five figures of the statistics report for a period and a unit subtree.

Counting rules (period = ``start`` … ``end``, both days included):

- **资源条目**: resources listed on or before ``end`` (``listed_on``), 可用 on ``end`` (their status as of
  that day, from the dated status changes: :func:`~silverdesk.services.statistics.asof.resource_available_at`;
  one paused or withdrawn after the period still counts for it), whose availability has not ended
  before ``end`` (``available_to`` empty or ≥ ``end``).
- **需求条目**: demands raised in the period (``raised_on``), except those withdrawn (撤销) —
  withdrawing is how a wrongly entered demand is removed.
- **对接次数**: orders published in the period (``published_on``), except those 撤销 by ``end`` (the
  date of 撤销 comes from the order's steps, ``order_event``; one withdrawn later still counts).
- **签约订单**: orders signed in the period (``signed_on``), except those 撤销 by ``end``.
- **完成订单**: orders completed in the period (``completed_on``, status 完成 or 评价).

With a unit, only that unit and the units below it count: a resource by its 服务区域 (else its
team's unit), a demand by its requesting unit, an order by its demand's requesting unit (else,
for an order made by hand without a demand, the claiming team's unit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from silverdesk.db.models import Demand, Resource, ServiceOrder, Team
from silverdesk.errors import UserError
from silverdesk.services.base import Context
from silverdesk.services.people.roster import unit_subtree_ids_stmt
from silverdesk.services.statistics import asof


@dataclass(frozen=True)
class Table4:
    start: dt.date
    end: dt.date
    unit_id: int | None
    resources: int  # 资源条目
    demands: int  # 需求条目
    matches: int  # 对接次数
    signed: int  # 签约订单
    completed: int  # 完成订单

    def as_row(self) -> tuple[int, int, int, int, int]:
        return (self.resources, self.demands, self.matches, self.signed, self.completed)


HEADERS = ("资源条目", "需求条目", "对接次数", "签约订单", "完成订单")


class MarketStatsService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def table4(self, start: dt.date, end: dt.date, unit_id: int | None = None) -> Table4:
        """The five figures of 表4 (rules in the module docstring)."""
        if end < start:
            raise UserError("统计时段的截止日期早于起始日期，请核对")
        with self.ctx.db.reader() as session:
            units = unit_subtree_ids_stmt(unit_id) if unit_id is not None else None

            res = select(Resource.id).where(asof.resource_available_at(end))
            if units is not None:
                res = res.where(
                    or_(
                        Resource.area_unit_id.in_(units),
                        Resource.area_unit_id.is_(None)
                        & Resource.team_id.in_(select(Team.id).where(Team.unit_id.in_(units))),
                    )
                )

            dem = select(Demand.id).where(Demand.raised_on.between(start, end), Demand.status != "撤销")
            if units is not None:
                dem = dem.where(Demand.requester_unit_id.in_(units))

            def orders(column: Any, *statuses: str) -> int:
                stmt = select(ServiceOrder.id).where(column.between(start, end))
                stmt = (
                    stmt.where(ServiceOrder.status.in_(statuses))
                    if statuses
                    else stmt.where(asof.order_live_at(end))
                )
                if units is not None:
                    stmt = stmt.where(
                        or_(
                            ServiceOrder.demand_id.in_(
                                select(Demand.id).where(Demand.requester_unit_id.in_(units))
                            ),
                            ServiceOrder.demand_id.is_(None)
                            & ServiceOrder.team_id.in_(select(Team.id).where(Team.unit_id.in_(units))),
                        )
                    )
                return _count(session, stmt)

            return Table4(
                start,
                end,
                unit_id,
                _count(session, res),
                _count(session, dem),
                orders(ServiceOrder.published_on),
                orders(ServiceOrder.signed_on),
                orders(ServiceOrder.completed_on, "完成", "评价"),
            )


def _count(session: Session, stmt: Any) -> int:
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
