"""Crash safety: ``kill -9`` a writing command at random moments; the database must survive.

After every kill the file passes ``PRAGMA integrity_check``, holds either none or all of the
command's rows (one transaction), opens through the normal path (migrations ok) and its lock is
free.  The harness is generic: a :class:`CrashCase` names the command, how to prepare its
database and which tables to count; ``CASES`` holds ``demo`` and ``import`` (a 10,000-row
roster, ``silverdesk import … --db {db}``).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from silverdesk.db.connect import connect
from silverdesk.db.migrate import current_revision, head_revision
from silverdesk.services.system.lock import is_locked, read_holder
from silverdesk.services.system.startup import OK, startup_check

SRC = Path(__file__).resolve().parents[3] / "src"
TRIALS = 22
WORKERS = 2

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX"),
]


@dataclass(frozen=True)
class CrashCase:
    """A writing command to crash.

    Attributes:
        name: shown in the test id.
        argv: the ``silverdesk`` arguments; ``{db}`` is replaced by the database path.
        tables: counted before and after; a trial's counts must equal the "before" or the
            "after a complete run" counts, nothing in between.
        prepare: fills a fresh copy of the migrated template database (or leaves it empty).
        ready: true once the child is about to write (default: it holds the database lock,
            which every writing command takes first), so kill moments fall on the write.
        trials: how many runs to kill (each is a fresh process; keep the suite's time modest).
    """

    name: str
    argv: Sequence[str]
    tables: Sequence[str]
    prepare: Callable[[Path], None] = lambda db: None
    ready: Callable[[Path, subprocess.Popen[bytes]], bool] = field(
        default=lambda db, proc: (h := read_holder(db)) is not None and h.pid == proc.pid
    )
    trials: int = TRIALS


IMPORT_ROWS = 6_000  # the commit takes about half a second: moments enough to land kills inside it


def roster_beside(db: Path) -> Path:
    """The roster a trial imports: ``<db>.roster.xlsx`` (see the ``import`` case's argv)."""
    return db.with_name(db.name + ".roster.xlsx")


def make_roster(path: Path, rows: int = IMPORT_ROWS) -> Path:
    """A valid roster of ``rows`` distinct people (unique ID numbers), written once and reused."""
    import datetime as dt

    from openpyxl import Workbook

    from silverdesk.domain.idcard import make_id_number

    rnd = random.Random(20261123)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名册")
    ws.append(
        [
            "序号",
            "姓名",
            "性别",
            "出生日期",
            "身份证号",
            "联系电话",
            "居住社区",
            "社区任职",
            "特长",
            "所在服务队",
        ]
    )
    for i in range(rows):
        birth = dt.date(1940 + rnd.randrange(25), rnd.randrange(1, 13), rnd.randrange(1, 29))
        male = rnd.random() < 0.6
        ws.append(
            [
                i + 1,
                rnd.choice("王李张刘陈杨赵黄周吴") + "".join(rnd.sample("建国秀英玉兰志强红梅桂芳", 2)),
                "男" if male else "女",
                birth,
                make_id_number(f"37{i // 499:04d}", birth, (i % 499) * 2 + male),
                f"13{rnd.randrange(10**9):09d}",
                rnd.choice(["光明社区", "幸福社区"]),
                rnd.choice(["", "楼长"]),
                rnd.choice(["书法", ""]),
                rnd.choice(["", "夕阳红服务队"]),
            ]
        )
    tmp = path.with_name(path.name + ".part")
    wb.save(tmp)
    tmp.replace(path)
    return path


def prepare_import(db: Path) -> None:
    """The county's root unit in ``db`` and the roster beside it (generated once per folder, then
    hard-linked or copied); the import creates the reporting unit 龙山镇 in its own batch."""
    from silverdesk.services.hub import Services

    services = Services.open(db, "测试员")
    try:
        services.units.ensure_root("青山县")
    finally:
        services.close()
    shared = db.parent / "_roster.xlsx"
    if not shared.exists():
        make_roster(shared)
    target = roster_beside(db)
    try:
        os.link(shared, target)
    except OSError:
        shutil.copy(shared, target)


CASES = [
    CrashCase(
        "demo",
        ["demo", "--db", "{db}", "--people", "1000", "--activities", "15000", "--seed", "3"],
        tables=("unit", "person", "team", "activity", "activity_participant", "service_order"),
    ),
    # one batch: new unit, new team, 6,000 people with their links and the batch rows, in one transaction
    CrashCase(
        "import",
        ["import", "{db}.roster.xlsx", "--kind", "roster", "--unit", "龙山镇", "--db", "{db}"],
        tables=("unit", "team", "person", "team_member", "import_batch", "import_row"),
        prepare=prepare_import,
        trials=12,
    ),
]


@dataclass
class Trial:
    """One run to kill: ``delay`` seconds after the trigger (the WAL first grows, or "ready")."""

    delay: float
    on_write: bool  # trigger on the first write to the WAL rather than on "ready"
    killed: bool = False
    wal_at_kill: int = 0  # > 0: uncommitted (or half-committed) pages were on disk when killed
    outcome: str = ""


@dataclass(frozen=True)
class Timeline:
    """A complete run, measured from "ready": when the WAL first grew, when the process ended."""

    first_write: float
    end: float


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def counts(db: Path, tables: Sequence[str]) -> tuple[int, ...]:
    with sqlite3.connect(db) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)


def start(case: CrashCase, db: Path) -> subprocess.Popen[bytes]:
    argv = [a.replace("{db}", str(db)) for a in case.argv]
    return subprocess.Popen(
        [sys.executable, "-m", "silverdesk", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_env(),
    )


def wait_ready(case: CrashCase, db: Path, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not case.ready(db, proc):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{case.name}: the command ended or hung before it started writing")
        time.sleep(0.01)


def fresh_db(case: CrashCase, template: Path, folder: Path, name: str) -> Path:
    db = folder / f"{name}.sqlite"
    shutil.copy(template, db)
    case.prepare(db)
    return db


def wal_size(db: Path) -> int:
    try:
        return db.with_name(db.name + "-wal").stat().st_size
    except FileNotFoundError:
        return 0


def wait_first_write(db: Path, proc: subprocess.Popen[bytes]) -> None:
    while wal_size(db) == 0 and proc.poll() is None:
        time.sleep(0.005)


def calibrate(case: CrashCase, db: Path) -> Timeline:
    """One complete run, timed."""
    proc = start(case, db)
    wait_ready(case, db, proc)
    began = time.monotonic()
    wait_first_write(db, proc)
    first_write = time.monotonic() - began
    assert proc.wait(timeout=300) == 0, f"{case.name} failed without being killed"
    return Timeline(first_write, time.monotonic() - began)


def run_trial(case: CrashCase, db: Path, trial: Trial) -> None:
    proc = start(case, db)
    try:
        wait_ready(case, db, proc)
        if trial.on_write:
            wait_first_write(db, proc)
        time.sleep(trial.delay)
        trial.wal_at_kill = wal_size(db)
        trial.killed = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode in (0, -signal.SIGKILL), f"{case.name} exited with {proc.returncode}"


def verify(db: Path, tables: Sequence[str], before: tuple[int, ...], after: tuple[int, ...]) -> str:
    """The database after a crash: sound, all-or-nothing, openable, unlocked."""
    assert startup_check(db).kind == OK  # what the app runs first, read-only, on the hot WAL
    with sqlite3.connect(db) as conn:  # opening recovers from the hot WAL, as the app would
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    got = counts(db, tables)
    assert got in (before, after), f"partial write survived a crash: {got} is neither {before} nor {after}"
    database = connect(db)  # runs the normal opening path: migration check, WAL, pragmas
    try:
        assert current_revision(database) == head_revision()
    finally:
        database.dispose()
    assert is_locked(db) is None, "a killed writer left the database locked"
    return "none" if got == before else "all"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_kill_9_at_random_moments_leaves_all_or_nothing(case, template_db, tmp_path):
    calibration_db = fresh_db(case, template_db, tmp_path, "calibration")
    before = counts(calibration_db, case.tables)
    timeline = calibrate(case, calibration_db)
    after = counts(calibration_db, case.tables)
    assert after != before, "the command wrote nothing: the test would prove nothing"

    rng = random.Random(20261120)
    # Two thirds of the kills fall after the first page reached the WAL (inside the transaction,
    # during its commit, or just after it: then "all"); the rest anywhere in the run.  Runs go
    # two at a time and are slower than the calibration run, hence the ranges reach past it.
    write_span = timeline.end - timeline.first_write
    trials = [
        Trial(rng.uniform(0, 1.2) * write_span, True)
        if i % 3
        else Trial(rng.uniform(0, 1.3) * timeline.end, False)
        for i in range(case.trials)
    ]
    dbs = [fresh_db(case, template_db, tmp_path, f"trial{i:02d}") for i in range(case.trials)]
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(lambda pair: run_trial(case, *pair), zip(dbs, trials, strict=True)))
    for db, trial in zip(dbs, trials, strict=True):
        trial.outcome = verify(db, case.tables, before, after)

    print(
        "\n".join(
            f"{t.delay:5.2f}s on_write={t.on_write} killed={t.killed} wal={t.wal_at_kill} {t.outcome}"
            for t in trials
        )
    )
    killed = [t for t in trials if t.killed]
    assert len(killed) >= case.trials // 2, (
        f"only {len(killed)} of {case.trials} runs were killed while running"
    )
    mid_write = [t for t in killed if t.outcome == "none" and t.wal_at_kill > 0]
    assert len(mid_write) >= 3, "too few kills landed inside the transaction to prove atomicity"
    assert all(t.outcome == "all" for t in trials if not t.killed)
