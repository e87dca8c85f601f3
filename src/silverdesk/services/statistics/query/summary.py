"""Whole months of the activity measures answered from the month roll-up (``activity_month``).

The roll-up (:mod:`silverdesk.services.statistics.rollup`, migration 0004) holds 场次, 参与人次, 服务时长 and
受益人次 summed by month × unit × 服务领域, marked stale by triggers when an activity of its month changes.
When a question allows it — whole months, only those four measures, only 单位 and 服务领域 (and 期间, which
the engine splits into months) as dimensions and filters, and none of its months stale — the engine
reads the roll-up's few thousand rows instead of grouping up to a million activities: the same sums
(the roll-up is those sums), so the same figures. Anything else goes to the activity table.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import ActivityMonth, ActivityMonthState
from silverdesk.services.statistics.query.model import Aggregate, Attribute, Fact, Measure, Window

#: activity measure key → the roll-up column holding its monthly sum
SUMMED = {
    "activities": ActivityMonth.activities,
    "participations": ActivityMonth.participations,
    "hours": ActivityMonth.hours,
    "beneficiaries": ActivityMonth.beneficiaries,
}
ATTRIBUTES = ("unit", "activity_category")


def months_of(w: Window) -> list[str] | None:
    """The months ``w`` covers exactly (None when it starts or ends inside a month)."""
    last = calendar.monthrange(w.end.year, w.end.month)[1]
    if w.start.day != 1 or w.end.day != last or w.end < w.start:
        return None
    out: list[str] = []
    day = w.start
    while day <= w.end:
        out.append(f"{day.year:04d}-{day.month:02d}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def _base(w: Window) -> Select[Any]:
    months = months_of(w) or []
    return select(ActivityMonth.month).where(
        ActivityMonth.month.in_(months), w.scope.contains(ActivityMonth.unit_id)
    )


def _nullable(col: Any) -> Attribute:
    """The roll-up stores "no unit" / "no category" as 0."""

    def build(stmt: Select[Any], w: Window) -> tuple[Select[Any], ColumnElement[Any]]:
        return stmt, func.nullif(col, 0)

    return Attribute(build)


#: Not registered: the engine reaches it only through :func:`route`.
ROLLUP = Fact(
    key="activity_month",
    name="活动（按月汇总）",
    record="activity",
    base=_base,
    id_column=lambda: ActivityMonth.month,
    attributes={
        "unit": _nullable(ActivityMonth.unit_id),
        "activity_category": _nullable(ActivityMonth.category_id),
    },
    rule="",
)


def route(
    s: Session,
    fact: Fact,
    w: Window,
    attributes: Sequence[str],
    measures: Sequence[Measure],
    where: Any,
) -> tuple[Fact, list[Aggregate]] | None:
    """The roll-up fact and the measures' aggregates over it, when it can answer; None otherwise.
    ``attributes``: the fact attributes the question's dimensions and filters read."""
    if fact.key != "activity" or where is not None:
        return None
    if any(m.key not in SUMMED for m in measures) or any(a not in ATTRIBUTES for a in attributes):
        return None
    months = months_of(w)
    if not months:
        return None
    if _stale_months(s) & set(months):
        return None
    return ROLLUP, [_summed(SUMMED[m.key]) for m in measures]


def _stale_months(s: Session) -> set[str]:
    """The months whose roll-up is stale, read once per session (one snapshot: a report's questions)."""
    key = "silverdesk.stale_months"
    if key not in s.info:
        s.info[key] = set(
            s.scalars(select(ActivityMonthState.month).where(ActivityMonthState.stale.is_(True)))
        )
    stale: set[str] = s.info[key]
    return stale


def _summed(col: Any) -> Aggregate:
    return lambda w: func.sum(col)
