import datetime as dt
import sqlite3

import pytest
from sqlalchemy import inspect, text

from silverdesk.db.base import Base
from silverdesk.db.connect import connect
from silverdesk.db.migrate import current_revision, head_revision, upgrade
from silverdesk.errors import DatabaseTooNew


def test_upgrade_from_the_first_revision_keeps_the_data(tmp_path):
    path = tmp_path / "old.sqlite"
    db = connect(path, migrate=False)
    upgrade(db, "0001", backup_dir=tmp_path / "backups")
    assert current_revision(db) == "0001"
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO unit (id, name, kind, sort_order, active, notes) VALUES (1, '青山县', '县', 0, 1, '')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO person (id, name, name_pinyin, ethnicity, political_status, former_employer, former_post, rank,"
                " phone, address, health, status, notes, id_number, birth_date, unit_id)"
                " VALUES (7, '𠮷祥', '', '汉族', '中共党员', '县教育局', '', '', '', '', '', '在册', '', '11010519491231002X',"
                " '1949-12-31', 1)"
            )
        )
    db.dispose()

    db = connect(path)  # opening migrates to head, after a backup
    assert current_revision(db) == head_revision()
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT name, id_number, birth_date, unit_id FROM person WHERE id = 7")).one()
        assert tuple(row) == ("𠮷祥", "11010519491231002X", "1949-12-31", 1)
        assert conn.scalar(text("SELECT count(*) FROM lookup WHERE kind = 'activity_category'")) == 12
    backups = list((tmp_path / "data").rglob("*.sqlite")) if (tmp_path / "data").exists() else []
    backups += list(tmp_path.glob("**/backups/*.sqlite"))
    from silverdesk.paths import backups_dir

    backups += list(backups_dir().glob("old_before-*.sqlite"))
    assert backups, "a backup copy must be taken before migrating"
    with sqlite3.connect(backups[-1]) as conn:
        assert conn.execute("SELECT name FROM person WHERE id = 7").fetchone() == ("𠮷祥",)
    db.dispose()


def test_schema_at_head_matches_the_models(tmp_path):
    db = connect(tmp_path / "x.sqlite")
    tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"
    db.dispose()


def test_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "new.sqlite"
    connect(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="更新版本"):
        connect(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseTooNew, match="不是 silverdesk 数据库"):
        connect(path)


def test_wal_and_foreign_keys_are_on(tmp_path):
    db = connect(tmp_path / "x.sqlite")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()


def test_check_constraints_hold_in_the_database(services):
    with pytest.raises(Exception, match="CHECK"), services.ctx.db.session() as s:
        s.execute(
            text(
                "INSERT INTO activity (occurred_on, title, sessions, participants, hours, beneficiaries,"
                " place_text, description, source) VALUES (:d, 'x', 1, -5, 0, 0, '', '', '录入')"
            ),
            {"d": dt.date(2026, 1, 1)},
        )


def test_the_fast_head_check_names_alembics_head(tmp_path):
    """Opening a database at head skips Alembic by comparing with ``migrations.HEAD``; a stale
    constant would make every start migrate (or never migrate): it must be Alembic's head."""
    from silverdesk.db.engine import stored_revision
    from silverdesk.db.migrations import HEAD

    assert head_revision() == HEAD
    db = connect(tmp_path / "x.sqlite")
    assert stored_revision(db) == HEAD
    db.dispose()


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "x.sqlite"
    connect(path).dispose()
    code = (
        "import sys; from silverdesk.db.connect import connect; connect(sys.argv[1]).dispose(); "
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
