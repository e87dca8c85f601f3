"""Benchmark the spreadsheet reading layer against a bare python-calamine read.

Generates (once, cached in ``bench/_work/``) a 100,000-row × 20-column Chinese roster .xlsx
with openpyxl ``write_only``, then in one run times:

1. bare calamine: open + ``to_python`` of the sheet;
2. bare calamine + basic per-row checks (strip strings, required name present);
3. silverdesk: ``read_sheet`` (safety checks, hidden-row scan) + ``find_table`` + ``match_columns``
   + ``normalize_rows`` (every cell converted and validated);

and prints seconds, rows/s and peak memory (tracemalloc for Python allocations, ru_maxrss for
the process, which includes calamine's Rust side).  Usage::

    PYTHONPATH=src python bench/bench_read.py [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import python_calamine

from silverdesk.domain.idcard import make_id_number
from silverdesk.services.importing import find_table, match_columns, normalize_rows, read_sheet

WORK = Path(os.environ.get("SILVERDESK_BENCH_WORK") or Path(__file__).parent / "_work")
"""Generated files, cached between runs (``SILVERDESK_BENCH_WORK`` moves them, e.g. for the smoke test)."""
HEADER = ["序号", "姓名", "性别", "民族", "出生年月", "身份证号码", "政治面貌", "离退休类别", "离退休时间", "原工作单位",
          "原职务", "职级", "联系电话", "居住社区", "家庭住址", "社区报到时间", "社区任职", "特长", "健康状况", "备注"]  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建国秀英玉兰志强红梅桂芳德明淑珍文华永安丽华海燕国庆春生振华金凤"
UNITS = [
    "县财政局",
    "县教育局",
    "县卫健局",
    "县人社局",
    "县委组织部",
    "县委宣传部",
    "县公安局",
    "县农业农村局",
]
COMMUNITIES = ["城关社区", "幸福社区", "和平社区", "建设社区", "解放社区", "东风社区"]


def make_file(rows: int) -> Path:
    path = WORK / f"roster_{rows}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / ".gitignore").write_text("*\n")  # generated files never get committed
    rnd = random.Random(20261123)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名册")
    ws.append(["某某县离退休干部名册"])
    ws.append(
        [
            "填报单位：某某县委老干部局",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "填报日期：2026年11月1日",
        ]
    )
    ws.append(HEADER)
    for i in range(rows):
        birth = dt.date(1935 + rnd.randrange(30), rnd.randrange(1, 13), rnd.randrange(1, 29))
        male = rnd.random() < 0.6
        idn = make_id_number(f"37{i // 499:04d}", birth, (i % 499) * 2 + (1 if male else 0))  # unique per row
        name = rnd.choice(SURNAMES) + "".join(rnd.sample(GIVEN, rnd.choice((1, 2))))
        ws.append([
            i + 1, name, "男" if male else "女", "汉族", f"{birth.year}.{birth.month:02d}", idn,
            rnd.choice(["中共党员", "群众", "民盟盟员"]), rnd.choice(["退休", "离休"]),
            dt.date(birth.year + 60, birth.month, 1), rnd.choice(UNITS), rnd.choice(["科员", "副科长", "科长", "副局长"]),
            rnd.choice(["正科级", "副科级", "四级调研员"]), f"13{rnd.randrange(10**9):09d}", rnd.choice(COMMUNITIES),
            f"{rnd.choice(COMMUNITIES)}{rnd.randrange(1, 40)}号楼{rnd.randrange(1, 6)}单元", f"{2018 + rnd.randrange(8)}-0{rnd.randrange(1, 10)}-15",
            rnd.choice(["", "楼长", "网格员、调解员", "社区党委委员"]), rnd.choice(["书法", "理论宣讲、法律咨询", "", "医疗"]),
            rnd.choice(["良好", "一般", "较差"]), "",
        ])  # fmt: skip
    ws.append(["合计", f"{rows}人"])
    ws.append(["填表人：张三", None, None, "审核人：李四"])
    tmp = path.with_suffix(".tmp")
    wb.save(tmp)
    tmp.rename(path)
    return path


def bare(path: Path) -> int:
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    data = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    wb.close()
    return len(data)


def bare_checks(path: Path) -> int:
    """Calamine plus the per-row work any importer must do at least: strip and require a name."""
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    data = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    wb.close()
    ok = 0
    for row in data[3:]:
        values = [v.strip() if isinstance(v, str) else v for v in row]
        if values[1]:
            ok += 1
    return ok


def silverdesk_pipeline(path: Path) -> int:
    grid = read_sheet(path)
    table = find_table(grid, "roster")
    mapping = match_columns(table.columns, "roster")
    assert not mapping.missing_required and not mapping.unmatched_columns, mapping
    ok = errors = 0
    for row in normalize_rows(table, mapping):
        if row.errors:
            errors += 1
        else:
            ok += 1
    assert errors == 0, errors
    return ok


def measure(fn: Callable[[Path], Any], path: Path, repeat: int) -> tuple[float, int, float]:
    times = []
    result = 0
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = fn(path)
        times.append(time.perf_counter() - started)
    gc.collect()
    tracemalloc.start()
    fn(path)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), result, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    path = make_file(args.rows)
    print(
        f"file: {path.name} ({path.stat().st_size / 2**20:.1f} MB), ready in {time.perf_counter() - started:.1f} s"
    )
    results = {}
    for label, fn in [("calamine bare", bare), ("calamine + basic checks", bare_checks),
                      ("silverdesk read+layout+normalise", silverdesk_pipeline)]:  # fmt: skip
        secs, n, peak = measure(fn, path, args.repeat)
        results[label] = secs
        print(
            f"{label:34s} {secs:6.2f} s  {args.rows / secs:9,.0f} rows/s  peak Python mem {peak:6.0f} MB  ({n} rows)"
        )
    ratio = results["silverdesk read+layout+normalise"] / results["calamine + basic checks"]
    print(f"ratio silverdesk / (calamine + basic checks): {ratio:.2f}")
    print(
        f"ratio silverdesk / calamine bare:             {results['silverdesk read+layout+normalise'] / results['calamine bare']:.2f}"
    )
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
