"""分组统计 on the demo database (300 people, 2,000 activities): a long 统计 shows progress and can be
cancelled, the screen stays ready; the records behind a figure of some hundreds open at once; every
control is reached with Tab."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest

from silverdesk.services.statistics.query import QueryService
from silverdesk.ui.statistics.pivot_screen import PivotView
from silverdesk.ui.statistics.reports import ReportsView
from tests.gui.long_jobs import demo_copy, press_cancel, slow_down

Qt = QtCore.Qt


@pytest.fixture
def db_path(tmp_path, tmp_path_factory, template_db):
    return demo_copy(tmp_path, tmp_path_factory, template_db)


@pytest.fixture
def view(qtbot, threaded_ctx) -> PivotView:
    reports = ReportsView(threaded_ctx)
    qtbot.addWidget(reports)
    reports.resize(1280, 800)
    reports.show()
    pivot = reports.show_pivot()
    pivot.measures.set_checked(["activities"])
    pivot.period.set_kind("year")
    pivot.period.year.setValue(2026)
    return pivot


def answered(qtbot, view: PivotView) -> None:
    view.run_button.click()
    qtbot.waitUntil(lambda: view.pivot is not None and not view.busy, timeout=20000)


def test_a_long_run_can_be_cancelled_and_run_again(qtbot, view, monkeypatch):
    slowed = slow_down(monkeypatch, QueryService, "ask")
    view.run_button.click()
    assert not view.run_button.isEnabled()
    press_cancel(qtbot, slowed, title="正在分组统计")
    qtbot.waitUntil(lambda: view.heading.text() == "已取消统计。", timeout=5000)
    assert view.pivot is None and view.run_button.isEnabled() and not view.export_button.isEnabled()
    slowed.seconds = 0
    answered(qtbot, view)
    assert int(view.model.figure(("合计",), "场次（场）").replace(",", "")) > 0


def test_a_figure_of_some_hundred_records_drills_down_at_once(qtbot, view):
    view.period.set_kind("quarter")
    view.period.part.setValue(2)
    view.row_slots[0].set_ref(None)  # the quarter's 合计: some hundred activities
    answered(qtbot, view)
    model = view.model
    size = int(str(model.data(model.index(0, model.lead))).replace(",", ""))
    assert size >= 200
    view.drill(model.index(0, model.lead))
    qtbot.waitUntil(lambda: view.drill_dialog is not None and view.drill_dialog.isVisible(), timeout=20000)
    listed = view.drill_dialog.model.rowCount()
    assert 100 <= listed <= size  # an activity may hold several 场次
    print(f"drill-down of {listed} activities: {view.drill_seconds * 1000:.0f} ms")
    assert view.drill_seconds < 1.0  # 300 ms on an idle machine; this one is shared
    view.drill_dialog.reject()


def test_every_control_is_reached_with_tab(qtbot, view):
    window = view.window()
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window)
    view.row_slots[0].set_ref("服务领域:大类")
    answered(qtbot, view)
    view.filter_slots[0].slot.set_ref("服务队")
    wanted = [
        view.period.kind,
        view.period.year,
        view.scope,
        view.measures,
        view.row_slots[0].dimension,
        view.row_slots[0].level,
        view.row_slots[1].dimension,
        view.column_slots[0].dimension,
        view.filter_slots[0].slot.dimension,
        view.filter_slots[0].button,
        view.filter_slots[1].slot.dimension,
        view.run_button,
        view.export_button,
        view.print_button,
        view.saved,
        view.save_question_button,
        view.table,
    ]
    view.period.kind.setFocus()
    reached = []
    for _ in range(60):
        reached.append(QtWidgets.QApplication.focusWidget())
        QTest.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_Tab)
    missing = [
        w.objectName() or type(w).__name__ + (f":{w.text()}" if hasattr(w, "text") else "")
        for w in wanted
        if not any(r is w or (r is not None and w.isAncestorOf(r)) for r in reached)
    ]
    assert missing == []
