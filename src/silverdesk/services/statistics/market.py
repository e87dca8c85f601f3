"""表4 供需对接: the five figures of the statistics report for a period and a unit subtree.

The figures are the query model's measures 资源条目, 需求条目, 对接次数, 签约订单 and 完成订单
(:mod:`silverdesk.services.statistics.query.supply`, where each counting rule is written once and
stated); this is the five of them asked together, for callers that want 表4 alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from silverdesk.errors import UserError
from silverdesk.services.base import Context


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
        """The five figures of 表4 for ``start`` … ``end`` and the unit's scope (None: the whole tree)."""
        from silverdesk.services.statistics.query import QueryService, Question

        if end < start:
            raise UserError("统计时段的截止日期早于起始日期，请核对")
        total = QueryService(self.ctx).ask(Question(HEADERS, start, end, unit_id=unit_id)).total
        resources, demands, matches, signed, completed = (int(v) for v in total)
        return Table4(start, end, unit_id, resources, demands, matches, signed, completed)
