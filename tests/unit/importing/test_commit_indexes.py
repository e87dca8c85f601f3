"""Big inserts rebuild the plain indexes of the table they fill: the schema, its statistics and
undo come out exactly as without, and a failure leaves everything as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from silverdesk.services.hub import Services
from silverdesk.services.importing import commit

from .pipeline_helpers import dump, roster_file, table_counts


def schema(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()


def stats(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx").fetchall()


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.fixture
def rebuilt(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every insert counts as big; returns the tables whose indexes were rebuilt."""
    monkeypatch.setattr(commit, "BIG_INSERT", 1)
    seen: list[str] = []
    recreate = commit._recreate

    def spy(connection, table, indexes, stats_rows):  # type: ignore[no-untyped-def]
        seen.append(table)
        recreate(connection, table, indexes, stats_rows)

    monkeypatch.setattr(commit, "_recreate", spy)
    return seen


def test_schema_statistics_and_undo_unchanged(services: Services, county: dict[str, int], db_path: Path,
                                              tmp_path: Path, rebuilt: list[str]) -> None:  # fmt: skip
    with sqlite3.connect(db_path) as conn:
        conn.execute("ANALYZE")
        conn.execute(
            "INSERT OR REPLACE INTO sqlite_stat1 (tbl, idx, stat) VALUES ('person', 'ix_person_name', '9 3')"
        )
    schema_before, stats_before, counts_before = schema(db_path), stats(db_path), table_counts(db_path)
    out = services.imports.run(roster_file(tmp_path / "r.xlsx"), kind="roster", unit_name="龙山镇")
    assert out.plan.counts["新增"] == 3
    assert {"person", "person_community_role", "person_talent", "import_row"} <= set(rebuilt)
    assert schema(db_path) == schema_before
    assert stats(db_path) == stats_before
    assert integrity(db_path) == "ok"
    assert [n for (n,) in dump(db_path, "person", "name")] == ["张建国", "李秀英", "王明"]
    with sqlite3.connect(db_path) as conn:  # the rebuilt indexes hold the new rows
        assert conn.execute(
            "SELECT count(*) FROM person INDEXED BY ix_person_name WHERE name = '李秀英'"
        ).fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM person_talent INDEXED BY ix_person_talent_person_id "
                            "WHERE person_id > 0").fetchone()[0] == table_counts(db_path)["person_talent"]  # fmt: skip
    services.imports.undo(out.batch_id)
    assert schema(db_path) == schema_before
    assert integrity(db_path) == "ok"
    after = table_counts(db_path)
    assert (
        after["person"] == counts_before["person"]
        and after["person_talent"] == counts_before["person_talent"]
    )


def test_a_failed_insert_leaves_indexes_and_rows_as_they_were(services: Services, county: dict[str, int],
                                                              db_path: Path, tmp_path: Path, rebuilt: list[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    schema_before, counts_before = schema(db_path), table_counts(db_path)

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(commit, "_convert_column", boom)  # inside the person insert, its indexes dropped
    with pytest.raises(RuntimeError, match="disk on fire"):
        services.imports.run(roster_file(tmp_path / "r.xlsx"), kind="roster", unit_name="龙山镇")
    assert rebuilt == ["person"]  # put back at once, and the transaction rolled back
    assert schema(db_path) == schema_before
    assert table_counts(db_path) == counts_before
    assert integrity(db_path) == "ok"


def test_indexes_kept_when_the_table_already_holds_more_rows(services: Services, county: dict[str, int],
                                                             db_path: Path, tmp_path: Path,
                                                             rebuilt: list[str]) -> None:  # fmt: skip
    for i in range(5):
        services.people.create({"name": f"老人{'甲乙丙丁戊'[i]}"})
    out = services.imports.run(roster_file(tmp_path / "r.xlsx"), kind="roster", unit_name="龙山镇")
    assert out.plan.counts["新增"] == 3
    assert "person" not in rebuilt
    assert integrity(db_path) == "ok"


# ---- CHECK constraints verified in Python for big inserts ----------------------------------------
def _plan(services: Services, tmp_path: Path):  # type: ignore[no-untyped-def]
    svc = services.imports
    prepared = svc.read(svc.open_file(roster_file(tmp_path / "r.xlsx")), kind="roster", unit_name="龙山镇")
    return svc.plan(prepared)


def test_a_value_the_constraints_refuse_is_still_refused(services: Services, county: dict[str, int], db_path: Path,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from silverdesk.errors import Conflict

    monkeypatch.setattr(commit, "BIG_INSERT", 1)
    plan = _plan(services, tmp_path)
    counts = table_counts(db_path)
    new = [rp for rp in plan.rows if rp.insert]
    new[1].insert = {**new[1].insert, "status": "失联"}  # type: ignore[dict-item]
    with pytest.raises(Conflict):
        services.imports.commit(plan)
    assert table_counts(db_path) == counts
