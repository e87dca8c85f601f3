"""What the pivot's writers (xlsx, PDF) and the command line share: the header as cells with its merges,
and a figure as people write it."""

from __future__ import annotations

from dataclasses import dataclass

from silverdesk.reports.pivot import Number, PivotTable


@dataclass(frozen=True)
class Span:
    """A merged header block: ``line`` … ``last_line`` × ``first`` … ``last`` (0-based, whole table columns)."""

    line: int
    last_line: int
    first: int
    last: int


def header_grid(table: PivotTable) -> tuple[list[list[str]], list[Span]]:
    """The header lines (row-header names at the top of their merged column) and the merges: a column
    dimension's label over the measures under it, a row dimension's name down the header's lines."""
    lines = table.header_lines()
    lead = len(table.row_headers) or 1
    spans: list[Span] = []
    last = len(lines) - 1
    if last > 0:
        for i in range(lead):
            lines[0][i], lines[last][i] = lines[last][i], ""
            spans.append(Span(0, last, i, i))
    for depth in range(len(table.column_dimensions)):
        start = 0
        keys = [(c.total, c.labels[: depth + 1]) for c in table.columns]
        for n in range(1, len(keys) + 1):
            if n == len(keys) or keys[n] != keys[start]:
                if n - start > 1:
                    spans.append(Span(depth, depth, lead + start, lead + n - 1))
                start = n
    return lines, spans


def figure_text(value: Number | None, decimals: int) -> str:
    """``1,234`` / ``1,344,680.5``: grouped thousands, the measure's decimals, never scientific notation;
    no figure (None): empty."""
    if value is None:
        return ""
    if decimals == 0:
        return f"{round(value):,}"
    return f"{value:,.{decimals}f}"


def number_format(decimals: int) -> str:
    """The spreadsheet's format of a measure's figures (hours ``#,##0.0``)."""
    return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals
