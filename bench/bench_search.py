"""Search latency on a 100,000-person roster: name fragment, pinyin initials, ID and phone fragments.

Usage: python bench/bench_search.py [--people 100000]
Builds (once) bench/_work/search_<N>.sqlite with the demo generator, then times each query
kind as a clerk types it, keystroke by keystroke, and prints the median and worst per keystroke.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from silverdesk.services import demo
from silverdesk.services.hub import Services
from silverdesk.services.people.roster import PersonFilter

WORK = Path(__file__).resolve().parent / "_work"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    path = WORK / f"search_{args.people}.sqlite"
    if not path.exists():
        started = time.perf_counter()
        svc = Services.open(path, "bench")
        demo.generate(svc.ctx, people=args.people, activities=0)
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s")
    else:
        svc = Services.open(path, "bench")
    people = svc.people
    typed = {
        "name fragment": "张建国",
        "pinyin initials": "zjg",
        "full pinyin": "zhangjian",
        "ID fragment": "19560301",
        "phone fragment": "13912",
    }
    print(f"{'query':<18} {'keystroke median':>18} {'worst':>10} {'hits':>8}")
    for label, text in typed.items():
        times, hits = [], 0
        for _ in range(3):
            for i in range(1, len(text) + 1):
                t = time.perf_counter()
                ids = people.search_ids(PersonFilter(query=text[:i], status=None))
                people.rows_by_ids(ids[:60])  # the first screenful
                times.append((time.perf_counter() - t) * 1000)
                hits = len(ids)
        print(f"{label:<18} {statistics.median(times):>15.1f} ms {max(times):>7.1f} ms {hits:>8}")
    for sort in ("name", "birth_date"):
        t = time.perf_counter()
        ids = people.search_ids(PersonFilter(status=None), sort=sort, descending=True)
        print(f"sort all {len(ids)} by {sort}: {(time.perf_counter() - t) * 1000:.0f} ms")
    svc.close()


if __name__ == "__main__":
    main()
