"""Whole months of the activity measures answered from the month roll-up (``activity_month``).

The roll-up (:mod:`silverdesk.services.statistics.rollup`, migration 0004) holds 场次, 参与人次, 服务时长 and
受益人次 summed by month × unit × 服务领域, marked stale by triggers when an activity of its month changes.
When a question allows it — only 单位 and 服务领域 (and 期间, which the engine splits) as dimensions and
filters, and none of its whole months stale — the engine (:func:`plan`) reads those four sums for the
window's whole months from the roll-up's few thousand rows instead of grouping up to a million
activities, and the days before and after them (a year to date ending on the 20th) from the activity
table; the parts' figures are added. The same sums, so the same figures. Other measures of the question
(活动项数) and any other question go to the activity table.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Part:
    """One query of a measure group: ``measures`` (positions in the group) over ``fact`` for ``window``;
    ``aggregates``: the roll-up's sums in place of the measures' own aggregates (None: their own)."""

    fact: Fact
    window: Window
    measures: tuple[int, ...]
    aggregates: tuple[Aggregate, ...] | None = None


def plan(
    s: Session,
    fact: Fact,
    w: Window,
    attributes: Sequence[str],
    measures: Sequence[Measure],
    where: Any,
) -> list[Part]:
    """How to count ``measures`` (one fact, one condition) over ``w``: the whole months of the summed
    activity measures from the roll-up when it is fresh, the days before and after them from the
    activity table, any other measure from the activity table over the whole window; otherwise one
    query as asked. ``attributes``: the fact attributes the question's dimensions and filters read."""
    everything = [Part(fact, w, tuple(range(len(measures))))]
    if fact.key != "activity" or where is not None or any(a not in ATTRIBUTES for a in attributes):
        return everything
    summed = tuple(n for n, m in enumerate(measures) if m.key in SUMMED)
    head, whole, tail = split(w)
    if not summed or whole is None or _stale_months(s) & set(months_of(whole) or ()):
        return everything
    parts = [Part(ROLLUP, whole, summed, tuple(_summed(SUMMED[measures[n].key]) for n in summed))]
    parts += [Part(fact, edge, summed) for edge in (head, tail) if edge is not None]
    rest = tuple(n for n in range(len(measures)) if n not in summed)
    if rest:
        parts.append(Part(fact, w, rest))
    return parts


def split(w: Window) -> tuple[Window | None, Window | None, Window | None]:
    """``w`` as (the days before its first whole month, its whole months, the days after them)."""
    first = w.start if w.start.day == 1 else (w.start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    after = w.end + dt.timedelta(days=1)
    last = w.end if after.day == 1 else after.replace(day=1) - dt.timedelta(days=1)
    if first > last:
        return None, None, None
    head = Window(w.start, first - dt.timedelta(days=1), w.scope) if first > w.start else None
    tail = Window(last + dt.timedelta(days=1), w.end, w.scope) if last < w.end else None
    return head, Window(first, last, w.scope), tail


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
