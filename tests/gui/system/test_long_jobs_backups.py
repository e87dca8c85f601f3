"""设置 › 备份与恢复 on the real task runner: a backup and a restore long enough for the progress
dialog, finishing on screen, and each cancelled midway with the database and the folder as they were."""

from __future__ import annotations

import sqlite3

import pytest

from silverdesk.db import backup as backup_module
from silverdesk.services.system import backups as backups_module
from silverdesk.ui.system.backups import BackupsTab
from tests.gui.long_jobs import database_state, files_in, press_cancel, slow_down, wait_for_progress_dialog


@pytest.fixture
def tab(qtbot, threaded_ctx, services):
    services.people.create({"name": "张建国"})
    t = BackupsTab(threaded_ctx)
    qtbot.addWidget(t)
    t.show()
    t.load()
    return t


def people_in(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM person ORDER BY id")]
    finally:
        conn.close()


def test_a_long_backup_lists_the_new_copy(qtbot, tab, services, monkeypatch):
    folder = services.backups.folder()
    slowed = slow_down(monkeypatch, backup_module, "_fsync_file", interruptible=False)
    tab.backup_button.click()
    assert not tab.backup_button.isEnabled()
    wait_for_progress_dialog(qtbot, "正在备份数据库")
    qtbot.waitUntil(lambda: "已备份到" in tab.status.text(), timeout=15000)
    made = tab.selected_backup()
    assert slowed.calls == 1 and made is not None and made.reason == "manual" and made.path.parent == folder
    assert people_in(made.path) == ["张建国"] and tab.backup_button.isEnabled()
    assert not list(folder.glob("*.part"))


def test_cancelling_a_backup_leaves_the_folder_as_it_was(qtbot, tab, services, monkeypatch):
    services.backups.backup_now()  # an earlier backup, which must stay as it is
    tab.reload_list()
    folder = services.backups.folder()
    before = files_in(folder)
    slowed = slow_down(monkeypatch, backup_module, "_fsync_file", interruptible=False)
    tab.backup_button.click()
    # midway: the copy is on disk under its temporary name, being flushed
    press_cancel(qtbot, slowed, when=lambda: any(folder.glob("*.part")))
    qtbot.waitUntil(lambda: "已取消备份" in tab.status.text(), timeout=8000)
    assert files_in(folder) == before and tab.table.rowCount() == 1
    assert tab.backup_button.isEnabled() and tab.file_button.isEnabled()
    slowed.seconds = 0
    tab.backup_button.click()
    qtbot.waitUntil(lambda: "已备份到" in tab.status.text(), timeout=15000)
    assert tab.table.rowCount() == 2


def restore_first(qtbot, tab) -> None:
    """Select the oldest backup (the one with 张建国) and press 恢复所选…"""
    tab.table.selectRow(tab.table.rowCount() - 1)
    tab.restore_button.click()


def test_a_long_restore_brings_the_backup_back(qtbot, tab, services, monkeypatch):
    pid = services.people.search("张建国")[0].id
    saved = services.backups.backup_now()
    services.people.update(pid, {"name": "张建军"})
    services.people.create({"name": "李秀英"})
    tab.reload_list()
    slowed = slow_down(monkeypatch, backups_module, "_stage")
    restore_first(qtbot, tab)
    wait_for_progress_dialog(qtbot, "正在恢复数据库")
    qtbot.waitUntil(lambda: f"已用 {saved.path.name} 恢复数据库" in tab.status.text(), timeout=15000)
    assert slowed.calls == 1
    assert services.people.get(pid)["name"] == "张建国" and not services.people.search("李秀英")
    assert "before-restore" in [b.reason for b in tab.backups] and tab.restore_button.isEnabled()


def test_cancelling_a_restore_before_the_swap_changes_nothing(qtbot, tab, services, db_path, monkeypatch):
    pid = services.people.search("张建国")[0].id
    services.backups.backup_now()
    services.people.update(pid, {"name": "张建军"})
    tab.reload_list()
    folder = services.backups.folder()
    before, data = files_in(folder), database_state(services)
    staged = db_path.with_name(db_path.name + ".restoring")
    slowed = slow_down(monkeypatch, backup_module, "_fsync_file", interruptible=False)
    restore_first(qtbot, tab)
    # midway: the current database is backed up and the backup's copy is being flushed beside it
    press_cancel(qtbot, slowed, when=staged.with_name(staged.name + ".part").exists)
    qtbot.waitUntil(lambda: "已取消恢复" in tab.status.text(), timeout=8000)
    assert database_state(services) == data and services.people.get(pid)["name"] == "张建军"
    assert files_in(folder) == before  # the before-restore copy is gone again
    assert not staged.exists() and not staged.with_name(staged.name + ".part").exists()
    assert tab.restore_button.isEnabled() and tab.backup_button.isEnabled()
    assert services.people.create({"name": "王明"})  # the database is open and usable
    slowed.seconds = 0
    restore_first(qtbot, tab)
    qtbot.waitUntil(lambda: "恢复数据库。" in tab.status.text(), timeout=15000)
    assert services.people.get(pid)["name"] == "张建国"
