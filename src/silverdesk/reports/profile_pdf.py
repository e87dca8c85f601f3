"""一人一档 on paper: one A4 portrait page per person (:class:`~silverdesk.reports.profile.PersonProfile`).

Sections: 基本情况 (masked phone and address unless the caller chose otherwise), 人才库与星级, 服务队与
党组织, 社区任职与社区报到 (current and past, with dates), the span's 活动 (the first
:data:`MAX_ACTIVITIES` by date; the count and total hours always, so nothing is lost when more did not
fit), 荣誉, 积分.  Set in the office's fonts or the shipped CJK font (:mod:`.fonts`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from silverdesk.atomic import atomic_target
from silverdesk.domain.numbers import count_text, hours_text
from silverdesk.domain.privacy import MaskPolicy
from silverdesk.reports.fonts import FontSet, register_fonts
from silverdesk.reports.pdf import _canvas_class
from silverdesk.reports.profile import DatedRow, PersonProfile, mask_profile

MAX_ACTIVITIES = 12  # more would not fit one page next to a typical person's roles
MAX_ROWS = 6  # per dated section (teams, roles …): the current ones first, then the latest past
FONT_SIZE = 9.5
MARGIN = 14 * mm
STAR_NAMES = ("未评星", "一星级", "二星级", "三星级", "四星级", "五星级")
HEAD = colors.HexColor("#E8ECF2")


def day_text(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "不详"


def span_text(row: DatedRow) -> str:
    return f"{day_text(row.since)} 至 {'今' if row.until is None else day_text(row.until)}"


def points_text(value: float) -> str:
    """``1,234.5``: at most two decimals, no trailing zeros, never ``-0``."""
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value else "0"


class _Page:
    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.width = A4[0] - 2 * MARGIN
        self.cell = ParagraphStyle(
            "cell", fontName=fonts.body, fontSize=FONT_SIZE, leading=FONT_SIZE * 1.3, wordWrap="CJK"
        )
        self.label = ParagraphStyle("label", parent=self.cell, fontName=fonts.bold)
        self.section = ParagraphStyle(
            "section", fontName=fonts.heading, fontSize=11.5, leading=16, spaceBefore=5, spaceAfter=2
        )

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        style = style or self.cell
        return Paragraph(self.fonts.markup(text, style.fontName), style)

    def heading(self, text: str) -> Paragraph:
        return self.p(text, self.section)

    def table(
        self,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        header: bool = True,
        labels: bool = False,
    ) -> Table:
        data = [
            [
                self.p(v, self.label if (header and i == 0) or (labels and j % 2 == 0) else self.cell)
                for j, v in enumerate(r)
            ]
            for i, r in enumerate(rows)
        ]
        table = Table(data, colWidths=[self.width * w / sum(widths) for w in widths])
        style: list[Any] = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD))
        if labels:
            for j in range(0, len(widths), 2):
                style.append(("BACKGROUND", (j, 0), (j, -1), HEAD))
        table.setStyle(TableStyle(style))
        return table


def _identity(profile: PersonProfile, page: _Page) -> Table:
    rows = [
        ("姓名", profile.name, "性别", profile.gender or "—"),
        ("出生日期", day_text(profile.birth_date), "民族", profile.ethnicity or "—"),
        ("政治面貌", profile.political_status or "—", "文化程度", profile.education or "—"),
        ("原工作单位", profile.former_employer or "—", "原职务", profile.former_post or "—"),
        ("职级", profile.rank or "—", "离休/退休", profile.retirement_type or "—"),
        ("所属单位", profile.unit or "—", "居住社区", profile.community or "—"),
        ("联系电话", profile.phone or "—", "家庭住址", profile.address or "—"),
    ]
    return page.table(rows, (1.1, 2.4, 1.1, 2.4), header=False, labels=True)


def _latest(rows: Sequence[DatedRow]) -> tuple[list[DatedRow], int]:
    """The current rows first, then the latest past ones, at most :data:`MAX_ROWS`; how many were left out."""
    ordered = sorted(
        rows, key=lambda r: (r.until is not None, -(r.until or r.since or dt.date.min).toordinal())
    )
    return ordered[:MAX_ROWS], max(0, len(ordered) - MAX_ROWS)


def _dated(
    page: _Page, kind_rows: Sequence[tuple[str, Sequence[DatedRow]]], headers: Sequence[str]
) -> list[Flowable]:
    rows: list[Sequence[str]] = [headers]
    left = 0
    for kind, dated in kind_rows:
        shown, more = _latest(dated)
        left += more
        rows += [
            (kind, r.name, r.role or "—", span_text(r), "现任" if r.current else "已结束") for r in shown
        ]
    if len(rows) == 1:
        return [page.p("无记录")]
    out: list[Flowable] = [page.table(rows, (1.1, 3.2, 1.3, 2.3, 0.9))]
    if left:
        out.append(page.p(f"另有较早的 {left} 条记录未列出"))
    return out


def _activities(profile: PersonProfile, page: _Page, limit: int) -> list[Flowable]:
    total = f"共 {count_text(profile.activity_count)} 项，服务时长 {hours_text(profile.activity_hours)} 小时"
    if not profile.activities:
        return [page.p("本时段无活动记录")]
    shown = profile.activities[:limit]
    rows = [("日期", "活动", "时长（小时）")] + [
        (day_text(a.day), a.title, hours_text(a.hours)) for a in shown
    ]
    out: list[Flowable] = [page.p(total)]
    if shown:
        out.append(page.table(rows, (1.2, 5.6, 1.2)))
    more = profile.activities[limit:]
    if more:
        out.append(
            page.p(
                f"……另有 {count_text(len(more))} 项（{hours_text(sum(a.hours for a in more))} 小时）未列出，"
                "见活动列表"
            )
        )
    return out


def story(profile: PersonProfile, fonts: FontSet, limit: int = MAX_ACTIVITIES) -> list[Flowable]:
    page = _Page(fonts)
    title = ParagraphStyle("title", fontName=fonts.title, fontSize=18, leading=26, alignment=1)
    meta = ParagraphStyle("meta", parent=page.cell, alignment=1)
    talents = "；".join(f"{c}（{s}）" if s else c for c, s in profile.talents) or "未入人才库"
    star = STAR_NAMES[profile.star_level] if profile.star_level else "未评星"
    pts = profile.points
    points = (
        f"期初 {points_text(pts.opening)} 分；本时段 {pts.entries} 笔：服务获得 {points_text(pts.earned)} 分，"
        f"兑换 {points_text(abs(pts.redeemed))} 分，调整 {points_text(pts.adjusted)} 分；"
        f"期末余额 {points_text(pts.closing)} 分"
    )
    honours = [("荣誉称号", "级别", "授予单位", "授予时间")] + [
        (h.title, h.level, h.issuer or "—", day_text(h.awarded_on)) for h in profile.honours
    ]
    flow: list[Flowable] = [
        page.p(f"离退休干部一人一档　{profile.name}", title),
        page.p(
            f"时段 {day_text(profile.start)} 至 {day_text(profile.end)}　状态 {profile.status}"
            f"　打印日期 {day_text(profile.printed_on)}",
            meta,
        ),
        Spacer(1, 2 * mm),
        page.heading("一、基本情况"),
        _identity(profile, page),
        page.heading("二、人才库、星级与积分"),
        page.table(
            [
                ("人才库类别（特长）", talents),
                (f"{profile.star_year}年星级", star),
                ("积分", points),
            ],
            (1.6, 6.4),
            header=False,
            labels=True,
        ),
        page.heading("三、服务队与党组织"),
        *_dated(
            page,
            (("服务队", profile.teams), ("党组织", profile.party_orgs)),
            ("类别", "名称", "角色", "期间", "状态"),
        ),
        page.heading("四、社区任职与社区报到"),
        *_dated(
            page,
            (("社区任职", profile.community_roles), ("社区报到", profile.registrations)),
            ("类别", "社区", "职务", "期间", "状态"),
        ),
        page.heading("五、本时段活动"),
        *_activities(profile, page, limit),
        page.heading("六、荣誉（典型，截至时段末）"),
        page.table(honours, (3.6, 1.2, 2.2, 1.2)) if profile.honours else page.p("无"),
    ]
    return flow


def write_profile_pdf(profile: PersonProfile, path: str | Path, *, mask: MaskPolicy | None = None) -> Path:
    """Write the 一人一档 page to ``path`` (atomically); phone and address masked unless ``mask`` says not."""
    fonts = register_fonts(())
    shown = mask_profile(profile, mask)
    limit = MAX_ACTIVITIES
    while limit > 0 and _pages(shown, fonts, limit) > 1:
        limit -= 4  # fewer activity rows listed (the count and hours stay) until the page holds
    with atomic_target(path) as partial:
        _build(shown, fonts, limit, str(partial))
    return Path(path)


def _build(profile: PersonProfile, fonts: FontSet, limit: int, target: str | IO[bytes]) -> int:
    doc = SimpleDocTemplate(
        target,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=16 * mm,
        title=f"一人一档 {profile.name}",
        author="silverdesk",
    )
    doc.build(story(profile, fonts, limit), canvasmaker=_canvas_class(fonts))
    return int(doc.page)


def _pages(profile: PersonProfile, fonts: FontSet, limit: int) -> int:
    return _build(profile, fonts, limit, io.BytesIO())
