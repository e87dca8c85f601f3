"""首页 as it opens in the main window at its default size (1248 × 780) and on a full-HD screen: every
bar of both charts keeps its label, the months carry four-digit years, and the lists show whole lines
with "……另有 N 项" for the rest."""

from __future__ import annotations

import pytest
from PySide6 import QtCharts, QtWidgets

from silverdesk.ui.main_window import MainWindow
from silverdesk.ui.statistics.dashboard import DashboardView, category_bars
from silverdesk.ui.tasks import SyncTaskRunner

TEXT_ITEM = 8  # QGraphicsTextItem.Type: QtCharts draws its titles and axis labels as text items


def chart_labels(view: QtCharts.QChartView) -> dict[str, bool]:
    """Every text QtCharts placed in the chart (title, axis labels) → shown; QtCharts hides an axis
    label that would touch its neighbour."""
    out = {}
    for item in view.scene().items():
        if item.type() == TEXT_ITEM:
            text = item.toGraphicsObject()
            out[text.toPlainText().replace("\u2028", "\n")] = item.isVisible()
    return {k: v for k, v in out.items() if k}


@pytest.fixture
def busy_year(services, county):
    """Ten 服务领域 with activities this year (2026, the tests' clock says 2026-11-20), activities in
    December 2025, and more open demands than a list has room for."""
    categories = services.lookups.items("activity_category")[:10]
    for n, category in enumerate(categories, start=1):
        services.activities.create(
            {
                "occurred_on": "2026-10-05",
                "title": "志愿服务",
                "unit_id": county["street"],
                "category_id": category.id,
                "sessions": 2 * n,
            }
        )
    services.activities.create(
        {"occurred_on": "2025-12-05", "title": "去年十二月", "unit_id": county["town"]}
    )
    for n in range(30):
        services.demands.create(
            {
                "title": f"需求{n:02d}：请求志愿者上门服务",
                "requester_unit_id": county["community"],
                "raised_on": f"2026-{1 + n % 10:02d}-{1 + n % 27:02d}",
            }
        )
    return [c.name for c in categories]


@pytest.mark.parametrize("size", [(1248, 780), (1920, 1080)])  # the window's default (96 × 60 字), full HD
def test_every_bar_is_labelled_and_no_line_is_cut(qtbot, services, ui_state, busy_year, size):
    # synchronous on purpose: this measures the layout of the painted figures at each size; that the
    # figures arrive through the real runner is the clerk's journey (test_journeys.py, first start)
    window = MainWindow(services, runner=SyncTaskRunner(), state=ui_state)
    qtbot.addWidget(window)
    char = window.fontMetrics().horizontalAdvance("汉")
    assert (char * 96, char * 60) == (1248, 780)
    window.resize(*size)  # the tests' screen is 800 × 800: the window would be fitted to it
    window.show()
    board = window.current()
    assert isinstance(board, DashboardView)
    qtbot.waitUntil(lambda: board.board is not None and len(board._chart_views) == 2, timeout=10000)
    QtWidgets.QApplication.processEvents()

    trend, categories = (chart_labels(v) for v in board._chart_views)
    bars = [name for name, _sessions in category_bars(board.board)]
    assert len(bars) >= 7 and set(bars) & set(busy_year)
    assert {name: categories.get(name) for name in bars} == dict.fromkeys(bars, True)
    months = ["12月\n2025年", "1月\n2026年"] + [f"{m}月" for m in range(2, 12)]
    assert {m: trend.get(m) for m in months} == dict.fromkeys(months, True)  # four-digit years, every month
    assert trend.get("近12个月活动场次（2025年12月—2026年11月）")
    assert not any("25年" in label and "2025年" not in label for label in trend)

    demands = board.demands.list
    lines = [demands.item(i) for i in range(demands.count())]
    viewport = demands.viewport().rect()
    assert all(viewport.contains(demands.visualItemRect(item)) for item in lines)  # whole lines only
    shown = len(lines) - 1
    assert shown >= 4 and lines[-1].text() == f"……另有 {30 - shown} 项"
    assert board.demands.title() == "尚未对接的需求（30）"
    metrics = demands.fontMetrics()
    for item in lines[:-1]:
        assert metrics.horizontalAdvance(item.text()) <= viewport.width()
        assert item.text() == item.toolTip() or item.text().endswith("…")
