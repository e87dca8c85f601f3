"""One writer per database file: ``<db>.lock`` held with an operating-system lock.

SQLite itself serialises transactions, but two copies of the app on one file would each keep
their own idea of the data (a clerk edits a person the other copy has just merged away, an
import undone in one window is still shown in the other), and restoring a backup under a
running copy corrupts the file.  So the app, and every CLI command that writes (``demo``,
``import``, ``restore``), holds this lock for as long as it has the database open.

The lock file holds who has it (pid, host, login, operator, since when) as JSON, for the
message shown to the second copy: "数据库正由 张三 在 PC-01 上使用（自 09:12 起）…".  The
lock itself is ``fcntl.flock`` on POSIX and ``msvcrt.locking`` on Windows; both belong to the
open file and are dropped by the operating system when the process ends in any way (crash,
``kill -9``, power cut), so a stale lock file never blocks anybody: its content is simply
overwritten by the next holder.  The file is never deleted, which would let two processes lock
two different files of the same name.

Limit: on a network share the lock is only as good as the share's locking (SMB is fine; some
NAS boxes ignore it).  Keep the database on the PC and put the *backups* on the share.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from silverdesk.errors import DatabaseLocked, StorageError, with_reason

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl

# Windows locks are mandatory byte-range locks: lock one byte far past the JSON so that others
# can still read who holds it.
_WIN_LOCK_OFFSET = 1 << 20


@dataclass(frozen=True)
class LockHolder:
    """Who holds a database (read from the lock file)."""

    pid: int
    host: str
    user: str
    operator: str
    since: dt.datetime | None

    @property
    def who(self) -> str:
        return self.operator or self.user or "另一位用户"

    def describe(self, today: dt.date | None = None) -> str:
        """``张三 在 PC-01 上使用（自 09:12 起）`` in the clerk's words."""
        today = today or dt.date.today()
        if self.since is None:
            when = ""
        elif self.since.date() == today:
            when = f"（自 {self.since:%H:%M} 起）"
        else:
            when = f"（自 {self.since.month}月{self.since.day}日 {self.since:%H:%M} 起）"
        host = f"在 {self.host} 上" if self.host else ""
        return f"{self.who} {host}使用{when}"


class DatabaseInUse(DatabaseLocked):
    """Another copy of silverdesk has the database open for writing."""

    code = "db_in_use"

    def __init__(self, db_path: Path, holder: LockHolder | None) -> None:
        self.db_path = db_path
        self.holder = holder
        who = holder.describe() if holder else "另一个 silverdesk 窗口"
        same_host = holder is not None and holder.host == socket.gethostname()
        hint = "请先关闭那个窗口再试" if same_host else "请等对方关闭程序后再试，或以只读方式打开查看"
        super().__init__(f"数据库正由 {who}，{hint}（数据库：{db_path.name}）")


def lock_path(db_path: Path) -> Path:
    """``<db>.lock`` beside the database."""
    return db_path.with_name(db_path.name + ".lock")


class DatabaseLock:
    """The exclusive lock of one database file.  Use as a context manager or acquire/release.

    Example::

        with DatabaseLock(path, operator="张三"):
            ...  # write
    """

    def __init__(
        self, db_path: Path, operator: str = "", *, clock: Callable[[], dt.datetime] = dt.datetime.now
    ) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self.operator = operator
        self._clock = clock
        self._fd: int | None = None

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> DatabaseLock:
        """Take the lock now or raise :class:`DatabaseInUse` naming the holder (never waits)."""
        if self._fd is not None:
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StorageError(
                f"无法创建锁文件 {self.path}{with_reason(exc)}；请检查数据库所在文件夹是否可写",
                code="read_only",
            ) from exc
        try:
            locked = _try_lock(fd)
        except BaseException:
            os.close(fd)
            raise
        if not locked:
            os.close(fd)
            raise DatabaseInUse(self.db_path, read_holder(self.db_path))
        self._fd = fd
        self._write_info()
        return self

    def release(self) -> None:
        """Drop the lock (the file stays; its content no longer matters)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        _unlock(fd)
        os.close(fd)

    def _write_info(self) -> None:
        assert self._fd is not None
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "user": _login(),
            "operator": self.operator,
            "since": self._clock().isoformat(timespec="seconds"),
        }
        data = json.dumps(info, ensure_ascii=False).encode("utf-8")
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.ftruncate(self._fd, 0)
        os.write(self._fd, data)
        with contextlib.suppress(OSError):
            os.fsync(self._fd)


def read_holder(db_path: Path) -> LockHolder | None:
    """Who the lock file names (``None`` when empty or unreadable).  Does not say whether the
    lock is held: use :func:`is_locked` for that."""
    try:
        data = json.loads(lock_path(Path(db_path)).read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    try:
        since = dt.datetime.fromisoformat(str(data.get("since"))) if data.get("since") else None
    except ValueError:
        since = None
    pid = data.get("pid")
    return LockHolder(
        pid=pid if isinstance(pid, int) else 0,
        host=str(data.get("host") or ""),
        user=str(data.get("user") or ""),
        operator=str(data.get("operator") or ""),
        since=since,
    )


def is_locked(db_path: Path) -> LockHolder | None:
    """The holder if another open file holds the lock right now, else ``None`` (probes briefly)."""
    probe = DatabaseLock(db_path)
    try:
        probe.acquire()
    except DatabaseInUse as exc:
        return exc.holder or LockHolder(0, "", "", "", None)
    except StorageError:
        return None
    probe.release()
    return None


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account, odd container)
        return ""


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:  # e.g. a share that does not support locks: say so, never pretend
            raise StorageError(
                f"这个位置不支持文件锁{with_reason(exc)}，无法保证只有一个程序在写入；请把数据库放在本机磁盘上",
                code="lock_unsupported",
            ) from exc
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
