"""活动's line under the table: the count and the sums of 场次, 参与人次, 服务时长 and 受益人次 for the filter
the clerk set, computed by the service in SQL through the window's task runner (issue #17)."""

from __future__ import annotations

from silverdesk.ui.activities.screen import ActivitiesView

WAIT = 10000


def test_the_line_under_the_table_sums_what_the_filter_finds(qtbot, type_text, ui_ctx, county):
    services = ui_ctx.services
    for day, title, sessions, people, hours, served in (
        ("2026-11-03", "老党员讲党课", 2, 12, 30.5, 200),
        ("2026-11-10", "党课进社区", 1, 8, 16, 150),
        ("2026-11-12", "健康义诊", 3, 1000, 2000.5, 1200),
        ("2026-10-15", "十月党课", 5, 50, 100, 500),  # last month: outside 本月
    ):
        services.activities.create(
            {
                "occurred_on": day,
                "title": title,
                "unit_id": county["street"],
                "sessions": sessions,
                "participants": people,
                "hours": hours,
                "beneficiaries": served,
            }
        )
    view = ActivitiesView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    view.ensure_loaded()
    assert view.period.currentText() == "本月"  # 2026-11-01 … 2026-11-20 (the tests' today)
    qtbot.waitUntil(
        lambda: (
            view.summary_line() == "共 3 项活动；场次 6，参与人次 1,020，服务时长 2,047 小时，受益人次 1,550"
        ),
        timeout=WAIT,
    )

    view.search.setFocus()
    type_text(view.search, "党课")  # 30.5 + 16 hours; 十月党课 stays out (last month)
    qtbot.waitUntil(
        lambda: view.summary_line() == "共 2 项活动；场次 3，参与人次 20，服务时长 46.5 小时，受益人次 350",
        timeout=WAIT,
    )

    services.activities.create(  # recorded elsewhere (a dialog, an import): the data-changed signal
        {"occurred_on": "2026-11-18", "title": "党课学习", "sessions": 1, "participants": 4, "hours": 6}
    )
    ui_ctx.events.changed.emit("activity")
    qtbot.waitUntil(
        lambda: view.summary_line() == "共 3 项活动；场次 4，参与人次 24，服务时长 52.5 小时，受益人次 350",
        timeout=WAIT,
    )

    view.search.clear()
    view.period.setCurrentText("全部")
    qtbot.waitUntil(
        lambda: (
            view.summary_line() == "共 5 项活动；场次 12，参与人次 1,074，服务时长 2,153 小时，受益人次 2,050"
        ),
        timeout=WAIT,
    )
