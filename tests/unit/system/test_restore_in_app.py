"""``BackupService.restore_from``: the running app restores under its own lock and reopens the file."""

from __future__ import annotations

import pytest

from silverdesk.errors import UserError
from silverdesk.services.system.lock import DatabaseInUse, DatabaseLock


def test_restore_from_reopens_every_service_on_the_restored_file(services, db_path):
    pid = services.people.create({"name": "张建国"})
    backup = services.backups.backup_now()
    services.people.update(pid, {"name": "张建军"})
    old_db = services.ctx.db
    with DatabaseLock(db_path, "测试员") as lock:
        services.backups.lock = lock
        result = services.backups.restore_from(backup.path)
        assert lock.held  # the app keeps its lock
    assert services.ctx.db is not old_db
    assert services.people.get(pid)["name"] == "张建国"
    assert result.previous is not None and result.previous.reason == "before-restore"
    assert [b.path for b in services.backups.list()].count(result.previous.path) == 1


def test_restore_from_without_the_apps_lock_is_refused_while_another_holds_it(services, db_path):
    backup = services.backups.backup_now()
    with DatabaseLock(db_path, "别人"), pytest.raises(DatabaseInUse):
        services.backups.restore_from(backup.path)
    assert services.people.create({"name": "王明"})  # the services still work on the unchanged file


def test_restore_from_a_bad_file_leaves_the_open_database_alone(services, tmp_path):
    pid = services.people.create({"name": "张建国"})
    bad = tmp_path / "x.sqlite"
    bad.write_text("not a database")
    old_db = services.ctx.db
    with pytest.raises(UserError, match="不是数据库文件"):
        services.backups.restore_from(bad)
    assert services.ctx.db is old_db  # checked before anything was closed
    assert services.people.get(pid)["name"] == "张建国"


def test_backups_and_a_restore_take_turns(services, db_path, monkeypatch):
    """The start-up daily backup runs on a thread: a restore asked for meanwhile waits for it, and a backup
    that starts while a restore replaces the file waits for the restore (it never copies a file being swapped)."""
    import threading
    import time

    from silverdesk.db import backup as backup_module
    from silverdesk.services.system import backups as backups_module

    pid = services.people.create({"name": "张建国"})
    saved = services.backups.backup_now()
    services.people.update(pid, {"name": "张建军"})
    events: list[str] = []
    writing = threading.Event()
    real_copy, real_swap = backup_module.backup_sqlite_file, backups_module._swap_in

    def slow_copy(source, dest, **kw):  # type: ignore[no-untyped-def]
        if "daily" in dest.name:
            events.append("daily backup starts")
            writing.set()
            time.sleep(0.3)
        return real_copy(source, dest, **kw)

    late: list[threading.Thread] = []

    def slow_swap(source, dest):  # type: ignore[no-untyped-def]
        late.append(threading.Thread(target=backup_module.take_backup, args=(db_path, "daily")))
        late[0].start()  # a backup asked for while the file is being replaced
        time.sleep(0.3)
        real_swap(source, dest)
        events.append("file swapped")

    monkeypatch.setattr(backup_module, "backup_sqlite_file", slow_copy)
    monkeypatch.setattr(backups_module, "_swap_in", slow_swap)
    first = threading.Thread(target=backup_module.take_backup, args=(db_path, "daily"))
    with DatabaseLock(db_path, "测试员") as lock:
        services.backups.lock = lock
        first.start()
        assert writing.wait(5)
        services.backups.restore_from(saved.path)
    first.join()
    late[0].join()
    assert events == ["daily backup starts", "file swapped", "daily backup starts"]
    assert services.people.get(pid)["name"] == "张建国"
