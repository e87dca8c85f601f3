"""The very first start (no database yet) with the demo chosen: the build's progress at once, then 首页.

The first start without demo data (the bureau's own units) is tests/gui/system/test_first_bureau.py."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from silverdesk import app as app_module
from silverdesk.domain import pinyin
from silverdesk.paths import data_dir, default_db_path
from silverdesk.ui.system.first_run import FirstRunDialog


@pytest.fixture
def first_start(monkeypatch):
    """An empty data folder (conftest gives each test its own), the operator named, no pinyin preload;
    the clerk chooses 用演示数据试用 and agrees to fictional data."""
    monkeypatch.setenv("SILVERDESK_OPERATOR", "王德明")
    monkeypatch.setattr(pinyin, "preload", lambda: None)
    assert not default_db_path().exists()
    asked: list[str] = []

    def agree(self, box, yes) -> bool:  # type: ignore[no-untyped-def]
        asked.append(box.text())
        return True

    monkeypatch.setattr(FirstRunDialog, "confirm_demo", agree)
    timer = watch(20, lambda w: w.pages.currentIndex() == 0 and w.answer is None and w.demo.click())
    yield asked
    timer.stop()


def watch(every_ms: int, look) -> QTimer:  # type: ignore[no-untyped-def]
    """Call ``look(welcome window)`` while the first-start window is up (timers run in its event loop)."""

    def tick() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, FirstRunDialog) and widget.isVisible():
                look(widget)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(every_ms)
    return timer


def test_first_start_shows_the_build_at_once_then_the_dashboard(qtbot, first_start, monkeypatch):
    seen: list[tuple[str, int, int, bool]] = []  # step, bar value, bar maximum, main window up
    shown: list[str] = []  # every step the window is handed (a 20 ms look may miss a quick one under load)
    show_progress = FirstRunDialog._show_progress

    def recording(self, done: int, total: int, label: str) -> None:  # type: ignore[no-untyped-def]
        shown.append(label)
        show_progress(self, done, total, label)

    monkeypatch.setattr(FirstRunDialog, "_show_progress", recording)
    timer = watch(
        20,
        lambda w: seen.append(
            (
                w.step.text(),
                w.bar.value(),
                w.bar.maximum(),
                any(
                    type(t).__name__ == "MainWindow" and t.isVisible() for t in QApplication.topLevelWidgets()
                ),
            )
        ),
    )
    started = app_module.start_gui(None)
    timer.stop()
    assert started is not None
    _app, window, _services = started
    qtbot.addWidget(window)

    assert seen, "the first-start window was never up while the database was built"
    assert first_start and "虚构" in first_start[0], "the clerk was told the demo's data is fictional"
    assert "建立数据库" in shown and "汇总月度数据" in shown
    assert any(s.startswith("生成人员（") for s in shown) and any(s.startswith("生成活动（") for s in shown)
    measured = [value for _step, value, maximum, _up in seen if maximum > 0]
    assert measured == sorted(measured) and len(set(measured)) >= 5, "the bar moves forward, step by step"
    assert not any(up for *_, up in seen), "the main window comes after the build"
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets() if isinstance(w, FirstRunDialog))

    qtbot.waitExposed(window)
    board = window.current()
    qtbot.waitUntil(lambda: board.findChild(object, "tile_activities").text() != "—", timeout=20000)
    assert "在册人员" in window.counts_label.text()
    assert default_db_path().exists()
    assert not list(data_dir().glob("*.building*")), "the side file took the database's name"
    window.close()
    window.opened.close()


def test_closing_the_first_start_window_stops_and_leaves_no_database(qtbot, first_start):
    closed: list[str] = []

    def close_once_running(welcome: FirstRunDialog) -> None:
        if not closed and welcome.bar.maximum() > 0 and welcome.bar.value() > 0:
            closed.append(welcome.step.text())
            welcome.close()

    timer = watch(20, close_once_running)
    assert app_module.start_gui(None) is None  # quits, without an error message
    timer.stop()
    assert closed, "the window was closed while the database was built"
    assert not default_db_path().exists(), "no half-filled database: the next start builds it again"
    assert not list(data_dir().glob("*.building*"))
