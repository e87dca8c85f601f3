"""Excel exports on the real task runner — a list (Ctrl+E on 人员), 资源清单, 订单, the 星级评定 list and
the 操作日志: each long enough for the progress dialog and ending in a workbook with the rows shown;
each cancelled midway leaving no file and a file already there as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from silverdesk.services import table_export
from silverdesk.services.market.entries import ResourceService
from silverdesk.services.market.orders import OrderService
from silverdesk.services.market.stars import StarService
from silverdesk.services.people.roster import PeopleService
from silverdesk.services.system.audit import AuditQuery
from silverdesk.ui.market.screen import ORDERS, RATINGS, RESOURCES, MarketView
from silverdesk.ui.people.screen import PeopleView
from silverdesk.ui.system.audit import AuditTab
from tests.gui.long_jobs import demo_copy, files_in, press_cancel, slow_down, wait_for_progress_dialog


@pytest.fixture
def db_path(tmp_path, tmp_path_factory, template_db):
    return demo_copy(tmp_path, tmp_path_factory, template_db)


@dataclass
class Export:
    """One export as the clerk starts it (its 导出 action, with a step slowed down): the progress
    dialog's title, the rows on screen, the words of its notice and the first row's key text."""

    start: Callable[[], None]
    title: str
    rows: int
    noun: str
    first: str


def people_list(qtbot, ctx, monkeypatch) -> Export:
    view = PeopleView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() > 200, timeout=10000)
    monkeypatch.setattr(table_export, "PAGE", 50)  # pages of 50: the export checks for a cancel between them
    slow_down(monkeypatch, PeopleService, "rows_by_ids", 0.5, interruptible=False)
    rows = view.model.rowCount()
    return Export(view.export, f"正在导出 {rows} 行……", rows, "行", view.model.record(0).name)


def market(qtbot, ctx, tab: int) -> MarketView:
    view = MarketView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    view.tabs.setCurrentIndex(tab)
    return view


def resource_list(qtbot, ctx, monkeypatch) -> Export:
    view = market(qtbot, ctx, RESOURCES)
    tab = view.resource_list
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=10000)
    slow_down(monkeypatch, ResourceService, "rows_by_ids", interruptible=False)
    return Export(tab.export, "正在导出资源清单", tab.model.rowCount(), "条资源", tab.model.record(0).title)


def order_list(qtbot, ctx, monkeypatch) -> Export:
    view = market(qtbot, ctx, ORDERS)
    tab = view.orders
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=10000)
    slow_down(monkeypatch, OrderService, "rows_by_ids", interruptible=False)
    return Export(
        tab.export_button.click, "正在导出订单", tab.model.rowCount(), "张订单", tab.model.record(0).code
    )


def rating_list(qtbot, ctx, monkeypatch) -> Export:
    ctx.services.stars.recompute("volunteer", 2026)
    view = market(qtbot, ctx, RATINGS)
    stars = view.ratings.stars
    qtbot.waitUntil(lambda: stars.model.rowCount() > 0, timeout=10000)
    slow_down(monkeypatch, StarService, "rated", interruptible=False)
    return Export(
        stars.export_button.click,
        "正在导出星级评定名单",
        stars.model.rowCount(),
        "条评定结果",
        stars.model.record(0).name,
    )


def audit_log(qtbot, ctx, monkeypatch) -> Export:
    tab = AuditTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.load()
    qtbot.waitUntil(lambda: tab.total > 0, timeout=10000)
    slow_down(monkeypatch, AuditQuery, "fetch", interruptible=False)
    log = ctx.services.audit_log
    ids = log.ids()
    return Export(
        tab.export_button.click, "正在导出操作日志", len(ids), "条操作日志", log.fetch(ids[:1])[0].summary
    )


EXPORTS = {
    "人员名单": people_list,
    "资源清单": resource_list,
    "订单": order_list,
    "星级评定名单": rating_list,
    "操作日志": audit_log,
}


@pytest.fixture(params=list(EXPORTS))
def export(request, qtbot, threaded_ctx, monkeypatch, tmp_path) -> tuple[Export, Path]:
    out = tmp_path / "导出"
    out.mkdir()
    target = out / f"{request.param}.xlsx"
    threaded_ctx.ask_save_path = lambda *_: str(target)
    return EXPORTS[request.param](qtbot, threaded_ctx, monkeypatch), target


def noticed(ctx: Any, words: str) -> bool:
    return any(words in note for note in ctx.notices)


def test_a_long_export_writes_every_row(qtbot, export, threaded_ctx):
    job, target = export
    job.start()
    wait_for_progress_dialog(qtbot, job.title)
    qtbot.waitUntil(lambda: noticed(threaded_ctx, "已导出"), timeout=20000)
    assert noticed(threaded_ctx, f"已导出 {job.rows} {job.noun}到 {target}")
    sheet = openpyxl.load_workbook(target).active
    data = [r for r in sheet.iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in r)]
    assert len(data) == job.rows > 0 or (
        job.noun == "条操作日志" and len(data) > job.rows
    )  # a line per change
    assert job.first in data[0]
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_cancelling_an_export_midway_leaves_the_old_file(qtbot, export, threaded_ctx):
    job, target = export
    target.write_bytes(b"last month's export")
    before = files_in(target.parent)
    job.start()
    press_cancel(qtbot, title=job.title)
    qtbot.waitUntil(lambda: noticed(threaded_ctx, "已取消导出"), timeout=10000)
    assert files_in(target.parent) == before and not noticed(threaded_ctx, "已导出")
