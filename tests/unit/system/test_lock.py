"""One writer per database: a second copy is refused with the holder's name; a killed holder
leaves no stale lock."""

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from silverdesk.db.connect import connect
from silverdesk.services.system.lock import (
    DatabaseInUse,
    DatabaseLock,
    LockHolder,
    is_locked,
    lock_path,
    read_holder,
)

SRC = Path(__file__).resolve().parents[3] / "src"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="kill -9 and fork semantics are tested on POSIX")


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "silverdesk", *args],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=120,
    )


def wait_for_holder(db: Path, pid: int, timeout: float = 30) -> LockHolder:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        holder = read_holder(db)
        if holder is not None and holder.pid == pid:
            return holder
        time.sleep(0.05)
    raise AssertionError("the first process never took the lock")


def test_second_lock_in_the_same_process_is_refused_and_names_the_holder(tmp_path):
    db = tmp_path / "x.sqlite"
    first = DatabaseLock(db, "张三", clock=lambda: dt.datetime.combine(dt.date.today(), dt.time(9, 12)))
    with first:
        with pytest.raises(DatabaseInUse) as info:
            DatabaseLock(db, "李四").acquire()
        message = str(info.value)
        assert f"数据库正由 张三 在 {socket.gethostname()} 上使用（自 09:12 起）" in message
        assert "关闭那个窗口" in message  # same PC: close the other window
        assert info.value.holder is not None and info.value.holder.pid == os.getpid()
        assert is_locked(db) is not None
    assert is_locked(db) is None
    with DatabaseLock(db, "李四"):  # released: the next one gets it
        assert read_holder(db).operator == "李四"
    assert lock_path(db).exists()  # the file stays; only the OS lock matters


def test_holder_from_another_day_and_another_pc_reads_naturally():
    holder = LockHolder(1, "PC-01", "zhangsan", "张三", dt.datetime(2026, 11, 19, 16, 5))
    assert holder.describe(today=dt.date(2026, 11, 20)) == "张三 在 PC-01 上使用（自 11月19日 16:05 起）"
    assert LockHolder(1, "", "zhangsan", "", None).describe() == "zhangsan 使用"


def test_a_garbled_lock_file_does_not_block(tmp_path):
    db = tmp_path / "x.sqlite"
    lock_path(db).write_bytes(b"\xff\xfe garbage from a crash")
    assert read_holder(db) is None
    with DatabaseLock(db, "张三"):
        assert read_holder(db).operator == "张三"


def test_second_cli_writer_is_refused_and_kill_9_frees_the_lock(tmp_path):
    db = tmp_path / "shared.sqlite"
    good_backup = tmp_path / "good.sqlite"
    connect(good_backup).dispose()
    first = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "silverdesk",
            "demo",
            "--db",
            str(db),
            "--operator",
            "张三",
            "--people",
            "20000",
            "--activities",
            "200000",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_env(),
    )
    try:
        holder = wait_for_holder(db, first.pid)
        assert holder.operator == "张三"
        second = cli("demo", "--db", str(db), "--operator", "李四", "--people", "10", "--activities", "0")
        assert first.poll() is None, "the first writer must still be running for this test to mean anything"
        assert second.returncode == 2
        assert "数据库正由 张三" in second.stderr and "上使用" in second.stderr
        restore = cli("restore", str(good_backup), "--db", str(db), "--yes")
        assert restore.returncode == 2 and "数据库正由 张三" in restore.stderr
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    assert read_holder(db).pid == first.pid  # the dead holder's note is still in the file …
    assert is_locked(db) is None  # … but it blocks nobody
    done = cli("demo", "--db", str(db), "--operator", "李四", "--people", "10", "--activities", "0")
    assert done.returncode == 0, done.stderr
