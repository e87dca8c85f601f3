"""The report as an Excel workbook (openpyxl), driven by the layout.

One sheet per table plus a narrative sheet (说明: the paragraph, the 12-month trend with line
charts, the 编报说明 notes), each with the title, the header block and the footer fields, and
printable as it comes: A4, landscape where the layout says so, fit to width, repeated header
rows, "第 &P 页 共 &N 页" in the footer.  合计 rows are values (not formulas) so that any reader
sees them.  A hidden sheet ``_silverdesk`` carries the figures for :mod:`.readback`.

Every value goes through :func:`silverdesk.domain.safe_cells.set_cell`: unit names, categories,
notes and the narrative come from the database (and so from imported files), and a name such as
``=HYPERLINK(…)`` must land as text, never as a formula.  Personal data is masked before the
writers see the data (:func:`silverdesk.reports.masking.mask_report`, called by the report service).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import cast

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from silverdesk.domain.safe_cells import set_cell
from silverdesk.errors import UserError, with_reason
from silverdesk.reports.codec import to_plain
from silverdesk.reports.grid import (
    Grid,
    build_grid,
    footer_lines,
    footer_pairs,
    header_block_rows,
    header_label,
    header_texts,
    pivot_grid,
    render,
    text_units,
)
from silverdesk.reports.layout import Layout, default_layout
from silverdesk.reports.model import ReportData
from silverdesk.reports.narrative import narrative_paragraphs
from silverdesk.reports.pivot import PivotTable

DATA_SHEET = "_silverdesk"
DATA_MAGIC = "silverdesk-report"
DATA_VERSION = 1
CHUNK = 30_000  # characters per cell (Excel's limit is 32,767)

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_NARRATIVE_WIDTHS = (12.0,) * 8
_LINE_PT = 16.0  # row height per line of 12 pt text


def _cell(ws: Worksheet, row: int, column: int) -> Cell:
    """``ws.cell`` for a cell this module writes: on a sheet it builds, before any merge covers it
    (a merge keeps its top-left cell a ``Cell``; only the others become a ``MergedCell``)."""
    return cast(Cell, ws.cell(row=row, column=column))


class _Styles:
    def __init__(self, layout: Layout) -> None:
        body, title = layout.xlsx_body_font, layout.xlsx_title_font
        self.title = Font(name=title, size=18, bold=True)
        self.subtitle = Font(name=body, size=14)
        self.caption = Font(name=body, size=13, bold=True)
        self.text = Font(name=body, size=12)
        self.bold = Font(name=body, size=12, bold=True)
        self.small = Font(name=body, size=11)


def _merge_text(
    ws: Worksheet,
    row: int,
    c0: int,
    c1: int,
    text: str,
    font: Font,
    align: str = "left",
    widths: tuple[float, ...] | None = None,
    size_factor: float = 1.0,
) -> None:
    """Write ``text`` into columns c0..c1 (0-based) of ``row``, merged, wrapped, with a fitting height."""
    cell = _cell(ws, row, c0 + 1)
    set_cell(cell, text)
    cell.font = font
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if c1 > c0:
        ws.merge_cells(start_row=row, start_column=c0 + 1, end_row=row, end_column=c1 + 1)
    if widths is not None:
        available = sum(widths[c0 : c1 + 1]) or 1.0
        lines = max(1, math.ceil(text_units(text) * size_factor / available))
        ws.row_dimensions[row].height = max(
            ws.row_dimensions[row].height or 0, lines * _LINE_PT * size_factor + 4
        )


def _title_block(
    ws: Worksheet, layout: Layout, data: ReportData, widths: tuple[float, ...], st: _Styles
) -> int:
    """Title, subtitle and header block from row 1; returns the next free row."""
    last = len(widths) - 1
    _merge_text(ws, 1, 0, last, render(layout.title, data), st.title, "center", widths, 18 / 12)
    row = 2
    if layout.subtitle:
        _merge_text(ws, row, 0, last, render(layout.subtitle, data), st.subtitle, "center", widths, 14 / 12)
        row += 1
    for placed in header_block_rows(header_texts(layout, data), widths, 12 / 11):
        for text, c0, c1, align in placed:
            _merge_text(ws, row, c0, c1, text, st.text, align, widths)
        row += 1
    return row


def _footer_block(
    ws: Worksheet, layout: Layout, data: ReportData, row: int, widths: tuple[float, ...], st: _Styles
) -> int:
    """The 单位负责人/审核人/填表人… fields one blank row below ``row``; returns the next free row."""
    row += 1
    for line in footer_lines(footer_pairs(layout, data), sum(widths) / 1.1):
        _merge_text(ws, row, 0, len(widths) - 1, line, st.text, "left", widths)
        row += 1
    return row


def _print_setup(ws: Worksheet, landscape: bool, title_rows: tuple[int, int] | None, last_col: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    fit = ws.sheet_properties.pageSetUpPr
    assert fit is not None  # a new sheet has its page set-up properties
    fit.fitToPage = True
    ws.page_margins = PageMargins(left=0.6, right=0.6, top=0.7, bottom=0.8, header=0.3, footer=0.4)
    ws.print_options.horizontalCentered = True
    footer = ws.oddFooter
    assert footer is not None  # and its (empty) footer
    footer.center.text = "第 &P 页 共 &N 页"
    footer.center.size = 10
    if title_rows:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    ws.print_area = f"A1:{get_column_letter(last_col + 1)}{ws.max_row}"


def _table_sheet(ws: Worksheet, layout: Layout, data: ReportData, grid: Grid, st: _Styles) -> None:
    table = grid.table
    widths = grid.widths
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    row = _title_block(ws, layout, data, widths, st)
    _merge_text(ws, row, 0, len(widths) - 1, table.caption, st.caption, "center", widths)
    head0 = row + 1
    for h in grid.header:
        r, c = head0 + h.row, h.col + 1
        span_width = sum(widths[h.col : h.col + h.colspan])
        cell = _cell(ws, r, c)
        set_cell(cell, header_label(h.text, span_width - 1))
        cell.font = st.bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if h.rowspan > 1 or h.colspan > 1:
            ws.merge_cells(
                start_row=r, start_column=c, end_row=r + h.rowspan - 1, end_column=c + h.colspan - 1
            )
        lines = sum(
            math.ceil(text_units(part) / max(span_width - 1, 1)) for part in str(cell.value).split("\n")
        )
        per_row = math.ceil(lines / h.rowspan)
        ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 0, per_row * _LINE_PT + 4)
    for r in range(head0, head0 + grid.header_rows):
        for c in range(1, len(widths) + 1):
            ws.cell(row=r, column=c).border = _BORDER
            ws.cell(row=r, column=c).fill = _HEAD_FILL
    body0 = head0 + grid.header_rows
    for i, cells in enumerate(grid.body):
        r = body0 + i
        bold = i == grid.total_row
        for j, cell_data in enumerate(cells):
            cell = _cell(ws, r, j + 1)
            set_cell(cell, cell_data.value)
            cell.number_format = cell_data.number_format if not isinstance(cell_data.value, str) else "@"
            cell.font = st.bold if bold else st.text
            cell.border = _BORDER
            align = "center" if bold and isinstance(cell_data.value, str) else cell_data.align
            indent = cell_data.indent * 2 + (align != "center")
            cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True, indent=indent)
        lines = max(
            (
                math.ceil(text_units(c.value) / max(widths[j] - 0.5, 1))
                for j, c in enumerate(cells)
                if isinstance(c.value, str) and c.value
            ),
            default=1,
        )
        ws.row_dimensions[r].height = max(20, lines * _LINE_PT + 4)
    row = body0 + len(grid.body)
    for note in table.notes:
        _merge_text(ws, row, 0, len(widths) - 1, note, st.small, "left", widths)
        row += 1
    _footer_block(ws, layout, data, row, widths, st)
    ws.freeze_panes = _cell(ws, body0, 1)
    _print_setup(ws, table.landscape, (head0, body0 - 1), len(widths) - 1)


def _trend_charts(ws: Worksheet, layout: Layout, data: ReportData, row: int, st: _Styles) -> int:
    """The 12-month trend as a small table plus one line chart per layout chart; returns next row."""
    if not data.trend:
        return row
    _merge_text(ws, row, 0, 7, "二、近12个月情况", st.caption, "left", _NARRATIVE_WIDTHS)
    head = row + 1
    for c, text in enumerate(("月份", "活动（场次）", "受益群众（人次）"), start=1):
        cell = _cell(ws, head, c)
        set_cell(cell, text)
        cell.font, cell.border, cell.fill = st.bold, _BORDER, _HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[head].height = 2 * _LINE_PT + 4
    for i, point in enumerate(data.trend, start=1):
        for c, value in enumerate((point.label, point.activities, point.beneficiaries), start=1):
            cell = _cell(ws, head + i, c)
            set_cell(cell, value)
            cell.font, cell.border = st.text, _BORDER
            cell.number_format = "#,##0" if c > 1 else "@"
            cell.alignment = Alignment(horizontal="right" if c > 1 else "center", vertical="center")
    last = head + len(data.trend)
    columns = {"activities": 2, "beneficiaries": 3}
    for k, chart_layout in enumerate(layout.narrative.charts):
        chart = LineChart()
        chart.title = chart_layout.title or None
        chart.style = 2
        chart.height, chart.width = 6.0, 11.5  # type: ignore[assignment]  # in cm; the stubs say int
        chart.legend = None
        col = columns[chart_layout.field]
        chart.add_data(Reference(ws, min_col=col, min_row=head, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.number_format = "#,##0"
        chart.y_axis.majorGridlines = None
        ws.add_chart(chart, f"D{head + k * 12}")
    return max(last + 1, head + 12 * len(layout.narrative.charts)) + 1


def _narrative_sheet(ws: Worksheet, layout: Layout, data: ReportData, st: _Styles) -> None:
    widths = _NARRATIVE_WIDTHS
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    row = _title_block(ws, layout, data, widths, st)
    if layout.narrative.caption:
        _merge_text(ws, row, 0, 7, layout.narrative.caption, st.caption, "left", widths)
        row += 1
    for paragraph in narrative_paragraphs(data):
        _merge_text(ws, row, 0, 7, "　　" + paragraph, st.text, "left", widths)
        row += 1
    row = _trend_charts(ws, layout, data, row + 1, st)
    if data.notes:
        _merge_text(ws, row, 0, 7, layout.narrative.notes_caption, st.caption, "left", widths)
        row += 1
        for i, note in enumerate(data.notes, start=1):
            _merge_text(ws, row, 0, 7, f"{i}. {note}", st.small, "left", widths)
            row += 1
    _footer_block(ws, layout, data, row, widths, st)
    _print_setup(ws, False, None, 7)


def _data_sheet(ws: Worksheet, data: ReportData) -> None:
    payload = json.dumps(to_plain(data), ensure_ascii=False, separators=(",", ":"))
    chunks = [payload[i : i + CHUNK] for i in range(0, len(payload), CHUNK)] or [""]
    head = (
        (DATA_MAGIC, DATA_VERSION),
        ("sha256", hashlib.sha256(payload.encode("utf-8")).hexdigest()),
        ("chunks", len(chunks)),
    )
    for r, (key, value) in enumerate(head, start=1):
        set_cell(_cell(ws, r, 1), key)
        set_cell(_cell(ws, r, 2), value)
    for i, chunk in enumerate(chunks):  # a chunk may begin with "=" or "-": it must stay text
        cell = _cell(ws, 4 + i, 1)
        set_cell(cell, chunk)
        cell.number_format = "@"
    ws.sheet_state = "hidden"


def build_workbook(
    data: ReportData, layout: Layout | None = None, pivots: Mapping[str, PivotTable] | None = None
) -> Workbook:
    """The report workbook in memory (see :func:`write_xlsx`); ``pivots``: the answers of the layout's
    measure × dimension tables by table id (a table without one is left out)."""
    layout = layout or default_layout()
    st = _Styles(layout)
    wb = Workbook()
    narrative_ws = wb.active
    assert isinstance(narrative_ws, Worksheet)  # a new workbook's one sheet
    narrative_ws.title = layout.narrative.sheet
    _narrative_sheet(narrative_ws, layout, data, st)
    for table in layout.tables:
        if table.kind == "model":
            pivot = (pivots or {}).get(table.id)
            if pivot is not None:
                _table_sheet(wb.create_sheet(table.sheet), layout, data, pivot_grid(table, pivot), st)
            continue
        _table_sheet(wb.create_sheet(table.sheet), layout, data, build_grid(data, table), st)
    _data_sheet(wb.create_sheet(DATA_SHEET), data)
    wb.active = 0
    return wb


def write_xlsx(
    data: ReportData,
    path: str | Path,
    layout: Layout | None = None,
    pivots: Mapping[str, PivotTable] | None = None,
) -> Path:
    """Write the report workbook to ``path``; :class:`UserError` if the file cannot be written."""
    path = Path(path)
    wb = build_workbook(data, layout, pivots)
    try:
        wb.save(path)
    except PermissionError as exc:
        raise UserError(f"无法写入 {path.name}：文件可能正在 Excel/WPS 中打开，请关闭后重试") from exc
    except OSError as exc:
        raise UserError(f"无法写入 {path.name}{with_reason(exc)}") from exc
    return path
