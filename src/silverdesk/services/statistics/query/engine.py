"""Answers a :class:`~.model.Question`: one GROUP BY per fact (and per measure condition), in SQL.

For each fact the question's measures are counted on: its rows of the window (``Fact.base``), the
filters (a single-valued attribute as a WHERE, a multi-valued one as a semi-join so a record counts
once), the dimensions' grouping values as columns, then ``GROUP BY`` those columns. The 合计 and a
pivot's margins are separate queries without the dropped dimensions — never sums of the rows, so a
person on two teams is one 志愿者 in the total. The 期间 dimension splits the window into months,
quarters or years and asks each one (a stock is counted at each bucket's end).

Drill-down (:func:`records`) lists the ids behind one figure with the same statement.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, or_
from sqlalchemy.orm import Session

from silverdesk.errors import UserError
from silverdesk.progress import NEVER, CancelToken
from silverdesk.services.statistics.query.model import (
    Dimension,
    DimRef,
    Fact,
    Level,
    Measure,
    Number,
    Question,
    Result,
    Row,
    Window,
)
from silverdesk.services.statistics.query.registry import Registry, registry
from silverdesk.services.statistics.query.units import UnitScope

PERIOD = "period"  # the key of the 期间 dimension (dimensions.py), split here, not grouped in SQL
UNIT, OWN_UNIT = "unit", "本单位"  # the 单位 dimension and its level that needs no grouping


@dataclass(frozen=True)
class _Dim:
    dimension: Dimension
    level: Level | None

    @property
    def level_key(self) -> str:
        return self.level.key if self.level else ""


@dataclass(frozen=True)
class _Filter:
    dim: _Dim
    keys: tuple[Any, ...]


def run(s: Session, question: Question, cancel: CancelToken = NEVER) -> Result:
    reg = registry()
    measures = tuple(reg.find_measure(m) for m in question.measures)
    if not measures:
        raise UserError("请至少选择一个统计指标")
    dims = tuple(_dim(reg, ref) for ref in question.dimensions)
    _check_applies(reg, measures, dims)
    scope = UnitScope.load(s, question.unit_id)
    window = Window(question.start, question.end, scope)
    filters = _filters(s, reg, question, window, measures)
    positions = tuple(range(len(dims)))
    cells = _ask(s, reg, window, measures, dims, positions, filters, cancel)
    if not dims:
        total = cells.get((), _zeros(measures))
    elif _summable(reg, measures, dims):  # the rows hold every record once: 合计 is their sum
        total = tuple(sum((v[i] for v in cells.values()), _zeros(measures)[i]) for i in range(len(measures)))
    else:
        total = _ask(s, reg, window, measures, dims, (), filters, cancel).get((), _zeros(measures))
    margins: dict[tuple[int, ...], dict[tuple[Any, ...], tuple[Number, ...]]] = {}
    if question.rows and question.columns:
        n = len(question.rows)
        for part in (tuple(range(n)), tuple(range(n, len(dims)))):
            margins[part] = _ask(s, reg, window, measures, dims, part, filters, cancel)
    cells = {k: _rounded(measures, v) for k, v in cells.items()}
    total = _rounded(measures, total)
    margins = {p: {k: _rounded(measures, v) for k, v in m.items()} for p, m in margins.items()}
    labels = _labels(s, window, dims, [k for k in cells])
    rows = [
        Row(keys, tuple(labels[i][k][1] for i, k in enumerate(keys)), values)
        for keys, values in cells.items()
    ]
    rows.sort(key=lambda r: tuple(labels[i][k][0] for i, k in enumerate(r.keys)))
    ranks = tuple(
        {k: rank for rank, (k, _) in enumerate(sorted(named.items(), key=lambda kv: kv[1][0]))}
        for named in labels
    )
    return Result(
        question,
        measures,
        tuple((d.dimension, d.level) for d in dims),
        tuple(rows),
        total,
        margins,
        scope.label,
        ranks,
    )


def records(
    s: Session,
    question: Question,
    measure: str,
    keys: Sequence[Any],
    positions: Sequence[int] | None = None,
) -> tuple[str, list[int]]:
    """The records behind one figure: the fact's record kind (``activity``, ``person`` …) and the ids of
    the records ``measure`` counts in the row whose dimension values are ``keys`` (all of the
    question's dimensions, rows then columns; fewer keys: a margin or the total). ``positions``: the
    dimensions ``keys`` are the values of (a pivot's 合计 row under a column: the column dimensions'
    positions); default the first ``len(keys)``. A key None is the dimension's 未填 row."""
    reg = registry()
    m = reg.find_measure(measure)
    dims = tuple(_dim(reg, ref) for ref in question.dimensions)
    _check_applies(reg, (m,), dims)
    scope = UnitScope.load(s, question.unit_id)
    window = Window(question.start, question.end, scope)
    filters = list(_filters(s, reg, question, window, (m,)))
    chosen = [dims[i] for i in positions] if positions is not None else list(dims)
    for d, key in zip(chosen, keys, strict=False):
        if d.dimension.key == PERIOD:
            start, end = _bucket_bounds(d.level_key, key)
            window = Window(max(start, window.start), min(end, window.end), scope)
        elif d.dimension.key == UNIT and d.level_key != OWN_UNIT and key not in (None, scope.root):
            # the units of the row as a plain IN list, no join of the level's groups (the scope's own row,
            # which also holds the records without a unit, keeps the join)
            members = tuple(u for u, g in scope.groups(d.level_key).items() if g == key)
            filters.append(_Filter(_Dim(d.dimension, d.dimension.level(OWN_UNIT)), members))
        else:
            filters.append(_Filter(d, (key,)))
    fact = reg.facts[m.fact]
    stmt = _frame(fact, window, filters)
    if m.where is not None:
        stmt = stmt.where(m.where(window))
    key_col = fact.id_column()
    ids = [int(i) for i in s.scalars(stmt.with_only_columns(key_col, maintain_column_froms=True).distinct())]
    return fact.record, sorted(ids)


# -- resolving the question -----------------------------------------------------------------------
def _dim(reg: Registry, ref: DimRef) -> _Dim:
    d = reg.find_dimension(ref.dimension)
    level = d.level(ref.level)
    if ref.level is not None and level is None:
        names = "、".join(lv.name for lv in d.levels) or "（无层级）"
        raise UserError(f"“{d.name}”没有层级“{ref.level}”，可选：{names}")
    return _Dim(d, level)


def _check_applies(reg: Registry, measures: Sequence[Measure], dims: Sequence[_Dim]) -> None:
    for d in dims:
        for m in measures:
            if not reg.applies(d.dimension, m):
                raise UserError(
                    f"“{m.name}”不能按“{d.dimension.name}”分组或筛选：{_fact_name(reg, m)}没有这一项"
                )
    keys = [d.dimension.key for d in dims]
    if len(set(keys)) != len(keys):
        raise UserError("同一个维度只能选一次")


def _fact_name(reg: Registry, m: Measure) -> str:
    return reg.facts[m.fact].name


def _filters(
    s: Session, reg: Registry, question: Question, w: Window, measures: Sequence[Measure]
) -> tuple[_Filter, ...]:
    out = []
    for f in question.filters:
        d = _dim(reg, f.dimension)
        if d.dimension.key == PERIOD:
            raise UserError("统计时段请用“时段”选择，不能作为筛选条件")
        _check_applies(reg, measures, [d])
        if d.dimension.filter_level is not None:
            d = _Dim(d.dimension, d.dimension.level(d.dimension.filter_level))
        keys: list[Any] = []
        for text in f.values:
            keys.extend(d.dimension.resolve(s, w, d.level_key, text))
        out.append(_Filter(d, tuple(dict.fromkeys(keys))))
    return tuple(out)


# -- asking ---------------------------------------------------------------------------------------
def _ask(
    s: Session,
    reg: Registry,
    window: Window,
    measures: Sequence[Measure],
    dims: Sequence[_Dim],
    positions: tuple[int, ...],
    filters: Sequence[_Filter],
    cancel: CancelToken,
) -> dict[tuple[Any, ...], tuple[Number, ...]]:
    """The measures grouped by the dimensions at ``positions``: {dimension values: figures}."""
    used = [dims[i] for i in positions]
    period = next((i for i, d in enumerate(used) if d.dimension.key == PERIOD), None)
    if period is None:
        return _ask_window(s, reg, window, measures, used, filters, cancel)
    out: dict[tuple[Any, ...], tuple[Number, ...]] = {}
    rest = used[:period] + used[period + 1 :]
    for key, start, end in _buckets(used[period].level_key, window.start, window.end):
        sub = Window(start, end, window.scope)
        for keys, values in _ask_window(s, reg, sub, measures, rest, filters, cancel).items():
            out[(*keys[:period], key, *keys[period:])] = values
    return out


def _ask_window(
    s: Session,
    reg: Registry,
    w: Window,
    measures: Sequence[Measure],
    dims: Sequence[_Dim],
    filters: Sequence[_Filter],
    cancel: CancelToken,
) -> dict[tuple[Any, ...], tuple[Number, ...]]:
    from silverdesk.services.statistics.query.summary import plan

    found: dict[tuple[Any, ...], list[Number]] = {}
    attributes = [d.dimension.attribute for d in dims] + [f.dim.dimension.attribute for f in filters]
    for (fact_key, where), group in _groups(measures).items():
        # the activity sums of whole months from the month roll-up when it is fresh, the rest of the
        # window from the activity table; the parts' figures are added (summary.py)
        for part in plan(s, reg.facts[fact_key], w, attributes, [measures[i] for i in group], where):
            cancel.raise_if_set()
            fact, pw = part.fact, part.window
            positions = [group[n] for n in part.measures]
            stmt = _frame(fact, pw, filters)
            if where is not None:
                stmt = stmt.where(where(pw))
            cols: list[ColumnElement[Any]] = []
            for d in dims:
                stmt, attr = fact.attributes[d.dimension.attribute].build(stmt, pw)
                stmt, grouped = d.dimension.group(stmt, attr, pw, d.level_key)
                cols.append(grouped)
            aggs = [
                (part.aggregates[n] if part.aggregates else measures[i].aggregate)(pw)
                for n, i in enumerate(positions)
            ]
            stmt = stmt.with_only_columns(*cols, *aggs, maintain_column_froms=True)
            if cols:
                stmt = stmt.group_by(*cols)
            for row in s.execute(stmt):
                keys = tuple(row[: len(cols)])
                values = found.setdefault(keys, list(_zeros(measures)))
                for i, value in zip(positions, row[len(cols) :], strict=True):
                    values[i] += value if value is not None else 0  # rounded in run(), after any sum
    if not dims and not found:
        found[()] = list(_zeros(measures))
    return {k: tuple(v) for k, v in found.items()}


def _frame(fact: Fact, w: Window, filters: Sequence[_Filter]) -> Select[Any]:
    """The fact's rows of the window with the filters applied."""
    stmt = fact.base(w)
    for f in filters:
        attribute = fact.attributes[f.dim.dimension.attribute]
        if attribute.multi:
            inner = fact.base(w)
            inner, attr = attribute.build(inner, w)
            inner, grouped = f.dim.dimension.group(inner, attr, w, f.dim.level_key)
            inner = inner.where(_among(grouped, f.keys)).with_only_columns(
                fact.id_column(), maintain_column_froms=True
            )
            stmt = stmt.where(fact.id_column().in_(inner))
        else:
            stmt, attr = attribute.build(stmt, w)
            stmt, grouped = f.dim.dimension.group(stmt, attr, w, f.dim.level_key)
            stmt = stmt.where(_among(grouped, f.keys))
    return stmt


def _among(grouped: ColumnElement[Any], keys: Sequence[Any]) -> ColumnElement[bool]:
    """``grouped`` is one of ``keys``; a None among them stands for “no value” (a 未填 row drilled into)."""
    known = [k for k in keys if k is not None]
    if len(known) == len(keys):
        return grouped.in_(known)
    return or_(grouped.in_(known), grouped.is_(None)) if known else grouped.is_(None)


def _groups(measures: Sequence[Measure]) -> dict[tuple[str, Any], list[int]]:
    """Measure positions by (fact, condition): one query each."""
    out: dict[tuple[str, Any], list[int]] = {}
    for i, m in enumerate(measures):
        out.setdefault((m.fact, m.where), []).append(i)
    return out


def _summable(reg: Registry, measures: Sequence[Measure], dims: Sequence[_Dim]) -> bool:
    """Every measure is additive and each dimension gives a record one value (not an activity's teams;
    not 期间, whose buckets of a stock are not parts of the window's stock)."""
    return all(m.additive for m in measures) and all(
        not d.dimension.everywhere and not reg.facts[m.fact].attributes[d.dimension.attribute].multi
        for d in dims
        for m in measures
    )


def _rounded(measures: Sequence[Measure], values: Sequence[Any]) -> tuple[Number, ...]:
    return tuple(_number(m, v) for m, v in zip(measures, values, strict=True))


def _number(m: Measure, value: Any) -> Number:
    if value is None:
        return 0 if m.decimals == 0 else 0.0
    if m.decimals == 0:
        return int(value)
    return round(float(value), m.decimals)


def _zeros(measures: Sequence[Measure]) -> tuple[Number, ...]:
    return tuple(0 if m.decimals == 0 else 0.0 for m in measures)


def _labels(
    s: Session, w: Window, dims: Sequence[_Dim], keys: Sequence[tuple[Any, ...]]
) -> list[dict[Any, tuple[Any, str]]]:
    out = []
    for i, d in enumerate(dims):
        values = list(dict.fromkeys(k[i] for k in keys))
        if d.dimension.key == PERIOD:
            named = {k: (k, _bucket_label(d.level_key, k)) for k in values}
        else:
            present = [v for v in values if v is not None]
            named = dict(d.dimension.labels(s, w, d.level_key, present)) if present else {}
            named[None] = ((9, 0), d.dimension.missing)
            for v in present:
                named.setdefault(v, ((8, str(v)), str(v)))
        out.append({k: (_sortable(sort), label) for k, (sort, label) in named.items()})
    return out


def _sortable(key: Any) -> tuple[Any, ...]:
    """Sort keys of one dimension compare with each other: tuples (kind, value)."""
    return key if isinstance(key, tuple) else (0, key)


# -- periods ----------------------------------------------------------------------------------------
def _buckets(level: str, start: dt.date, end: dt.date) -> Iterator[tuple[str, dt.date, dt.date]]:
    """The months / quarters / years overlapping [start, end], clipped to it: (code, first, last)."""
    day = start
    while day <= end:
        code = _bucket_code(level, day)
        first, last = _bucket_bounds(level, code)
        yield code, max(first, start), min(last, end)
        day = last + dt.timedelta(days=1)


def _bucket_code(level: str, day: dt.date) -> str:
    if level == "year":
        return f"{day.year}"
    if level == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def _bucket_bounds(level: str, code: str) -> tuple[dt.date, dt.date]:
    y = int(code[:4])
    if level == "year":
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if level == "quarter":
        q = int(code[5])
        last_month = 3 * q
        return dt.date(y, last_month - 2, 1), dt.date(y, last_month, calendar.monthrange(y, last_month)[1])
    m = int(code[5:7])
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _bucket_label(level: str, code: str) -> str:
    y = code[:4]
    if level == "year":
        return f"{y}年"
    if level == "quarter":
        return f"{y}年第{'一二三四'[int(code[5]) - 1]}季度"
    return f"{y}年{int(code[5:7])}月"
