"""GUI responsiveness on a 100,000-person / 1,000,000-activity database (issue #3).

Usage: python bench/bench_gui.py [--people 100000] [--activities 1000000] [--runs 5]
(with the venv's python: the ``silverdesk`` command pip installed next to it is what is started;
offscreen unless ``QT_QPA_PLATFORM`` says otherwise, e.g. ``xcb`` with ``DISPLAY`` on an Xvfb)

Builds (once) ``bench/_work/gui_<people>_<activities>.sqlite`` with the demo generator
(~4 minutes), then measures:

* start-up: the installed ``silverdesk`` command started as a new process, to its painted main
  window (``SILVERDESK_QUIT_AFTER_PAINT``: the app prints the time of its first paint and quits;
  the clock runs from just before the process is spawned), opening on 首页 and on 人员, and on 首页
  as the day's first start (the daily backup of the file then runs behind the window).  Paired
  in the same rounds with a bare PySide6 window started the same way, the kinds alternating
  (each round in another order), so the ratio to the bare window compares like with like on a
  shared machine;
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

COMMAND = Path(sys.executable).with_name("silverdesk")  # the console script pip installed in this venv

BARE = """
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def report():
    print(f"painted {time.time():.6f}", flush=True)
    app.quit()


class FirstPaint(QObject):  # the same report as silverdesk.app's SILVERDESK_QUIT_AFTER_PAINT
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, report)
        return False


app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("银龄志愿服务"))
window.installEventFilter(FirstPaint(window))
window.show()
app.exec()
"""
BARE_KIND = "bare PySide6 window"
KINDS = (BARE_KIND, "silverdesk, on 首页", "silverdesk, on 人员", "silverdesk, on 首页, day's first start")


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


def _started(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``argv`` to the painted window it reports."""
    started = time.time()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    painted = [float(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("painted ")]
    if proc.returncode != 0 or not painted:
        raise SystemExit(
            f"{argv[0]} did not report a painted window (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
        )
    return painted[0] - started


def startup(db: Path, runs: int) -> dict[str, list[float]]:
    """Start-up times of each kind in :data:`KINDS`, ``runs`` rounds, each round in another order."""
    if not COMMAND.exists():
        raise SystemExit(f"no {COMMAND}: install silverdesk into this venv first (pip install -e .)")
    base = dict(
        os.environ, SILVERDESK_OPERATOR="bench", SILVERDESK_QUIT_AFTER_PAINT="1"
    )  # no operator prompt
    base.pop("SILVERDESK_DB", None)
    with tempfile.TemporaryDirectory() as tmp:

        def data_dir(name: str, screen: int) -> str:
            folder = Path(tmp, name)
            folder.mkdir(exist_ok=True)
            Path(folder, "ui-state.ini").write_text(f"[main]\nscreen={screen}\n", encoding="utf-8")
            return str(folder)

        def argv_env(kind: str, round_no: int) -> tuple[list[str], dict[str, str]]:
            if kind == BARE_KIND:
                return [sys.executable, "-c", BARE], base
            app = [str(COMMAND), "gui", "--db", str(db)]
            if "day's first start" in kind:  # a new data folder: no backup of today yet
                return app, base | {"SILVERDESK_DATA_DIR": data_dir(f"first{round_no}", 0)}
            return app, base | {"SILVERDESK_DATA_DIR": data_dir(kind, 1 if "人员" in kind else 0)}

        for kind in KINDS[1:3]:  # warm-up, not counted: makes the day's backup in the reused folders
            _started(*argv_env(kind, -1))
        times: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for round_no in range(runs):
            order = KINDS[round_no % len(KINDS) :] + KINDS[: round_no % len(KINDS)]
            for kind in order:
                times[kind].append(_started(*argv_env(kind, round_no)))
    return times


def in_process(db: Path, runs: int) -> dict[str, float]:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from silverdesk.services.activities.log import ActivityFilter
    from silverdesk.services.hub import Services
    from silverdesk.services.people.roster import PersonFilter
    from silverdesk.ui.activities.screen import period_range
    from silverdesk.ui.context import UiContext
    from silverdesk.ui.fonts import install_app_font
    from silverdesk.ui.people.screen import PeopleView
    from silverdesk.ui.settings import UiState
    from silverdesk.ui.tasks import SyncTaskRunner

    app = QApplication.instance() or QApplication(["bench"])
    install_app_font(app)  # type: ignore[arg-type]
    services = Services.open(db, "bench")
    tmp = tempfile.TemporaryDirectory()
    ctx = UiContext(
        services,
        SyncTaskRunner(),
        UiState(QSettings(str(Path(tmp.name, "s.ini")), QSettings.Format.IniFormat)),
    )
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
    for label, text in {
        "keystroke: name": "张建国",
        "keystroke: pinyin initials": "zjg",
        "keystroke: ID digits": "19560301",
        "keystroke: phone digits": "13912",
    }.items():
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
    # the organisation filters (issue #18): a keystroke of a name inside the biggest community
    communities = [
        (view.community.itemData(i), view.community.itemText(i)) for i in range(1, view.community.count())
    ]
    busiest = max(
        communities,
        key=lambda c: services.people.count(PersonFilter(community_id=c[0])),
        default=(None, ""),
    )
    view.community.set_value(busiest[0])
    samples = []
    for _ in range(runs):
        for i in range(1, 4):
            view.search.blockSignals(True)
            view.search.setText("张建国"[:i])
            view.search.blockSignals(False)
            started = time.perf_counter()
            view.reload()
            first_rows(view)
            samples.append(time.perf_counter() - started)
    out["keystroke: name in a 居住社区"] = statistics.median(samples)
    out["worst keystroke: name in a 居住社区"] = max(samples)
    view.community.set_value(None)
    view.search.setText("")
    view.reload()
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        view.model.sort(
            2 if i % 2 == 0 else 0, Qt.SortOrder.DescendingOrder
        )  # 出生日期 / 姓名, header clicks
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


def machine() -> str:
    import platform
    import sqlite3

    import PySide6

    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else ""
    )
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {platform.platform()}, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, PySide6 {PySide6.__version__}"
    )


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = build(args.people, args.activities)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}  {machine()}")
    print(f"load average (1/5/15 min) before: {load()}")
    times = startup(db, args.runs)
    print(f"load average after the start-ups: {load()}")
    bare = times[BARE_KIND]
    print(f"\nstart-up of a new process to its painted window, {args.runs} rounds (seconds)")
    print(f"{'kind':<42} {'median':>7} {'min':>7} {'max':>7}  ratio to bare: of medians, median of rounds")
    for kind, samples in times.items():
        ratios = [t / b for t, b in zip(samples, bare, strict=True)]
        ratio = (
            ""
            if kind == BARE_KIND
            else (
                f"{statistics.median(samples) / statistics.median(bare):.1f}×, "
                f"{statistics.median(ratios):.1f}×"
            )
        )
        print(
            f"{kind:<42} {statistics.median(samples):>7.3f} {min(samples):>7.3f} {max(samples):>7.3f}  {ratio}"
        )
        print(f"{'':<42} rounds: {' '.join(f'{t:.2f}' for t in samples)}")
    verdict = "ok" if statistics.median(times[KINDS[1]]) < TARGETS["start-up"] else "SLOW"
    print(f"target: start-up on 首页 < {TARGETS['start-up']:g} s — {verdict}\n")
    results = in_process(db, args.runs)
    print(f"{'measure':<44} {'seconds':>9}  target")
    for label, value in results.items():
        target = next((t for key, t in TARGETS.items() if label.startswith(key)), None)
        verdict = "" if target is None else f"< {target:g}  {'ok' if value < target else 'SLOW'}"
        print(f"{label:<44} {value:>9.3f}  {verdict}")


if __name__ == "__main__":
    main()
