"""A 分组统计 table (:class:`~silverdesk.reports.pivot.PivotTable`) as an Excel workbook.

Title, 统计范围 / 统计时段 / 筛选 lines, the 同比/环比 line, the header (a column dimension's label merged over its measures),
the rows with the 合计 row bold, figures as numbers with their formats (hours ``0.0``), then the counting
rules as 编报说明. Printed on A4, fitted to the width, the header repeated on every page. Written whole
or not at all (:func:`silverdesk.atomic.atomic_target`).
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from silverdesk.atomic import atomic_target
from silverdesk.reports.pivot import PivotTable
from silverdesk.reports.pivot_cells import header_grid, number_format

FONT = "宋体"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_TOTAL_FILL = PatternFill("solid", fgColor="FAFAFA")


def _cell(ws: Worksheet, row: int, column: int) -> Cell:
    return cast(Cell, ws.cell(row=row, column=column))


def _width(text: str) -> float:
    """Excel column width of ``text``: a Chinese character takes about two."""
    return sum(1.0 if ord(ch) < 128 else 2.0 for ch in text)


def write_pivot_xlsx(table: PivotTable, path: str | Path) -> Path:
    """Write ``table`` to the workbook ``path`` (replaced whole); returns ``path``."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook has its sheet
    ws.title = "分组统计"
    lead = len(table.row_headers) or 1
    ncols = lead + len(table.columns)
    body, bold = Font(name=FONT, size=11), Font(name=FONT, size=11, bold=True)

    def line(row: int, text: str, font: Font, height: float = 18.0) -> None:
        cell = _cell(ws, row, 1)
        cell.value, cell.font = text, font
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        if ncols > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        ws.row_dimensions[row].height = height

    line(1, table.title, Font(name=FONT, size=16, bold=True), 28)
    _cell(ws, 1, 1).alignment = Alignment(horizontal="center", vertical="center")
    line(2, f"统计范围：{table.scope}　　统计时段：{table.period}", body)
    row = 3
    if table.filters:
        line(row, "筛选：" + "；".join(table.filters), body)
        row += 1
    if table.comparison:
        line(row, table.comparison, body)
        row += 1
    head_top = row + 1
    lines, spans = header_grid(table)
    for i, cells in enumerate(lines):
        for j, text in enumerate(cells):
            cell = _cell(ws, head_top + i, j + 1)
            cell.value = text or None
            cell.font, cell.fill, cell.border = bold, _HEAD_FILL, _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for sp in spans:
        ws.merge_cells(
            start_row=head_top + sp.line,
            start_column=sp.first + 1,
            end_row=head_top + sp.last_line,
            end_column=sp.last + 1,
        )
    head_bottom = head_top + len(lines) - 1
    formats = [number_format(c) for c in table.columns]
    widths = [max(_width(h), 8.0) for h in (table.row_headers or ("",))]
    widths += [max(_width(f"{c.measure}（{c.unit}）") * 0.6, 10.0) for c in table.columns]
    row = head_bottom + 1
    for r in table.rows:
        font = bold if r.total else body
        for j in range(lead):
            text = r.labels[j] if j < len(r.labels) else ""
            cell = _cell(ws, row, j + 1)
            cell.value, cell.font, cell.border = text, font, _BORDER
            cell.number_format = "@"
            widths[j] = max(widths[j], _width(text) + 2)
        for j, value in enumerate(r.values):
            cell = _cell(ws, row, lead + j + 1)
            cell.value, cell.font, cell.border = "—" if value is None else value, font, _BORDER
            cell.number_format = formats[j]  # no figure (a growth rate without a base): —
            cell.alignment = Alignment(horizontal="right")
        if r.total:
            for j in range(ncols):
                _cell(ws, row, j + 1).fill = _TOTAL_FILL
            if lead > 1:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=lead)
        row += 1
    for j, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = min(w, 40.0)
    if table.notes:
        row += 1
        line(row, "编报说明", bold)
        for n, note in enumerate(table.notes, 1):
            row += 1
            per_line = max(sum(min(w, 40.0) for w in widths) / 2.0, 20.0)
            line(row, f"{n}. {note}", body, 16.0 * (1 + int(len(note) / per_line)))
    ws.freeze_panes = f"{get_column_letter(lead + 1)}{head_bottom + 1}"
    _print_setup(ws, landscape=sum(widths) > 100, title_rows=(head_top, head_bottom))
    with atomic_target(path) as partial:
        wb.save(partial)
    return Path(path)


def _print_setup(ws: Worksheet, landscape: bool, title_rows: tuple[int, int]) -> None:
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
    assert footer is not None
    footer.center.text = "第 &P 页 共 &N 页"
    ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
