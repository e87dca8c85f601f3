"""The import wizard on the real task runner: each step (open, read, plan, commit, undo) long enough
for the progress dialog, finishing on screen, and each cancelled midway with the database as it was."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6 import QtCore

from silverdesk.domain.idcard import make_id_number
from silverdesk.services.importing import commit as commit_module
from silverdesk.services.importing import undo as undo_module
from silverdesk.services.importing.service import ImportService
from silverdesk.services.people.roster import PersonFilter
from silverdesk.ui.importing.wizard import ImportWizard
from tests.gui.long_jobs import (
    database_state,
    no_progress_dialog,
    press_cancel,
    slow_down,
    wait_for_progress_dialog,
)

LEFT = QtCore.Qt.MouseButton.LeftButton
ROWS = 60
GIVEN = "建国秀英明华军丽强芳"


def name(i: int) -> str:
    return f"张{GIVEN[i // 10]}{GIVEN[i % 10]}"


@pytest.fixture
def wizard(qtbot, threaded_ctx, county, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["城关街道离退休干部花名册"])
    ws.append(["姓名", "性别", "身份证号码", "手机"])
    for i in range(ROWS):
        ws.append(
            [
                name(i),
                "男" if i % 2 else "女",
                make_id_number("370402", dt.date(1950, 1, 1 + i % 28), i),
                f"1381234{i:04d}",
            ]
        )
    path = tmp_path / "花名册.xlsx"
    wb.save(path)
    w = ImportWizard(threaded_ctx, str(path))
    qtbot.addWidget(w)
    w.show()
    w.file_page.kind.setCurrentIndex(w.file_page.kind.findData("roster"))
    w.file_page.unit.setEditText("城关街道")
    return w


def people(services) -> int:
    return services.people.count(PersonFilter(status=None))


def step(qtbot, wizard, page: int, button=None) -> None:
    """Press 下一步 (or ``button``) and wait for the wizard to show ``page`` with its buttons back."""
    qtbot.mouseClick(button or wizard.next_button, LEFT)
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == page and not wizard.busy(), timeout=15000)


def cancelled(qtbot, wizard, title: str) -> None:
    qtbot.waitUntil(lambda: f"已取消：{title}" in wizard.steps.text(), timeout=8000)
    assert not wizard.busy() and wizard.next_button.isEnabled() and no_progress_dialog()


def test_long_open_and_read_show_progress_then_the_columns(qtbot, wizard, monkeypatch):
    opening = slow_down(monkeypatch, ImportService, "open_file")
    reading = slow_down(monkeypatch, ImportService, "read")
    qtbot.mouseClick(wizard.next_button, LEFT)  # the path box loses focus: its file is checked, then read
    wait_for_progress_dialog(qtbot, "正在检查文件")
    wait_for_progress_dialog(qtbot, "正在读取表格", timeout=8000)
    assert not wizard.next_button.isEnabled()
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 1, timeout=15000)
    assert (opening.calls, reading.calls) == (1, 1)
    assert f"共 {ROWS} 行数据" in wizard.columns_page.columns_title.text() and wizard.next_button.isEnabled()


@pytest.mark.parametrize(("method", "title"), [("open_file", "正在检查文件"), ("read", "正在读取表格")])
def test_cancelling_the_open_or_the_read_stays_on_the_first_page(
    qtbot, wizard, services, monkeypatch, method, title
):
    slowed = slow_down(monkeypatch, ImportService, method)
    qtbot.mouseClick(wizard.next_button, LEFT)
    press_cancel(qtbot, slowed, title=title)
    cancelled(qtbot, wizard, title)
    assert wizard.stack.currentIndex() == 0 and wizard.prepared is None
    slowed.seconds = 0
    step(qtbot, wizard, 1)  # 下一步 again: open (if needed) and read run through
    assert f"共 {ROWS} 行数据" in wizard.columns_page.columns_title.text()
    assert people(services) == 0


def test_a_long_plan_shows_the_preview(qtbot, wizard, services, monkeypatch):
    step(qtbot, wizard, 1)
    slowed = slow_down(monkeypatch, ImportService, "plan")
    qtbot.mouseClick(wizard.next_button, LEFT)
    wait_for_progress_dialog(qtbot, "正在逐行检查")
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 2, timeout=15000)
    assert slowed.calls == 1 and f"共 {ROWS} 行：新增 {ROWS}" in wizard.preview_page.summary.text()
    assert (
        wizard.preview_page.preview.rowCount() == ROWS
        and wizard.next_button.text() == "导入"
        and wizard.next_button.isEnabled()
    )
    assert people(services) == 0


def test_cancelling_the_plan_stays_on_the_columns(qtbot, wizard, services, monkeypatch):
    step(qtbot, wizard, 1)
    before = database_state(services)
    slowed = slow_down(monkeypatch, ImportService, "plan")
    qtbot.mouseClick(wizard.next_button, LEFT)
    press_cancel(qtbot, slowed)
    cancelled(qtbot, wizard, "正在逐行检查")
    assert wizard.stack.currentIndex() == 1 and wizard.back_button.isEnabled()
    assert database_state(services) == before
    slowed.seconds = 0
    step(qtbot, wizard, 2)
    assert f"新增 {ROWS}" in wizard.preview_page.summary.text()


def test_a_long_commit_imports_every_row(qtbot, wizard, services, monkeypatch):
    step(qtbot, wizard, 1)
    step(qtbot, wizard, 2)
    slowed = slow_down(monkeypatch, commit_module, "_insert_import_rows", interruptible=False)
    qtbot.mouseClick(wizard.next_button, LEFT)
    wait_for_progress_dialog(qtbot, "正在导入")
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 3, timeout=15000)
    assert slowed.calls == 1 and f"新增 {ROWS} 行" in wizard.done_page.done_text.text()
    assert people(services) == ROWS and wizard.done_page.undo_button.isEnabled()
    assert [r.name for r in services.people.search(name(23))] == [name(23)]


def test_cancelling_the_commit_midway_writes_nothing(qtbot, wizard, services, monkeypatch):
    step(qtbot, wizard, 1)
    step(qtbot, wizard, 2)
    before = database_state(services)
    # midway: the people are inserted (not committed) while the import's own rows are being written
    slowed = slow_down(monkeypatch, commit_module, "_insert_import_rows", interruptible=False)
    qtbot.mouseClick(wizard.next_button, LEFT)
    press_cancel(qtbot, slowed)
    cancelled(qtbot, wizard, "正在导入")
    assert wizard.stack.currentIndex() == 2 and wizard.next_button.text() == "导入"
    assert database_state(services) == before  # the whole transaction rolled back
    slowed.seconds = 0
    step(qtbot, wizard, 3)
    assert people(services) == ROWS


def test_a_long_undo_takes_the_batch_back(qtbot, wizard, services, monkeypatch):
    before = people(services)
    for page in (1, 2, 3):
        step(qtbot, wizard, page)
    slowed = slow_down(monkeypatch, undo_module, "_drop_offers", interruptible=False)
    qtbot.mouseClick(wizard.done_page.undo_button, LEFT)
    wait_for_progress_dialog(qtbot, "正在撤销导入")
    qtbot.waitUntil(lambda: "已撤销" in wizard.done_page.done_text.text(), timeout=15000)
    assert slowed.calls == 1 and people(services) == before and not wizard.done_page.undo_button.isEnabled()


def test_cancelling_the_undo_midway_keeps_the_batch(qtbot, wizard, services, monkeypatch):
    for page in (1, 2, 3):
        step(qtbot, wizard, page)
    imported = database_state(services)
    # midway: the batch's people are deleted (not committed) while its offers are looked at
    slowed = slow_down(monkeypatch, undo_module, "_drop_offers", interruptible=False)
    qtbot.mouseClick(wizard.done_page.undo_button, LEFT)
    press_cancel(qtbot, slowed)
    qtbot.waitUntil(lambda: "已取消：正在撤销导入" in wizard.steps.text(), timeout=8000)
    assert database_state(services) == imported and people(services) == ROWS
    assert wizard.done_page.undo_button.isEnabled() and "已撤销" not in wizard.done_page.done_text.text()
    slowed.seconds = 0
    qtbot.mouseClick(wizard.done_page.undo_button, LEFT)
    qtbot.waitUntil(lambda: "已撤销" in wizard.done_page.done_text.text(), timeout=15000)
    assert people(services) == 0
