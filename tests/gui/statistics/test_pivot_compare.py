"""报表 › 分组统计 with 环比 and 同比 through the real screen and task runner: each measure gains 本期, 上期,
增减 and 增长率 read from the table; a 累计 span's 同比 says why there is none above the table."""

from __future__ import annotations

import datetime as dt

from PySide6 import QtCore

from tests.gui.statistics.test_pivot_screen import choose, october, pick, run, screen, seed

Qt = QtCore.Qt


def test_october_against_september_and_no_same_period_for_a_since_span(qtbot, ui_ctx, services, county):
    seed(services, county)  # October: 城关街道 1 + 光明社区 3 场, 龙山镇 2; September: 光明社区 9
    view = screen(qtbot, ui_ctx)
    october(view)
    choose(view, "场次")
    pick(view.row_slots[0], "单位", "下一级单位")
    view.compare.setCurrentIndex(view.compare.findData("环比"))
    run(qtbot, view)
    assert not view.message.isVisible()
    m = view.model
    assert m.figure(("城关街道",), "场次（场） · 本期") == "4"
    assert m.figure(("城关街道",), "场次（场） · 上期") == "9"
    assert m.figure(("城关街道",), "场次（场） · 增减") == "-5"
    assert m.figure(("城关街道",), "场次（场） · 增长率") == "-55.6%"  # (4 − 9) ÷ 9
    assert m.figure(("龙山镇",), "场次（场） · 增长率") == "—"  # nothing in September: no rate
    assert m.figure(("合计",), "场次（场） · 增长率") == "-33.3%"  # (6 − 9) ÷ 9
    header = m.headerData(m.lead + 3, Qt.Orientation.Horizontal)
    assert header.split("\n") == ["场次（场）", "增长率"]
    assert "环比：本期 2026年10月，上期 2026年9月" in view.heading.text()
    assert m.cell(m.index(0, m.lead + 3)) is None  # a rate has no records of its own to list
    assert m.cell(m.index(0, m.lead)) is not None  # 本期 has
    assert view.chart is not None  # the chart draws 本期 only
    assert view.chart.chart().series()[0].barSets()[0].count() == 2

    # 累计 since 1 September (to today, 20 November) has no 同比: the sentence over the table, no dialog
    view.period.set_kind("since")
    view.period.start.setDate(QtCore.QDate(2026, 9, 1))
    view.compare.setCurrentIndex(view.compare.findData("同比"))
    pick(view.row_slots[0], None)
    run(qtbot, view)
    assert view.message.isVisible()
    assert view.message.text().startswith("累计时段（2026年9月1日以来累计）不作同比")
    assert view.pivot is not None and not view.pivot.compared
    assert m.figure(("合计",), "场次（场）") == "15"  # the 累计 itself: 1 + 2 + 3 + 9
    assert services.ctx.today() == dt.date(2026, 11, 20)
