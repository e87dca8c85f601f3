"""SQLite transactions: savepoints nest inside the outer transaction (pysqlite's legacy mode
used to let a savepoint's RELEASE commit everything), pragmas and WAL still hold."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from silverdesk.db.connect import connect


@pytest.fixture
def db(tmp_path):  # type: ignore[no-untyped-def]
    database = connect(tmp_path / "t.sqlite", migrate=False)
    with database.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (v INTEGER NOT NULL)")
    yield database
    database.dispose()


def _outside(db) -> list[int]:  # type: ignore[no-untyped-def]
    """What another connection sees: only committed rows."""
    other = sqlite3.connect(str(db.path))
    try:
        return [r[0] for r in other.execute("SELECT v FROM t ORDER BY v")]
    finally:
        other.close()


def test_rolled_back_savepoint_keeps_outer_writes_uncommitted_until_commit(db) -> None:  # type: ignore[no-untyped-def]
    with db.sessions() as session:
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 0  # the outer transaction begins
        with session.begin_nested():
            session.execute(text("INSERT INTO t VALUES (1)"))
        assert _outside(db) == []  # RELEASE of the first savepoint must not commit the outer transaction
        session.execute(text("INSERT INTO t VALUES (2)"))
        nested = session.begin_nested()
        session.execute(text("INSERT INTO t VALUES (3)"))
        nested.rollback()
        assert _outside(db) == []
        assert [r[0] for r in session.execute(text("SELECT v FROM t ORDER BY v"))] == [1, 2]
        session.commit()
    assert _outside(db) == [1, 2]


def test_an_exception_after_a_released_savepoint_rolls_back_everything(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), db.session() as session:
        session.execute(text("SELECT 1"))
        with session.begin_nested():
            session.execute(text("INSERT INTO t VALUES (1)"))
        session.execute(text("INSERT INTO t VALUES (2)"))
        assert _outside(db) == []
        raise RuntimeError("after the release")
    assert _outside(db) == []


def test_first_statement_a_savepoint_still_nests(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), db.session() as session:
        with session.begin_nested():
            session.execute(text("INSERT INTO t VALUES (7)"))
        raise RuntimeError("outer fails")
    assert _outside(db) == []


def test_pragmas_wal_and_reader_after_the_change(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    with db.session() as session:
        session.execute(text("INSERT INTO t VALUES (5)"))
    with db.reader() as session:
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 1
    assert _outside(db) == [5]  # the reader neither committed nor held anything


def test_a_reader_does_not_block_a_writer(db) -> None:  # type: ignore[no-untyped-def]
    with db.reader() as session:
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 0
        with db.session() as writer:
            writer.execute(text("INSERT INTO t VALUES (9)"))
    assert _outside(db) == [9]
