"""The check the app runs before opening a database: is the file sound? (issue #7)

``startup_check`` never writes to the file and never opens it through SQLAlchemy (opening would
migrate it).  A damaged database is not "repaired" or replaced behind the clerk's back: the
state names the newest good backup, and the GUI asks before restoring it (the CLI prints the
``silverdesk restore`` command).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from silverdesk.db.backup import BackupFile, inspect_sqlite_file
from silverdesk.db.migrations import HEAD
from silverdesk.services.system.backups import known_revisions, latest_good_backup

OK = "ok"
MISSING = "missing"  # no file yet: a new database will be created
DAMAGED = "damaged"
NOT_DATABASE = "not_database"
TOO_NEW = "too_new"


@dataclass(frozen=True)
class StartupState:
    """What :func:`startup_check` found, with the way out."""

    kind: str  # OK | MISSING | DAMAGED | NOT_DATABASE | TOO_NEW
    db_path: Path
    details: tuple[str, ...] = ()
    latest_backup: BackupFile | None = None
    revision: str | None = None

    @property
    def can_open(self) -> bool:
        """Open as usual (a missing file is created)."""
        return self.kind in (OK, MISSING)

    def restore_command(self) -> str:
        """The CLI command that restores the latest good backup ("" when there is none)."""
        if self.latest_backup is None:
            return ""
        return f'silverdesk restore "{self.latest_backup.path}" --db "{self.db_path}"'

    def message(self) -> str:
        """What happened and what to do, in the clerk's words (several lines)."""
        name = self.db_path
        backup = self.latest_backup
        found = (
            f"最近的完好备份：{backup.path}（{backup.created:%Y-%m-%d %H:%M}，{backup.label}，"
            f"{backup.size_text}）"
            if backup
            else ""
        )
        if self.kind == OK:
            return f"数据库 {name} 正常"
        if self.kind == MISSING:
            text = f"数据库文件 {name} 不存在，将新建一个空数据库"
            return text + (
                f"\n{found}\n如需找回以前的数据，请恢复这个备份：{self.restore_command()}" if backup else ""
            )
        if self.kind == TOO_NEW:
            return (
                f"数据库 {name} 由更新版本的 silverdesk 创建（结构版本 {self.revision}），当前程序无法打开；"
                "请升级 silverdesk，文件未作任何改动"
            )
        head = "数据库文件已损坏" if self.kind == DAMAGED else "数据库文件已损坏或不是 silverdesk 数据库"
        lines = [f"{head}：{name}"]
        lines += [f"  {d}" for d in self.details[:5]]
        if backup:
            lines += [found, f"恢复命令（当前文件会先另存一份，不会丢失）：{self.restore_command()}"]
        else:
            lines.append("没有找到可用的备份；请不要再写入这个文件，把它复制一份后联系维护人员")
        return "\n".join(lines)


SMALL_FILE = 64 * 1024 * 1024  # checked page by page at every start: well under a second


def check_marker(db_path: Path) -> Path:
    """``<db>.check``: a check found damage while the app ran; the next start checks it all first."""
    return db_path.with_name(db_path.name + ".check")


def needs_full_check(db_path: Path) -> bool:
    """Whether the page-by-page check must run before the database is opened.

    Yes for a small file (it is quick), after an unclean end (a power cut or a kill leaves the
    ``-wal`` file behind; a clean close removes it), and when a check during the last session
    found damage.  Otherwise the window opens first and :func:`startup_check` runs in the
    background (a 500 MB database takes seconds to check).
    """
    db_path = Path(db_path)
    try:
        if db_path.stat().st_size <= SMALL_FILE:
            return True
    except OSError:
        return True
    wal = db_path.with_name(db_path.name + "-wal")
    return (wal.exists() and wal.stat().st_size > 0) or check_marker(db_path).exists()


def record_check(state: StartupState) -> None:
    """Remember what a background check found: damage makes the next start check first."""
    marker = check_marker(state.db_path)
    if state.can_open:
        marker.unlink(missing_ok=True)
    else:
        marker.write_text(state.message(), encoding="utf-8")


def startup_check(db_path: Path, *, pages: bool = True) -> StartupState:
    """Check ``db_path`` with ``PRAGMA quick_check`` and find the way out if it is not sound.

    Args:
        db_path: the SQLite database file the app is about to open.
        pages: ``False`` checks only the header, schema and revision (see :func:`needs_full_check`).

    Returns:
        ``ok``; ``missing`` (also a 0-byte file with no backup to go back to); ``damaged`` (a
        0-byte file where backups exist counts, as a power cut can leave one); ``not_database``;
        or ``too_new``.  For the last four the newest good backup is looked up.
    """
    db_path = Path(db_path)
    health = inspect_sqlite_file(db_path, pages=pages)
    if health.kind == "ok":
        if health.revision not in (None, HEAD) and health.revision not in known_revisions():
            return StartupState(TOO_NEW, db_path, revision=health.revision)
        return StartupState(OK, db_path, revision=health.revision)
    backup = latest_good_backup(db_path)
    if health.kind == "missing":
        return StartupState(MISSING, db_path, latest_backup=backup)
    if health.kind == "empty":
        if backup is None:
            return StartupState(MISSING, db_path)
        return StartupState(DAMAGED, db_path, ("数据库文件是空的（可能是写入时断电造成的）",), backup)
    kind = DAMAGED if health.kind == "damaged" else NOT_DATABASE
    return StartupState(kind, db_path, health.details, backup, health.revision)
