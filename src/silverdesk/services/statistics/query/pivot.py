"""Lays a question's answer out as the table a clerk reads (:class:`silverdesk.reports.pivot.PivotTable`):
row dimensions down, column dimensions across (each with every measure), 合计 row and column."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from silverdesk.reports.pivot import TOTAL, DataColumn, Number, PivotRow, PivotTable
from silverdesk.services.statistics.query.model import Result


def to_pivot(result: Result, title: str, period: str, notes: Sequence[str] = ()) -> PivotTable:
    q = result.question
    n_rows = len(q.rows)
    dims = result.dimensions
    labels = _labels(result)
    row_combos = _combos(result, range(n_rows))
    col_combos = _combos(result, range(n_rows, len(dims)))
    cells = {row.keys: row.values for row in result.rows}
    by_rows = result.margins.get(tuple(range(n_rows)), {})
    by_cols = result.margins.get(tuple(range(n_rows, len(dims))), {})

    columns: list[DataColumn] = []
    for combo in col_combos:
        for m in result.measures:
            names = tuple(labels[n_rows + i][k] for i, k in enumerate(combo))
            columns.append(DataColumn(m.name, m.unit, m.decimals, names, combo))
    if col_combos != [()]:
        for m in result.measures:
            columns.append(DataColumn(m.name, m.unit, m.decimals, (TOTAL,) * len(q.columns), (), total=True))

    def line(
        rowkeys: tuple[Any, ...], margin: Mapping[tuple[Any, ...], tuple[Number, ...]] | None
    ) -> list[Number]:
        """A row's figures across the columns: the cells (or, for 合计, the column margins), then 合计."""
        out: list[Number] = []
        for combo in col_combos:
            out.extend(
                (cells.get(rowkeys + combo) if margin is None else margin.get(combo)) or _zeros(result)
            )
        out.extend((by_rows.get(rowkeys) if margin is None else result.total) or _zeros(result))
        return out

    rows: list[PivotRow] = []
    if n_rows:
        for combo in row_combos:
            names = tuple(labels[i][k] for i, k in enumerate(combo))
            values = line(combo, None) if q.columns else list(cells.get(combo) or _zeros(result))
            rows.append(PivotRow(names, tuple(values), combo))
    total_values = line((), by_cols) if q.columns else list(result.total)
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
    )


def _labels(result: Result) -> list[dict[Any, str]]:
    out: list[dict[Any, str]] = [{} for _ in result.dimensions]
    for row in result.rows:
        for i, (k, label) in enumerate(zip(row.keys, row.labels, strict=True)):
            out[i][k] = label
    return out


def _combos(result: Result, positions: range) -> list[tuple[Any, ...]]:
    """The combinations of the dimensions at ``positions`` that occur, in display order; ``[()]`` for none."""
    if not positions:
        return [()]
    found = {tuple(row.keys[i] for i in positions) for row in result.rows}
    ranks = [result.ranks[i] for i in positions]
    return sorted(
        found, key=lambda combo: tuple(r.get(k, 1 << 30) for r, k in zip(ranks, combo, strict=True))
    )


def _zeros(result: Result) -> tuple[Number, ...]:
    return tuple(0 if m.decimals == 0 else 0.0 for m in result.measures)
