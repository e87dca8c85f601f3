"""Lays a question's answer out as the table a clerk reads (:class:`silverdesk.reports.pivot.PivotTable`):
row dimensions down, column dimensions across (each with every measure), 合计 row and column.

With a :class:`~.compare.Comparison` (同比/环比) each measure becomes four columns — 本期, 上期 (去年同期),
增减, 增长率 — for every cell and margin, the base period's rows included (a row it has and the period has
not shows 0 against its base); when the comparison does not apply the table says why and has no such
columns. The screen, ``silverdesk stats`` and the xlsx/PDF writers all read this one layout."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from silverdesk.reports.pivot import (
    BASE_NAMES,
    CURRENT,
    DIFFERENCE,
    RATIO,
    TOTAL,
    DataColumn,
    Number,
    PivotRow,
    PivotTable,
)
from silverdesk.services.statistics.query.model import Measure, Result

if TYPE_CHECKING:
    from silverdesk.services.statistics.query.compare import Comparison


class _Cells:
    """An answer's figures by keys: the cells, the rows' and the columns' margins, the grand total."""

    def __init__(self, answer: Result, n_rows: int) -> None:
        n = len(answer.dimensions)
        self.cells: Mapping[tuple[Any, ...], tuple[Number, ...]] = {r.keys: r.values for r in answer.rows}
        self.by_rows = answer.margins.get(tuple(range(n_rows)), {})
        self.by_columns = answer.margins.get(tuple(range(n_rows, n)), {})
        self.total = answer.total


def to_pivot(
    result: Result,
    title: str,
    period: str,
    notes: Sequence[str] = (),
    comparison: Comparison | None = None,
) -> PivotTable:
    """``result`` as a table; ``comparison`` (whose ``current`` is ``result``) adds 同比/环比 columns."""
    base = comparison.base if comparison is not None else None
    answers = (result,) if base is None else (result, base)
    q = result.question
    n_rows = len(q.rows)
    dims = result.dimensions
    labels = _labels(answers)
    row_combos = _combos(answers, range(n_rows))
    col_combos = _combos(answers, range(n_rows, len(dims)))
    zeros = _zeros(result.measures)

    now_cells, base_cells = _Cells(result, n_rows), (_Cells(base, n_rows) if base is not None else None)

    def figures(pick: Any) -> list[Number | None]:
        """The figures of one cell across the measures: ``pick(cells)`` gives them from an answer's
        :class:`_Cells` (None: no record); with a base, each measure's 本期, base, 增减 and 增长率."""
        now = pick(now_cells) or zeros
        if base_cells is None:
            return list(now)
        from silverdesk.services.statistics.query.compare import change

        out: list[Number | None] = []
        for v, b in zip(now, pick(base_cells) or zeros, strict=True):
            c = change(v, b)
            out += [c.value, c.base, c.difference, c.ratio]
        return out

    parts: tuple[str, ...] = ("",)
    if comparison is not None and base is not None:
        parts = (CURRENT, BASE_NAMES[comparison.kind], DIFFERENCE, RATIO)

    def measure_columns(names: tuple[str, ...], keys: tuple[Any, ...], total: bool) -> list[DataColumn]:
        return [
            DataColumn(m.name, m.unit, m.decimals, names, keys, total=total, part=part)
            for m in result.measures
            for part in parts
        ]

    columns: list[DataColumn] = []
    for combo in col_combos:
        names = tuple(labels[n_rows + i][k] for i, k in enumerate(combo))
        columns += measure_columns(names, combo, False)
    if col_combos != [()]:
        columns += measure_columns((TOTAL,) * len(q.columns), (), True)

    def line(rowkeys: tuple[Any, ...] | None) -> list[Number | None]:
        """A row's figures across the columns (None: the 合计 row): the cells (for 合计, the column
        margins), then the row's 合计 (the row margin; for 合计, the grand total)."""
        out: list[Number | None] = []
        for combo in col_combos:
            if rowkeys is None:
                out += figures(lambda c, combo=combo: c.by_columns.get(combo))
            else:
                out += figures(lambda c, combo=combo: c.cells.get(rowkeys + combo))
        if rowkeys is None:
            out += figures(lambda c: c.total)
        else:
            out += figures(lambda c: c.by_rows.get(rowkeys))
        return out

    rows: list[PivotRow] = []
    if n_rows:
        for combo in row_combos:
            names = tuple(labels[i][k] for i, k in enumerate(combo))
            values = line(combo) if q.columns else figures(lambda c, combo=combo: c.cells.get(combo))
            rows.append(PivotRow(names, tuple(values), combo))
    total_values = line(None) if q.columns else figures(lambda c: c.total)
    rows.append(PivotRow((TOTAL,) + ("",) * max(n_rows - 1, 0), tuple(total_values), (), total=True))
    return PivotTable(
        title=title,
        scope=result.scope_name,
        period=period,
        row_headers=tuple(d.name for d, _ in dims[:n_rows]),
        column_dimensions=tuple(d.name for d, _ in dims[n_rows:]),
        columns=tuple(columns),
        rows=tuple(rows),
        notes=tuple(notes),
        filters=tuple(f"{f.dimension}={'、'.join(f.values)}" for f in q.filters),
        comparison=_comparison_line(comparison),
    )


def _comparison_line(comparison: Comparison | None) -> str:
    """What the table compares with, as the line over it; or why no comparison applies."""
    if comparison is None:
        return ""
    if comparison.base_period is None:
        return comparison.not_applicable
    name = BASE_NAMES[comparison.kind]
    return (
        f"{comparison.kind}：本期 {comparison.period.label}，{name} {comparison.base_period.label}；"
        f"增长率 =（本期 − {name}）÷ {name}，{name}为 0 时记“—”"
    )


def _labels(answers: Sequence[Result]) -> list[dict[Any, str]]:
    out: list[dict[Any, str]] = [{} for _ in answers[0].dimensions]
    for answer in reversed(answers):  # the period's labels win over the base's
        for row in answer.rows:
            for i, (k, label) in enumerate(zip(row.keys, row.labels, strict=True)):
                out[i][k] = label
    return out


def _combos(answers: Sequence[Result], positions: range) -> list[tuple[Any, ...]]:
    """The combinations of the dimensions at ``positions`` that occur, in display order; ``[()]`` for none."""
    if not positions:
        return [()]
    found = {tuple(row.keys[i] for i in positions) for answer in answers for row in answer.rows}
    ranks = [_rank(answers[0].ranks[i], answers[-1].ranks[i]) for i in positions]
    missing = (1 << 30, 0)
    return sorted(
        found,
        key=lambda combo: (tuple(r.get(k, missing) for r, k in zip(ranks, combo, strict=True)), str(combo)),
    )


def _rank(current: Mapping[Any, int], base: Mapping[Any, int]) -> dict[Any, tuple[int, int]]:
    """One display order of a dimension's values from the period's and the base period's: a value only
    the base has comes right after the value before it there (龙山镇 after 城关街道, before 本级)."""
    out = {k: (r, 0) for k, r in current.items()}
    anchor, step = -1, 0
    for k in sorted(base, key=base.__getitem__):
        if k in current:
            anchor, step = current[k], 0
        else:
            step += 1
            out[k] = (anchor, step)
    return out


def _zeros(measures: Sequence[Measure]) -> tuple[Number, ...]:
    return tuple(0 if m.decimals == 0 else 0.0 for m in measures)
