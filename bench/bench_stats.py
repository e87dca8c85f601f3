"""分组统计 speed on a 100,000-person / 1,000,000-activity database (issue #17): every breakdown of one
measure by one dimension, against the bare SQL GROUP BY of the same figure, and drill-down.

Usage: python bench/bench_stats.py [--people 100000] [--activities 1000000] [--period 2026-10] [--runs 3]
       [--only 场次,志愿者数]

Builds (once, shared with bench_gui.py) ``bench/_work/gui_<people>_<activities>.sqlite`` with the demo
generator, then, in this process (what the 分组统计 screen and ``silverdesk stats`` do after start-up):

* for each measure and each dimension it can be broken down by: the model's answer
  (``QueryService.ask``: the GROUP BY with the dimension's level mapping, the 合计 query, the labels) and
  the floor — the bare SQL GROUP BY of the same figure: the fact's rows of the period and scope grouped
  by the raw attribute with the measure's aggregate, compiled once to text and run through the driver
  (no unit-level mapping, no labels, no total). Each pair is timed ``--runs`` times, interleaved, and
  the medians compared;
* drill-down: the ids behind one figure (``QueryService.records``) for a few figures.

Targets: each breakdown < 1 s and ≤ 3× its floor; drill-down < 0.3 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_S, TARGET_RATIO, DRILL_S = 1.0, 3.0, 0.3
SMALL = 0.05  # a floor under 50 ms: the ratio says little (the model's fixed cost: scope, labels, 合计)


def misses(model: float, floor: float) -> str:
    if model >= TARGET_S:
        return "  ← over 1 s"
    if model > TARGET_RATIO * floor:
        return "  ← over 3×" if floor >= SMALL else "  (small floor)"
    return ""


def _floor_sql(session: Any, reg: Any, measure: Any, dimension: Any, window: Any) -> str:
    """The bare GROUP BY of ``measure`` by ``dimension``'s raw attribute, as SQL text."""
    fact = reg.facts[measure.fact]
    stmt = fact.base(window)
    if measure.where is not None:
        stmt = stmt.where(measure.where(window))
    cols = []
    if dimension is not None and not dimension.everywhere:
        stmt, attr = fact.attributes[dimension.attribute].build(stmt, window)
        cols.append(attr)
    stmt = stmt.with_only_columns(*cols, measure.aggregate(window), maintain_column_froms=True)
    if cols:
        stmt = stmt.group_by(*cols)
    return str(stmt.compile(session.bind, compile_kwargs={"literal_binds": True}))


def _median(fn: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="measures, comma-separated (default: all)")
    args = parser.parse_args()

    from bench_gui import build

    from silverdesk.services.hub import Services
    from silverdesk.services.statistics.periods import parse_period
    from silverdesk.services.statistics.query import DimRef, QueryService, Question
    from silverdesk.services.statistics.query.model import Window
    from silverdesk.services.statistics.query.registry import registry
    from silverdesk.services.statistics.query.units import UnitScope

    path = build(args.people, args.activities)
    svc = Services.open(path, "bench")
    query = QueryService(svc.ctx)
    reg = registry()
    period = parse_period(args.period)
    only = [m for m in args.only.split(",") if m]
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {os.getloadavg()[0]:.1f}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{path.name}, period {period.label}"
    )
    rows: list[tuple[str, str, float, float]] = []
    with svc.ctx.db.reader() as session:
        window = Window(period.start, period.end, UnitScope.load(session, None))
        conn = session.connection()
        # warm the page cache once, as a running app would have it
        query.ask(Question(("场次",), period.start, period.end))
        for measure in reg.measures.values():
            if only and measure.name not in only:
                continue
            for dimension in [None, *reg.dimensions_of(measure)]:
                ref = (
                    ()
                    if dimension is None
                    else (DimRef(dimension.name, "月" if dimension.key == "period" else None),)
                )
                question = Question((measure.name,), period.start, period.end, rows=ref)
                sql = _floor_sql(session, reg, measure, dimension, window)
                model_times, floor_times = [], []
                for _ in range(args.runs):
                    model_times.append(_median(lambda q=question: query.ask(q), 1))
                    floor_times.append(_median(lambda s=sql: conn.exec_driver_sql(s).fetchall(), 1))
                model, floor = statistics.median(model_times), statistics.median(floor_times)
                rows.append((measure.name, dimension.name if dimension else "（合计）", model, floor))
                mark = misses(model, floor)
                print(
                    f"{measure.name:<8}\t{rows[-1][1]:<8}\t{model:7.3f} s\t{floor:7.3f} s\t{model / max(floor, 1e-4):5.1f}×{mark}",
                    flush=True,
                )
    drills = []
    for measure, dim, key_of in (
        ("场次", "单位", lambda r: r.rows[0].keys),
        ("志愿者数", "单位", lambda r: r.rows[0].keys),
        ("人才数", "人才库类别", lambda r: r.rows[0].keys),
        ("场次", "服务队", lambda r: r.rows[0].keys),
    ):
        question = Question((measure,), period.start, period.end, rows=(DimRef(dim),))
        result = query.ask(question)
        if not result.rows:
            continue
        keys = key_of(result)
        t = _median(lambda q=question, k=keys, m=measure: query.records(q, m, list(k)), args.runs)
        n = len(query.records(question, measure, list(keys))[1])
        drills.append((f"{measure} × {dim}: {result.rows[0].labels[0]}", t, n))
    svc.close()
    slow = [r for r in rows if r[2] >= TARGET_S]
    far = [r for r in rows if misses(r[2], r[3]) == "  ← over 3×"]
    small = [r for r in rows if misses(r[2], r[3]) == "  (small floor)"]
    print(
        f"\n{len(rows)} breakdowns: median {statistics.median(r[2] for r in rows):.3f} s, slowest {max(r[2] for r in rows):.3f} s"
    )
    print(f"  ≥ {TARGET_S} s: {len(slow)} — " + "; ".join(f"{m} × {d} {t:.2f} s" for m, d, t, _ in slow))
    print(
        f"  > {TARGET_RATIO}× floor: {len(far)} — "
        + "; ".join(f"{m} × {d} {t / max(f, 1e-4):.1f}×" for m, d, t, f in far)
    )
    if small:
        extra = max(r[2] - r[3] for r in small)
        print(
            f"  > {TARGET_RATIO}× a floor under {SMALL * 1000:.0f} ms: {len(small)} (the model's fixed cost at most {extra * 1000:.0f} ms)"
        )
    for label, t, n in drills:
        print(f"drill-down {label} ({n:,} records): {t * 1000:.0f} ms{'' if t < DRILL_S else '  ← misses'}")


if __name__ == "__main__":
    main()
