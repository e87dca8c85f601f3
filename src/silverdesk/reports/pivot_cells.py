"""What the pivot's writers (xlsx, PDF) and the command line share: the header as cells with its merges,
and a figure as people write it."""

from __future__ import annotations

from dataclasses import dataclass

from silverdesk.domain.numbers import figure_text, percent_text
from silverdesk.reports.pivot import DIFFERENCE, RATIO, DataColumn, Number, PivotTable


@dataclass(frozen=True)
class Span:
    """A merged header block: ``line`` … ``last_line`` × ``first`` … ``last`` (0-based, whole table columns)."""

    line: int
    last_line: int
    first: int
    last: int


def header_grid(table: PivotTable) -> tuple[list[list[str]], list[Span]]:
    """The header lines (row-header names at the top of their merged column) and the merges: a column
    dimension's label over the measures under it, a compared measure's name over its four columns, a row
    dimension's name down the header's lines."""
    lines = table.header_lines()
    lead = len(table.row_headers) or 1
    spans: list[Span] = []
    last = len(lines) - 1
    if last > 0:
        for i in range(lead):
            lines[0][i], lines[last][i] = lines[last][i], ""
            spans.append(Span(0, last, i, i))
    for depth in range(len(table.column_dimensions) + table.compared):
        start = 0  # compared: the measure's name too, over its 本期 / 上期 / 增减 / 增长率
        keys = [(c.total, c.labels[: depth + 1], depth == len(c.labels) and c.measure) for c in table.columns]
        for n in range(1, len(keys) + 1):
            if n == len(keys) or keys[n] != keys[start]:
                if n - start > 1:
                    spans.append(Span(depth, depth, lead + start, lead + n - 1))
                start = n
    return lines, spans


def cell_text(value: Number | None, column: DataColumn) -> str:
    """A figure of ``column`` as people write it (:mod:`silverdesk.domain.numbers`, aligned: ``1,234``,
    ``98,773.0``); a change with its sign (``+5``), a growth rate as ``+12.5%``; no figure (a growth rate
    without a base): ``—``."""
    if value is None:
        return "—"
    if column.part == RATIO:
        return percent_text(value, fixed=True)
    return figure_text(value, column.decimals, fixed=True, signed=column.part == DIFFERENCE)


def number_format(column: DataColumn) -> str:
    """The spreadsheet's format of a column's figures: counts ``#,##0``, hours ``#,##0.0``, a change with
    its sign, a growth rate ``+0.0%`` (as :func:`cell_text` writes them)."""
    if column.part == RATIO:
        return "+0.0%;-0.0%;0.0%"
    plain = "#,##0" if column.decimals == 0 else "#,##0." + "0" * column.decimals
    return f"+{plain};-{plain};{plain}" if column.part == DIFFERENCE else plain
