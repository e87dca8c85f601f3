import os
import sqlite3
import subprocess
import sys

from silverdesk import __version__
from silverdesk.domain.idcard import is_valid_id_number


def run(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "silverdesk", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_version():
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"silverdesk {__version__}"


def test_demo_then_check(tmp_path):
    db = tmp_path / "demo.sqlite"
    out = run("demo", "--db", str(db), "--people", "300", "--activities", "2000", "--seed", "5")
    assert out.returncode == 0, out.stderr
    assert "人员 300" in out.stdout and "活动 2,000" in out.stdout  # counts as a clerk writes them
    with sqlite3.connect(db) as conn:
        numbers = [r[0] for r in conn.execute("SELECT id_number FROM person")]
        assert len(numbers) == 300 and all(is_valid_id_number(n) for n in numbers)
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 2000
        months = conn.execute(
            "SELECT count(DISTINCT strftime('%Y-%m', occurred_on)) FROM activity"
        ).fetchone()[0]
        assert months >= 23  # spread over 24 months
        cats = conn.execute("SELECT count(DISTINCT category_id) FROM activity").fetchone()[0]
        assert cats >= 10
    check = run("check", "--db", str(db))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "完整性检查：正常\n" in check.stdout
    assert "人员 300" in check.stdout and "活动 2,000" in check.stdout
    assert "结论：正常" in check.stdout


def test_demo_is_reproducible_by_seed(tmp_path):
    rows = []
    for name in ("a", "b"):
        db = tmp_path / f"{name}.sqlite"
        assert (
            run("demo", "--db", str(db), "--people", "50", "--activities", "100", "--seed", "9").returncode
            == 0
        )
        with sqlite3.connect(db) as conn:
            rows.append(conn.execute("SELECT name, id_number FROM person ORDER BY id").fetchall())
    assert rows[0] == rows[1]


def test_empty_demo_has_lists_and_units_only(tmp_path):
    db = tmp_path / "empty.sqlite"
    out = run("demo", "--db", str(db), "--people", "0", "--activities", "0")
    assert out.returncode == 0
    assert "这些数据是虚构的" in out.stdout
    with sqlite3.connect(db) as conn:
        for table in ("person", "team", "party_org", "co_building_agreement", "place", "honour", "activity",
                      "monthly_theme", "resource", "demand", "service_order"):  # fmt: skip
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        assert (
            conn.execute("SELECT count(*) FROM unit WHERE kind IN ('乡镇','街道','部门')").fetchone()[0] >= 10
        )
        assert conn.execute("SELECT count(*) FROM lookup").fetchone()[0] > 40


def test_demo_refuses_a_database_with_data(tmp_path):
    db = tmp_path / "x.sqlite"
    assert run("demo", "--db", str(db), "--people", "10", "--activities", "0").returncode == 0
    out = run("demo", "--db", str(db), "--people", "10")
    assert out.returncode == 2
    assert "只能写入新数据库" in out.stderr


def test_db_from_environment(tmp_path):
    db = tmp_path / "env.sqlite"
    out = run("check", env_extra={"SILVERDESK_DB": str(db)})
    assert out.returncode == 0
    assert str(db) in out.stdout


def test_check_reports_a_corrupt_file(tmp_path):
    db = tmp_path / "bad.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    out = run("check", "--db", str(db))
    assert out.returncode == 2
    assert "损坏" in out.stderr
