"""The report as a PDF (reportlab platypus), driven by the same layout and grids as the workbook.

A4 portrait, with wide tables (the layout's ``landscape`` or anything that would not fit) on
landscape pages; a title in 2号 (22 pt), body text in 3号 (16 pt) with a two-character first-line
indent, tables in 五号 with their header rows repeated on every page, merged header cells, bold
合计 rows, the 12-month trend chart, notes, the footer fields and "第 X 页 共 Y 页" on every page.
Fonts are embedded TrueType (see :mod:`.fonts`), so every character prints without system fonts.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as rl_paragraph

from silverdesk.domain.dates import axis_month_labels
from silverdesk.domain.numbers import count_scale
from silverdesk.errors import UserError, with_reason
from silverdesk.reports.fonts import FontSet, register_fonts
from silverdesk.reports.grid import (
    Grid,
    build_grid,
    footer_lines,
    footer_pairs,
    format_value,
    header_label,
    header_texts,
    pivot_grid,
    render,
)
from silverdesk.reports.layout import Layout, TableLayout, default_layout
from silverdesk.reports.model import ReportData
from silverdesk.reports.narrative import narrative_paragraphs
from silverdesk.reports.pivot import PivotTable

MARGIN_X = 20 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 22 * mm
PT_PER_WIDTH_UNIT = 5.6  # one Excel width unit ≈ half a 五号 CJK character plus padding
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}

# reportlab's CJK line breaking knows 、。） but not the full-width ，；：！？ etc. as characters that
# must not start a line (they hang in the margin instead).  Adding them only extends that rule.
_NO_LINE_START = "，；：！？”’》」』】〕％"
# (The ignore: the stubs miss paragraph's copy of the table, which it imports from textsplit.)
for _module in (rl_paragraph, rl_textsplit):
    _module.ALL_CANNOT_START += "".join(c for c in _NO_LINE_START if c not in _module.ALL_CANNOT_START)  # type: ignore[attr-defined]


class _Styles:
    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.title = ParagraphStyle(
            "title", fontName=fonts.title, fontSize=22, leading=32, alignment=TA_CENTER
        )
        self.subtitle = ParagraphStyle(
            "subtitle", fontName=fonts.body, fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=6
        )
        self.heading = ParagraphStyle(
            "heading", fontName=fonts.heading, fontSize=16, leading=28, spaceBefore=6
        )
        self.body = ParagraphStyle(
            "body",
            fontName=fonts.body,
            fontSize=16,
            leading=28,
            firstLineIndent=32,
            alignment=TA_JUSTIFY,
            wordWrap="CJK",
        )
        self.meta = ParagraphStyle("meta", fontName=fonts.body, fontSize=12, leading=18, wordWrap="CJK")
        self.caption = ParagraphStyle(
            "caption",
            fontName=fonts.heading,
            fontSize=14,
            leading=22,
            alignment=TA_CENTER,
            spaceBefore=4,
            spaceAfter=4,
        )
        self.note = ParagraphStyle("note", fontName=fonts.body, fontSize=10.5, leading=16, wordWrap="CJK")
        self.notes = ParagraphStyle("notes", fontName=fonts.body, fontSize=12, leading=20, wordWrap="CJK")
        self.cell = ParagraphStyle("cell", fontName=fonts.body, fontSize=10.5, leading=13, wordWrap="CJK")
        self.head = ParagraphStyle("head", parent=self.cell, fontName=fonts.bold, alignment=TA_CENTER)

    def para(self, text: str, style: ParagraphStyle, **overrides: Any) -> Paragraph:
        if overrides:
            style = ParagraphStyle(f"{style.name}+", parent=style, **overrides)
        return Paragraph(self.fonts.markup(text, style.fontName), style)


class _NumberedCanvas(rl_canvas.Canvas):
    """Defers pages so that each can say "第 X 页 共 Y 页"."""

    page_font = "Helvetica"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initialFontName", self.page_font)  # no stray Helvetica resource
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # Canvas internals, not in the stubs

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            width, _height = self._pagesize  # type: ignore[attr-defined]  # as above
            self.setFont(self.page_font, 10.5)
            self.drawCentredString(width / 2, 12 * mm, f"第 {self._pageNumber} 页 共 {total} 页")  # type: ignore[attr-defined]
            super().showPage()
        super().save()


def _canvas_class(fonts: FontSet) -> type[_NumberedCanvas]:
    return type("NumberedCanvas", (_NumberedCanvas,), {"page_font": fonts.body})


def _frame_width(is_landscape: bool) -> float:
    width = landscape(A4)[0] if is_landscape else A4[0]
    return width - 2 * MARGIN_X


def _needs_landscape(table: TableLayout) -> bool:
    natural = sum(c.width for c in table.columns) * PT_PER_WIDTH_UNIT
    return table.landscape or natural > _frame_width(False)


def _header_block(layout: Layout, data: ReportData, st: _Styles, width: float) -> Flowable:
    left, center, right = header_texts(layout, data)
    texts = [t for t in (left, center, right) if t]
    cells = [
        st.para(left, st.meta),
        st.para(center, st.meta, alignment=TA_CENTER),
        st.para(right, st.meta, alignment=TA_RIGHT),
    ]
    widths = [width * 0.42, width * 0.2, width * 0.38]
    fits = all(st.meta.fontSize * len(t) <= w - 4 for t, w in zip((left, center, right), widths, strict=True))
    if fits:
        table = Table([cells], colWidths=widths)
    else:
        table = Table(
            [[st.para(t, st.meta, alignment=TA_RIGHT if t == right else TA_LEFT)] for t in texts],
            colWidths=[width],
        )
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _title(layout: Layout, data: ReportData, st: _Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = [st.para(render(layout.title, data), st.title)]
    if layout.subtitle:
        out.append(st.para(render(layout.subtitle, data), st.subtitle))
    out.append(_header_block(layout, data, st, width))
    out.append(Spacer(1, 4))
    return out


def _table(grid: Grid, st: _Styles, width: float) -> Table:
    """A grid as a reportlab Table scaled to ``width``, header rows repeated on each page."""
    scale = width / sum(grid.widths)
    col_widths = [w * scale for w in grid.widths]
    n_cols = len(col_widths)
    rows: list[list[Any]] = [["" for _ in range(n_cols)] for _ in range(grid.header_rows)]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, grid.header_rows - 1), colors.HexColor("#F2F2F2")),
        ("FONTNAME", (0, 0), (-1, -1), st.fonts.body),
        ("FONTSIZE", (0, 0), (-1, -1), 10.5),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for h in grid.header:
        span_width = sum(col_widths[h.col : h.col + h.colspan])
        label = header_label(h.text, (span_width - 6) / st.head.fontSize * 2)
        rows[h.row][h.col] = (
            st.para(label.replace("\n", "<br/>"), st.head)
            if "\n" not in label
            else Paragraph(
                "<br/>".join(st.fonts.markup(p, st.head.fontName) for p in label.split("\n")), st.head
            )
        )
        if h.rowspan > 1 or h.colspan > 1:
            commands.append(("SPAN", (h.col, h.row), (h.col + h.colspan - 1, h.row + h.rowspan - 1)))
    for i, cells in enumerate(grid.body):
        r = grid.header_rows + i
        is_total = i == grid.total_row
        font = st.fonts.bold if is_total else st.fonts.body
        row: list[Any] = []
        for j, cell in enumerate(cells):
            text = format_value(cell.value, cell.number_format)
            if isinstance(cell.value, str) and text:
                align = TA_CENTER if is_total else _ALIGN[cell.align]
                row.append(
                    st.para(text, st.cell, fontName=font, alignment=align, leftIndent=cell.indent * 21)
                )
            else:
                row.append(text)
                commands.append(("ALIGN", (j, r), (j, r), cell.align.upper()))
        if is_total:
            commands.append(("FONTNAME", (0, r), (-1, r), font))
        rows.append(row)
    table = Table(rows, colWidths=col_widths, repeatRows=grid.header_rows, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


def _trend_chart(layout: Layout, data: ReportData, st: _Styles, width: float) -> Flowable | None:
    charts = layout.narrative.charts
    if not data.trend or not charts:
        return None
    height = 190.0
    drawing = Drawing(width, height)
    each = width / len(charts)
    labels = axis_month_labels([p.label for p in data.trend])  # "2025年12月", "2026年1月", "2月", …
    for k, chart_layout in enumerate(charts):
        values = [getattr(p, chart_layout.field) for p in data.trend]
        chart = HorizontalLineChart()
        # the stubs type a widget's position and size as int; reportlab takes any number
        chart.x, chart.y = k * each + 48, 52  # type: ignore[assignment]
        chart.width, chart.height = each - 66, height - 82  # type: ignore[assignment]
        chart.data = [values]
        chart.lines[0].strokeColor = colors.HexColor("#C00000")
        chart.lines[0].strokeWidth = 1.5
        chart.categoryAxis.categoryNames = labels
        chart.categoryAxis.labels.fontName = st.fonts.body
        chart.categoryAxis.labels.fontSize = 7.5
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.valueAxis.labels.fontName = st.fonts.body
        chart.valueAxis.labels.fontSize = 8
        top, step = count_scale(max(values))
        chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, top, step
        chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
        chart.valueAxis.visibleGrid = True
        chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
        drawing.add(chart)
        drawing.add(
            String(
                k * each + each / 2,
                height - 14,
                chart_layout.title,
                fontName=st.fonts.heading,
                fontSize=11,
                textAnchor="middle",
            )
        )
    return drawing


def _footer(layout: Layout, data: ReportData, st: _Styles, width: float) -> list[Flowable]:
    lines = footer_lines(footer_pairs(layout, data), width / st.meta.fontSize * 2)
    # room above each line for a hand-written signature on the lines left blank
    return [Spacer(1, 10), *(st.para(line, st.meta, leading=30) for line in lines)]


def build_story(
    data: ReportData, layout: Layout, fonts: FontSet, pivots: Mapping[str, PivotTable] | None = None
) -> list[Flowable]:
    """The flowables of the whole report, in the layout's ``pdf_order`` (``pivots``: see write_pdf)."""
    st = _Styles(fonts)
    width = _frame_width(False)
    story: list[Flowable] = [*_title(layout, data, st, width)]
    on_landscape = False
    for entry in layout.pdf_order:
        if entry == "narrative":
            if layout.narrative.caption:
                story.append(st.para(layout.narrative.caption, st.heading))
            story += [st.para(p, st.body) for p in narrative_paragraphs(data)]
            chart = _trend_chart(layout, data, st, _frame_width(on_landscape))
            if chart is not None:
                story += [Spacer(1, 8), chart]
        elif entry == "notes":
            if data.notes:
                block: list[Flowable] = [st.para(layout.narrative.notes_caption, st.heading)]
                block += [st.para(f"{i}. {n}", st.notes) for i, n in enumerate(data.notes, start=1)]
                story.append(KeepTogether(block))
        elif entry == "footer":
            story += _footer(layout, data, st, _frame_width(on_landscape))
        else:
            table = layout.table(entry)
            pivot = (pivots or {}).get(table.id)
            if table.kind == "model" and pivot is None:
                continue
            grid = pivot_grid(table, pivot) if pivot is not None else build_grid(data, table)
            wants_landscape = _needs_landscape(grid.table)
            if wants_landscape != on_landscape:
                story += [NextPageTemplate("landscape" if wants_landscape else "portrait"), PageBreak()]
                on_landscape = wants_landscape
            width = _frame_width(on_landscape)
            block = [st.para(table.caption, st.caption), _table(grid, st, width)]
            block += [st.para(n, st.note) for n in grid.table.notes]
            story += [Spacer(1, 8), *block] if len(grid.body) > 25 else [Spacer(1, 8), KeepTogether(block)]
    return story


def _doc(path: Path, data: ReportData) -> BaseDocTemplate:
    def frame(size: tuple[float, float], frame_id: str) -> Frame:
        return Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            size[0] - 2 * MARGIN_X,
            size[1] - MARGIN_TOP - MARGIN_BOTTOM,
            id=frame_id,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    portrait_t = PageTemplate("portrait", frames=[frame(A4, "p")], pagesize=A4)
    landscape_t = PageTemplate("landscape", frames=[frame(landscape(A4), "l")], pagesize=landscape(A4))
    return BaseDocTemplate(
        str(path),
        pagesize=A4,
        pageTemplates=[portrait_t, landscape_t],
        title=f"{data.title}（{data.period.label}）",
        author=data.issuer,
        subject=data.period.range_text,
        creator="silverdesk",
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
    )


def write_pdf(
    data: ReportData,
    path: str | Path,
    layout: Layout | None = None,
    fonts: FontSet | None = None,
    pivots: Mapping[str, PivotTable] | None = None,
) -> Path:
    """Write the report as a PDF to ``path``; :class:`UserError` if the file cannot be written.

    ``fonts`` defaults to :func:`register_fonts` (official fonts if installed, else the shipped one);
    ``pivots``: the answers of the layout's measure × dimension tables by table id (one without is left out).
    """
    path = Path(path)
    layout = layout or default_layout()
    fonts = fonts or register_fonts()
    doc = _doc(path, data)
    story = build_story(data, layout, fonts, pivots)
    try:
        doc.build(story, canvasmaker=_canvas_class(fonts))
    except PermissionError as exc:
        raise UserError(f"无法写入 {path.name}：文件可能正在被其他程序打开，请关闭后重试") from exc
    except OSError as exc:
        raise UserError(f"无法写入 {path.name}{with_reason(exc)}") from exc
    return path
