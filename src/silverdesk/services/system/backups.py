"""Backups and restore: nothing lost (issue #7).

* :meth:`BackupService.ensure_daily_backup`: the app calls it on start; the first start of a
  day makes a consistent copy;
* :meth:`BackupService.backup_before`: the import pipeline calls it before committing a batch
  (restores call it too, and migrations go through the same folder and rotation);
* :func:`restore`: checks the backup (SQLite, ``integrity_check``, a schema revision this
  program knows), backs up the current file (or keeps a byte copy when it is damaged), then
  swaps the file in atomically;
* rotation keeps 7 daily, 8 weekly and 12 monthly copies plus the 3 newest (settings
  ``backup_keep_*``) in the folder named by the ``backup_dir`` setting (a USB drive or share is
  typical; default: ``backups`` in the data folder).

Everything here works on the SQLite file.  A PostgreSQL database is backed up by its server
(``pg_dump``): the automatic calls do nothing for it and the explicit ones refuse with
:class:`BackupsNotApplicable`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from silverdesk.db.backup import (
    FILE_OPERATIONS,
    SETTING_DIR,
    SETTING_KEEP,
    BackupFile,
    RotationPolicy,
    backup_name,
    backup_sqlite_file,
    configured_folder,
    default_folder,
    describe_file,
    fsync_dir,
    inspect_sqlite_file,
    list_backups,
    newest_good,
    policy_from_settings,
    preserve_raw,
    prune,
    read_settings,
    remembered_folders,
    take_backup,
)
from silverdesk.db.engine import resolve_url
from silverdesk.errors import Cancelled, DatabaseTooNew, StorageError, UserError, with_reason
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.base import Context, audit
from silverdesk.services.system.lock import DatabaseLock

log = logging.getLogger(__name__)

__all__ = [
    "BackupFile",
    "BackupService",
    "BackupsNotApplicable",
    "RestoreResult",
    "RotationPolicy",
    "all_backups",
    "backup_folders",
    "candidate_backups",
    "db_file",
    "latest_good_backup",
    "manual_backup",
    "restore",
    "verify_backup",
]

PG_MESSAGE = (
    "这是 PostgreSQL 服务器上的数据库，备份和恢复由服务器负责（请数据库管理员用 pg_dump / pg_restore），"
    "silverdesk 不做文件备份"
)


class BackupsNotApplicable(UserError):
    """File backups asked for a server database."""

    code = "backup_not_applicable"

    def __init__(self) -> None:
        super().__init__(PG_MESSAGE)


@dataclass(frozen=True)
class RestoreResult:
    """What :func:`restore` did."""

    database: Path
    source: Path
    previous: BackupFile | None  # the copy of what was replaced (None when there was no file)
    revision: str  # the schema revision after opening (migrated if the backup was older)


def db_file(db: str | os.PathLike[str] | None) -> Path:
    """The SQLite file behind ``--db`` / ``SILVERDESK_DB`` / the default.

    Raises:
        BackupsNotApplicable: the URL names a server database.
    """
    url = make_url(resolve_url(db))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupsNotApplicable()
    return Path(url.database)


def backup_folders(db_path: Path) -> list[Path]:
    """Every folder ``db_path``'s backups may be in: the one named in its settings (when they can
    still be read), those this machine remembers using for it, and the default folder."""
    folders = [configured_folder(read_settings(db_path)), *remembered_folders(db_path), default_folder()]
    unique: dict[Path, Path] = {}
    for folder in folders:
        unique.setdefault(folder.resolve(), folder)
    return list(unique.values())


def all_backups(db_path: Path) -> list[BackupFile]:
    """The backups of ``db_path`` and the hand-copied files in all its folders, newest first."""
    found: dict[Path, BackupFile] = {}
    for folder in backup_folders(db_path):
        for b in list_backups(folder):
            if b.stem in (db_path.stem, None):
                found.setdefault(b.path.resolve(), b)
    return sorted(found.values(), key=lambda b: (b.created, b.path.name), reverse=True)


def candidate_backups(db_path: Path) -> list[BackupFile]:
    """Backups silverdesk made of ``db_path`` in any of its folders, newest first (the ones a
    restore may pick; preserved damaged files and hand-copied files are not candidates)."""
    return [b for b in all_backups(db_path) if b.stem == db_path.stem and b.reason != "damaged"]


def known_revisions() -> set[str]:
    """Schema revisions this program can open (imports Alembic, so only when a file is checked)."""
    from silverdesk.db.migrate import known_revisions as revisions

    return revisions()


def latest_good_backup(db_path: Path) -> BackupFile | None:
    """The newest backup of ``db_path`` that passes ``integrity_check`` and that this program
    can open (its schema revision is known)."""
    return newest_good(candidate_backups(db_path), known_revisions())


def verify_backup(path: Path) -> str:
    """Check that ``path`` can be restored; returns its schema revision.

    Raises:
        UserError: missing, not SQLite, damaged, or not a silverdesk database.
        DatabaseTooNew: written by a newer silverdesk.
    """
    health = inspect_sqlite_file(path, full=True)
    name = path.name
    if health.kind == "missing":
        raise UserError(f"找不到备份文件 {path}")
    if health.kind in ("empty", "not_database"):
        raise UserError(f"{name} 不是数据库文件，不能用于恢复；请选择 silverdesk 生成的备份（.sqlite）")
    if health.kind == "damaged":
        raise UserError(
            f"备份文件 {name} 本身已损坏（{'；'.join(health.details[:2])}），不能用于恢复；请换一个较早的备份"
        )
    if health.revision is None:
        raise UserError(f"{name} 不是 silverdesk 数据库，不能用于恢复")
    if health.revision not in known_revisions():
        raise DatabaseTooNew(
            f"备份 {name} 来自更新版本的 silverdesk（结构版本 {health.revision}），当前程序无法使用；"
            "请先升级 silverdesk 再恢复，现有数据库未作任何改动"
        )
    return health.revision


def manual_backup(
    db_path: Path,
    out: Path | None = None,
    *,
    now: dt.datetime | None = None,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
) -> BackupFile:
    """A backup the clerk asked for: into the backup folder, or to ``out`` (a file or a folder).

    Manual backups are never deleted by rotation.  A cancel (checked while the file is copied,
    see :func:`~silverdesk.db.backup.backup_sqlite_file`) leaves the folder as it was.

    Raises:
        UserError: the database file does not exist, or ``out`` is an existing file.
        StorageError: the copy failed.
    """
    if not db_path.is_file():
        raise UserError(f"数据库文件 {db_path} 不存在，没有可备份的内容")
    when = now or dt.datetime.now()
    if out is None:
        return take_backup(db_path, "manual", now=when, progress=progress, cancel=cancel)
    if out.is_dir():
        out = out / backup_name(db_path.stem, "manual", when)
    if out.exists():
        raise UserError(f"文件 {out} 已存在，为免覆盖未作备份；请换一个文件名")
    if out.resolve() == db_path.resolve():
        raise UserError("备份文件不能是数据库本身")
    backup_sqlite_file(db_path, out, progress=progress, cancel=cancel)
    info = describe_file(out)
    assert info is not None
    return info


def restore(
    source: Path,
    db_path: Path,
    *,
    operator: str = "",
    lock: DatabaseLock | None = None,
    clock: Callable[[], dt.datetime] = dt.datetime.now,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
) -> RestoreResult:
    """Replace the database at ``db_path`` with the backup ``source``.  Nothing is lost:

    1. ``source`` is checked first (:func:`verify_backup`); a bad one changes nothing;
    2. the database's lock is taken (or ``lock``, already held by the caller, is used): no other
       copy of silverdesk may have the file open; the caller must have closed its own engine;
    3. the current file is backed up (reason ``before-restore``), or kept as a byte copy
       (reason ``damaged``) when SQLite can no longer read it;
    4. the backup is copied beside the database, flushed, the old ``-wal``/``-shm`` files are
       removed (they belong to the old file and would be replayed onto the new one) and the copy
       is renamed over the database in one step (``os.replace``);
    5. the database is opened (migrated if the backup is older) and the restore is written to
       the audit log; automatic backups are rotated.

    ``cancel`` is honoured up to the swap (step 4's rename): a cancel before it removes the copies
    this restore made (the backup of the current file, the staged copy) and raises
    :class:`~silverdesk.errors.Cancelled` with the database and the backup folder as they were;
    once the file is swapped the restore finishes.

    Raises:
        UserError, DatabaseTooNew: the backup cannot be used (nothing changed).
        DatabaseInUse: another copy of silverdesk has the database open (nothing changed).
        StorageError: a copy could not be written (the database is unchanged).
    """
    source = Path(source)
    db_path = Path(db_path)
    when = clock()
    if source.resolve() == db_path.resolve():
        raise UserError("不能用数据库文件本身来恢复；请选择备份文件夹里的备份")
    progress(0, 0, f"正在检查备份 {source.name}")
    verify_backup(source)
    cancel.raise_if_set()
    own_lock = lock is None
    held = lock or DatabaseLock(db_path, operator, clock=clock)
    held.acquire()
    try:
        with FILE_OPERATIONS:  # a backup still being written (the daily one, on a thread) finishes first
            policy = policy_from_settings(read_settings(db_path))  # the current file's, as it is replaced
            previous = _save_current(db_path, when, progress, cancel)
            staged = db_path.with_name(db_path.name + ".restoring")
            try:
                _stage(source, staged, progress, cancel)
                cancel.raise_if_set()  # the last safe point: from the swap on, the restore finishes
            except Cancelled:
                staged.unlink(missing_ok=True)
                if previous is not None:
                    previous.path.unlink(missing_ok=True)  # nothing was replaced: the folder as it was
                raise
            progress(0, 0, "正在替换数据库文件")
            _swap_in(staged, db_path)
            if previous is not None and previous.automatic:
                prune(previous.path.parent, db_path.stem, policy)
            revision = _open_and_record(db_path, source, previous, operator, clock)
    finally:
        if own_lock:
            held.release()
    return RestoreResult(db_path, source, previous, revision)


def _save_current(
    db_path: Path, when: dt.datetime, progress: Progress, cancel: CancelToken
) -> BackupFile | None:
    health = inspect_sqlite_file(db_path)
    if health.kind in ("missing", "empty"):
        return None
    if health.ok:
        progress(0, 0, "正在备份当前数据库")
        return take_backup(
            db_path, "before-restore", now=when, rotate=False, progress=progress, cancel=cancel
        )
    folder = _first_writable([configured_folder(read_settings(db_path)), default_folder()])
    return describe_file(preserve_raw(db_path, folder, when))


def _first_writable(folders: list[Path]) -> Path:
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    raise StorageError("找不到可写入的备份文件夹，为安全起见未作恢复", code="backup_failed")


def _stage(source: Path, staged: Path, progress: Progress, cancel: CancelToken) -> None:
    """The backup copied beside the database, flushed, ready to be renamed over it."""
    progress(0, 0, f"正在复制备份 {source.name}")
    backup_sqlite_file(source, staged, progress=progress, cancel=cancel)  # validates the read once more


def _swap_in(staged: Path, db_path: Path) -> None:
    try:
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                db_path.with_name(db_path.name + suffix).unlink()
        os.replace(staged, db_path)
        fsync_dir(db_path.parent)
    except OSError as exc:
        raise StorageError(
            f"无法替换数据库文件 {db_path}{with_reason(exc)}；请关闭所有使用它的程序后重试。"
            f"恢复用的副本保留在 {staged}",
            code="restore_failed",
        ) from exc


def _open_and_record(
    db_path: Path, source: Path, previous: BackupFile | None, operator: str, clock: Callable[[], dt.datetime]
) -> str:
    from silverdesk.db.connect import connect
    from silverdesk.db.migrate import current_revision

    database = connect(db_path)
    try:
        ctx = Context(database, operator or "未署名", clock)
        kept = f"，原数据库已备份为 {previous.path.name}" if previous else ""
        with database.session() as session:
            audit(
                session,
                ctx,
                "恢复",
                "database",
                None,
                f"从备份 {source.name} 恢复数据库{kept}",
                {"backup": [None, str(source)], "previous": [None, str(previous.path) if previous else None]},
            )
        return current_revision(database) or ""
    finally:
        database.dispose()


class BackupService:
    """Backups of the open database, for the app and the import pipeline."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        # The app's own lock on the database (set by the start-up sequence); a restore from the
        # running app must use it: a second lock on the same file in the same process is refused.
        self.lock: DatabaseLock | None = None

    @property
    def applicable(self) -> bool:
        """False for a server database (PostgreSQL backs itself up)."""
        return self.ctx.db.path is not None

    @property
    def db_path(self) -> Path:
        path = self.ctx.db.path
        if path is None:
            raise BackupsNotApplicable()
        return path

    def folder(self) -> Path:
        """Where new backups go (the ``backup_dir`` setting or the default folder)."""
        return configured_folder(read_settings(self.db_path))

    def policy(self) -> RotationPolicy:
        return policy_from_settings(read_settings(self.db_path))

    def configure(self, folder: Path | None = None, policy: RotationPolicy | None = None) -> None:
        """Save the backup folder (``None``: keep; an empty path: back to the default) and policy."""
        from silverdesk.services.org.lookups import SettingsService

        values: dict[str, str] = {}
        if folder is not None:
            values[SETTING_DIR] = str(folder) if str(folder) not in ("", ".") else ""
        if policy is not None:
            for field, key in SETTING_KEEP.items():
                count = getattr(policy, field)
                if count < 0:
                    raise UserError("保留份数不能为负数")
                values[key] = str(count)
        if values:
            SettingsService(self.ctx).update(values)

    def ensure_daily_backup(self) -> BackupFile | None:
        """Make today's backup unless one exists already (call on every start).

        Returns:
            The new backup, or ``None`` when today's exists or the database is on a server.
        """
        if not self.applicable or not self.db_path.is_file():
            return None
        today = self.ctx.today()
        for folder in {self.folder(), default_folder()}:
            if any(
                b.created.date() == today
                for b in list_backups(folder, self.db_path.stem)
                if b.automatic or b.reason == "manual"
            ):
                return None
        return take_backup(self.db_path, "daily", now=self.ctx.clock())

    def backup_before(self, reason: str, *, cancel: CancelToken = NEVER) -> BackupFile | None:
        """A backup just before a risky step (``reason``: ``import``, ``restore``, ``merge`` …);
        a cancel while it is copied leaves the folder as it was.

        Returns:
            The backup, or ``None`` for a server database.
        """
        if not self.applicable:
            log.info("backup before %s skipped: server database", reason)
            return None
        return take_backup(self.db_path, f"before-{reason}", now=self.ctx.clock(), cancel=cancel)

    def backup_now(
        self, out: Path | None = None, *, progress: Progress = null_progress, cancel: CancelToken = NEVER
    ) -> BackupFile:
        """A manual backup (see :func:`manual_backup`; a cancel leaves the folder as it was)."""
        return manual_backup(self.db_path, out, now=self.ctx.clock(), progress=progress, cancel=cancel)

    def list(self) -> list[BackupFile]:
        """This database's backups and hand-copied files in its backup folders, newest first."""
        return all_backups(self.db_path)

    def latest_good(self) -> BackupFile | None:
        return latest_good_backup(self.db_path)

    def restore_from(
        self, source: Path, *, progress: Progress = null_progress, cancel: CancelToken = NEVER
    ) -> RestoreResult:
        """Restore the open database from ``source`` and reopen it (for the running app).

        The backup is checked before anything is closed.  Then the open engine is disposed (no
        pooled connection may keep writing to the file being replaced), :func:`restore` swaps the
        file (backing the current one up first) under the app's lock, and a fresh engine on the
        restored file replaces ``ctx.db``, so every service built on this context reads and
        writes the restored database from now on.  If the restore fails, the engine is reopened
        on the unchanged file.  ``cancel``: as in :func:`restore` (honoured up to the swap).

        The caller must make sure nothing else is using the database meanwhile (no worker task
        running, no session open).

        Raises:
            UserError, DatabaseTooNew: the backup cannot be used (nothing changed).
            DatabaseInUse: another copy of silverdesk holds the database.
            StorageError: a copy could not be written (the database is unchanged).
        """
        from silverdesk.db.connect import connect

        path = self.db_path
        source = Path(source)
        if source.resolve() == path.resolve():
            raise UserError("不能用数据库文件本身来恢复；请选择备份文件夹里的备份")
        verify_backup(source)
        self.ctx.db.dispose()
        try:
            result = restore(
                source,
                path,
                operator=self.ctx.operator,
                lock=self.lock,
                clock=self.ctx.clock,
                progress=progress,
                cancel=cancel,
            )
        finally:
            self.ctx.db = connect(path)
        return result
