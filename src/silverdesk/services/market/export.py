"""资源清单, 需求清单 and 订单 lists to Excel: one sheet with a header row, as the screen filters them.

Kept simple on purpose (dates as real dates, widths, frozen header, print setup); the import of
these lists is separate (issue #6 leaves it to the importer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from silverdesk.atomic import atomic_target
from silverdesk.domain.privacy import MaskPolicy
from silverdesk.domain.safe_cells import set_cell
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.base import Context
from silverdesk.services.market.entries import DemandService, ResourceService
from silverdesk.services.market.lists import DemandFilter, DemandRow, ResourceFilter, ResourceRow
from silverdesk.services.market.orders import OrderFilter, OrderRow, OrderService
from silverdesk.services.market.stars import STAR_WORDS, SUBJECTS, StarService


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], object]
    width: int = 12


RESOURCE_COLUMNS = (
    Column("资源名称", lambda r: r.title, 24),
    Column("大类", lambda r: r.major, 14),
    Column("小项", lambda r: r.category, 14),
    Column("提供者", lambda r: r.provider, 24),
    Column("服务区域", lambda r: r.area, 14),
    Column("可服务起始", lambda r: r.available_from),
    Column("可服务截止", lambda r: r.available_to),
    Column("服务时间", lambda r: r.available_text, 16),
    Column("服务能力（人次）", lambda r: r.capacity, 10),
    Column("联系电话", lambda r: r.contact_phone, 14),
    Column("状态", lambda r: r.status, 8),
    Column("登记日期", lambda r: r.listed_on),
    Column("在办订单", lambda r: r.open_orders, 8),
)

DEMAND_COLUMNS = (
    Column("需求名称", lambda r: r.title, 24),
    Column("大类", lambda r: r.major, 14),
    Column("小项", lambda r: r.category, 14),
    Column("需求单位", lambda r: r.requester, 18),
    Column("联系人", lambda r: r.contact_name, 10),
    Column("联系电话", lambda r: r.contact_phone, 14),
    Column("期望完成时间", lambda r: r.wanted_by),
    Column("紧急程度", lambda r: r.urgency, 8),
    Column("状态", lambda r: r.status, 8),
    Column("提出日期", lambda r: r.raised_on),
)

ORDER_COLUMNS = (
    Column("订单编号", lambda r: r.code, 13),
    Column("订单名称", lambda r: r.title, 24),
    Column("需求单位", lambda r: r.requester, 16),
    Column("服务方", lambda r: r.provider, 22),
    Column("状态", lambda r: r.status, 8),
    Column("发布日期", lambda r: r.published_on),
    Column("认领日期", lambda r: r.claimed_on),
    Column("签约日期", lambda r: r.signed_on),
    Column("约定完成", lambda r: r.due_on),
    Column("完成日期", lambda r: r.completed_on),
    Column("逾期", lambda r: "是" if r.overdue else "", 6),
    Column("评价（分）", lambda r: r.score, 8),
    Column("活动场次", lambda r: r.totals.sessions, 8),
    Column("参与人次", lambda r: r.totals.participants, 8),
    Column("服务时长（小时）", lambda r: r.totals.hours, 10),
    Column("受益人次", lambda r: r.totals.beneficiaries, 8),
)

RATING_COLUMNS = (
    Column("服务时长（小时）", lambda r: r.hours, 10),
    Column("活动次数", lambda r: r.activities, 8),
    Column("订单平均评价", lambda r: r.score, 10),
    Column("星级", lambda r: STAR_WORDS[r.level] or "未达标", 8),
    Column("手工评定", lambda r: "是" if r.manual else "", 8),
    Column("评定依据", lambda r: r.basis, 60),
)


def write_sheet(
    rows: Sequence[Any],
    columns: Sequence[Column],
    path: Path,
    title: str,
    mask: MaskPolicy | None = None,
    *,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
) -> Path:
    """Write ``rows`` under a header row, phones masked unless ``mask`` is off; returns ``path``.

    ``cancel`` is checked every 200 rows; a cancelled or failed export leaves no file behind and
    a file already at ``path`` as it was (:func:`~silverdesk.atomic.atomic_target`)."""
    cancel.raise_if_set()
    mask = mask or MaskPolicy()
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = title[:31]
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([c.header for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for r, row in enumerate(rows, start=2):
        if r % 200 == 0:
            cancel.raise_if_set()
            progress(r - 1, len(rows), f"正在写入{title}")
        for i, c in enumerate(columns, start=1):
            cell = cast(Cell, ws.cell(row=r, column=i))  # this sheet merges no cells
            set_cell(cell, mask.value(c.header, c.value(row)))  # "=…" stays text
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.border = border
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    fit = ws.sheet_properties.pageSetUpPr
    assert fit is not None  # a new sheet has its page set-up properties
    fit.fitToPage = True
    cancel.raise_if_set()
    with atomic_target(path) as partial:
        wb.save(partial)
    return path


class MarketExportService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def resources(
        self,
        path: Path,
        flt: ResourceFilter | None = None,
        sort: str = "listed_on",
        descending: bool = True,
        mask: MaskPolicy | None = None,
        *,
        progress: Progress = null_progress,
        cancel: CancelToken = NEVER,
    ) -> int:
        svc = ResourceService(self.ctx)
        rows: list[ResourceRow] = svc.rows_by_ids(svc.search_ids(flt or ResourceFilter(), sort, descending))
        write_sheet(rows, RESOURCE_COLUMNS, path, "资源清单", mask, progress=progress, cancel=cancel)
        return len(rows)

    def demands(
        self,
        path: Path,
        flt: DemandFilter | None = None,
        sort: str = "raised_on",
        descending: bool = True,
        mask: MaskPolicy | None = None,
        *,
        progress: Progress = null_progress,
        cancel: CancelToken = NEVER,
    ) -> int:
        svc = DemandService(self.ctx)
        rows: list[DemandRow] = svc.rows_by_ids(svc.search_ids(flt or DemandFilter(), sort, descending))
        write_sheet(rows, DEMAND_COLUMNS, path, "需求清单", mask, progress=progress, cancel=cancel)
        return len(rows)

    def orders(
        self,
        path: Path,
        flt: OrderFilter | None = None,
        sort: str = "published_on",
        descending: bool = True,
        mask: MaskPolicy | None = None,
        *,
        progress: Progress = null_progress,
        cancel: CancelToken = NEVER,
    ) -> int:
        svc = OrderService(self.ctx)
        rows: list[OrderRow] = svc.rows_by_ids(svc.search_ids(flt or OrderFilter(), sort, descending))
        write_sheet(rows, ORDER_COLUMNS, path, "订单", mask, progress=progress, cancel=cancel)
        return len(rows)

    def ratings(
        self,
        path: Path,
        subject: str,
        year: int,
        min_level: int = 0,
        *,
        progress: Progress = null_progress,
        cancel: CancelToken = NEVER,
    ) -> int:
        """The rated list of a year (志愿者 or 服务队), as the 星级评定 tab shows it."""
        rows = StarService(self.ctx).rated(subject, year, min_level=min_level)
        team = subject == "team"
        columns = (
            Column("服务队" if team else "姓名", lambda r: r.name, 24 if team else 10),
            Column("单位", lambda r: r.unit, 16),
            *RATING_COLUMNS,
        )
        write_sheet(rows, columns, path, f"{year}年{SUBJECTS[subject]}星级", progress=progress, cancel=cancel)
        return len(rows)
