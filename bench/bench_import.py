"""Benchmark the whole ``silverdesk import`` process against a bare floor, as a clerk or a script meets it.

Every figure is a real process started the way a script starts the command
(``python -m silverdesk import FILE --db DB --unit 某某县 --json``), timed from just before it is
spawned to its exit: interpreter start, imports, opening the database, reading, checks, duplicate
matching, plan, the pre-import backup and the commit are all in.  CPU time and peak memory are that
process's own (``/usr/bin/time``).  Each is paired, in the same run and alternated, with a **bare floor**
started the same way: python-calamine reads the same sheet and ``sqlite3`` ``executemany`` puts its
rows, as text, into a plain table (no index, no constraint) of a new database file, one transaction.
A second floor puts the same rows into the ``person`` table of an empty migrated database instead
(its indexes, unique ID number, CHECKs, foreign keys: what the earlier rounds called the bare cost),
to show how much of the gap is SQLite keeping the real table's indexes, which any import pays.

Scenarios (each repeated ``--repeat`` times; the table shows medians, the ratio is the median of the
pairs' ratios; the CPU ratio — user + system time of the import over the floor's — is the steadier
one on a shared, busy machine, where wall time waits for other work):

a. a 100,000-row × 20-column roster ``.xlsx`` (title and footer rows) into an empty database;
b. a 20,000-row roster ``.xls``, when xlwt is importable (not a silverdesk dependency:
   ``pip download --no-deps xlwt`` and put the wheel on ``PYTHONPATH``), else skipped;
c. a 2,000-row township roster ``.xlsx`` as townships send them: a merged title row, a 填报单位
   line, 原工作单位 and 居住社区 merged over runs of rows, a 合计 row and a 填表人 footer;
d. a 2,000-row monthly update (1,000 people already on record, every other one with a new phone
   number, and 1,000 new people) into a database that already holds the 100,000 people of (a):
   duplicate matching against the whole roster and the pre-import backup of the whole file included.

The pinyin cache is ``bench/_work/cache`` (``SILVERDESK_CACHE_DIR``), filled before the runs, as on a
machine where silverdesk ran before; compiled modules go to ``bench/_work/pycache``
(``PYTHONPYCACHEPREFIX``), written by one untimed run, as an installed copy has them.  Generated
files and databases are cached in ``bench/_work/``.

``--quick`` runs every scenario once with small files (5,000 rows for a and d, 500 for c, 2,000 for
b), for the smoke test; ``--baseline-src DIR`` also times the import with another source tree (e.g.
``git archive main src resources | tar -x -C /tmp/main``), interleaved, for before/after figures from one run.

Usage::

    PYTHONPATH=src python bench/bench_import.py [--rows 100000] [--repeat 3] [--quick] [--json out.json]
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
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_read import COMMUNITIES, GIVEN, HEADER, SURNAMES, UNITS, WORK, make_file

COUNTY = "某某县"
TARGETS = {"a": "≤ 2× floor", "b": "—", "c": "≤ 0.5 s", "d": "timed"}


# ---- the files and databases (built once, cached in bench/_work) ---------------------------------
def county_db() -> Path:
    """An empty migrated database holding only the county (the unit the files are sent to)."""
    path = WORK / "county.sqlite"
    if not path.exists():
        from silverdesk.db.connect import connect
        from silverdesk.services.base import Context
        from silverdesk.services.hub import Services

        WORK.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        services = Services(Context(connect(tmp), operator="bench"))
        services.units.ensure_root(COUNTY)
        services.close()
        tmp.rename(path)
    return path


def people_db(rows: int) -> Path:
    """A database holding the ``rows`` people of :func:`bench_read.make_file`'s roster (imported once)."""
    path = WORK / f"people_{rows}.sqlite"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        shutil.copy(county_db(), tmp)
        with tempfile.TemporaryDirectory(prefix="sd_bench_data_") as data:
            result, _ = run_import(make_file(rows), tmp, Path(data))
        assert result["imported"] == rows, result
        tmp.with_name(tmp.name + ".lock").unlink(missing_ok=True)
        tmp.rename(path)
    return path


def _person_row(rnd: random.Random, i: int, area: int) -> list[object]:
    from silverdesk.domain.idcard import make_id_number

    birth = dt.date(1935 + rnd.randrange(30), rnd.randrange(1, 13), rnd.randrange(1, 29))
    male = rnd.random() < 0.6
    idn = make_id_number(f"37{area + i // 499:04d}", birth, (i % 499) * 2 + (1 if male else 0))
    return [i + 1, rnd.choice(SURNAMES) + "".join(rnd.sample(GIVEN, rnd.choice((1, 2)))), "男" if male else "女",
            rnd.choice(["汉族", "汉族", "汉族", "回族"]), f"{birth.year}.{birth.month:02d}", idn,
            rnd.choice(["中共党员", "群众"]), rnd.choice(["退休", "离休"]), dt.date(birth.year + 60, birth.month, 1),
            None, rnd.choice(["科员", "科长"]), rnd.choice(["正科级", "副科级"]), f"13{rnd.randrange(10**9):09d}",
            None, f"{rnd.randrange(1, 40)}号楼{rnd.randrange(1, 6)}单元", "2021-05-15", "", rnd.choice(["书法", ""]),
            "良好", ""]  # fmt: skip


def make_township(rows: int) -> Path:
    """A township's roster: merged title, 填报单位 line, merged 原工作单位 / 居住社区 runs, footer rows."""
    path = WORK / f"township_{rows}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    rnd = random.Random(2026_12_07)
    wb = Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append(["城关镇离退休干部花名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(["填报单位：城关镇", *[None] * 9, "填报日期：2026年12月1日"])
    ws.append(HEADER)
    employer, community = HEADER.index("原工作单位") + 1, HEADER.index("居住社区") + 1
    first = 4
    while first < 4 + rows:
        run = min(rnd.randrange(1, 5), 4 + rows - first)  # 1–4 people of one former employer and community
        unit, place = rnd.choice(UNITS), rnd.choice(COMMUNITIES)
        for r in range(first, first + run):
            values = _person_row(rnd, r - 4, area=9000)
            values[employer - 1], values[community - 1] = (unit, place) if r == first else (None, None)
            ws.append(values)
        if run > 1:
            ws.merge_cells(
                start_row=first, start_column=employer, end_row=first + run - 1, end_column=employer
            )
            ws.merge_cells(
                start_row=first, start_column=community, end_row=first + run - 1, end_column=community
            )
        first += run
    ws.append(["合计", f"{rows}人"])
    ws.append(["填表人：王五", None, None, "审核人：赵六"])
    tmp = path.with_suffix(".tmp")
    wb.save(tmp)
    tmp.rename(path)
    return path


def make_update(rows: int) -> Path:
    """A monthly update: ``rows // 2`` people of :func:`make_file`'s roster (every other one with a new
    phone number) and ``rows - rows // 2`` new people."""
    path = WORK / f"update_{rows}.xlsx"
    if path.exists():
        return path
    import python_calamine
    from openpyxl import Workbook

    known = rows // 2
    wb_in = python_calamine.CalamineWorkbook.from_path(str(make_file(max(known, 2000))))
    sheet = wb_in.get_sheet_by_index(0).to_python(skip_empty_area=False)
    wb_in.close()
    rnd = random.Random(12)
    phone = HEADER.index("联系电话")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名册")
    ws.append(HEADER)
    for i, row in enumerate(sheet[3 : 3 + known]):
        values = list(row)
        if i % 2 == 0:
            values[phone] = f"15{rnd.randrange(10**9):09d}"
        ws.append(values)
    for i in range(rows - known):
        values = _person_row(rnd, i, area=8000)
        values[HEADER.index("原工作单位")], values[HEADER.index("居住社区")] = (
            rnd.choice(UNITS),
            rnd.choice(COMMUNITIES),
        )
        values[0] = known + i + 1
        ws.append(values)
    tmp = path.with_suffix(".tmp")
    wb.save(tmp)
    tmp.rename(path)
    return path


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
    tmp = path.with_suffix(".tmp.xls")
    wb.save(str(tmp))
    tmp.rename(path)
    return path


# ---- the floor (run as its own process: ``bench_import.py --floor FILE DB``) ---------------------
PERSON_COLUMNS = {"name": "姓名", "gender": "性别", "ethnicity": "民族", "birth_date": "出生年月",
                  "id_number": "身份证号码", "political_status": "政治面貌", "retirement_type": "离退休类别",
                  "retired_on": "离退休时间", "former_employer": "原工作单位", "former_post": "原职务", "rank": "职级",
                  "phone": "联系电话", "address": "家庭住址", "registered_on": "社区报到时间", "health": "健康状况",
                  "notes": "备注"}  # fmt: skip
PERSON_NULLABLE = {"gender", "birth_date", "id_number", "retirement_type", "retired_on", "registered_on"}


def floor(path: Path, db: Path, into: str) -> int:
    """python-calamine read + sqlite3 executemany of the rows under the header, as text, one transaction:
    ``into`` ``plain``: a plain table (no index, no constraint) of a new file; ``person``: the ``person``
    table of a migrated database (its indexes, unique ID number, CHECKs and foreign keys), as the
    earlier rounds' bare cost was."""
    import sqlite3

    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    data = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    wb.close()
    start = next(i for i, row in enumerate(data) if "姓名" in row) + 1
    width = len(HEADER)
    rows = [
        tuple(
            None if v in (None, "") else (v.isoformat() if isinstance(v, dt.date) else str(v).strip())
            for v in raw[:width]
        )
        for raw in data[start:]
        if raw[1] not in (None, "")  # not the 合计 / 填表人 lines
    ]
    conn = sqlite3.connect(db)
    with conn:
        if into == "plain":
            conn.execute(f"CREATE TABLE rows ({', '.join(f'c{i} TEXT' for i in range(width))})")
            conn.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * width)})", rows)
        else:
            picks = [HEADER.index(label) for label in PERSON_COLUMNS.values()]
            nullable = [c in PERSON_NULLABLE for c in PERSON_COLUMNS]  # the NOT NULL texts take ''
            conn.executemany(
                f"INSERT INTO person ({', '.join(PERSON_COLUMNS)}, name_pinyin, status) "
                f"VALUES ({', '.join('?' * len(picks))}, '', '在册')",
                ([row[i] if row[i] is not None or n else "" for i, n in zip(picks, nullable, strict=True)]
                 for row in rows),
            )  # fmt: skip
    conn.close()
    return len(rows)


# ---- timing one process ---------------------------------------------------------------------------
def _spawn(cmd: list[str], env: dict[str, str]) -> tuple[str, float, float, float]:
    """Run ``cmd``; its stdout, wall seconds (spawn → exit), CPU seconds and peak RSS in MB.

    The CPU time and peak memory come from ``/usr/bin/time`` when it is there: a child forked from this
    (large) process would report this process's memory as its own peak.
    """
    timer = shutil.which("time", path="/usr/bin:/bin")
    with tempfile.TemporaryDirectory(prefix="sd_bench_spawn_") as tmp:
        out, err, usage = (Path(tmp) / name for name in ("out", "err", "usage"))
        wrapped = [timer, "-f", "%U %S %M", "-o", str(usage), *cmd] if timer else cmd
        with out.open("w") as fo, err.open("w") as fe:
            started = time.perf_counter()
            proc = subprocess.run(wrapped, stdout=fo, stderr=fe, env=env, check=False)
            wall = time.perf_counter() - started
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{err.read_text()[-3000:]}")
        if timer:
            user, system, peak_kb = usage.read_text().split()[-3:]
            cpu, peak = float(user) + float(system), int(peak_kb) / 1024
        else:  # without it: this process's children as a whole (an upper bound of the peak)
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu, peak = float("nan"), children.ru_maxrss / 1024
        return out.read_text(encoding="utf-8"), wall, cpu, peak


def _env(data: Path, src: str | None = None) -> dict[str, str]:
    env = os.environ.copy()
    env["SILVERDESK_DATA_DIR"] = str(data)  # the pre-import backup and the log go here
    env["SILVERDESK_CACHE_DIR"] = str(WORK / "cache")
    # compiled modules kept as an installed copy keeps them (the first, untimed run writes them)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    if src:
        env["PYTHONPATH"] = os.pathsep.join(
            [src, *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
        )
    return env


def run_import(
    path: Path, db: Path, data: Path, src: str | None = None
) -> tuple[dict[str, object], tuple[float, ...]]:
    """``silverdesk import`` as a script runs it; its ``--json`` result and (wall, CPU, peak MB)."""
    cmd = [
        sys.executable,
        "-m",
        "silverdesk",
        "import",
        str(path),
        "--db",
        str(db),
        "--unit",
        COUNTY,
        "--json",
    ]
    out, *figures = _spawn(cmd, _env(data, src))
    return json.loads(out.strip().splitlines()[-1]), tuple(figures)


def run_floor(path: Path, tmp: Path, into: str) -> tuple[float, ...]:
    db = tmp / "floor.sqlite"
    db.unlink(missing_ok=True)
    if into == "person":
        shutil.copy(county_db(), db)
    _, *figures = _spawn([sys.executable, __file__, "--floor", into, str(path), str(db)], _env(tmp))
    return tuple(figures)


@dataclass
class Scenario:
    key: str
    label: str
    path: Path
    db: Path
    expect: dict[str, int]
    floor: list[tuple[float, ...]] = field(default_factory=list)
    person_floor: list[tuple[float, ...]] = field(default_factory=list)
    runs: dict[str, list[tuple[float, ...]]] = field(default_factory=dict)

    def once(self, tmp: Path, versions: list[tuple[str, str | None]]) -> None:
        self.floor.append(run_floor(self.path, tmp, "plain"))
        self.person_floor.append(run_floor(self.path, tmp, "person"))
        for name, src in versions:
            db = tmp / "import.sqlite"
            shutil.copy(self.db, db)
            data = tmp / "data"
            result, figures = run_import(self.path, db, data, src)
            got = {k: result[k] for k in self.expect}
            if got != self.expect:
                raise AssertionError(f"{self.label} ({name}): {got}, expected {self.expect}")
            self.runs.setdefault(name, []).append(figures)
            shutil.rmtree(data, ignore_errors=True)
            db.unlink()

    def summary(self, name: str) -> dict[str, float]:
        runs = self.runs[name]
        ratios = [r[0] / f[0] for r, f in zip(runs, self.floor, strict=True)]
        cpu_ratios = [r[1] / f[1] for r, f in zip(runs, self.floor, strict=True)]
        person_ratios = [r[0] / f[0] for r, f in zip(runs, self.person_floor, strict=True)]
        person_cpu_ratios = [r[1] / f[1] for r, f in zip(runs, self.person_floor, strict=True)]
        return {
            "rows": sum(self.expect.values()),
            "floor_s": statistics.median(f[0] for f in self.floor),
            "floor_mb": max(f[2] for f in self.floor),
            "wall_s": statistics.median(r[0] for r in runs),
            "cpu_s": statistics.median(r[1] for r in runs),
            "floor_cpu_s": statistics.median(f[1] for f in self.floor),
            "cpu_ratio": statistics.median(cpu_ratios),
            "person_floor_s": statistics.median(f[0] for f in self.person_floor),
            "person_ratio": statistics.median(person_ratios),
            "person_cpu_ratio": statistics.median(person_cpu_ratios),
            "peak_mb": max(r[2] for r in runs),
            "ratio": statistics.median(ratios),
            "ratios": ratios,  # type: ignore[dict-item]
        }


def machine() -> str:
    model = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores ({model}), load average {load}, "
            f"Python {sys.version.split()[0]}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of scenario a and people of d")
    parser.add_argument("--repeat", type=int, default=3, help="floor/import pairs per scenario (default 3)")
    parser.add_argument("--quick", action="store_true", help="small files, one pair each (the smoke test)")
    parser.add_argument("--only", default="abcd", help="scenarios to run, e.g. ac (default abcd)")
    parser.add_argument(
        "--baseline-src", help="another source tree to time the import with, for before/after"
    )
    parser.add_argument("--json", dest="json_out", help="also write the figures to this file")
    parser.add_argument("--floor", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor:
        print(floor(Path(args.floor[1]), Path(args.floor[2]), args.floor[0]))
        return 0
    rows, town, xls_rows, repeat = (
        (5_000, 500, 2_000, 1) if args.quick else (args.rows, 2_000, 20_000, args.repeat)
    )
    os.environ["SILVERDESK_CACHE_DIR"] = str(WORK / "cache")  # as on a machine where silverdesk ran before
    from silverdesk.domain.pinyin import _tables

    _tables()
    scenarios: list[Scenario] = []
    if "a" in args.only:
        scenarios.append(Scenario("a", f"{rows:,}-row roster .xlsx, empty database", make_file(rows), county_db(),
                                  {"imported": rows, "updated": 0, "rejected": 0}))  # fmt: skip
    if "b" in args.only:
        xls = make_xls(xls_rows)
        if xls is None:
            print(
                "b: skipped — xlwt is not importable (pip download --no-deps xlwt; put the wheel on PYTHONPATH)"
            )
        else:
            scenarios.append(Scenario("b", f"{xls_rows:,}-row roster .xls, empty database", xls, county_db(),
                                      {"imported": xls_rows, "rejected": 0}))  # fmt: skip
    if "c" in args.only:
        scenarios.append(Scenario("c", f"{town:,}-row township file (merged cells), empty database",
                                  make_township(town), county_db(), {"imported": town, "rejected": 0}))  # fmt: skip
    if "d" in args.only:
        update = 2_000
        scenarios.append(Scenario("d", f"{update:,}-row update into {rows:,} people", make_update(update),
                                  people_db(rows), {"imported": update // 2, "rejected": 0}))  # fmt: skip
    versions: list[tuple[str, str | None]] = [("silverdesk", None)]
    if args.baseline_src:
        versions.append(("baseline", args.baseline_src))
    print(machine())
    with tempfile.TemporaryDirectory(prefix="sd_bench_") as tmp_name:
        for _, src in versions:  # untimed: writes the bytecode cache and warms the file cache
            shutil.copy(county_db(), Path(tmp_name) / "warm.sqlite")
            run_import(make_township(town), Path(tmp_name) / "warm.sqlite", Path(tmp_name) / "warm", src)
        for round_ in range(repeat):
            for s in scenarios:
                s.once(Path(tmp_name), versions if round_ % 2 == 0 else versions[::-1])
    print(f"load average after: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print(
        f"\n| scenario | version | floor (CPU) | import (CPU) | ratio (each pair) | CPU ratio | vs person-table floor (CPU) | peak RSS | target |\n|{'---|' * 9}"
    )
    results: dict[str, dict[str, dict[str, float]]] = {}
    for s in scenarios:
        for name, _ in versions:
            r = s.summary(name)
            results.setdefault(s.key, {})[name] = r
            each = " / ".join(f"{x:.2f}" for x in r["ratios"])  # type: ignore[attr-defined]
            print(f"| {s.key}. {s.label} | {name} | {r['floor_s']:.2f} s ({r['floor_cpu_s']:.2f}) | {r['wall_s']:.2f} s ({r['cpu_s']:.2f}) | "
                  f"**{r['ratio']:.2f}×** ({each}) | {r['cpu_ratio']:.2f}× | {r['person_ratio']:.2f}× ({r['person_cpu_ratio']:.2f}×) | {r['peak_mb']:.0f} MB | {TARGETS[s.key]} |")  # fmt: skip
    print("\nTargets: a ≤ 2× the floor, c ≤ 0.5 s, peak memory ≤ 500 MB (all whole-process).")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"machine": machine(), "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
