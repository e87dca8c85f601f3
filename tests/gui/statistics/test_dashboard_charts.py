"""首页's charts: the axes of counts read in whole numbers, however few activities there are."""

import pytest
from PySide6 import QtCharts
from PySide6.QtCore import Qt

from silverdesk.ui.statistics.dashboard import DashboardView


def _ticks(axis: QtCharts.QValueAxis) -> list[float]:
    assert axis.tickType() == QtCharts.QValueAxis.TickType.TicksDynamic and axis.tickAnchor() == 0
    steps = round((axis.max() - axis.min()) / axis.tickInterval())
    return [axis.min() + i * axis.tickInterval() for i in range(steps + 1)]


@pytest.mark.parametrize("activities", [0, 1])
def test_a_new_countys_charts_label_their_axes_0_1_not_0_0_1_1(qtbot, ui_ctx, county, activities):
    for i in range(activities):
        ui_ctx.services.activities.create(
            {
                "occurred_on": "2026-11-03",
                "title": f"义诊{i}",
                "unit_id": county["town"],
                "category_id": ui_ctx.services.lookups.resolve("activity_category", "健康义诊").id,
            }
        )
    board = DashboardView(ui_ctx)
    qtbot.addWidget(board)
    board.reload()
    qtbot.waitUntil(lambda: board.board is not None)
    values = [
        axis
        for view in board._chart_views
        for axis in view.chart().axes()
        if isinstance(axis, QtCharts.QValueAxis)
    ]
    assert len(values) == 2
    for axis in values:
        assert _ticks(axis) == [0, 1]  # labelled "%d": the old 0–1.1 scale read 0, 0, 1, 1
    trend = board._chart_views[0].chart()
    assert trend.axes(Qt.Orientation.Vertical)[0] in values


def test_the_service_area_chart_names_every_bar_it_draws(qtbot, ui_ctx, county):
    """Ten names beside ten bars do not fit a laptop's chart (Qt drops every other name): the six
    busiest areas are drawn by name, the rest as one bar that says how many areas it holds."""
    services = ui_ctx.services
    areas = [item.name for item in services.lookups.items("activity_category")][:8]
    for sessions, area in enumerate(areas, start=1):
        services.activities.create(
            {
                "occurred_on": "2026-11-03",
                "title": f"{area}活动",
                "unit_id": county["town"],
                "category_id": services.lookups.resolve("activity_category", area).id,
                "sessions": sessions,
            }
        )
    board = DashboardView(ui_ctx)
    qtbot.addWidget(board)
    board.reload()
    qtbot.waitUntil(lambda: board.board is not None)
    chart = board._chart_views[1].chart()
    names = next(a for a in chart.axes() if isinstance(a, QtCharts.QBarCategoryAxis)).categories()
    assert names == ["其他2个领域", *areas[2:]]  # drawn bottom to top: the busiest (8 场次) on top
    bars = chart.series()[0].barSets()[0]
    assert [bars.at(i) for i in range(bars.count())] == [1 + 2, 3, 4, 5, 6, 7, 8]
