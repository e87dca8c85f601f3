"""设置 screen: the lists, backup and restore, the audit log and 安全, on real widgets and a real SQLite file."""

from __future__ import annotations

import sqlite3

import pytest
from openpyxl import load_workbook
from PySide6 import QtCore, QtWidgets
from PySide6.QtGui import QUndoCommand

from silverdesk.services.people.roster import PersonFilter
from silverdesk.services.system.lock import DatabaseLock
from silverdesk.ui.org.lists import INACTIVE_SUFFIX
from silverdesk.ui.system.screen import TAB_NAMES, SettingsView

WAIT = 10000  # ms: backups, restores and the audit log's pages come from the task runner


@pytest.fixture
def view(qtbot, ui_ctx) -> SettingsView:
    widget = SettingsView(ui_ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 750)
    widget.show()
    return widget


def list_texts(tab) -> list[str]:
    return [tab.items.item(i).text() for i in range(tab.items.count())]


def select_kind(tab, kind: str) -> None:
    tab.kind.setCurrentIndex(tab.kind.findData(kind))


def test_tabs_are_all_there_and_bureau_form_saves(qtbot, view, ui_ctx):
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == list(TAB_NAMES)
    view.edits["bureau_name"].setText("中共青山县委老干部局")
    view.save()
    assert ui_ctx.services.settings.get("bureau_name") == "中共青山县委老干部局"


def test_rename_an_entry_shows_it_renamed_and_undo_brings_the_old_name_back(qtbot, view, ui_ctx):
    tab = view.show_tab("可维护的列表")
    select_kind(tab, "community_role")
    ui_ctx.services.lookups.add("community_role", "文体活动")
    tab.load()
    assert tab.select_name("文体活动")
    tab.ask_name = lambda current: "文化体育"
    qtbot.keyClick(tab.items, QtCore.Qt.Key.Key_F2)
    assert "文化体育" in list_texts(tab) and "文体活动" not in list_texts(tab)
    names = ui_ctx.services.lookups.names("community_role")
    assert "文化体育" in names and "文体活动" not in names
    assert (
        ui_ctx.services.lookups.resolve("community_role", "文体活动").name == "文化体育"
    )  # old name still imports
    assert tab.selected().name == "文化体育"
    assert tab.undo_button.isVisible()
    tab.undo_button.click()
    assert "文体活动" in ui_ctx.services.lookups.names("community_role")
    assert "文体活动" in list_texts(tab)


def test_deactivate_shows_greyed_with_suffix_and_reactivate(qtbot, view, ui_ctx):
    tab = view.show_tab("可维护的列表")
    select_kind(tab, "community_role")
    ui_ctx.services.lookups.add("community_role", "关心下一代")
    tab.load()
    assert tab.select_name("关心下一代")
    asked = []
    ui_ctx.confirm = lambda _p, title, text: asked.append(text) or True
    tab.toggle_button.click()
    assert "关心下一代" + INACTIVE_SUFFIX in list_texts(tab)
    assert "关心下一代" not in ui_ctx.services.lookups.names("community_role")  # gone from drop-downs
    assert asked and "重新启用" in asked[0]
    item = tab.items.findItems("关心下一代" + INACTIVE_SUFFIX, QtCore.Qt.MatchFlag.MatchExactly)[0]
    normal = tab.items.item(0).foreground().color() if tab.items.item(0) is not item else None
    assert item.foreground().color() != (normal or QtWidgets.QApplication.palette().text().color())
    assert tab.toggle_button.text() == "重新启用"
    qtbot.keyClick(tab.items, QtCore.Qt.Key.Key_Delete)
    assert "关心下一代" in list_texts(tab)
    assert "关心下一代" in ui_ctx.services.lookups.names("community_role")


def test_deactivate_cancelled_changes_nothing(qtbot, view, ui_ctx):
    tab = view.show_tab("可维护的列表")
    select_kind(tab, "community_role")
    ui_ctx.services.lookups.add("community_role", "卫生健康")
    tab.load()
    tab.select_name("卫生健康")
    ui_ctx.confirm = lambda *_a: False
    tab.toggle_selected()
    assert "卫生健康" in ui_ctx.services.lookups.names("community_role")


def test_backup_now_adds_a_row_with_a_size(qtbot, view, ui_ctx):
    tab = view.show_tab("备份与恢复")
    before = tab.table.rowCount()
    tab.backup_button.click()
    assert not tab.backup_button.isEnabled()  # one backup at a time
    qtbot.waitUntil(lambda: "已备份到" in tab.status.text(), timeout=WAIT)
    assert tab.backup_button.isEnabled() and tab.table.rowCount() == before + 1
    row = tab.selected_backup()
    assert row is not None and row.reason == "manual" and row.path.is_file()
    texts = [tab.table.item(r, 2).text() for r in range(tab.table.rowCount())]
    assert any(t.endswith(("KB", "MB")) for t in texts)
    assert tab.table.item(0, 1).text() == "手动备份"


def test_restore_from_a_listed_backup_brings_back_a_retired_person(qtbot, view, ui_ctx, db_path):
    people = ui_ctx.services.people
    pid = people.create({"name": "张建国"})
    tab = view.show_tab("备份与恢复")
    tab.backup_now()
    qtbot.waitUntil(lambda: "已备份到" in tab.status.text(), timeout=WAIT)
    backup = tab.selected_backup()
    assert backup is not None
    people.set_status(pid, "去世", note="测试")
    extra = people.create({"name": "李秀英"})  # made after the backup: gone after restoring it
    assert people.search("张建国") == []
    lock = DatabaseLock(db_path, "测试员")  # the app holds its database's lock while it runs
    lock.acquire()
    ui_ctx.services.backups.lock = lock
    undone: list[str] = []
    ui_ctx.undo.push(_Marker(undone))
    changed: list[str] = []
    ui_ctx.events.changed.connect(changed.append)
    questions: list[str] = []
    ui_ctx.confirm = lambda _p, _t, text: questions.append(text) or True
    try:
        tab.table.selectRow([b.path for b in tab.backups].index(backup.path))
        tab.restore_button.click()
        qtbot.waitUntil(lambda: "已用" in tab.status.text(), timeout=WAIT)
    finally:
        lock.release()
    assert questions and backup.path.name in questions[0]
    assert [r.name for r in people.search("张建国")] == ["张建国"]  # the same services see the restored file
    assert extra not in people.search_ids(PersonFilter(status=None))
    assert ui_ctx.undo.count() == 0 and undone == []  # old undo commands dropped, not replayed
    assert "person" in changed
    reasons = [b.reason for b in tab.backups]
    assert "before-restore" in reasons  # the replaced database was kept
    with sqlite3.connect(db_path) as conn:  # a new write lands in the file on disk
        assert conn.execute("SELECT count(*) FROM audit_log WHERE action='恢复'").fetchone()[0] == 1
    people.create({"name": "王明"})
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM person WHERE name='王明'").fetchone()[0] == 1


def test_restore_from_a_bad_file_changes_nothing(qtbot, view, ui_ctx, tmp_path):
    bad = tmp_path / "not-a-backup.sqlite"
    bad.write_bytes(b"hello" * 100)
    pid = ui_ctx.services.people.create({"name": "张建国"})
    tab = view.show_tab("备份与恢复")
    ui_ctx.ask_open_paths = lambda *_a: [str(bad)]
    errors: list[BaseException] = []
    tab._restore_failed = lambda exc: errors.append(exc)  # type: ignore[method-assign]
    tab.file_button.click()
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT)
    assert "不是数据库文件" in str(errors[0])
    assert ui_ctx.services.people.get(pid)["name"] == "张建国"


def test_backup_settings_saved(qtbot, view, ui_ctx, tmp_path):
    tab = view.show_tab("备份与恢复")
    usb = tmp_path / "U盘"
    usb.mkdir()
    tab.folder.setText(str(usb))
    tab.keep["daily"].setValue(3)
    tab.keep["monthly"].setValue(24)
    tab.save_settings_button.click()
    assert ui_ctx.services.backups.folder() == usb
    assert ui_ctx.services.backups.policy().daily == 3 and ui_ctx.services.backups.policy().monthly == 24
    tab.backup_now()
    qtbot.waitUntil(lambda: f"已备份到 {usb}" in tab.status.text(), timeout=WAIT)
    assert tab.selected_backup().path.parent == usb


def test_audit_tab_shows_the_edit_filters_by_operator_and_exports(qtbot, view, ui_ctx, tmp_path):
    people = ui_ctx.services.people
    pid = people.create({"name": "张建国", "phone": "13812345678"})
    ui_ctx.services.ctx.operator = "李四"
    people.update(pid, {"phone": "13900001111"})
    tab = view.show_tab("操作日志")
    qtbot.waitUntil(lambda: tab.page_label.text().startswith("共 "), timeout=WAIT)
    assert tab.total >= 2
    summaries = [tab.table.item(r, 5).text() for r in range(tab.table.rowCount())]
    assert any("张建国" in s for s in summaries)
    tab.operator.setCurrentIndex(tab.operator.findData("李四"))
    tab.apply()
    qtbot.waitUntil(lambda: tab.page_label.text().startswith("共 1 条"), timeout=WAIT)
    assert tab.table.item(0, 1).text() == "李四" and tab.table.item(0, 2).text() == "修改"
    assert tab.detail.rowCount() == 1
    assert tab.detail.item(0, 0).text() == "联系电话"
    assert tab.detail.item(0, 1).text() == "138****5678"  # masked on screen by default
    assert tab.detail.item(0, 2).text() == "139****1111"
    out = tmp_path / "日志.xlsx"
    ui_ctx.ask_save_path = lambda *_a: str(out)
    tab.export_button.click()
    qtbot.waitUntil(lambda: f"已导出 1 条操作日志到 {out}" in ui_ctx.notices, timeout=WAIT)
    ws = load_workbook(out).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 1
    assert rows[0][1] == "李四" and rows[0][6] == "联系电话" and rows[0][8] == "139****1111"
    tab.unmask_export.setChecked(True)
    tab.export()
    qtbot.waitUntil(lambda: len(ui_ctx.notices) == 2, timeout=WAIT)
    rows = [[c.value for c in r] for r in load_workbook(out).active.iter_rows(min_row=2)]
    assert rows[0][8] == "13900001111"


def test_audit_text_search_and_paging(qtbot, view, ui_ctx):
    lookups = ui_ctx.services.lookups
    for i in range(230):
        lookups.add("community_role", f"条目{i:03d}")
    tab = view.show_tab("操作日志")
    qtbot.waitUntil(lambda: "第 1/2 页" in tab.page_label.text(), timeout=WAIT)
    assert tab.total >= 230 and tab.table.rowCount() == 200
    assert tab.next_button.isEnabled()
    tab.table.setCurrentCell(199, 0)
    qtbot.keyClick(tab.table, QtCore.Qt.Key.Key_PageDown)  # on the last row: the next page
    qtbot.waitUntil(lambda: "第 2/2 页" in tab.page_label.text(), timeout=WAIT)
    assert tab.page_no == 1 and tab.table.rowCount() == tab.total - 200 and tab.table.currentRow() == 0
    qtbot.keyClick(tab.table, QtCore.Qt.Key.Key_PageUp)  # on the first row: back, to the last row there
    qtbot.waitUntil(lambda: "第 1/2 页" in tab.page_label.text(), timeout=WAIT)
    assert tab.table.rowCount() == 200 and tab.table.currentRow() == 199
    tab.text.setText("条目007")
    qtbot.keyClick(tab.text, QtCore.Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.page_label.text().startswith("共 1 条"), timeout=WAIT)
    assert tab.total == 1 and tab.page_no == 0


def test_security_operator_and_password(qtbot, view, ui_ctx):
    tab = view.show_tab("安全")
    assert tab.operator.text() == "测试员"
    tab.operator.setText("王德明")
    tab.change_operator()
    assert ui_ctx.services.ctx.operator == "王德明"
    assert ui_ctx.services.operators.last() == "王德明"
    tab.new.setText("abc123")
    tab.again.setText("abc124")
    tab.set_password()
    assert tab.password_error.isVisibleTo(tab) and not ui_ctx.services.app_password.is_set()
    tab.again.setText("abc123")
    tab.set_password()
    assert ui_ctx.services.app_password.is_set() and ui_ctx.services.app_password.verify("abc123")
    assert tab.set_button.text() == "修改密码"
    tab.current.setText("wrong!")
    tab.remove_password()
    assert ui_ctx.services.app_password.is_set() and "密码不对" in tab.password_error.text()
    tab.current.setText("abc123")
    tab.remove_password()
    assert not ui_ctx.services.app_password.is_set()


def test_security_mask_setting_reaches_the_audit_tab(qtbot, view, ui_ctx):
    people = ui_ctx.services.people
    pid = people.create({"name": "张建国", "phone": "13812345678"})
    people.update(pid, {"phone": "13900001111"})
    security = view.show_tab("安全")
    assert security.mask_screen.isChecked()
    security.mask_screen.setChecked(False)
    audit = view.show_tab("操作日志")
    audit.apply()
    qtbot.waitUntil(lambda: audit.detail.rowCount() == 1, timeout=WAIT)
    assert audit.detail.item(0, 2).text() == "13900001111"


class _Marker(QUndoCommand):
    """An earlier edit on the undo stack: a restore must drop it, never replay it."""

    def __init__(self, log: list[str]) -> None:
        super().__init__("标记")
        self.log = log
        self._first = True

    def redo(self) -> None:
        if not self._first:
            self.log.append("redo")
        self._first = False

    def undo(self) -> None:
        self.log.append("undo")


def test_the_points_rate_is_set_here_and_a_wrong_one_is_refused(qtbot, view, ui_ctx, type_text, monkeypatch):
    from silverdesk.ui.system import screen as settings_view

    errors: list[str] = []
    monkeypatch.setattr(settings_view, "show_error", lambda _parent, exc: errors.append(exc.message))
    changed: list[str] = []
    ui_ctx.events.changed.connect(changed.append)
    edit = view.edits["points_per_hour"]
    before = ui_ctx.services.settings.get("points_per_hour")
    assert edit.text() == before == "1"  # the rate the database starts with
    edit.clear()
    type_text(edit, "半分")
    view.save()
    assert errors and "“半分”不是数字" in errors[-1] and changed == []
    assert ui_ctx.services.settings.get("points_per_hour") == before  # nothing saved
    edit.clear()
    type_text(edit, "0.5")
    view.save()
    assert ui_ctx.services.settings.get("points_per_hour") == "0.5" and changed == ["settings"]
    assert ui_ctx.services.points.rate() == 0.5
