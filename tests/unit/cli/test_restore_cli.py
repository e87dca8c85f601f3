"""The way back from a damaged database, through the command line only."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from silverdesk.db.connect import connect

SRC = Path(__file__).resolve().parents[3] / "src"


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.run(
        [sys.executable, "-m", "silverdesk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        input=stdin if stdin is not None else "",
    )


def counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        return (
            conn.execute("SELECT count(*) FROM person").fetchone()[0],
            conn.execute("SELECT count(*) FROM activity").fetchone()[0],
        )


def overwrite_middle_pages(db: Path, pages: int = 16) -> None:
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.seek(size // 4096 // 2 * 4096)
        fh.write(b"\xde\xad\xbe\xef" * (1024 * pages))


def test_damaged_database_is_reported_with_its_backup_and_restored(tmp_path):
    db = tmp_path / "county.sqlite"
    assert cli("demo", "--db", str(db), "--people", "300", "--activities", "3000").returncode == 0
    made = cli("backup", "--db", str(db))
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.split("已备份到 ")[1].split("（")[0])
    assert backup.exists()
    listed = cli("backups", "--db", str(db))
    assert listed.returncode == 0 and backup.name in listed.stdout and "手动备份" in listed.stdout

    overwrite_middle_pages(db)
    check = cli("check", "--db", str(db))
    assert check.returncode == 1, check.stdout + check.stderr
    assert "数据库文件已损坏" in check.stdout
    assert str(backup) in check.stdout and "silverdesk restore" in check.stdout

    refused = cli("restore", str(backup), "--db", str(db))  # no --yes and no answer: nothing happens
    assert refused.returncode == 2 and "未确认" in refused.stderr
    assert cli("check", "--db", str(db)).returncode == 1

    restored = cli("restore", str(backup), "--db", str(db), "--yes", "--operator", "张三")
    assert restored.returncode == 0, restored.stderr
    assert "原来的数据库已另存为" in restored.stdout
    check = cli("check", "--db", str(db))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "完整性检查：正常\n" in check.stdout and "结论：正常" in check.stdout
    assert counts(db) == (300, 3000)
    damaged_copies = [p for p in backup.parent.iterdir() if "_damaged_" in p.name and p.suffix == ".sqlite"]
    assert len(damaged_copies) == 1  # the damaged file was kept, not thrown away


def small_db(path: Path) -> Path:
    connect(path).dispose()
    return path


def test_restore_asks_and_accepts_a_yes(tmp_path):
    db = small_db(tmp_path / "a.sqlite")
    copy = tmp_path / "copy.sqlite"
    assert cli("backup", "--db", str(db), "--out", str(copy)).returncode == 0
    assert cli("backup", "--db", str(db), "--out", str(copy)).returncode == 2  # never overwrites
    answered = cli("restore", str(copy), "--db", str(db), stdin="y\n")
    assert answered.returncode == 0, answered.stderr
    assert "确认恢复吗" in answered.stdout


def test_restore_refuses_a_backup_from_a_newer_program(tmp_path):
    db = small_db(tmp_path / "a.sqlite")
    newer = small_db(tmp_path / "newer.sqlite")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    before = db.read_bytes()
    out = cli("restore", str(newer), "--db", str(db), "--yes")
    assert out.returncode == 2 and "更新版本" in out.stderr
    assert db.read_bytes() == before


@pytest.mark.parametrize("args", [("backup",), ("backups",), ("restore", "x.sqlite", "--yes")])
def test_server_databases_are_the_servers_job(args):
    out = cli(*args, "--db", "postgresql+psycopg://u@127.0.0.1:1/none")
    assert out.returncode == 2
    assert "pg_dump" in out.stderr and len(out.stderr.strip().splitlines()) == 1
