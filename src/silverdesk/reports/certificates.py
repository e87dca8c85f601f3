"""志愿服务证明 (A4 portrait, may run to several pages) and 荣誉证书 (one A4 landscape page each).

DTOs in (``silverdesk.domain.certificates``), PDF out; no database, no Qt.  Text is set in the
shipped LXGW WenKai font, embedded, so names with rare characters (𠮷, 䶮) print on any machine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from silverdesk.domain.certificates import HonourCertificate, ServiceCertificate, chinese_date
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.reports import fonts as _fonts_patch  # noqa: F401  (its CMap fix)
from silverdesk.resources import FONT_BOLD, FONT_REGULAR, resource_path

STAR_NAMES = ("", "一星级", "二星级", "三星级", "四星级", "五星级")
RED = colors.HexColor("#B0171F")
GOLD = colors.HexColor("#C9A227")
CREAM = colors.HexColor("#FFFBF0")
Dest = Path | str | IO[bytes]


@cache
def _fonts() -> tuple[str, str]:
    """Register the shipped fonts with reportlab once per process; returns (regular, bold) names.

    The names are private to certificates so they cannot clash with the report's own registration;
    the ToUnicode fix for characters beyond the BMP (𠮷 in a name) is :mod:`.fonts`', applied on import.
    """
    regular, bold = "SdCertKai", "SdCertKaiBold"
    pdfmetrics.registerFont(TTFont(regular, str(resource_path(*FONT_REGULAR))))
    bold_path = resource_path(*FONT_BOLD)
    pdfmetrics.registerFont(
        TTFont(bold, str(bold_path if bold_path.exists() else resource_path(*FONT_REGULAR)))
    )
    return regular, bold


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


# --- 志愿服务证明 --------------------------------------------------------------------------------


def render_service_certificate(cert: ServiceCertificate, dest: Dest, *, cancel: CancelToken = NEVER) -> None:
    """Write the 志愿服务证明 PDF: statement, the record table (header repeated on each page), seal block.

    ``cancel`` is checked as each page is begun (raises :class:`~silverdesk.errors.Cancelled`)."""
    regular, bold = _fonts()
    body = ParagraphStyle(
        "body",
        fontName=regular,
        fontSize=12.5,
        leading=22,
        alignment=TA_JUSTIFY,
        firstLineIndent=25,
        wordWrap="CJK",
    )
    cell = ParagraphStyle("cell", fontName=regular, fontSize=10, leading=13, wordWrap="CJK")
    cell_c = ParagraphStyle("cellc", parent=cell, alignment=TA_CENTER)
    cell_r = ParagraphStyle("cellr", parent=cell, alignment=TA_RIGHT)
    title = ParagraphStyle(
        "title", fontName=bold, fontSize=26, leading=34, alignment=TA_CENTER, textColor=RED, spaceAfter=4
    )
    small_r = ParagraphStyle(
        "smallr",
        fontName=regular,
        fontSize=9.5,
        leading=12,
        alignment=TA_RIGHT,
        textColor=colors.HexColor("#555555"),
    )
    sign = ParagraphStyle("sign", fontName=regular, fontSize=12.5, leading=22, alignment=TA_RIGHT)

    hours = f"{cert.total_hours:g}"
    who = (
        cert.name
        + (f"（{cert.gender}" if cert.gender else "（")
        + (f"，身份证号{cert.id_number_masked}）" if cert.id_number_masked else "）")
    )
    if who.endswith("（）"):
        who = cert.name
    star = ""
    if cert.star_level:
        star = f"，{cert.star_year}年度被评为{STAR_NAMES[cert.star_level]}志愿者"
    if cert.records:
        statement = (
            f"兹证明{who}于{chinese_date(cert.period_start)}至{chinese_date(cert.period_end)}期间，"
            f"参加离退休干部志愿服务活动{len(cert.records)}次，累计服务时长{hours}小时{star}。"
            "服务记录如下："
        )
    else:
        statement = (
            f"兹证明{who}于{chinese_date(cert.period_start)}至{chinese_date(cert.period_end)}期间"
            f"暂无登记的志愿服务记录{star}。"
        )

    story: list[Flowable] = [
        Paragraph(_text(f"编号：{cert.number}"), small_r),
        Spacer(1, 8 * mm),
        Paragraph("志愿服务证明", title),
        Spacer(1, 8 * mm),
        Paragraph(_text(statement), body),
        Spacer(1, 4 * mm),
    ]
    if cert.records:
        header: list[Paragraph | str] = [
            Paragraph(h, cell_c) for h in ("序号", "日期", "活动名称", "组织单位／服务队", "时长（小时）")
        ]
        rows = [header]
        for i, r in enumerate(cert.records, start=1):
            rows.append(
                [
                    Paragraph(str(i), cell_c),
                    Paragraph(f"{r.day:%Y-%m-%d}", cell_c),
                    Paragraph(_text(r.title), cell),
                    Paragraph(_text(r.organiser), cell),
                    Paragraph(f"{r.hours:g}", cell_r),
                ]
            )
        rows.append([Paragraph("合计", cell_c), "", "", "", Paragraph(hours, cell_r)])
        table = LongTable(rows, colWidths=[12 * mm, 24 * mm, 62 * mm, 50 * mm, 22 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#888888")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F3E3C3")),
                    ("SPAN", (0, -1), (3, -1)),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        story.append(table)
    story.append(
        KeepTogether(
            [
                Spacer(1, 8 * mm),
                Paragraph("特此证明。", body),
                Spacer(1, 14 * mm),
                Paragraph(_text(cert.bureau), sign),
                Paragraph(_text(chinese_date(cert.issued_on)), sign),
            ]
        )
    )

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        cancel.raise_if_set()
        canvas.saveState()
        width, height = A4
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(1.2)
        canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        canvas.setLineWidth(0.4)
        canvas.rect(14 * mm, 14 * mm, width - 28 * mm, height - 28 * mm)
        canvas.setFont(regular, 9)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawCentredString(width / 2, 17 * mm, f"{cert.name} 志愿服务证明 · 第 {doc.page} 页")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        _target(dest),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=24 * mm,
        title=f"志愿服务证明 {cert.name}",
        author=cert.bureau,
        subject="志愿服务证明",
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)


# --- 荣誉证书 ------------------------------------------------------------------------------------


def render_honour_certificates(
    certs: Sequence[HonourCertificate],
    dest: Dest,
    *,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
) -> None:
    """Write one landscape A4 荣誉证书 page per entry, in the order given (``cancel`` checked per page)."""
    if not certs:
        raise ValueError("no certificates to render")
    regular, bold = _fonts()
    canvas = Canvas(_target(dest), pagesize=landscape(A4))
    canvas.setTitle(f"荣誉证书（{len(certs)}份）")
    canvas.setAuthor(certs[0].bureau)
    for n, cert in enumerate(certs):
        cancel.raise_if_set()
        progress(n, len(certs), f"正在生成第 {n + 1} 份（共 {len(certs)} 份）")
        _honour_page(canvas, cert, regular, bold)
        canvas.showPage()
    cancel.raise_if_set()
    canvas.save()


def _honour_page(canvas: Canvas, cert: HonourCertificate, regular: str, bold: str) -> None:
    width, height = landscape(A4)
    canvas.setFillColor(CREAM)
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    _border(canvas, width, height)

    canvas.setFillColor(RED)
    canvas.setFont(bold, 50)
    canvas.drawCentredString(width / 2, height - 56 * mm, "荣 誉 证 书")

    name_style = ParagraphStyle("name", fontName=bold, fontSize=24, leading=30, textColor=colors.black)
    frame_w = width - 90 * mm
    name = Paragraph(_text(f"{cert.name}："), name_style)
    _, name_h = name.wrap(frame_w, 40 * mm)
    name.drawOn(canvas, 45 * mm, height - 82 * mm - name_h)
    room = height - 88 * mm - name_h - 56 * mm  # down to just above the issuing bureau
    size = 19.0
    while True:  # a long citation gets a smaller size rather than running into the signature
        style = ParagraphStyle(
            "honour",
            fontName=regular,
            fontSize=size,
            leading=size * 1.75,
            alignment=TA_JUSTIFY,
            firstLineIndent=size * 2,
            wordWrap="CJK",
            textColor=colors.HexColor("#222222"),
        )
        body = Paragraph(_text(cert.body), style)
        _, body_h = body.wrap(frame_w, room)
        if body_h <= room or size <= 11:
            break
        size -= 1
    body.drawOn(canvas, 45 * mm, height - 88 * mm - name_h - body_h)

    canvas.setFillColor(colors.black)
    canvas.setFont(regular, 18)
    right = width - 45 * mm
    canvas.drawRightString(right, 48 * mm, cert.bureau)
    canvas.drawRightString(right, 38 * mm, chinese_date(cert.issued_on))
    canvas.setFont(regular, 10)
    canvas.setFillColor(colors.HexColor("#666666"))
    canvas.drawString(45 * mm, 30 * mm, f"证书编号：{cert.number}")


def _border(canvas: Canvas, width: float, height: float) -> None:
    """A double frame in red and gold, a chain of small diamonds between them, ornaments at the corners."""
    outer, inner = 10 * mm, 17 * mm
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(4)
    canvas.rect(outer, outer, width - 2 * outer, height - 2 * outer)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.5)
    canvas.rect(inner, inner, width - 2 * inner, height - 2 * inner)
    canvas.setLineWidth(0.6)
    canvas.rect(inner + 2 * mm, inner + 2 * mm, width - 2 * inner - 4 * mm, height - 2 * inner - 4 * mm)

    mid = (outer + inner) / 2
    step = 9 * mm
    canvas.setFillColor(GOLD)
    for x0, y0, x1, y1 in (
        (mid + step, mid, width - mid - step, mid),
        (mid + step, height - mid, width - mid - step, height - mid),
        (mid, mid + step, mid, height - mid - step),
        (width - mid, mid + step, width - mid, height - mid - step),
    ):
        length = math.hypot(x1 - x0, y1 - y0)
        count = int(length // step)
        for i in range(count + 1):
            t = i / count if count else 0
            _diamond(canvas, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, 1.4 * mm)
    for cx, cy in ((mid, mid), (width - mid, mid), (mid, height - mid), (width - mid, height - mid)):
        _corner(canvas, cx, cy)


def _diamond(canvas: Canvas, x: float, y: float, r: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + r)
    path.lineTo(x + r, y)
    path.lineTo(x, y - r)
    path.lineTo(x - r, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _corner(canvas: Canvas, x: float, y: float) -> None:
    """A red rosette: a gold ring with eight petals."""
    canvas.saveState()
    canvas.translate(x, y)
    canvas.setFillColor(RED)
    for i in range(8):
        canvas.saveState()
        canvas.rotate(i * 45)
        _diamond(canvas, 0, 4.2 * mm, 1.8 * mm)
        canvas.restoreState()
    canvas.setFillColor(GOLD)
    canvas.circle(0, 0, 3 * mm, stroke=0, fill=1)
    canvas.setFillColor(RED)
    canvas.circle(0, 0, 1.5 * mm, stroke=0, fill=1)
    canvas.restoreState()


def _target(dest: Dest) -> str | IO[bytes]:
    return str(dest) if isinstance(dest, Path | str) else dest
