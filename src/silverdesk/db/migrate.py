"""Bring a database to the newest schema, safely.

1. a new database is created at head;
2. a database at head is left alone;
3. a database whose revision this version does not know (written by a newer silverdesk) is
   refused and never touched;
4. otherwise a backup copy is taken (SQLite, into the shared backup folder with its rotation,
   see ``db/backup.py``) and the migrations run in one transaction.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from silverdesk.db.backup import take_backup
from silverdesk.db.engine import Database, open_engine
from silverdesk.errors import DatabaseTooNew, StorageError


def alembic_config(database: Database | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("silverdesk.db") / "migrations"))
    cfg.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(rev)s_%%(slug)s")
    if database is not None:
        cfg.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every revision this version of silverdesk can open (and migrate from)."""
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(database: Database, *, backup_dir: Path | None = None) -> str | None:
    """Migrate; returns the path of the backup taken before migrating, if one was."""
    return upgrade(database, "head", backup_dir=backup_dir)


def upgrade(database: Database, target: str = "head", *, backup_dir: Path | None = None) -> str | None:
    cfg = alembic_config(database)
    script = ScriptDirectory.from_config(cfg)
    current = current_revision(database)
    head = script.get_current_head()
    if current is not None:
        try:
            script.get_revision(current)
        except Exception:
            raise DatabaseTooNew(
                f"这个数据库由更新版本的 silverdesk 创建（版本 {current}），当前程序无法打开；"
                "请升级 silverdesk 后再打开，文件未作任何改动"
            ) from None
    if current == head and target == "head":
        return None
    backup_path = None
    if current is not None and database.path is not None and database.path.exists():
        backup_path = str(take_backup(database.path, f"before-migrate-{head}", folder=backup_dir).path)
    elif current is None and _has_user_tables(database):
        raise DatabaseTooNew("这个文件里已有数据表，但不是 silverdesk 数据库；为安全起见未作改动")
    _run_upgrade(database, cfg, target)
    return backup_path


def _run_upgrade(database: Database, cfg: Config, target: str) -> None:
    """All migration steps in one transaction, on a private connection.

    SQLite ignores ``PRAGMA foreign_keys`` inside a transaction, so the private engine's
    connections are opened with foreign keys off (batch migrations recreate tables) and the
    whole database is checked with ``foreign_key_check`` before committing.  The private engine
    never returns a connection with foreign keys off to the application's pool.
    """
    engine = open_engine(database.url, foreign_keys=False)
    try:
        with engine.connect() as conn, conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
            if database.is_sqlite:
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise StorageError(
                        f"升级数据库结构后发现 {len(problems)} 处外键错误，已撤销升级；请联系维护人员"
                    )
    finally:
        engine.dispose()


def _has_user_tables(database: Database) -> bool:
    names = inspect(database.engine).get_table_names()
    return any(n != "alembic_version" for n in names)
