"""Backup files of a SQLite database: consistent copies, their names, the folder and rotation.

Copies are made with SQLite's online backup API (never a file copy of a live database: a copy
taken while a transaction is half written, or without the ``-wal`` file, is not a database
one can trust).  Each copy is written to ``*.part``, flushed to disk and renamed, so a power
cut leaves either the old set of backups or the old set plus one complete new file.

File names carry the database's name, the reason and the local time, so a list survives files
being copied to a USB drive and back by hand::

    silverdesk_daily_20261120-081502.sqlite
    silverdesk_before-import_20261120-143000.sqlite
    silverdesk_before-migrate-0002_20261121-080011-2.sqlite   (second one in the same second)

Files in the folder that do not follow the pattern (copied in by hand) are listed with their
modification time and never deleted by rotation.

This module lives in ``db`` because the migration step (``db/migrate.py``) needs it before any
service exists; ``services/system/backups.py`` builds the use cases (daily backup, restore, list) on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from silverdesk.errors import Cancelled, StorageError, reason_of, with_reason
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"
BACKUP_SUFFIXES = (".sqlite", ".sqlite3", ".db")
_NAME = re.compile(r"^(?P<stem>.+)_(?P<reason>[^_]+)_(?P<ts>\d{8}-\d{6})(?:-(?P<n>\d+))?\.sqlite$")
_TS_FORMAT = "%Y%m%d-%H%M%S"
COPY_PAGES = 2048  # pages copied per step (8 MB at SQLite's 4 KB pages): progress and cancel between steps
FOLDERS_FILE = "backup-folders.json"  # in the data dir: where each database's backups went

# Setting keys (the ``setting`` table travels with the data, so a bureau's choice moves with it).
SETTING_DIR = "backup_dir"
SETTING_KEEP = {
    "daily": "backup_keep_daily",
    "weekly": "backup_keep_weekly",
    "monthly": "backup_keep_monthly",
    "last": "backup_keep_last",
}

REASON_LABELS = {
    "daily": "每日自动备份",
    "manual": "手动备份",
    "before-import": "导入前自动备份",
    "before-restore": "恢复前自动备份",
    "before-migrate": "升级前自动备份",
    "damaged": "损坏的原文件（留存）",
}


@dataclass(frozen=True)
class BackupFile:
    """One file in a backup folder."""

    path: Path
    created: dt.datetime  # from the name (local time); the modification time for hand-copied files
    reason: str  # a slug such as "daily", "before-import"; "" for files copied in by hand
    stem: str | None  # the database's file stem; None for files copied in by hand
    size: int
    note: str = ""  # a warning about how it was made (e.g. the configured folder was unavailable)

    @property
    def automatic(self) -> bool:
        """Made by silverdesk on its own, hence subject to rotation."""
        return self.reason == "daily" or self.reason.startswith("before-")

    @property
    def size_text(self) -> str:
        """``12.3 MB`` / ``640 KB``."""
        if self.size >= 1 << 20:
            return f"{self.size / (1 << 20):.1f} MB"
        return f"{max(self.size, 1) / 1024:.0f} KB"

    @property
    def label(self) -> str:
        """The reason in Chinese, for lists."""
        if not self.reason:
            return "手工放入的文件"
        for slug, label in REASON_LABELS.items():
            if self.reason == slug or self.reason.startswith(slug + "-"):
                return label
        return self.reason


@dataclass(frozen=True)
class RotationPolicy:
    """How many automatic backups to keep (restic's semantics: each rule on its own, the union kept).

    ``daily``: the newest backup of each of the last N days that have one; ``weekly`` the same
    per ISO week, ``monthly`` per calendar month; ``last`` the N newest whatever their age (so a
    backup taken before the second import of a day survives the third).
    """

    daily: int = 7
    weekly: int = 8
    monthly: int = 12
    last: int = 3


@dataclass(frozen=True)
class FileHealth:
    """What :func:`inspect_sqlite_file` found."""

    kind: str  # "ok" | "missing" | "empty" | "not_database" | "damaged"
    revision: str | None = None  # alembic_version, when readable
    details: tuple[str, ...] = ()  # the checker's first complaints

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


# -- copying ------------------------------------------------------------------------------------


def sqlite_uri(path: Path, mode: str = "ro") -> str:
    """A ``file:`` URI for ``path`` that survives ``?``, ``#``, ``%`` and Chinese in folder names."""
    return f"file:{quote(Path(path).resolve().as_posix(), safe='/:')}?mode={mode}"


def backup_sqlite_file(
    source: Path, dest: Path, *, progress: Progress = null_progress, cancel: CancelToken = NEVER
) -> Path:
    """Copy ``source`` to ``dest`` (a new file) consistently, even while others use it.

    The copy is written to ``dest.part`` (:data:`COPY_PAGES` pages at a time, ``progress`` told
    after each step), switched to rollback-journal mode (one self-contained file), flushed to
    disk and renamed onto ``dest``.  ``cancel`` is checked after each step and just before the
    rename: a cancel removes the part file and raises :class:`~silverdesk.errors.Cancelled`.

    Raises:
        StorageError: the source cannot be read or the destination cannot be written.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)

    def step(_status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total, "正在复制数据库")
        cancel.raise_if_set()

    try:
        src = sqlite3.connect(sqlite_uri(source, "ro"), uri=True, timeout=10)
        try:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out, pages=COPY_PAGES, progress=step)
                out.execute("PRAGMA journal_mode=DELETE")
            finally:
                out.close()
        finally:
            src.close()
        _fsync_file(tmp)
        cancel.raise_if_set()  # the last moment a cancel leaves nothing behind
        tmp.replace(dest)
        fsync_dir(dest.parent)
    except Cancelled:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise StorageError(
            f"备份失败：无法把 {source} 复制到 {dest.parent}{with_reason(exc)}；请检查磁盘空间和文件夹权限",
            code="backup_failed",
        ) from exc
    return dest


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles for this)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


# -- names and lists ----------------------------------------------------------------------------


def reason_slug(reason: str) -> str:
    """A reason safe inside a backup file name (no ``_``, no path characters, ≤ 40 characters)."""
    slug = re.sub(r"[\s_<>:\"/\\|?*\x00-\x1f.]+", "-", reason.strip()).strip("-")
    return slug[:40] or "manual"


def backup_name(stem: str, reason: str, when: dt.datetime, serial: int = 1) -> str:
    suffix = f"-{serial}" if serial > 1 else ""
    return f"{stem}_{reason_slug(reason)}_{when:{_TS_FORMAT}}{suffix}.sqlite"


def timestamped_name(stem: str, tag: str, now: dt.datetime | None = None) -> str:
    """Backward-compatible name of a backup (see :func:`backup_name`)."""
    return backup_name(stem, tag, now or dt.datetime.now())


def parse_backup_name(name: str) -> tuple[str, str, dt.datetime] | None:
    """``(stem, reason, created)`` of a name made by :func:`backup_name`, else ``None``."""
    match = _NAME.match(name)
    if not match:
        return None
    try:
        when = dt.datetime.strptime(match["ts"], _TS_FORMAT)
    except ValueError:
        return None
    return match["stem"], match["reason"], when


def describe_file(path: Path) -> BackupFile | None:
    """A :class:`BackupFile` for ``path``, or ``None`` when it is not a file one can list."""
    try:
        stat = path.stat()
    except OSError:
        return None
    parsed = parse_backup_name(path.name)
    if parsed:
        stem, reason, created = parsed
        return BackupFile(path, created, reason, stem, stat.st_size)
    return BackupFile(path, dt.datetime.fromtimestamp(stat.st_mtime), "", None, stat.st_size)


def list_backups(folder: Path, stem: str | None = None) -> list[BackupFile]:
    """The backup files in ``folder``, newest first (hand-copied files included unless ``stem``).

    Args:
        folder: the backup folder (missing → empty list).
        stem: only backups of the database with this file stem.
    """
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    out = []
    for path in entries:
        if path.suffix.lower() not in BACKUP_SUFFIXES or not path.is_file():
            continue
        info = describe_file(path)
        if info is None or (stem is not None and info.stem != stem):
            continue
        out.append(info)
    out.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return out


# -- rotation -----------------------------------------------------------------------------------


def survivors(backups: Iterable[BackupFile], policy: RotationPolicy) -> set[Path]:
    """The paths ``policy`` keeps among the automatic backups in ``backups``."""
    auto = sorted((b for b in backups if b.automatic), key=lambda b: (b.created, b.path.name), reverse=True)
    keep = {b.path for b in auto[: max(policy.last, 0)]}
    rules = (
        (policy.daily, lambda d: d.date()),
        (policy.weekly, lambda d: tuple(d.isocalendar())[:2]),
        (policy.monthly, lambda d: (d.year, d.month)),
    )
    for count, bucket in rules:
        seen: set[object] = set()
        for b in auto:
            if len(seen) >= count:
                break
            key = bucket(b.created)
            if key not in seen:
                seen.add(key)
                keep.add(b.path)
    return keep


def prune(folder: Path, stem: str, policy: RotationPolicy) -> list[Path]:
    """Delete the automatic backups of ``stem`` in ``folder`` that ``policy`` does not keep.

    Manual backups, preserved damaged files and files copied in by hand are never deleted.

    Returns:
        The deleted paths.
    """
    backups = list_backups(folder, stem)
    keep = survivors(backups, policy)
    removed = []
    for b in backups:
        if b.automatic and b.path not in keep:
            try:
                b.path.unlink()
            except OSError:
                continue  # read-only share or a file in use: try again next time
            removed.append(b.path)
    return removed


# -- settings kept in the database file ----------------------------------------------------------


def read_settings(db_path: Path) -> dict[str, str]:
    """The backup-related settings stored in the database, read without SQLAlchemy.

    Best effort: a missing, damaged or pre-settings file gives ``{}``.
    """
    if not db_path.is_file():
        return {}
    try:
        conn = sqlite3.connect(sqlite_uri(db_path, "ro"), uri=True, timeout=5)
    except sqlite3.Error:
        return {}
    try:
        keys = [SETTING_DIR, *SETTING_KEEP.values()]
        marks = ",".join("?" * len(keys))
        rows = conn.execute(f"SELECT key, value FROM setting WHERE key IN ({marks})", keys).fetchall()
        return {str(k): str(v) for k, v in rows}
    except sqlite3.Error:
        return {}
    finally:
        conn.close()


def policy_from_settings(settings: dict[str, str]) -> RotationPolicy:
    values = {}
    for field, key in SETTING_KEEP.items():
        raw = settings.get(key, "").strip()
        if raw.isdigit():
            values[field] = int(raw)
    return RotationPolicy(**values)


def default_folder() -> Path:
    from silverdesk.paths import backups_dir

    return backups_dir()


def configured_folder(settings: dict[str, str]) -> Path:
    """The folder named by the ``backup_dir`` setting, else the default ``backups`` folder."""
    raw = settings.get(SETTING_DIR, "").strip()
    return Path(raw).expanduser() if raw else default_folder()


def remembered_folders(db_path: Path) -> list[Path]:
    """Folders this machine has written ``db_path``'s backups to (for a damaged database, whose
    own ``backup_dir`` setting cannot be read any more)."""
    index = _folders_index()
    return [Path(p) for p in index.get(str(db_path.resolve()), [])]


def _remember_folder(db_path: Path, folder: Path) -> None:
    index = _folders_index()
    key = str(db_path.resolve())
    folders = [str(folder.resolve())] + [f for f in index.get(key, []) if f != str(folder.resolve())]
    index[key] = folders[:5]
    path = _folders_index_path()
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # only a hint for finding backups later; never a reason to fail a backup


def _folders_index_path() -> Path:
    from silverdesk.paths import data_dir

    return data_dir() / FOLDERS_FILE


def _folders_index() -> dict[str, list[str]]:
    try:
        data = json.loads(_folders_index_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return (
        {str(k): [str(x) for x in v] for k, v in data.items() if isinstance(v, list)}
        if isinstance(data, dict)
        else {}
    )


# -- taking a backup ------------------------------------------------------------------------------


FILE_OPERATIONS = threading.RLock()
"""Held while a backup is written or a restore replaces the file: in one process, a restore waits
for a backup still running (the start-up daily backup is taken on a thread) and the other way round."""


def take_backup(
    db_path: Path,
    reason: str,
    *,
    now: dt.datetime | None = None,
    folder: Path | None = None,
    rotate: bool = True,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
) -> BackupFile:
    """Back ``db_path`` up into its backup folder and apply the rotation policy.

    Args:
        db_path: the live database file.
        reason: a slug (``daily``, ``manual``, ``before-import`` …).
        now: the time to put in the name (tests pass a fake clock).
        folder: overrides the ``backup_dir`` setting.
        rotate: apply the policy from the database's settings afterwards.
        progress, cancel: as in :func:`backup_sqlite_file` (a cancel leaves the folder as it was).

    Returns:
        The new backup.  If the configured folder (a USB drive, a share) cannot be written,
        the backup goes to the default folder instead and ``note`` says so.

    Raises:
        StorageError: no folder could take the backup.
    """
    settings = read_settings(db_path)
    target = folder or configured_folder(settings)
    note = ""
    when = now or dt.datetime.now()
    try:
        path = _write_backup(db_path, target, reason, when, progress, cancel)
    except StorageError:
        fallback = default_folder()
        if folder is not None or target.resolve() == fallback.resolve():
            raise
        note = f"备份文件夹 {target} 无法写入（U 盘未插入或网络共享不可用？），本次备份已存到 {fallback}"
        target = fallback
        path = _write_backup(db_path, target, reason, when, progress, cancel)
    _remember_folder(db_path, target)
    if rotate:
        prune(target, db_path.stem, policy_from_settings(settings))
    info = describe_file(path)
    assert info is not None
    return BackupFile(info.path, info.created, info.reason, info.stem, info.size, note)


def _write_backup(
    db_path: Path, folder: Path, reason: str, when: dt.datetime, progress: Progress, cancel: CancelToken
) -> Path:
    with FILE_OPERATIONS:
        return _write_backup_unlocked(db_path, folder, reason, when, progress, cancel)


def _write_backup_unlocked(
    db_path: Path, folder: Path, reason: str, when: dt.datetime, progress: Progress, cancel: CancelToken
) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"无法创建备份文件夹 {folder}{with_reason(exc)}", code="backup_failed") from exc
    serial = 1
    while (folder / backup_name(db_path.stem, reason, when, serial)).exists():
        serial += 1
    return backup_sqlite_file(
        db_path, folder / backup_name(db_path.stem, reason, when, serial), progress=progress, cancel=cancel
    )


def preserve_raw(db_path: Path, folder: Path, when: dt.datetime) -> Path:
    """Keep a byte copy of a damaged database (and its ``-wal``) before it is replaced.

    A byte copy is right here and only here: the file cannot be read through SQLite any more,
    and the caller holds the database's lock, so nobody is writing to it.
    """
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    serial = 1
    while (folder / backup_name(db_path.stem, "damaged", when, serial)).exists():
        serial += 1
    dest = folder / backup_name(db_path.stem, "damaged", when, serial)
    try:
        shutil.copyfile(db_path, dest)
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, dest.with_name(dest.name + "-wal"))
        _fsync_file(dest)
        fsync_dir(folder)
    except OSError as exc:
        raise StorageError(
            f"无法留存损坏的数据库文件{with_reason(exc)}；为安全起见未作恢复", code="backup_failed"
        ) from exc
    return dest


# -- health ---------------------------------------------------------------------------------------


def inspect_sqlite_file(path: Path, *, full: bool = False, pages: bool = True) -> FileHealth:
    """Is ``path`` a sound SQLite database?  Never writes to it.

    Args:
        path: the file.
        full: ``PRAGMA integrity_check`` (every index entry checked) instead of ``quick_check``.
        pages: ``False`` skips the page-by-page check (seconds on a large file): only the header,
            the schema and the revision are read.
    """
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except FileNotFoundError:
        return FileHealth("missing")
    except OSError as exc:
        return FileHealth("damaged", details=(f"无法读取文件{with_reason(exc)}",))
    if not header:
        return FileHealth("empty")
    if not header.startswith(SQLITE_HEADER):
        return FileHealth("not_database", details=("文件头不是 SQLite 数据库",))
    try:
        conn = sqlite3.connect(sqlite_uri(path, "ro"), uri=True, timeout=5)
    except sqlite3.Error as exc:
        return FileHealth("damaged", details=(reason_of(exc) or "无法打开数据库",))
    try:
        if pages:
            pragma = "integrity_check" if full else "quick_check"
            rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}(20)")]
        else:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads and parses the schema
            rows = ["ok"]
        revision = _revision(conn)
    except sqlite3.Error as exc:
        return FileHealth("damaged", details=(reason_of(exc) or "读取时出错",))
    finally:
        conn.close()
    if rows != ["ok"]:
        lines = [ln.strip() for r in rows for ln in r.splitlines() if ln.strip() and not ln.startswith("***")]
        log.warning(
            "%s failed its %s: %s", path, "integrity_check" if full else "quick_check", "; ".join(lines)
        )
        more = "以上" if len(rows) >= 20 else ""
        return FileHealth("damaged", revision, (f"逐页检查发现 {len(lines)} 处{more}损坏（详情已写入日志）",))
    return FileHealth("ok", revision)


def _revision(conn: sqlite3.Connection) -> str | None:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def newest_good(candidates: Sequence[BackupFile], known_revisions: set[str]) -> BackupFile | None:
    """The newest candidate that passes ``integrity_check`` and has a revision this program knows."""
    for b in sorted(candidates, key=lambda b: b.created, reverse=True):
        health = inspect_sqlite_file(b.path, full=True)
        if health.ok and health.revision in known_revisions:
            return b
    return None
