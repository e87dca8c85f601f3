"""Backups: names, rotation under a fake clock, the daily and before-import copies, restore."""

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from silverdesk.db.backup import (
    BackupFile,
    RotationPolicy,
    backup_name,
    inspect_sqlite_file,
    list_backups,
    parse_backup_name,
    survivors,
)
from silverdesk.db.connect import connect
from silverdesk.db.migrate import head_revision
from silverdesk.errors import DatabaseTooNew, UserError
from silverdesk.paths import backups_dir
from silverdesk.services.base import Context
from silverdesk.services.system.backups import (
    BackupService,
    BackupsNotApplicable,
    db_file,
    latest_good_backup,
    manual_backup,
    restore,
    verify_backup,
)
from silverdesk.services.system.lock import DatabaseInUse, DatabaseLock
from silverdesk.services.system.startup import DAMAGED, MISSING, NOT_DATABASE, OK, TOO_NEW, startup_check

TODAY = dt.date(2026, 11, 20)  # a Friday, ISO week 47


def expected_daily_survivors() -> set[dt.date]:
    d = dt.date
    last3 = {d(2026, 11, 18), d(2026, 11, 19), d(2026, 11, 20)}
    daily = {d(2026, 11, day) for day in range(14, 21)}
    weekly = {
        d(2026, 11, 20),
        d(2026, 11, 15),
        d(2026, 11, 8),
        d(2026, 11, 1),
        d(2026, 10, 25),
        d(2026, 10, 18),
        d(2026, 10, 11),
        d(2026, 10, 4),
    }  # this week's newest, then the Sundays before
    monthly = {
        d(2026, 11, 20),
        d(2026, 10, 31),
        d(2026, 9, 30),
        d(2026, 8, 31),
        d(2026, 7, 31),
        d(2026, 6, 30),
        d(2026, 5, 31),
        d(2026, 4, 30),
        d(2026, 3, 31),
        d(2026, 2, 28),
        d(2026, 1, 31),
        d(2025, 12, 31),
    }
    return last3 | daily | weekly | monthly


def test_names_round_trip_and_reasons_cannot_break_them():
    when = dt.datetime(2026, 11, 20, 8, 15, 2)
    name = backup_name("my_db", "before import_x/..", when, serial=2)
    assert name == "my_db_before-import-x_20261120-081502-2.sqlite"
    assert parse_backup_name(name) == ("my_db", "before-import-x", when)
    assert parse_backup_name("silverdesk (2).sqlite") is None
    assert parse_backup_name("x_daily_20261340-000000.sqlite") is None  # no 40th of the 13th month


def test_rotation_policy_on_paper():
    start = dt.datetime(2025, 10, 1, 8, 0)
    backups = [
        BackupFile(Path(f"/b/{i}.sqlite"), start + dt.timedelta(days=i), "daily", "x", 1)
        for i in range((TODAY - start.date()).days + 1)
    ]
    manual = BackupFile(Path("/b/m.sqlite"), start, "manual", "x", 1)
    keep = survivors([*backups, manual], RotationPolicy())
    assert {b.created.date() for b in backups if b.path in keep} == expected_daily_survivors()
    assert manual.path not in keep  # rotation never looks at manual backups (prune leaves them alone)


def test_many_days_of_daily_backups_leave_exactly_the_expected_survivors(services):
    """The app starts twice a day for 416 days (fake clock); rotation runs after every backup."""
    now = [dt.datetime(2025, 10, 1, 8, 0)]
    services.ctx.clock = lambda: now[0]
    backup = services.backups
    folder = backups_dir()
    hand_copied = folder / "silverdesk 手工拷贝.sqlite"
    shutil.copy(services.ctx.db.path, hand_copied)
    now[0] = dt.datetime(2025, 9, 15, 8, 0)
    old_manual = backup.backup_now()
    now[0] = dt.datetime(2025, 10, 1, 8, 0)
    made = 0
    while now[0].date() <= TODAY:
        made += backup.ensure_daily_backup() is not None
        now[0] += dt.timedelta(hours=3)
        assert backup.ensure_daily_backup() is None  # second start of the day: nothing to do
        now[0] += dt.timedelta(hours=21)
    assert made == (TODAY - dt.date(2025, 10, 1)).days + 1

    found = list_backups(folder)
    daily = {b.created.date() for b in found if b.reason == "daily"}
    assert daily == expected_daily_survivors()
    assert old_manual.path.exists() and hand_copied.exists()  # never rotated away
    assert {b.reason for b in backup.list()} == {"daily", "manual", ""}


def test_rotation_counts_come_from_settings(services, tmp_path):
    services.ctx.clock = lambda: dt.datetime(2026, 11, 20, 9, 0)
    services.backups.configure(
        folder=tmp_path / "usb", policy=RotationPolicy(daily=2, weekly=0, monthly=0, last=1)
    )
    assert services.backups.folder() == tmp_path / "usb"
    for day in range(1, 6):
        services.ctx.clock = lambda day=day: dt.datetime(2026, 11, day, 9, 0)
        services.backups.ensure_daily_backup()
    assert sorted(b.created.day for b in list_backups(tmp_path / "usb")) == [4, 5]


def test_backup_before_an_import_is_consistent_and_kept_beside_the_daily(services, county):
    services.ctx.clock = lambda: dt.datetime(2026, 11, 20, 8, 0)
    services.backups.ensure_daily_backup()
    services.ctx.clock = lambda: dt.datetime(2026, 11, 20, 14, 30)
    info = services.backups.backup_before("import")
    assert info is not None and info.reason == "before-import" and info.label == "导入前自动备份"
    assert {b.reason for b in services.backups.list()} == {"daily", "before-import"}
    assert inspect_sqlite_file(info.path, full=True).ok
    with sqlite3.connect(info.path) as conn:  # the units written by the fixture are in the copy
        assert conn.execute("SELECT count(*) FROM unit").fetchone()[0] == 5
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file


def test_unreachable_backup_folder_falls_back_to_the_default_and_says_so(services, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the USB drive's folder should be")
    services.backups.configure(folder=blocker / "backups")
    info = services.backups.backup_before("import")
    assert info.path.parent == backups_dir()
    assert "无法写入" in info.note and str(blocker) in info.note


def test_migration_backups_go_through_the_shared_folder(tmp_path):
    from silverdesk.db.migrate import upgrade

    path = tmp_path / "old.sqlite"
    db = connect(path, migrate=False)
    upgrade(db, "0001", backup_dir=tmp_path / "unused")
    db.dispose()
    connect(path).dispose()
    names = [b for b in list_backups(backups_dir(), "old") if b.reason.startswith("before-migrate")]
    assert len(names) == 1 and names[0].label == "升级前自动备份"


def test_manual_backup_refuses_to_overwrite(db_path, tmp_path):
    out = tmp_path / "copy.sqlite"
    manual_backup(db_path, out)
    with pytest.raises(UserError, match="已存在"):
        manual_backup(db_path, out)
    into_folder = manual_backup(db_path, tmp_path)
    assert into_folder.path.parent == tmp_path and into_folder.reason == "manual"
    with pytest.raises(UserError, match="不存在"):
        manual_backup(tmp_path / "nope.sqlite")


def test_server_databases_are_not_backed_up_as_files():
    with pytest.raises(BackupsNotApplicable, match="pg_dump"):
        db_file("postgresql+psycopg://u@localhost/silverdesk")


# -- verifying and restoring -------------------------------------------------------------------------


def add_person_marker(path: Path, name: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO unit (name, kind, sort_order, active, notes) VALUES (?, '县', 0, 1, '')", (name,)
        )


def unit_names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM unit ORDER BY id")]


def test_restore_replaces_the_database_and_keeps_the_old_one(db_path, tmp_path):
    add_person_marker(db_path, "备份时的县")
    good = manual_backup(db_path, tmp_path / "good.sqlite")
    add_person_marker(db_path, "备份后才加的县")
    # a live -wal of the current file must not be replayed onto the restored one
    live = connect(db_path)
    with live.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO unit (name, kind, sort_order, active, notes) VALUES ('未检查点的县', '县', 0, 1, '')"
        )
    live.dispose()

    result = restore(good.path, db_path, operator="李四")
    assert unit_names(db_path) == ["备份时的县"]
    assert result.previous is not None and result.previous.reason == "before-restore"
    assert unit_names(result.previous.path) == ["备份时的县", "备份后才加的县", "未检查点的县"]
    assert result.revision == head_revision()
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "SELECT operator, action, summary FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert row[0] == "李四" and row[1] == "恢复" and "good.sqlite" in row[2]
    assert inspect_sqlite_file(db_path, full=True).ok


def test_restore_after_a_crash_keeps_the_hot_wal_in_the_saved_copy_and_never_replays_it(db_path, tmp_path):
    """A writer died with committed changes still only in ``-wal``: the before-restore copy must
    hold them, and the stale ``-wal`` must not be applied to the restored file."""
    good = manual_backup(db_path, tmp_path / "good.sqlite")
    crash = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')\n"
        "c.execute(\"INSERT INTO unit (name, kind, sort_order, active, notes) VALUES ('只在WAL里的县', '县', 0, 1, '')\")\n"
        "c.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", crash, str(db_path)], check=True)
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.stat().st_size > 0

    result = restore(good.path, db_path)
    assert unit_names(db_path) == []
    assert result.previous is not None and result.previous.reason == "before-restore"
    assert unit_names(result.previous.path) == ["只在WAL里的县"]
    assert startup_check(db_path).kind == OK


def test_restore_refuses_bad_backups_without_touching_anything(db_path, tmp_path):
    before = db_path.read_bytes()
    not_db = tmp_path / "notes.sqlite"
    not_db.write_text("这不是数据库")
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    newer = tmp_path / "newer.sqlite"
    shutil.copy(db_path, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    damaged = tmp_path / "damaged.sqlite"
    shutil.copy(db_path, damaged)
    corrupt_middle(damaged)

    with pytest.raises(UserError, match="不是数据库文件"):
        restore(not_db, db_path)
    with pytest.raises(UserError, match="不是 silverdesk 数据库"):
        restore(foreign, db_path)
    with pytest.raises(DatabaseTooNew, match="更新版本"):
        restore(newer, db_path)
    with pytest.raises(UserError, match="已损坏"):
        restore(damaged, db_path)
    with pytest.raises(UserError, match="找不到"):
        verify_backup(tmp_path / "nothing.sqlite")
    with pytest.raises(UserError, match="数据库文件本身"):
        restore(db_path, db_path)
    assert db_path.read_bytes() == before
    assert list_backups(backups_dir()) == []  # nothing was even backed up


def test_restore_is_refused_while_another_copy_holds_the_database(db_path, tmp_path):
    good = manual_backup(db_path, tmp_path / "good.sqlite")
    with DatabaseLock(db_path, "王五"), pytest.raises(DatabaseInUse, match="王五"):
        restore(good.path, db_path)


def corrupt_middle(path: Path, pages: int = 8) -> None:
    """Overwrite pages in the middle of the file with garbage (a torn write, a bad sector)."""
    size = path.stat().st_size
    page = 4096
    with open(path, "r+b") as fh:
        fh.seek(max(1, size // page // 2) * page)
        fh.write(bytes(range(256)) * (page * pages // 256))


def test_startup_check_states(db_path, tmp_path):
    ctx = Context(connect(db_path), operator="测试员", clock=lambda: dt.datetime(2026, 11, 20, 8))
    BackupService(ctx).ensure_daily_backup()
    ctx.db.dispose()
    assert startup_check(db_path).kind == OK

    missing = tmp_path / "gone.sqlite"
    assert startup_check(missing).kind == MISSING and startup_check(missing).latest_backup is None

    corrupt_middle(db_path)
    state = startup_check(db_path)
    assert state.kind == DAMAGED and not state.can_open
    assert state.latest_backup is not None and state.latest_backup.reason == "daily"
    assert "silverdesk restore" in state.message() and str(state.latest_backup.path) in state.message()

    db_path.write_bytes(b"")  # a power cut left an empty file: not silently a new database
    assert startup_check(db_path).kind == DAMAGED

    db_path.write_bytes(b"PK\x03\x04 a workbook renamed to .sqlite")
    assert startup_check(db_path).kind == NOT_DATABASE

    newer = tmp_path / "newer.sqlite"
    connect(newer).dispose()
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    assert startup_check(newer).kind == TOO_NEW


def test_a_deleted_database_points_to_its_backup(db_path):
    ctx = Context(connect(db_path), clock=lambda: dt.datetime(2026, 11, 20, 8))
    made = BackupService(ctx).ensure_daily_backup()
    ctx.db.dispose()
    db_path.unlink()
    state = startup_check(db_path)
    assert state.kind == MISSING and state.can_open
    assert state.latest_backup == made and "如需找回以前的数据" in state.message()


def test_server_database_backups_are_a_quiet_no_op_in_the_app():
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from silverdesk.db.engine import Database

    url = "postgresql+psycopg://u@127.0.0.1:1/none"
    engine = create_engine(url)  # never connects in this test
    service = BackupService(Context(Database(url, engine, sessionmaker(engine))))
    assert not service.applicable
    assert service.ensure_daily_backup() is None
    assert service.backup_before("import") is None
    with pytest.raises(BackupsNotApplicable):
        service.backup_now()


def test_policy_settings_are_validated(services):
    assert services.backups.policy() == RotationPolicy()
    services.backups.configure(policy=RotationPolicy(daily=14, weekly=4, monthly=24, last=5))
    assert services.backups.policy() == RotationPolicy(14, 4, 24, 5)
    with pytest.raises(UserError, match="不能为负数"):
        services.backups.configure(policy=RotationPolicy(daily=-1))
    services.backups.configure(folder=Path(""))  # back to the default folder
    assert services.backups.folder() == backups_dir()


def test_latest_good_backup_skips_damaged_backups(db_path):
    ctx = Context(connect(db_path), clock=lambda: dt.datetime(2026, 11, 19, 8))
    first = BackupService(ctx).ensure_daily_backup()
    ctx.clock = lambda: dt.datetime(2026, 11, 20, 8)
    second = BackupService(ctx).ensure_daily_backup()
    ctx.db.dispose()
    assert first and second
    corrupt_middle(second.path, pages=2)
    assert latest_good_backup(db_path) == first
