"""Report speed over a 1,000,000-activity database: month, quarter and year, xlsx and pdf.

Usage: python bench/bench_report.py [--activities 1000000] [--people 100000]
Builds (once) bench/_work/report_<N>.sqlite with the demo generator (two years of activities), then
times StatisticsService + writer per period and format, and a month over a one-year slice vs the
whole database (a month must cost the same however many years the database holds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from silverdesk.services import demo
from silverdesk.services.hub import Services
from silverdesk.services.statistics.periods import parse_period
from silverdesk.services.statistics.reporting import ReportService
from silverdesk.services.statistics.rollup import Rollup

WORK = Path(__file__).resolve().parent / "_work"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    path = WORK / f"report_{args.activities}.sqlite"
    if not path.exists():
        started = time.perf_counter()
        svc = Services.open(path, "bench")
        demo.generate(svc.ctx, people=args.people, activities=args.activities, today=dt.date(2026, 11, 20))
        print(f"built {path.name} in {time.perf_counter() - started:.0f} s")
        svc.close()
    svc = Services.open(path, "bench")
    started = time.perf_counter()
    months = Rollup(svc.ctx.db).refresh()
    print(
        f"roll-up of {months} stale months built in {time.perf_counter() - started:.1f} s (once, after bulk loads)"
    )
    reports = ReportService(svc.ctx)
    out = Path(tempfile.mkdtemp())
    # warm the fonts and the page cache once, as a running app would have
    reports.write(reports.build(parse_period("2026-01")), out / "warm.pdf")
    print(f"{'period':<10} {'statistics':>11} {'+xlsx':>8} {'+pdf':>8}")
    for code in ("2026-10", "2026Q3", "2026"):
        t0 = time.perf_counter()
        data = reports.build(parse_period(code))
        t1 = time.perf_counter()
        reports.write(data, out / f"{code}.xlsx")
        t2 = time.perf_counter()
        reports.write(data, out / f"{code}.pdf")
        t3 = time.perf_counter()
        print(f"{code:<10} {t1 - t0:>9.2f} s {t2 - t0:>6.2f} s {t3 - t2 + t1 - t0:>6.2f} s")
    svc.close()


if __name__ == "__main__":
    main()
