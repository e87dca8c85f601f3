"""The engine of a database: connection settings, sessions and error translation.

:func:`silverdesk.db.connect.connect` opens one and brings it to the newest schema.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from silverdesk.errors import DatabaseCorrupt, DatabaseLocked, StorageError
from silverdesk.paths import default_db_path


def resolve_url(db: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL for ``--db`` (a path or a URL), ``SILVERDESK_DB``, or the default file."""
    value = os.fspath(db) if db is not None else os.environ.get("SILVERDESK_DB")
    if not value:
        return f"sqlite:///{default_db_path()}"
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _sqlite_connect(dbapi_conn: sqlite3.Connection, _record: object, *, foreign_keys: bool = True,
                    wal: bool = False) -> None:  # fmt: skip
    """Per-connection settings, before any transaction (a pragma inside one is ignored or refused).

    ``isolation_level = None`` stops pysqlite from opening and committing transactions behind
    SQLAlchemy's back; :func:`_sqlite_begin` opens each one explicitly instead.
    """
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    cur.execute("PRAGMA busy_timeout=5000")
    if wal:
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    """``BEGIN`` for every SQLAlchemy transaction, so savepoints nest inside it.

    pysqlite (Python < 3.12, legacy transaction control) opens no transaction for ``SAVEPOINT``
    and none before a ``SELECT``: SQLite then took the first ``SAVEPOINT`` for the outer
    transaction, and ``session.begin_nested()`` releasing it committed everything written so far.
    This is SQLAlchemy's documented recipe ("Serializable isolation / Savepoints / Transactional
    DDL" for pysqlite).  A plain (deferred) ``BEGIN``: the first write takes the write lock, as
    before.  A read now holds its WAL snapshot until its session ends (never blocking the
    writer); sessions are short, but one left open would keep checkpoints from finishing.
    """
    conn.exec_driver_sql("BEGIN")


@dataclass
class Database:
    """An open database: the engine and a session factory.  One per process and file."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        """The SQLite file, or ``None`` for a server database."""
        if not self.is_sqlite:
            return None
        name = make_url(self.url).database
        return Path(name) if name and name != ":memory:" else None

    @property
    def display_name(self) -> str:
        return str(self.path) if self.path else make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends normally, rolled back on any error."""
        with self.sessions() as session:
            try:
                with translate_errors():
                    yield session
                    session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A short read-only session (nothing is committed)."""
        with self.sessions() as session, translate_errors():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """An engine for ``url``; ``foreign_keys=False`` only for the migration runner's private engine."""
    if url.startswith("sqlite"):
        name = make_url(url).database
        on_disk = bool(name and name != ":memory:" and not name.startswith("file::memory:"))
        if on_disk:
            Path(name).parent.mkdir(parents=True, exist_ok=True)  # type: ignore[arg-type]
        engine = create_engine(url, connect_args={"timeout": 5})
        event.listen(engine, "connect", partial(_sqlite_connect, foreign_keys=foreign_keys, wal=on_disk))
        event.listen(engine, "begin", _sqlite_begin)
        if on_disk:
            engine.connect().close()  # the first connection switches the file to WAL (outside any transaction)
        return engine
    return create_engine(url, pool_pre_ping=True)


def stored_revision(database: Database) -> str | None:
    """The schema revision written in the database, or ``None`` (new file, or not readable so)."""
    try:
        with database.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    except DatabaseError:  # no such table yet: a new database (Alembic then looks closer)
        return None
    return rows[0][0] if len(rows) == 1 else None


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turn driver errors into silverdesk's storage errors with a message a clerk can act on."""
    try:
        yield
    except OperationalError as exc:
        text = str(exc.orig).lower() if exc.orig else str(exc).lower()
        if "locked" in text or "busy" in text:
            raise DatabaseLocked(
                "数据库正被另一个程序占用，请稍后再试或关闭其他正在使用它的 silverdesk 窗口"
            ) from exc
        if "disk" in text and "full" in text:
            raise StorageError("磁盘空间已满，无法保存；请清理磁盘后重试", code="disk_full") from exc
        if "readonly" in text or "read-only" in text:
            raise StorageError("数据库文件是只读的，无法保存；请检查文件权限", code="read_only") from exc
        if "unable to open" in text:
            raise StorageError("无法打开数据库文件，请检查路径和权限", code="cannot_open") from exc
        raise
    except DatabaseError as exc:
        text = str(exc.orig).lower() if exc.orig else ""
        if "malformed" in text or "not a database" in text or "file is encrypted" in text:
            raise DatabaseCorrupt("数据库文件已损坏或不是 silverdesk 数据库，请从备份恢复") from exc
        raise
