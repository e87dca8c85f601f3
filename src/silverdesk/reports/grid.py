"""Tables as grids of values, built from the layout: the one source both writers print.

The xlsx writer puts :attr:`Cell.value` into a cell with :attr:`Cell.number_format`; the PDF
writer prints :func:`format_value` of the same pair, which renders exactly what Excel shows for the
supported formats.  So the workbook and the PDF cannot disagree about a figure.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from silverdesk.reports.layout import EXPANDABLE, Column, Layout, TableLayout
from silverdesk.reports.model import ReportData
from silverdesk.reports.pivot import PivotTable

Value = int | float | str | None


@dataclass(frozen=True)
class Cell:
    value: Value
    number_format: str = "@"
    align: str = "center"
    indent: int = 0


@dataclass(frozen=True)
class HeaderCell:
    """A header label placed at (row, col) of the header block, spanning rows × cols."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Grid:
    table: TableLayout
    header: tuple[HeaderCell, ...]
    header_rows: int
    body: tuple[tuple[Cell, ...], ...]
    total_row: int | None  # index into ``body`` of the 合计 row, if any

    @property
    def widths(self) -> tuple[float, ...]:
        return tuple(c.width for c in self.table.columns)


def format_value(value: Value, number_format: str) -> str:
    """The text Excel displays for ``value`` under one of the layout's number formats."""
    if value is None:
        return ""
    if isinstance(value, str) or number_format == "@":
        return str(value)
    match number_format:
        case "0":
            return f"{value:.0f}"
        case "#,##0":
            return f"{value:,.0f}"
        case "0.0":
            return f"{value:.1f}"
        case "#,##0.0":
            return f"{value:,.1f}"
        case "0.00":
            return f"{value:.2f}"
        case "#,##0.00":
            return f"{value:,.2f}"
        case "0.0%":
            return f"{value * 100:.1f}%"
        case "0.00%":
            return f"{value * 100:.2f}%"
    raise ValueError(f"unsupported number format {number_format!r}")


def header_cells(columns: tuple[Column, ...]) -> tuple[tuple[HeaderCell, ...], int]:
    """Header cells with their merges: shared path prefixes span across, short paths span down."""
    depth = max(len(c.header) for c in columns)
    cells: list[HeaderCell] = []
    for level in range(depth):
        col = 0
        while col < len(columns):
            path = columns[col].header
            if level >= len(path):
                col += 1
                continue
            if level == len(path) - 1:  # a leaf: spans down to the bottom header row
                cells.append(HeaderCell(path[level], level, col, depth - level, 1))
                col += 1
                continue
            end = col + 1
            while (
                end < len(columns)
                and len(columns[end].header) > level + 1
                and columns[end].header[: level + 1] == path[: level + 1]
            ):
                end += 1
            cells.append(HeaderCell(path[level], level, col, 1, end - col))
            col = end
    return tuple(cells), depth


def _rows_body(data: ReportData, table: TableLayout) -> tuple[list[tuple[Cell, ...]], int | None]:
    rows = list(getattr(data, table.source))
    total = getattr(data, table.total) if table.total else None
    body = [tuple(Cell(getattr(r, c.field), c.number_format, c.align) for c in table.columns) for r in rows]
    if total is None:
        return body, None
    body.append(tuple(Cell(getattr(total, c.field), c.number_format, c.align) for c in table.columns))
    return body, len(body) - 1


def _record_body(data: ReportData, table: TableLayout) -> list[tuple[Cell, ...]]:
    record = getattr(data, table.source)
    lines: list[tuple[str, str, Value, str, int, bool]] = []  # label, unit, value, format, indent, numbered
    for item in table.items:
        if item.expand:
            key = EXPANDABLE[item.expand]
            for name, number in getattr(record, item.expand):
                label = item.label.replace("{" + key + "}", name)
                lines.append((label, item.unit, number, item.number_format, item.indent, False))
        else:
            assert item.field is not None
            lines.append(
                (
                    item.label,
                    item.unit,
                    getattr(record, item.field),
                    item.number_format,
                    item.indent,
                    item.indent == 0,
                )
            )
    body = []
    seq = 0
    for label, unit, value, fmt, indent, numbered in lines:
        seq += numbered
        parts: dict[str, Cell] = {
            "seq": Cell(seq if numbered else None, "0", "center"),
            "label": Cell(label, "@", "left", indent),
            "unit": Cell(unit, "@", "center"),
            "value": Cell(value, fmt, "right"),
        }
        body.append(
            tuple(
                Cell(
                    parts[c.field].value,
                    parts[c.field].number_format if c.field == "value" else c.number_format,
                    c.align,
                    parts[c.field].indent,
                )
                for c in table.columns
            )
        )
    return body


def build_grid(data: ReportData, table: TableLayout) -> Grid:
    """The printable grid of one table of ``data``."""
    header, depth = header_cells(table.columns)
    if table.kind == "rows":
        body, total_row = _rows_body(data, table)
    else:
        body, total_row = _record_body(data, table), None
    return Grid(table, header, depth, tuple(body), total_row)


def pivot_grid(table: TableLayout, pivot: PivotTable) -> Grid:
    """The printable grid of a measure × dimension table (layout kind "model") from its answer: the row
    dimensions' labels, then a column per measure (under each column-dimension value), 合计 last."""
    lead = [
        Column(f"row{i}", (name,), max(12.0, min(24.0, 2.2 * len(name) + 4)), "@", "left")
        for i, name in enumerate(pivot.row_headers or ("",))
    ]
    data = [
        Column(
            f"col{j}",
            (*c.labels, f"{c.measure}（{c.unit}）"),
            max(10.0, min(16.0, 1.8 * len(c.measure) + 6)),
            "#,##0.0" if c.decimals else "#,##0",
            "right",
        )
        for j, c in enumerate(pivot.columns)
    ]
    notes = (*table.notes, *(f"注：{n}" for n in pivot.notes))  # the layout's own, then the counting rules
    shaped = dataclasses.replace(table, columns=(*lead, *data), notes=notes)
    header, depth = header_cells(shaped.columns)
    body: list[tuple[Cell, ...]] = []
    for row in pivot.rows:
        labels = row.labels if pivot.row_headers else ("合计" if row.total else "",)
        cells = [Cell(label, "@", "left") for label in labels]
        cells += [Cell(v, col.number_format, "right") for v, col in zip(row.values, data, strict=True)]
        body.append(tuple(cells))
    total_row = len(body) - 1 if body and pivot.rows[-1].total else None
    return Grid(shaped, header, depth, tuple(body), total_row)


def template_vars(data: ReportData) -> dict[str, str]:
    """The values of the layout's ``{…}`` template variables."""
    return {
        "title": data.title,
        "issuer": data.issuer,
        "scope": data.scope,
        "period_label": data.period.label,
        "range_text": data.period.range_text,
        "generated": f"{data.generated_at:%Y年%m月%d日}".replace("年0", "年").replace("月0", "月"),
    }


def render(template: str, data: ReportData) -> str:
    """Fill a validated layout template."""
    return template.format(**template_vars(data)) if template else ""


def header_texts(layout: Layout, data: ReportData) -> tuple[str, str, str]:
    return (
        render(layout.header_left, data),
        render(layout.header_center, data),
        render(layout.header_right, data),
    )


def footer_pairs(layout: Layout, data: ReportData) -> list[tuple[str, str]]:
    """The footer fields the layout asks for, with the data's values ("" when not given)."""
    given = dict(data.footer)
    return [(label, given.get(label, "")) for label in layout.footer]


def text_units(text: str) -> float:
    """Approximate width of ``text`` in Excel character units (a CJK character is two)."""
    return sum(2.0 if ord(ch) > 0x2E7F or ch in "（）：，。；、“”" else 1.05 for ch in text)


def header_block_rows(
    texts: tuple[str, str, str], widths: tuple[float, ...], scale: float = 1.0
) -> list[list[tuple[str, int, int, str]]]:
    """Place the header block (left / center / right texts) over columns.

    Returns rows of ``(text, first_col, last_col, align)``; one row when the three fit side by side
    over ``widths`` (text widths multiplied by ``scale``), else one row per non-empty text.
    """
    left, center, right = texts
    n = len(widths)
    need = [text_units(t) * scale for t in texts]

    def first_cols_covering(amount: float) -> int:
        acc, k = 0.0, 0
        while k < n and acc < amount:
            acc += widths[k]
            k += 1
        return k if acc >= amount else n + 1

    a = first_cols_covering(need[0]) if left else 0
    b_count = first_cols_covering(need[2]) if right else 0
    b = n - b_count
    if a <= b and b_count <= n:
        middle = sum(widths[a:b])
        if not center or (middle >= need[1] and b > a):
            row: list[tuple[str, int, int, str]] = []
            if left:
                row.append((left, 0, max((a if center else b) - 1, 0), "left"))
            if center:
                row.append((center, a, b - 1, "center"))
            if right:
                row.append((right, b, n - 1, "right"))
            return [row]
    return [[(t, 0, n - 1, al)] for t, al in ((left, "left"), (center, "left"), (right, "right")) if t]


def header_label(text: str, width: float) -> str:
    """A header label broken before its unit "（…）" when it does not fit on one line of ``width``."""
    if text_units(text) <= width or "（" not in text or text.startswith("（") or "\n" in text:
        return text
    head, _, unit = text.partition("（")
    return f"{head}\n（{unit}"


SIGN_LINE = "_" * 14  # a blank footer field: a line to write on by hand


def footer_lines(pairs: list[tuple[str, str]], width: float) -> list[str]:
    """The footer fields as lines no wider than ``width`` (text units), broken between fields; a field
    left blank is a line to write on (:data:`SIGN_LINE`)."""
    items = [f"{label}：{value or SIGN_LINE}" for label, value in pairs]
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current}　　{item}" if current else item
        if current and text_units(candidate) > width:
            lines.append(current)
            current = item
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines
