"""Benchmark a whole roster import (read + validate + dedupe + commit) against the bare cost.

In one run, each measurement in a fresh subprocess (so peak memory is its own):

1. bare: python-calamine read of the 100,000-row × 20-column roster ``bench_read.py`` generates,
   then plain ``sqlite3`` ``executemany`` of the same rows into the ``person`` table of an empty
   migrated database, one transaction;
2. silverdesk: ``ImportService.run`` on the same file into an empty migrated database (read,
   layout, mapping, normalisation, name resolution, duplicate checks against the database, plan,
   pinyin keys — including loading pypinyin's tables from silverdesk's cache, ~0.04 s, on a
   second thread while calamine parses —, backup, commit with links, import rows and audit);
   opening the database is not timed;
3. a 2,000-row township file (target < 1 s);
4. a 20,000-row ``.xls`` (target < 2 s), written with xlwt when it is importable — it is not a
   silverdesk dependency: ``pip download --no-deps xlwt`` and put the wheel on ``PYTHONPATH``;
   and the same with an empty cache folder, as the first import on a new machine is (pypinyin
   imported, ~0.3 s, and its tables built and cached, ~0.3 s).

The pinyin cache is ``bench/_work/cache`` (``SILVERDESK_CACHE_DIR``), filled before the runs.

Each figure is wall time and the process's CPU time (user + system) over the timed part; on a
shared, busy machine the CPU ratio is the steadier one.  ``--repeat N`` alternates bare and
silverdesk N times and reports every pair's ratio and the median.  ``--baseline-src DIR`` also
times the import with another source tree (e.g. ``git archive main src | tar -x -C /tmp/main``)
interleaved with the others, for before/after ratios from one run.

Usage::

    PYTHONPATH=src python bench/bench_import.py [--rows 100000] [--repeat 3] [--baseline-src DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_read import GIVEN, HEADER, SURNAMES, WORK, make_file

PERSON_COLUMNS = ["name", "name_pinyin", "gender", "ethnicity", "birth_date", "id_number", "political_status",
                  "retirement_type", "retired_on", "former_employer", "former_post", "rank", "phone", "address",
                  "registered_on", "health", "status", "notes"]  # fmt: skip


def _template_db() -> Path:
    path = WORK / "empty_migrated.sqlite"
    if not path.exists():
        from silverdesk.db.connect import connect

        db = connect(path)
        db.dispose()
    return path


def _fresh_db(tmp: Path) -> Path:
    dest = tmp / "bench.sqlite"
    shutil.copy(_template_db(), dest)
    return dest


def _iso(v: object) -> object:
    return v.isoformat()[:10] if isinstance(v, dt.date) else v


def run_bare(path: Path, tmp: Path) -> int:
    """calamine read + sqlite3 executemany of the same rows (strings stripped, dates as text)."""
    import sqlite3

    import python_calamine

    db = _fresh_db(tmp)
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    data = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    wb.close()
    idx = {h: i for i, h in enumerate(HEADER)}
    src = ["姓名", None, "性别", "民族", "出生年月", "身份证号码", "政治面貌", "离退休类别", "离退休时间", "原工作单位",
           "原职务", "职级", "联系电话", "家庭住址", "社区报到时间", "健康状况", None, "备注"]  # fmt: skip
    rows = []
    for raw in data[3:-2]:
        rows.append(tuple(
            ("在册" if c == "status" else "") if s is None else
            (str(_iso(raw[idx[s]])).strip() if raw[idx[s]] not in (None, "") else "")
            for c, s in zip(PERSON_COLUMNS, src, strict=True)
        ))  # fmt: skip
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(f"INSERT INTO person ({', '.join(PERSON_COLUMNS)}) VALUES ({', '.join('?' * len(PERSON_COLUMNS))})",
                         rows)  # fmt: skip
    conn.close()
    return len(rows)


def open_services(tmp: Path):  # type: ignore[no-untyped-def]
    """An empty migrated database with a county (opening it is not part of the import's time)."""
    from silverdesk.db.connect import connect
    from silverdesk.services.base import Context
    from silverdesk.services.hub import Services

    services = Services(Context(connect(_fresh_db(tmp)), operator="bench"))
    services.units.ensure_root("某某县")
    return services


def run_silverdesk(services, path: Path, kind: str = "roster") -> int:  # type: ignore[no-untyped-def]
    outcome = services.imports.run(path, kind=kind, unit_name="某某县")  # a roster names its sending unit
    counts = outcome.plan.counts
    assert counts["拒绝"] == 0 and counts["新增"] == outcome.plan.rows_read, counts
    services.close()
    return outcome.plan.rows_read


def make_xls(rows: int) -> Path | None:
    """A 20-column roster .xls (xlwt: at most 65,536 rows), or None when xlwt is not importable."""
    path = WORK / f"roster_{rows}.xls"
    if path.exists():
        return path
    try:
        import xlwt  # type: ignore[import-untyped]
    except ImportError:
        return None
    from silverdesk.domain.idcard import make_id_number

    rnd = random.Random(7)
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("名册")
    for c, label in enumerate(HEADER):
        ws.write(0, c, label)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for i in range(rows):
        birth = dt.date(1935 + rnd.randrange(30), rnd.randrange(1, 13), rnd.randrange(1, 29))
        male = i % 2 == 0
        values = [i + 1, rnd.choice(SURNAMES) + "".join(rnd.sample(GIVEN, 2)), "男" if male else "女", "汉族", birth,
                  make_id_number(f"37{i // 499:04d}", birth, (i % 499) * 2 + (1 if male else 0)), "中共党员", "退休",
                  dt.date(birth.year + 60, birth.month, 1), "县财政局", "科长", "正科级", f"13{rnd.randrange(10**9):09d}",
                  "城关社区", "幸福路1号", dt.date(2020, 5, 1), "楼长", "书法", "良好", ""]  # fmt: skip
        for c, v in enumerate(values):
            if isinstance(v, dt.date):
                ws.write(i + 1, c, v, date_style)
            else:
                ws.write(i + 1, c, v)
    wb.save(str(path))
    return path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def one(which: str, rows: int) -> dict[str, float]:
    os.environ["SILVERDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="sd_bench_data_")
    if which == "xls-cold":  # the first import on a machine: pypinyin's tables not cached yet
        os.environ["SILVERDESK_CACHE_DIR"] = os.path.join(os.environ["SILVERDESK_DATA_DIR"], "cache")
        which = "xls"
    with tempfile.TemporaryDirectory(prefix="sd_bench_") as tmp_name:
        tmp = Path(tmp_name)
        if which == "bare":
            path = make_file(rows)
            cpu, started = _cpu(), time.perf_counter()
            n = run_bare(path, tmp)
        elif which == "xls":
            xls = make_xls(rows)
            if xls is None:
                return {"skipped": 1.0}
            services = open_services(tmp)
            cpu, started = _cpu(), time.perf_counter()
            n = run_silverdesk(services, xls)
        else:
            path = make_file(rows)
            services = open_services(tmp)
            cpu, started = _cpu(), time.perf_counter()
            n = run_silverdesk(services, path)
        secs, cpu = time.perf_counter() - started, _cpu() - cpu
    shutil.rmtree(os.environ["SILVERDESK_DATA_DIR"], ignore_errors=True)
    return {
        "secs": secs,
        "cpu": cpu,
        "rows": n,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(which: str, rows: int, src: str | None = None) -> dict[str, float]:
    """One measurement in a fresh process; ``src`` puts another source tree first on its path."""
    env = os.environ.copy()
    if src:
        env["PYTHONPATH"] = os.pathsep.join(
            [src, *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
        )
    out = subprocess.run([sys.executable, __file__, "--one", which, "--rows", str(rows)], capture_output=True,
                         text=True, check=True, env=env)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def _line(label: str, r: dict[str, float]) -> str:
    return (f"{label:44s} {r['secs']:6.2f} s (CPU {r['cpu']:6.2f} s)  {r['rows'] / r['secs']:8,.0f} rows/s  "
            f"peak RSS {r['rss_mb']:5.0f} MB")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1, help="bare/silverdesk pairs, alternated (default 1)")
    parser.add_argument(
        "--baseline-src", help="another source tree to time the import with, for before/after"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.rows)))
        return 0
    make_file(args.rows)
    make_file(2000)
    _template_db()
    os.environ["SILVERDESK_CACHE_DIR"] = str(WORK / "cache")  # as on a machine where silverdesk ran before
    from silverdesk.domain.pinyin import _tables

    _tables()
    print(f"machine: {os.cpu_count()} cores, {os.uname().machine}, Python {sys.version.split()[0]}, "
          f"{dt.date.today():%Y-%m-%d}, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    wall: dict[str, list[float]] = {"silverdesk": [], "baseline": []}
    cpu: dict[str, list[float]] = {"silverdesk": [], "baseline": []}
    peaks: dict[str, float] = {}
    for _ in range(args.repeat):
        bare = measure("bare", args.rows)
        print(_line("bare: calamine read + sqlite3 executemany", bare))
        runs = [("silverdesk", None)] + ([("baseline", args.baseline_src)] if args.baseline_src else [])
        for name, src in runs:
            r = measure("silverdesk", args.rows, src)
            wall[name].append(r["secs"] / bare["secs"])
            cpu[name].append(r["cpu"] / bare["cpu"])
            peaks[name] = max(peaks.get(name, 0.0), r["rss_mb"])
            print(
                _line(f"{name} import (whole)", r) + f"  ratio {wall[name][-1]:.2f} (CPU {cpu[name][-1]:.2f})"
            )
    for name in wall:
        if wall[name]:
            print(f"{name}: ratio to bare, median of {len(wall[name])}: wall {statistics.median(wall[name]):.2f}, "
                  f"CPU {statistics.median(cpu[name]):.2f} (target ≤ 2); peak {peaks[name]:.0f} MB (target < 600)")  # fmt: skip
    for name, src in [("silverdesk", None)] + (
        [("baseline", args.baseline_src)] if args.baseline_src else []
    ):
        town = measure("silverdesk", 2000, src)
        print(
            f"{name}: 2,000-row township file: {town['secs']:.2f} s (CPU {town['cpu']:.2f} s; target < 1 s)"
        )
        xls = measure("xls", 20_000, src)
        if "skipped" in xls:
            print("20,000-row .xls: skipped — xlwt is not importable (pip download --no-deps xlwt; put the wheel on "
                  "PYTHONPATH)")  # fmt: skip
        else:
            cold = measure("xls-cold", 20_000, src)
            print(f"{name}: 20,000-row .xls: {xls['secs']:.2f} s (CPU {xls['cpu']:.2f} s; target < 2 s); the first "
                  f"import on a machine (pinyin tables not cached yet): {cold['secs']:.2f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
