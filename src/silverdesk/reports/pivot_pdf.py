"""A 分组统计 table (:class:`~silverdesk.reports.pivot.PivotTable`) as a PDF: A4 (landscape when wide), the
app's Chinese fonts, title, 统计范围 / 统计时段 / 筛选, the header (merged over a column dimension's
measures) repeated on every page, the 合计 row bold, 编报说明 under the table, "第 X 页 共 Y 页". Written
whole or not at all (:func:`silverdesk.atomic.atomic_target`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from silverdesk.atomic import atomic_target
from silverdesk.reports.fonts import register_fonts
from silverdesk.reports.pdf import _canvas_class
from silverdesk.reports.pivot import DataColumn, PivotTable
from silverdesk.reports.pivot_cells import Span, cell_text, header_grid

FONT_SIZE = 9
MARGIN = 12 * mm


def _chars(text: str) -> float:
    """Width in Chinese characters: ASCII counts about half."""
    return sum(0.55 if ord(ch) < 128 else 1.0 for ch in text)


def write_pivot_pdf(table: PivotTable, path: str | Path) -> Path:
    """Write ``table`` to the PDF ``path`` (replaced whole); returns ``path``.

    A table too wide for a landscape page even in small print is cut into column blocks (a column
    dimension's value with all its measures stays together), each block with the row labels again."""
    fonts = register_fonts(())
    texts = [[cell_text(v, c) for v, c in zip(r.values, table.columns, strict=True)] for r in table.rows]
    lead = len(table.row_headers) or 1
    label_widths = [max(_chars(h), 4.0) for h in (table.row_headers or ("",))]
    for r in table.rows:
        for i in range(lead):
            label_widths[i] = max(label_widths[i], _chars(r.labels[i] if i < len(r.labels) else ""))
    label_widths = [min(w, 12.0) for w in label_widths]
    data_widths = []
    for j, c in enumerate(table.columns):
        widest = max((_chars(t[j]) for t in texts), default=1.0)
        data_widths.append(max(widest + 0.5, min(_chars(c.measure), 5.0), _chars(f"（{c.unit}）") * 0.8, 3.0))
    size, page, blocks = _fit(table, label_widths, data_widths)
    cell = ParagraphStyle("cell", fontName=fonts.body, fontSize=size, leading=size * 1.3, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, fontName=fonts.bold, alignment=1)
    total = ParagraphStyle("total", parent=cell, fontName=fonts.bold)

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(fonts.markup(text, style.fontName), style)

    def heading(text: str) -> str | Paragraph:
        name, bracket, unit = text.partition("（")
        if not bracket:
            return para(text, head) if text else ""
        return Paragraph(
            f"{fonts.markup(name, head.fontName)}<br/>{fonts.markup(bracket + unit, head.fontName)}", head
        )

    story: list[Flowable] = []
    for n, block in enumerate(blocks):
        part = _part(table, block)
        lines, spans = header_grid(part)
        widths = label_widths + [data_widths[j] for j in block]
        col_widths = [_points(w, size) for w in widths]
        data: list[list[str | Paragraph]] = [[heading(t) for t in line] for line in lines]
        for r in part.rows:
            labels = [
                para(r.labels[i] if i < len(r.labels) else "", total if r.total else cell)
                for i in range(lead)
            ]
            data.append([*labels, *(cell_text(v, c) for v, c in zip(r.values, part.columns, strict=True))])
        if n:
            story += [Spacer(1, 4 * mm), para(f"（续表 {n + 1}/{len(blocks)}）", cell)]
        story.append(_grid(data, col_widths, spans, part, lead, len(lines), size, fonts.body, fonts.bold))
    title_style = ParagraphStyle("title", fontName=fonts.title, fontSize=16, leading=24, alignment=1)
    meta = ParagraphStyle("meta", fontName=fonts.body, fontSize=FONT_SIZE + 1, leading=15, wordWrap="CJK")
    notes_head = ParagraphStyle("notes", parent=meta, fontName=fonts.bold, spaceBefore=6)
    top: list[Flowable] = [
        Paragraph(fonts.markup(table.title, fonts.title), title_style),
        Paragraph(fonts.markup(f"统计范围：{table.scope}　　统计时段：{table.period}"), meta),
    ]
    if table.filters:
        top.append(Paragraph(fonts.markup("筛选：" + "；".join(table.filters)), meta))
    if table.comparison:
        top.append(Paragraph(fonts.markup(table.comparison), meta))
    story = [*top, Spacer(1, 2 * mm), *story]
    if table.notes:
        story.append(Paragraph(fonts.markup("编报说明", fonts.bold), notes_head))
        story += [Paragraph(fonts.markup(f"{i}. {note}"), meta) for i, note in enumerate(table.notes, 1)]
    with atomic_target(path) as partial:
        doc = SimpleDocTemplate(
            str(partial),
            pagesize=page,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=18 * mm,
            title=table.title,
            author="silverdesk",
        )
        doc.build(story, canvasmaker=_canvas_class(fonts))
    return Path(path)


def _points(chars: float, size: float) -> float:
    return chars * size * 1.08 + 6


def _fit(
    table: PivotTable, label_widths: list[float], data_widths: list[float]
) -> tuple[float, tuple[float, float], list[list[int]]]:
    """The font size, the page and the column blocks: portrait, else landscape, at 9 pt, else smaller down
    to 7 pt; still too wide, blocks of whole column groups that each fit."""
    for page in (A4, landscape(A4)):
        for size in (FONT_SIZE, 8.0, 7.0):
            if page is A4 and size < FONT_SIZE:
                break
            room = page[0] - 2 * MARGIN
            need = sum(_points(w, size) for w in label_widths) + sum(_points(w, size) for w in data_widths)
            if need <= room:
                return size, page, [list(range(len(data_widths)))]
    size, page = 7.0, landscape(A4)
    room = page[0] - 2 * MARGIN - sum(_points(w, size) for w in label_widths)
    groups: list[list[int]] = []

    def group(c: DataColumn) -> tuple[object, ...]:
        """Columns kept together: a column dimension's value; without one, a compared measure's four."""
        return (c.total, c.labels) if c.labels else (c.total, c.measure)

    for j, c in enumerate(table.columns):
        if groups and group(c) == group(table.columns[groups[-1][0]]):
            groups[-1].append(j)
        else:
            groups.append([j])
    blocks: list[list[int]] = []
    used = room + 1
    for g in groups:
        width = sum(_points(data_widths[j], size) for j in g)
        if used + width > room and (not blocks or blocks[-1]):
            blocks.append([])
            used = 0.0
        blocks[-1].extend(g)
        used += width
    return size, page, blocks


def _part(table: PivotTable, block: list[int]) -> PivotTable:
    """``table`` with only the data columns ``block``."""
    if len(block) == len(table.columns):
        return table
    rows = tuple(replace(r, values=tuple(r.values[j] for j in block)) for r in table.rows)
    return replace(table, columns=tuple(table.columns[j] for j in block), rows=rows)


def _grid(
    data: list[list[str | Paragraph]],
    col_widths: list[float],
    spans: list[Span],
    part: PivotTable,
    lead: int,
    n_head: int,
    size: float,
    body: str,
    bold: str,
) -> LongTable:
    style: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), body),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BACKGROUND", (0, 0), (-1, n_head - 1), colors.HexColor("#E8ECF2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (lead, n_head), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    style += [("SPAN", (sp.first, sp.line), (sp.last, sp.last_line)) for sp in spans]
    for i, r in enumerate(part.rows):
        if r.total:
            row = n_head + i
            style += [
                ("FONTNAME", (0, row), (-1, row), bold),
                ("BACKGROUND", (0, row), (-1, row), colors.HexColor("#F5F5F5")),
            ]
            if lead > 1:
                style.append(("SPAN", (0, row), (lead - 1, row)))
    grid = LongTable(data, colWidths=col_widths, repeatRows=n_head)
    grid.setStyle(TableStyle(style))
    return grid
