"""Ctrl+P on a list, on the real task runner: a layout long enough for the progress dialog ends in
the previewed pages; cancelled midway, no pages are left and 重新排版 lays them out again."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from silverdesk.services.people.roster import PeopleService
from silverdesk.ui.main_window import MainWindow
from silverdesk.ui.widgets.print_preview import PrintPreview
from tests.gui.long_jobs import demo_copy, press_cancel, slow_down, wait_for_progress_dialog


@pytest.fixture
def db_path(tmp_path, tmp_path_factory, template_db):
    return demo_copy(tmp_path, tmp_path_factory, template_db)


@pytest.fixture
def window(qtbot, services, threaded_ctx, monkeypatch):
    monkeypatch.setattr(PrintPreview, "exec", lambda self: previews.append(self) or 0)  # instead of blocking
    previews: list[PrintPreview] = []
    w = MainWindow(services, runner=threaded_ctx.runner, state=threaded_ctx.state)
    w.ctx.notify = threaded_ctx.notify
    w.previews = previews
    qtbot.addWidget(w)
    w.show()
    w.go_to("人员")
    qtbot.waitUntil(lambda: w.current().model.rowCount() > 200, timeout=10000)  # the demo's people 在册
    return w


def listed(window) -> int:
    return window.current().model.rowCount()


def ctrl_p(qtbot, window) -> PrintPreview:
    assert window.print_action.shortcut().toString() == "Ctrl+P"
    window.print_action.trigger()
    assert window.previews, "Ctrl+P opened no preview"
    return window.previews[-1]


def laid_out(preview: PrintPreview) -> bool:
    return preview.status.text().startswith("共 ") and preview.status.text().endswith(" 页")


def test_a_long_layout_shows_progress_then_the_pages(qtbot, window, services, monkeypatch):
    slowed = slow_down(
        monkeypatch, PeopleService, "rows_by_ids", interruptible=False
    )  # the records, fetched slowly
    preview = ctrl_p(qtbot, window)
    assert not preview.print_button.isEnabled()
    wait_for_progress_dialog(qtbot, f"正在排版 {listed(window)} 行……")
    qtbot.waitUntil(lambda: laid_out(preview), timeout=20000)
    assert slowed.calls == 1
    pages = [p.extract_text() for p in PdfReader(preview.path).pages]
    assert preview.document.pageCount() == len(pages) >= 5
    text = "".join(pages)
    first = services.people.rows_by_ids(window.current().model.ids()[:1])[0].name
    assert f"共 {listed(window)} 条" in text and first in text
    assert preview.print_button.isEnabled() and preview.save_button.isEnabled()


def test_cancelling_a_layout_leaves_no_pages_and_lays_out_again(qtbot, window, monkeypatch):
    slowed = slow_down(monkeypatch, PeopleService, "rows_by_ids", interruptible=False)
    preview = ctrl_p(qtbot, window)
    press_cancel(qtbot, slowed)  # the layout notices it between rows, as soon as the records are there
    qtbot.waitUntil(lambda: preview.status.text().startswith("已取消排版"), timeout=8000)
    assert preview.path is None and preview.document.pageCount() == 0 and list(preview._tmp.iterdir()) == []
    assert not preview.print_button.isEnabled() and not preview.again_button.isHidden()
    slowed.seconds = 0
    preview.again_button.click()
    qtbot.waitUntil(lambda: laid_out(preview), timeout=20000)
    assert preview.print_button.isEnabled() and preview.again_button.isHidden()
    assert f"共 {listed(window)} 条" in "".join(p.extract_text() for p in PdfReader(preview.path).pages)
