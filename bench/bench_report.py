"""``silverdesk report`` as a whole process on a 1,000,000-activity database, against the bare floor (issue #17).

Usage: python bench/bench_report.py [--people 100000] [--activities 1000000] [--runs 5] [--src DIR]
(with the venv's python; ``--src``: another checkout's ``src`` to compare, e.g. /work/main/src)

Reuses the GUI bench's database (``bench/_work/gui_<people>_<activities>.sqlite``, built once by
``bench_gui.build``), then times, in the same rounds (the kinds alternating, each round in another
order, so a shared machine's load falls on all of them alike):

* ``silverdesk report --period 2026-10 --out month.xlsx`` and ``… month.pdf``, each a new process;
* the floor: ``python -c 'import sqlite3'`` (starting the interpreter) and ``python bench_report.py --floor``:
  the bare SQL of the month report's figures through ``sqlite3`` (plain GROUP BYs over ``activity`` for the
  month, the year to date, the 12-month trend, 上期 and 同期; volunteers, teams, 表3 and 表4), no
  SQLAlchemy, nothing written; ``--rolled``: the same with the activity sums read from the month roll-up
  (``activity_month``), as the report reads them;

wall (spawn to exit) and CPU (user + system of the child) per kind, medians. Then, in this process, where a
month's report spends its time: imports, the statistics, writing.

Target: ``silverdesk report`` for a month ≤ 1 s wall.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: The month report's figures as bare SQL (2026-10 of the demo database): what the floor runs.
M, Y0, P0, P1, L0, L1, T0 = (
    "2026-10-01",
    "2026-01-01",
    "2026-09-01",
    "2026-09-30",
    "2025-10-01",
    "2025-10-31",
    "2025-11-01",
)
E = "2026-10-31"
_SUMS = "sum(sessions), sum(participants), sum(hours), sum(beneficiaries)"
_VOLUNTEERS = """
    SELECT p.unit_id, count(*), sum(p.political_status IN ('中共党员', '中共预备党员')) FROM person p
    WHERE (p.status = '在册' OR p.status_changed_on IS NULL OR p.status_changed_on > '{0}') AND p.id IN (
        SELECT m.person_id FROM team_member m JOIN team t ON t.id = m.team_id
        WHERE t.status != '撤销' AND (t.founded_on IS NULL OR t.founded_on <= '{1}')
          AND (m.joined_on IS NULL OR m.joined_on <= '{1}') AND (m.left_on IS NULL OR m.left_on >= '{0}'))
    GROUP BY p.unit_id"""
FLOOR_SQL = [
    f"SELECT unit_id, {_SUMS} FROM activity WHERE occurred_on BETWEEN '{M}' AND '{E}' GROUP BY unit_id",
    f"SELECT unit_id, {_SUMS} FROM activity WHERE occurred_on BETWEEN '{Y0}' AND '{E}' GROUP BY unit_id",
    f"SELECT category_id, {_SUMS} FROM activity WHERE occurred_on BETWEEN '{M}' AND '{E}' GROUP BY category_id",
    f"SELECT substr(occurred_on, 1, 7), sum(sessions), sum(beneficiaries) FROM activity "
    f"WHERE occurred_on BETWEEN '{T0}' AND '{E}' GROUP BY 1",
    f"SELECT {_SUMS} FROM activity WHERE occurred_on BETWEEN '{P0}' AND '{P1}'",
    f"SELECT {_SUMS} FROM activity WHERE occurred_on BETWEEN '{L0}' AND '{L1}'",
    _VOLUNTEERS.format(M, E),
    _VOLUNTEERS.format(P0, P1),
    _VOLUNTEERS.format(L0, L1),
    _VOLUNTEERS.format(Y0, E),
    f"SELECT unit_id, count(*) FROM team WHERE status != '撤销' AND (founded_on IS NULL OR founded_on <= '{E}') "
    "GROUP BY unit_id",
    f"SELECT count(*) FROM party_org WHERE (founded_on IS NULL OR founded_on <= '{E}') "
    f"AND (dissolved_on IS NULL OR dissolved_on > '{E}')",
    f"SELECT count(*) FROM person WHERE (status = '在册' OR status_changed_on IS NULL OR status_changed_on > '{E}') "
    "AND political_status IN ('中共党员', '中共预备党员')",
    f"SELECT count(*) FROM co_building_agreement WHERE (signed_on IS NULL OR signed_on <= '{E}') "
    f"AND (ended_on IS NULL OR ended_on > '{E}')",
    f"SELECT count(*) FROM person WHERE registered_on <= '{E}' "
    f"AND (status = '在册' OR status_changed_on IS NULL OR status_changed_on > '{E}')",
    f"SELECT role_id, count(DISTINCT person_id) FROM person_community_role WHERE (since IS NULL OR since <= '{E}') "
    f"AND (until IS NULL OR until >= '{E}') GROUP BY role_id",
    f"SELECT count(*) FROM place WHERE (opened_on IS NULL OR opened_on <= '{E}') AND (closed_on IS NULL OR closed_on > '{E}')",
    f"SELECT count(*) FROM resource WHERE listed_on <= '{E}' AND status = '可用' "
    f"AND (available_to IS NULL OR available_to >= '{E}')",
    f"SELECT count(*) FROM demand WHERE raised_on BETWEEN '{M}' AND '{E}' AND status != '撤销'",
    f"SELECT sum(published_on BETWEEN '{M}' AND '{E}' AND status != '撤销'), "
    f"sum(signed_on BETWEEN '{M}' AND '{E}' AND status != '撤销'), "
    f"sum(completed_on BETWEEN '{M}' AND '{E}' AND status IN ('完成', '评价')) FROM service_order",
]


#: The same activity figures from the month roll-up (``activity_month``), as the report reads them.
_ROLLED = "sum(activities), sum(participations), sum(hours), sum(beneficiaries)"
ROLLUP_SQL = [
    f"SELECT unit_id, {_ROLLED} FROM activity_month WHERE month = '2026-10' GROUP BY unit_id",
    f"SELECT unit_id, {_ROLLED} FROM activity_month WHERE month BETWEEN '2026-01' AND '2026-10' GROUP BY unit_id",
    f"SELECT category_id, {_ROLLED} FROM activity_month WHERE month = '2026-10' GROUP BY category_id",
    "SELECT month, sum(activities), sum(beneficiaries) FROM activity_month "
    "WHERE month BETWEEN '2025-11' AND '2026-10' GROUP BY month",
    f"SELECT {_ROLLED} FROM activity_month WHERE month = '2026-09'",
    f"SELECT {_ROLLED} FROM activity_month WHERE month = '2025-10'",
    *FLOOR_SQL[6:],
]


def floor(db: str, rolled: bool) -> None:
    """The bare SQL of the month report's figures (run as its own process by :func:`main`)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for sql in ROLLUP_SQL if rolled else FLOOR_SQL:
        con.execute(sql).fetchall()
    con.close()


def _database(people: int, activities: int) -> Path:
    path = HERE / "_work" / f"gui_{people}_{activities}.sqlite"
    if path.exists():  # (the builder imports silverdesk: not in this process unless it must build)
        return path
    spec = importlib.util.spec_from_file_location("bench_gui", HERE / "bench_gui.py")
    assert spec is not None and spec.loader is not None
    gui = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gui)
    path: Path = gui.build(people, activities)
    return path


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def processes(db: Path, runs: int, src: str | None) -> dict[str, list[tuple[float, float]]]:
    env = dict(os.environ, SILVERDESK_OPERATOR="bench")
    env.pop("SILVERDESK_DB", None)
    if src:
        env["PYTHONPATH"] = src
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env["SILVERDESK_DATA_DIR"] = tmp
        report = [py, "-m", "silverdesk", "report", "--db", str(db), "--period", "2026-10", "--out"]
        kinds = {
            "silverdesk report → xlsx": [*report, f"{tmp}/month.xlsx"],
            "silverdesk report → pdf": [*report, f"{tmp}/month.pdf"],
            "floor: python -c 'import sqlite3'": [py, "-c", "import sqlite3"],
            "floor: + the figures' bare SQL": [py, str(Path(__file__).resolve()), "--floor", str(db)],
            "floor: + the same, activity from roll-up": [
                py,
                str(Path(__file__).resolve()),
                "--rolled",
                str(db),
            ],
        }
        for argv in kinds.values():  # warm-up, not counted: the page cache, a stale roll-up month
            _run(argv, env)
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
        names = list(kinds)
        for round_no in range(runs):
            for name in names[round_no % len(names) :] + names[: round_no % len(names)]:
                times[name].append(_run(kinds[name], env))
    return times


def phases(db: Path) -> dict[str, float]:
    """CPU seconds of each part of a month's report in this process (the first call of each)."""
    out: dict[str, float] = {}
    clock = time.process_time()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.process_time()
        out[name] = now - clock
        clock = now

    from silverdesk.cli.common import load_storage

    load_storage()
    from silverdesk.services.hub import Services
    from silverdesk.services.statistics.periods import parse_period
    from silverdesk.services.statistics.reporting import ReportService

    lap("imports: SQLAlchemy, the models, the services")
    svc = Services.open(db, "bench")
    reports = ReportService(svc.ctx)
    lap("open the database")
    data = reports.build(parse_period("2026-10"))
    lap("the statistics (every question of 表1–表4, totals, trend)")
    import silverdesk.reports.xlsx  # noqa: F401

    lap("import openpyxl and the xlsx writer")
    with tempfile.TemporaryDirectory() as tmp:
        reports.write(data, Path(tmp, "m.xlsx"))
        lap("write the xlsx (and the audit line)")
    svc.close()
    return out


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] in ("--floor", "--rolled"):
        floor(sys.argv[2], sys.argv[1] == "--rolled")
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--phases":
        print(json.dumps(phases(Path(sys.argv[2])), ensure_ascii=False))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--src", help="run the report from this source folder (PYTHONPATH)")
    args = parser.parse_args()
    db = _database(args.people, args.activities)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{time.strftime('%Y-%m-%d %H:%M')}  {db.name}  load {load}  source {args.src or 'this checkout'}")
    times = processes(db, args.runs, args.src)
    print(f"{'process':<36} {'wall':>8} {'CPU':>8}   (medians of {args.runs})")
    for name, samples in times.items():
        wall = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples)
        print(f"{name:<36} {wall:>6.2f} s {cpu:>6.2f} s")
    if not args.src:
        print("\nin one new process (CPU):")
        env = dict(os.environ, SILVERDESK_OPERATOR="bench")
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--phases", str(db)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        for name, seconds in json.loads(proc.stdout.splitlines()[-1]).items():
            print(f"  {seconds:>6.2f} s  {name}")
    print(f"load afterwards {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
