"""A list as the clerk sees it (people, activities, teams …), printed: a paginated A4 PDF.

What Ctrl+P prints on a list screen: a title, what the list was filtered by, then the table with
its header row repeated on every page and "第 X 页 共 Y 页" below.  Wide lists go on landscape
pages; column widths follow the screen's proportions.  Cells that would not fit wrap (a
Paragraph); the rest stay plain strings, which keeps a few thousand rows quick to lay out.

Qt-free: the GUI renders the PDF in a worker, previews it with QtPdf and sends the pages to the
printer; the same file can be saved.  Values arrive as text, already masked by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from silverdesk.atomic import atomic_target
from silverdesk.errors import UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.reports.fonts import register_fonts
from silverdesk.reports.pdf import _canvas_class

MAX_ROWS = 5000  # about 150 pages: beyond that a printout helps nobody, an Excel export does
FONT_SIZE = 9
MARGIN = 12 * mm


def write_list_pdf(
    path: str | Path,
    title: str,
    headers: Sequence[str],
    widths: Sequence[float],
    rows: Iterable[Sequence[str]],
    *,
    subtitle: str = "",
    total: int | None = None,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
) -> int:
    """Write ``rows`` (cell texts) under ``headers`` to the PDF ``path``; returns the row count.

    Args:
        widths: relative column widths (the screen's, in characters).
        subtitle: one line under the title, e.g. the filter in force.
        total: the number of rows, for progress and the row limit.

    Raises:
        UserError: more than :data:`MAX_ROWS` rows (the clerk is told to filter or export).
        Cancelled: ``cancel`` was set; no file is left behind.
    """
    if total is not None and total > MAX_ROWS:
        raise UserError(
            f"当前列表有 {total:,} 行，打印出来约 {total // 33 + 1:,} 页；"
            f"请先筛选到 {MAX_ROWS:,} 行以内再打印，或用“导出 Excel”"
        )
    if not headers:
        raise UserError("没有可打印的列；请在列标题上点右键选择要显示的列")
    fonts = register_fonts(())
    cell = ParagraphStyle(
        "cell", fontName=fonts.body, fontSize=FONT_SIZE, leading=FONT_SIZE * 1.25, wordWrap="CJK"
    )
    head = ParagraphStyle("head", parent=cell, fontName=fonts.bold)
    natural = sum(widths) * FONT_SIZE * 1.05
    page = landscape(A4) if natural > A4[0] - 2 * MARGIN else A4
    frame = page[0] - 2 * MARGIN
    col_widths = [frame * w / sum(widths) for w in widths]
    # a plain string holds one line; longer texts (or characters the body font lacks) wrap in a Paragraph
    fits = [max(1, int((w - 6) / FONT_SIZE)) for w in col_widths]

    def as_cell(text: str, i: int) -> str | Paragraph:
        if _width_in_chars(text) <= fits[i] and all(fonts.covers(fonts.body, ch) for ch in text):
            return text
        return Paragraph(fonts.markup(text, fonts.body), cell)

    data: list[list[str | Paragraph]] = [[Paragraph(fonts.markup(h, fonts.bold), head) for h in headers]]
    for n, row in enumerate(rows, 1):
        data.append([as_cell(str(v), i) for i, v in enumerate(row)])
        if n % 200 == 0:
            cancel.raise_if_set()
            progress(n, total or n)
        if total is None and n > MAX_ROWS:
            raise UserError(f"当前列表超过 {MAX_ROWS:,} 行；请先筛选再打印，或用“导出 Excel”")
    table = LongTable(data, colWidths=col_widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.body),
                ("FONTSIZE", (0, 0), (-1, -1), FONT_SIZE),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8ECF2")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    title_style = ParagraphStyle("title", fontName=fonts.title, fontSize=16, leading=24, alignment=1)
    meta_style = ParagraphStyle(
        "meta", fontName=fonts.body, fontSize=FONT_SIZE + 1, leading=16, wordWrap="CJK"
    )
    stamp = f"共 {len(data) - 1:,} 条　打印日期 {dt.date.today():%Y-%m-%d}"
    story = [
        Paragraph(fonts.markup(title, fonts.title), title_style),
        Paragraph(fonts.markup(f"{subtitle}　{stamp}" if subtitle else stamp), meta_style),
        Spacer(1, 2 * mm),
        table,
    ]
    cancel.raise_if_set()

    def page_done(_canvas: object, _doc: object) -> None:
        cancel.raise_if_set()  # a long list is laid out page by page: stop between pages

    with atomic_target(path) as partial:
        doc = SimpleDocTemplate(
            str(partial),
            pagesize=page,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=18 * mm,
            title=title,
            author="silverdesk",
        )
        doc.build(story, onFirstPage=page_done, onLaterPages=page_done, canvasmaker=_canvas_class(fonts))
    return len(data) - 1


def _width_in_chars(text: str) -> float:
    """Width in CJK characters: ASCII counts half."""
    return sum(0.55 if ord(ch) < 128 else 1.0 for ch in text)
