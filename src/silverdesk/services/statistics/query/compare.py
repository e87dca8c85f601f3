"""同比 and 环比 of a question: the same question asked of the base period, and each figure's change.

The base period follows :mod:`silverdesk.services.statistics.periods`: 环比 the month, quarter or year
before (any other span: the span of equal length just before it); 同比 the same span a year earlier.
When 同比 does not apply (a 累计 span, a span longer than a year: the year-earlier span would overlap
it), the answer says so — :attr:`Comparison.not_applicable` holds the sentence to show and there is no
base — rather than raising: a screen or a report asking for both still gets its 环比.

A change is the figure, its base, the difference and the ratio ``(value − base) / base`` — ``None``
when the base is 0 (no percentage can be said; callers print "—" or "新增").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from silverdesk.errors import UserError
from silverdesk.progress import NEVER, CancelToken
from silverdesk.services.statistics.periods import ReportPeriod, period_of
from silverdesk.services.statistics.query.engine import PERIOD, run
from silverdesk.services.statistics.query.model import Number, Question, Result
from silverdesk.services.statistics.query.registry import registry

#: the kinds of comparison and the names a clerk may use for them
KINDS = {
    "环比": "环比",
    "上期": "环比",
    "previous": "环比",
    "同比": "同比",
    "上年同期": "同比",
    "last_year": "同比",
}


@dataclass(frozen=True)
class Change:
    value: Number
    base: Number
    difference: Number
    ratio: float | None  # (value − base) / base, None when the base is 0


@dataclass(frozen=True)
class Comparison:
    kind: str  # 环比 | 同比
    period: ReportPeriod  # the question's period
    base_period: ReportPeriod | None  # None when the comparison does not apply
    current: Result
    base: Result | None
    total: tuple[Change, ...] = ()  # per measure, the 合计's change
    rows: Mapping[tuple[Any, ...], tuple[Change, ...]] = field(default_factory=dict)  # by the rows' keys
    not_applicable: str = ""  # why there is no base ("" when there is one)

    def change(self, measure: str, *labels: str) -> Change | None:
        """The change of ``measure`` (key or name) in the row labelled ``labels`` (no labels: the total)."""
        if self.base is None:
            return None
        index = next(i for i, m in enumerate(self.current.measures) if measure in (m.key, m.name))
        if not labels:
            return self.total[index]
        for row in self.current.rows:
            if row.labels == labels:
                return self.rows[row.keys][index]
        return None


def change(value: Number, base: Number) -> Change:
    difference = value - base
    if isinstance(difference, float):
        difference = round(difference, 1)
    return Change(value, base, difference, (value - base) / base if base else None)


def compare(
    s: Session,
    question: Question,
    kind: str,
    period: ReportPeriod | None = None,
    cancel: CancelToken = NEVER,
) -> Comparison:
    """``question`` and its 环比 or 同比 (``kind``). ``period``: the question's period when it is a 累计
    span (a span's kind cannot be told from its dates); otherwise worked out from the question's dates."""
    which = KINDS.get(kind.strip())
    if which is None:
        raise UserError(f"比较方式“{kind}”无法识别：可选 环比（与上期比）或 同比（与上年同期比）")
    reg = registry()
    if any(reg.find_dimension(d.dimension).key == PERIOD for d in question.dimensions):
        raise UserError("按期间分组的统计不作同比、环比：请去掉“期间”分组，或直接比较各期的数字")
    if period is None or (period.start, period.end) != (question.start, question.end):
        period = period_of(question.start, question.end)
    current = run(s, question, cancel)
    if which == "同比" and (reason := period.no_same_last_year()):
        return Comparison(which, period, None, current, None, not_applicable=reason)
    base_period = period.previous() if which == "环比" else period.same_last_year()
    base = run(s, replace(question, start=base_period.start, end=base_period.end), cancel)
    zeros = tuple(0 if m.decimals == 0 else 0.0 for m in current.measures)
    found = {row.keys: row.values for row in base.rows}
    rows = {
        row.keys: tuple(change(v, b) for v, b in zip(row.values, found.get(row.keys, zeros), strict=True))
        for row in current.rows
    }
    for keys, values in found.items():  # a row the base has and the period has not: down to 0
        rows.setdefault(keys, tuple(change(z, b) for z, b in zip(zeros, values, strict=True)))
    total = tuple(change(v, b) for v, b in zip(current.total, base.total, strict=True))
    return Comparison(which, period, base_period, current, base, total, rows)
