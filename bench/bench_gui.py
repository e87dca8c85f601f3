"""GUI responsiveness on a 100,000-person / 1,000,000-activity database (issue #3).

Usage: python bench/bench_gui.py [--people 100000] [--activities 1000000] [--runs 3]

Builds (once) ``bench/_work/gui_<people>_<activities>.sqlite`` with the demo generator
(~4 minutes), then measures, medians of ``--runs``:

* start-up: process start to a painted main window (a new process; the parent's clock runs
  from just before it is spawned), opening on 首页 and on 人员;
* time to first rows of the people list (screen created, ids fetched, first screenful read);
* search latency per keystroke, as a clerk types a name, pinyin initials, ID and phone digits
  (ids fetched and the first screenful read, exactly what the list does);
* re-sort of the whole roster by a header click;
* the dashboard's figures and the activity list for this month / this year (for reference).

Targets: start-up < 1.0 s, first rows < 0.3 s, keystroke < 50 ms, re-sort < 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SILVERDESK_NO_ERR_WINDOWS", "1")

WORK = Path(__file__).resolve().parent / "_work"
SCREENFUL = 40
TARGETS = {"start-up": 1.0, "first rows": 0.3, "keystroke": 0.05, "re-sort": 0.3}

BARE = """
import time
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("银龄志愿服务"))
window.show()
app.processEvents()
window.repaint()
print(f"READY {time.time():.6f}", flush=True)
"""

CHILD = """
import sys, time
from silverdesk.app import start_gui
app, window, services = start_gui(sys.argv[1])
app.processEvents()
window.repaint()
print(f"READY {time.time():.6f}", flush=True)
window.ctx.runner.wait(60000)
services.close()
"""


def build(people: int, activities: int) -> Path:
    from silverdesk.services import demo
    from silverdesk.services.hub import Services

    WORK.mkdir(exist_ok=True)
    path = WORK / f"gui_{people}_{activities}.sqlite"
    if path.exists():
        return path
    partial = path.with_name(path.stem + ".building.sqlite")
    for leftover in WORK.glob(partial.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    svc = Services.open(partial, "bench")
    demo.generate(svc.ctx, people=people, activities=activities)
    svc.close()
    partial.rename(path)
    print(f"built {path.name} in {time.perf_counter() - started:.0f} s")
    return path


def startup(db: Path | None, screen: int, runs: int) -> float:
    """Median seconds from spawning a process to its painted window; ``db`` None: a bare PySide6
    window (the floor this machine sets right now: compare the ratio, the machines are shared)."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as data:
            if screen:
                Path(data, "ui-state.ini").write_text(f"[main]\nscreen={screen}\n", encoding="utf-8")
            env = dict(os.environ, SILVERDESK_DATA_DIR=data, SILVERDESK_OPERATOR="bench",  # no operator prompt
                       PYTHONPATH=os.pathsep.join(sys.path))
            started = time.time()
            argv = [sys.executable, "-c", BARE] if db is None else [sys.executable, "-c", CHILD, str(db)]
            proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
            ready = next(float(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("READY"))
            times.append(ready - started)
    return statistics.median(times)


def in_process(db: Path, runs: int) -> dict[str, float]:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from silverdesk.services.activities import ActivityFilter
    from silverdesk.services.hub import Services
    from silverdesk.ui.context import UiContext
    from silverdesk.ui.fonts import install_app_font
    from silverdesk.ui.settings import UiState
    from silverdesk.ui.tasks import SyncTaskRunner
    from silverdesk.ui.views.activities_view import period_range
    from silverdesk.ui.views.people_view import PeopleView

    app = QApplication.instance() or QApplication(["bench"])
    install_app_font(app)  # type: ignore[arg-type]
    services = Services.open(db, "bench")
    tmp = tempfile.TemporaryDirectory()
    ctx = UiContext(services, SyncTaskRunner(), UiState(QSettings(str(Path(tmp.name, "s.ini")),
                                                                  QSettings.Format.IniFormat)))
    out: dict[str, float] = {}

    def first_rows(view: PeopleView) -> None:
        for row in range(min(SCREENFUL, view.model.rowCount())):
            view.model.data(view.model.index(row, 0))

    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        view = PeopleView(ctx)
        view.reload()
        first_rows(view)
        samples.append(time.perf_counter() - started)
        view.deleteLater()
    out["first rows"] = statistics.median(samples)
    view = PeopleView(ctx)
    view.reload()
    for label, text in {"keystroke: name": "张建国", "keystroke: pinyin initials": "zjg",
                        "keystroke: ID digits": "19560301", "keystroke: phone digits": "13912"}.items():
        samples = []
        for _ in range(runs):
            for i in range(1, len(text) + 1):
                view.search.blockSignals(True)
                view.search.setText(text[:i])
                view.search.blockSignals(False)
                started = time.perf_counter()
                view.reload()  # what the 150 ms debounce timer calls
                first_rows(view)
                samples.append(time.perf_counter() - started)
        out[label] = statistics.median(samples)
        out[label.replace("keystroke", "worst keystroke")] = max(samples)
    view.search.setText("")
    view.reload()
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        view.model.sort(2 if i % 2 == 0 else 0, Qt.SortOrder.DescendingOrder)  # 出生日期 / 姓名, header clicks
        first_rows(view)
        samples.append(time.perf_counter() - started)
    out[f"re-sort {view.model.rowCount()} rows"] = statistics.median(samples)
    started = time.perf_counter()
    services.dashboard.load()
    out["dashboard figures (worker)"] = time.perf_counter() - started
    today = services.ctx.today()
    for name in ("本月", "本年"):
        start, end = period_range(name, today)
        started = time.perf_counter()
        ids = services.activities.search_ids(ActivityFilter(date_from=start, date_to=end))
        services.activities.rows_by_ids(ids[:SCREENFUL])
        out[f"activity list {name} ({len(ids)} rows, worker)"] = time.perf_counter() - started
    services.close()
    tmp.cleanup()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    db = build(args.people, args.activities)
    results = {"bare PySide6 window (reference)": startup(None, 0, args.runs),
               "start-up (首页)": startup(db, 0, args.runs), "start-up (人员)": startup(db, 1, args.runs)}
    results |= in_process(db, args.runs)
    print(f"{'measure':<44} {'seconds':>9}  target")
    for label, value in results.items():
        target = next((t for key, t in TARGETS.items() if label.startswith(key)), None)
        verdict = "" if target is None else f"< {target:g}  {'ok' if value < target else 'SLOW'}"
        print(f"{label:<44} {value:>9.3f}  {verdict}")
    bare = results["bare PySide6 window (reference)"]
    print(f"start-up ÷ bare window: {results['start-up (首页)'] / bare:.1f}× (首页), "
          f"{results['start-up (人员)'] / bare:.1f}× (人员); the target 1.0 s is 3.4× the 0.29 s of a quiet machine")


if __name__ == "__main__":
    main()
