"""The GUI's composition root: logging, error hook, fonts, database, services, main window."""

from __future__ import annotations

import functools
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from silverdesk.paths import default_db_path, log_dir

if TYPE_CHECKING:
    from silverdesk.ui.system.first_run import FirstRunDialog

log = logging.getLogger("silverdesk")

DEMO_PEOPLE = 2000
DEMO_ACTIVITIES = 20000


def _setup_logging() -> None:
    handler = logging.FileHandler(log_dir() / "silverdesk.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


def _first_start(db: str | None) -> bool:
    """No database chosen and none at the default place yet: the first start asks who the bureau is."""
    return db is None and not os.environ.get("SILVERDESK_DB") and not default_db_path().exists()


def _open_services(db: str | None, welcome: FirstRunDialog | None = None):  # type: ignore[no-untyped-def]
    """Open the chosen database; on the first start (``welcome``: its window, answered) build it first:
    the bureau's own units, or the fictional demo county when the clerk chose to try the app out."""
    from silverdesk.services.hub import Services

    if welcome is not None:
        from silverdesk.ui.system.first_run import Bureau

        path = default_db_path()
        answer = welcome.answer
        if isinstance(answer, Bureau):
            from silverdesk.services.org.bureau import create_bureau_database

            log.info("no database yet: creating %s's at %s", answer.name, path)
            welcome.build(
                lambda progress, _cancel: create_bureau_database(
                    path, answer.name, answer.kind, answer.bureau, answer.units, progress=progress
                )
            )
        else:
            from silverdesk.services import demo

            log.info("no database yet: creating demo data at %s", path)
            welcome.build(
                lambda progress, cancel: demo.create_database(
                    path, people=DEMO_PEOPLE, activities=DEMO_ACTIVITIES, progress=progress, cancel=cancel
                )
            )
    return Services.open(db)


PINYIN_PRELOAD_MS = 3000
"""After the window shows, pinyin's tables are loaded (or, on a new machine, built) in the background."""


def start_gui(db: str | None = None, operator: str | None = None):  # type: ignore[no-untyped-def]
    """Create the application and show the main window; returns (app, window, services), or
    ``None`` when the start-up sequence (ui/system/startup.py) ended it.  ``operator`` (``--operator``)
    names who is working, so the name is not asked.

    Split from :func:`run_gui` so the start-up benchmark measures exactly this path.
    """
    from PySide6.QtWidgets import QApplication

    from silverdesk.ui.errors import install_excepthook
    from silverdesk.ui.fonts import install_app_font
    from silverdesk.ui.language import install_language

    install_excepthook()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("silverdesk")
    app.setOrganizationName("silverdesk")
    app.setApplicationDisplayName("银龄志愿服务管理")
    install_app_font(app)  # type: ignore[arg-type]
    install_language(app)  # type: ignore[arg-type]
    from PySide6.QtGui import QIcon

    from silverdesk.resources import resource_path

    app.setWindowIcon(QIcon(str(resource_path("icons", "silverdesk-256.png"))))
    welcome = None
    if _first_start(db):  # ask who the bureau is (or whether to try the demo) before any database exists
        from silverdesk.ui.system.first_run import FirstRunDialog

        welcome = FirstRunDialog(app.windowIcon())
        if welcome.ask() is None:
            welcome.close()
            return None  # closed without an answer: nothing was made, the next start asks again
    from silverdesk.ui.system.startup import open_database

    opened = open_database(db, functools.partial(_open_services, welcome=welcome), operator=operator)
    if welcome is not None:
        welcome.close()
    if opened is None:
        return None
    services = opened.services
    from silverdesk.ui.main_window import MainWindow

    window = MainWindow(services)
    window.opened = opened  # released (lock, backup thread, engine) when the app ends
    _report_first_paint(window)
    window.show()
    if opened.deferred_check is not None:
        from silverdesk.ui.system.startup import check_in_background

        check_in_background(window, window.ctx.runner, opened.deferred_check)
    from PySide6.QtCore import QTimer

    from silverdesk.domain.pinyin import preload

    # pinyin's tables (for names typed in forms or imported) load behind the window once the
    # clerk is looking at it — on a new machine they are built and cached then (~0.6 s)
    QTimer.singleShot(PINYIN_PRELOAD_MS, preload)
    return app, window, services


QUIT_AFTER_PAINT = "SILVERDESK_QUIT_AFTER_PAINT"
"""Set (to anything): the main window prints ``painted <Unix time>`` once it is painted, and the
app quits — how bench/bench_gui.py times a start of the installed command."""


def _report_first_paint(window) -> None:  # type: ignore[no-untyped-def]
    if not os.environ.get(QUIT_AFTER_PAINT):
        return
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    def report() -> None:
        print(f"painted {time.time():.6f}", flush=True)
        QApplication.quit()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, report)  # after this paint (the window and its children) is done
            return False

    window.installEventFilter(FirstPaint(window))


def run_gui(db: str | None = None, *, operator: str | None = None, smoke_test: bool = False) -> int:
    _setup_logging()
    from PySide6.QtCore import QTimer

    started = start_gui(db, operator)
    if started is None:
        return 2  # the clerk was told why (damaged file not restored, database in use, wrong password …)
    app, window, _services = started  # the name keeps the window alive until exec() returns
    if smoke_test or os.environ.get("SILVERDESK_SMOKE_TEST"):
        QTimer.singleShot(300, app.quit)
    code = app.exec()
    window.opened.close()
    return code


def run_screenshots(db: str | None, out: Path, scale: float = 1.0) -> list[Path]:
    """Render every main screen and form to PNG files in ``out`` (offscreen; see ui/screenshots.py)."""
    import json
    import tempfile

    screen_config = Path(tempfile.mkdtemp(prefix="silverdesk-shots-")) / "screen.json"
    if "QT_QPA_PLATFORM" not in os.environ:
        # a 1920 × 1080 monitor: dialogs fit their screen, so at 150 % they are laid out in
        # 1280 × 720 as on a real office PC (the offscreen default is a tiny 800 × 800)
        screen_config.write_text(
            json.dumps(
                {
                    "screens": [
                        {
                            "name": "screen",
                            "x": 0,
                            "y": 0,
                            "width": 1920,
                            "height": 1080,
                            "logicalDpi": 96,
                            "dpr": 1,
                        }
                    ]
                }
            ),
            encoding="utf-8",
        )
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen_config}"
    if scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"
    from PySide6.QtWidgets import QApplication

    from silverdesk.services.hub import Services
    from silverdesk.ui.fonts import install_app_font
    from silverdesk.ui.language import install_language
    from silverdesk.ui.screenshots import render_all

    app = QApplication.instance() or QApplication(["silverdesk"])
    install_app_font(app)  # type: ignore[arg-type]
    install_language(app)  # type: ignore[arg-type]
    services = Services.open(db)
    try:
        with tempfile.TemporaryDirectory() as tmp:  # the clerk's remembered layout is not used
            return render_all(services, out, Path(tmp) / "ui-state.ini")
    finally:
        services.close()
        shutil.rmtree(screen_config.parent, ignore_errors=True)


def main() -> int:
    """Entry point of the ``silverdesk-gui`` launcher (no console window on Windows)."""
    db = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else None
    return run_gui(str(Path(db)) if db else None)
