"""星级与积分 (issue #6): edit the star rules, recompute, adjust by hand; award, redeem and adjust points."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6 import QtCore

from silverdesk.ui.market.points import AwardDialog, PointsDialog
from silverdesk.ui.market.screen import RATINGS, MarketView
from silverdesk.ui.market.star_rules import RuleDialog, RuleHistoryDialog
from silverdesk.ui.market.stars import ManualDialog

D = dt.date
LEFT = QtCore.Qt.MouseButton.LeftButton
WAIT = 10000  # ms: the rated list, a 重新评定 and an award come from the task runner


@pytest.fixture
def served(services, county):
    """王秀英 serves 8 times in 2026, 5 hours each (40 h); 李建国 twice, 3 hours each."""
    wang = services.people.create({"name": "王秀英", "unit_id": county["community"]})
    li = services.people.create({"name": "李建国", "unit_id": county["town"]})
    for month in range(1, 9):
        services.activities.create(
            {
                "occurred_on": D(2026, month, 12),
                "title": f"{month}月健康义诊",
                "participants": 1,
                "hours": 5,
                "participant_ids": [wang],
                "unit_id": county["community"],
            }
        )
    for month in (3, 4):
        services.activities.create(
            {
                "occurred_on": D(2026, month, 20),
                "title": f"{month}月法律咨询",
                "participants": 1,
                "hours": 3,
                "participant_ids": [li],
            }
        )
    return {"wang": wang, "li": li, **county}


@pytest.fixture
def view(qtbot, ui_ctx, served):
    v = MarketView(ui_ctx)
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.show()
    v.activateWindow()
    qtbot.waitUntil(v.isActiveWindow)
    v.tabs.currentWidget().setFocus()
    qtbot.keyClick(v.focusWidget() or v, QtCore.Qt.Key.Key_5, QtCore.Qt.KeyboardModifier.AltModifier)
    assert v.tabs.currentIndex() == RATINGS
    qtbot.waitUntil(
        lambda: "尚未评定" in v.ratings.stars.count_label.text(), timeout=WAIT
    )  # nobody rated yet
    return v


def listed(panel) -> dict[str, tuple[int, bool, str]]:
    """The rated list as shown: name → (level, manual, the 星级 cell's text)."""
    model, out = panel.model, {}
    level_col = [c.key for c in model.columns].index("level")
    for row in range(model.rowCount()):
        record = model.record(row)
        out[record.name] = (record.level, record.manual, model.index(row, level_col).data())
    return out


def level_shown(panel, name: str) -> int | None:
    return listed(panel).get(name, (None,))[0]


def test_editing_a_rule_and_recomputing_shows_the_new_level_and_keeps_the_history(
    qtbot, view, services, driver, ui_ctx, served
):
    stars = view.ratings.stars
    assert stars.year.value() == 2026 and stars.current_subject == "volunteer"
    assert "尚未评定" in stars.count_label.text()
    assert stars.rules.topLevelItemCount() == 5  # the seeded 1–5 star rules
    assert stars.rules.topLevelItem(2).text(1) == "≥60 小时"

    events: list[str] = []
    ui_ctx.events.changed.connect(events.append)
    qtbot.mouseClick(stars.recompute_button, LEFT)
    assert not stars.recompute_button.isEnabled()  # one 重新评定 at a time
    qtbot.waitUntil(
        lambda: level_shown(stars, "王秀英") == 2, timeout=WAIT
    )  # 40 h, 8 activities: 2星 needs 30 h and 6
    assert stars.recompute_button.isEnabled()
    assert listed(stars)["李建国"][0] == 0
    assert "共评定2人" in stars.summary.text() and "二星级1人" in stars.summary.text()
    assert "rating" in events

    def three_stars_at_40_hours(dialog: RuleDialog) -> None:
        dialog.level.setCurrentIndex(dialog.level.findData(3))
        assert dialog.hours.value() == 60  # the rule in force is filled in
        assert "仍保留在“规则历史”中" in dialog.note.text()  # explains the history
        dialog.hours.setValue(40)
        dialog.activities.setValue(8)

    driver.fill = three_stars_at_40_hours
    qtbot.mouseClick(stars.rule_button, LEFT)
    assert driver.seen[-1].result() == 1
    assert stars.rules.topLevelItem(2).text(1) == "≥40 小时"
    assert stars.rules.topLevelItem(2).text(4) == "2026-01-01"
    assert listed(stars)["王秀英"][0] == 2  # not before 重新评定
    qtbot.mouseClick(stars.recompute_button, LEFT)
    qtbot.waitUntil(lambda: level_shown(stars, "王秀英") == 3, timeout=WAIT)
    wang = listed(stars)["王秀英"]
    assert wang[0] == 3 and wang[2] == "★★★　三星级" and not wang[1]
    assert services.stars.level_of("volunteer", served["wang"], 2026) == 3
    row = next(r for r in stars.model.rows() if r.name == "王秀英")
    assert (row.hours, row.activities, row.unit) == (40.0, 8, "光明社区")
    assert "达到3星标准（≥40小时、≥8次，2026-01-01起施行）" in row.basis

    # 2025 is rated by the old rule, which the history lists with its end
    driver.fill = lambda dialog: None
    qtbot.mouseClick(stars.history_button, LEFT)
    history = driver.seen[-1]
    assert isinstance(history, RuleHistoryDialog)
    threes = [line for line in history.lines() if line[0].endswith("三星级")]
    assert threes == [
        ["★★★　三星级", "≥60 小时", "≥12 次", "不要求", "2020-01-01", "2025-12-31"],
        ["★★★　三星级", "≥40 小时", "≥8 次", "不要求", "2026-01-01", "现行"],
    ]
    stars.year.setValue(2025)
    assert stars.rules.topLevelItem(2).text(1) == "≥60 小时"

    # a rule that would rewrite history is refused in the dialog, which stays open
    def too_early(dialog: RuleDialog) -> None:
        dialog.level.setCurrentIndex(dialog.level.findData(3))
        dialog.valid_from.setDate(QtCore.QDate(2025, 6, 1))

    driver.fill = too_early
    qtbot.mouseClick(stars.rule_button, LEFT)
    assert driver.seen[-1].result() != 1
    assert "历史规则不能改写" in driver.seen[-1].message.text()


def test_manual_adjustment_needs_a_basis_and_survives_recomputing(qtbot, view, services, driver, served):
    stars = view.ratings.stars
    qtbot.mouseClick(stars.recompute_button, LEFT)
    qtbot.waitUntil(lambda: level_shown(stars, "李建国") == 0, timeout=WAIT)
    stars.select_subject_id(served["li"])
    assert not stars.clear_button.isEnabled()

    driver.fill = lambda dialog: dialog.level.setCurrentIndex(4)  # no basis
    qtbot.keyClick(stars.table, QtCore.Qt.Key.Key_Return)  # Enter on a row = 手工调整
    dialog = driver.seen[-1]
    assert isinstance(dialog, ManualDialog) and dialog.result() != 1
    assert "请填写调整依据" in dialog.message.text()
    assert listed(stars)["李建国"][:2] == (0, False)

    def with_basis(dialog: ManualDialog) -> None:
        dialog.level.setCurrentIndex(4)
        dialog.basis.setText("经局务会议研究评为四星级")

    driver.fill = with_basis
    qtbot.mouseClick(stars.manual_button, LEFT)
    qtbot.waitUntil(lambda: listed(stars)["李建国"] == (4, True, "★★★★　四星级"), timeout=WAIT)
    row = next(r for r in stars.model.rows() if r.name == "李建国")
    assert row.basis == "经局务会议研究评为四星级"
    assert stars.model.index(stars.model.row_of(served["li"]), 6).data() == "手工调整"
    qtbot.mouseClick(stars.recompute_button, LEFT)
    qtbot.waitUntil(lambda: "手工调整的1人未改动" in stars.summary.text(), timeout=WAIT)
    assert listed(stars)["李建国"][:2] == (4, True)

    stars.min_level.setCurrentIndex(stars.min_level.findData(3))
    qtbot.waitUntil(lambda: list(listed(stars)) == ["李建国"], timeout=WAIT)
    stars.min_level.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(listed(stars)) == 2, timeout=WAIT)

    stars.select_subject_id(served["li"])
    assert stars.clear_button.isEnabled()
    qtbot.mouseClick(stars.clear_button, LEFT)
    qtbot.waitUntil(lambda: listed(stars)["李建国"][:2] == (0, False), timeout=WAIT)


def test_team_ratings_and_export(qtbot, view, services, served, ui_ctx, tmp_path):
    from openpyxl import load_workbook

    team = services.teams.create({"name": "光明社区健康义诊志愿服务队", "unit_id": served["community"]})
    for month in range(1, 7):
        services.activities.create(
            {
                "occurred_on": D(2026, month, 2),
                "title": "巡诊",
                "participants": 5,
                "hours": 10,
                "team_ids": [team],
            }
        )
    stars = view.ratings.stars
    stars.set_subject("team")
    assert stars.model.columns[0].title == "服务队"
    qtbot.mouseClick(stars.recompute_button, LEFT)
    qtbot.waitUntil(
        lambda: listed(stars) == {"光明社区健康义诊志愿服务队": (1, False, "★　一星级")}, timeout=WAIT
    )
    target = tmp_path / "名单.xlsx"
    ui_ctx.ask_save_path = lambda *_a: str(target)
    qtbot.mouseClick(stars.export_button, LEFT)
    qtbot.waitUntil(lambda: f"已导出 1 条评定结果到 {target}" in ui_ctx.notices, timeout=WAIT)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][0] == "服务队" and rows[1][0] == "光明社区健康义诊志愿服务队" and "一星级" in rows[1]


def test_points_award_redeem_and_adjust(qtbot, view, services, driver, served, ui_ctx, type_text):
    services.settings.update({"points_per_hour": "2"})
    view.tabs.setCurrentIndex(0)
    ui_ctx.events.changed.emit("settings")
    view.tabs.setCurrentIndex(RATINGS)
    panel = view.ratings.points
    view.ratings.tabs.setCurrentWidget(panel)
    assert "每服务 1 小时计 2 分" in panel.rate_label.text()

    def this_year(dialog: AwardDialog) -> None:
        dialog.set_period(D(2026, 1, 1), D(2026, 11, 20))
        assert "将为 10 人次计入积分：服务 46 小时 × 每小时 2 分 = 92 分" in dialog.status_label.text()

    driver.fill = this_year
    qtbot.mouseClick(panel.award_button, LEFT)
    assert not panel.award_button.isEnabled()  # one award at a time
    qtbot.waitUntil(lambda: "计入 10 人次" in panel.award_label.text(), timeout=WAIT)
    assert panel.award_button.isEnabled()
    assert services.points.balance(served["wang"]) == 40 * 2

    # the same period again: said plainly, nothing credited twice
    def again(dialog: AwardDialog) -> None:
        dialog.set_period(D(2026, 1, 1), D(2026, 11, 20))
        assert "10 人次此前已计入，不会重复计入" in dialog.status_label.text()

    driver.fill = again
    qtbot.mouseClick(panel.award_button, LEFT)
    assert driver.seen[-1].result() != 1
    assert "都已计入积分" in driver.seen[-1].message.text()
    assert services.points.balance(served["wang"]) == 80

    # pick 王秀英: balance and statement
    type_text(panel.search, "王秀英")
    panel.search.refresh()
    qtbot.keyClick(panel.search, QtCore.Qt.Key.Key_Return)
    assert panel.person_id == served["wang"]
    assert panel.person_label.text() == "王秀英　积分余额 80 分"
    assert panel.model.rowCount() == 8
    assert panel.model.record(7)["balance"] == 80

    # more than the balance: refused with the service's message, nothing written
    def too_much(dialog: PointsDialog) -> None:
        dialog.points.setValue(100)
        dialog.reason.setText("兑换体检套餐")

    driver.fill = too_much
    qtbot.mouseClick(panel.redeem_button, LEFT)
    refused = driver.seen[-1]
    assert refused.result() != 1
    assert refused.message.text() == "积分不足：王秀英现有积分80分，本次兑换需要100分，不能兑换"
    assert services.points.balance(served["wang"]) == 80
    assert panel.model.rowCount() == 8

    def within(dialog: PointsDialog) -> None:
        dialog.points.setValue(30)
        dialog.reason.setText("兑换日用品一份")

    driver.fill = within
    qtbot.mouseClick(panel.redeem_button, LEFT)
    assert services.points.balance(served["wang"]) == 50
    assert panel.person_label.text() == "王秀英　积分余额 50 分"
    last = panel.model.record(panel.model.rowCount() - 1)
    assert (last["kind"], last["points"], last["balance"], last["reason"]) == (
        "兑换",
        -30.0,
        50.0,
        "兑换日用品一份",
    )
    assert panel.model.index(panel.model.rowCount() - 1, 2).data() == "-30"

    # 调整 needs a reason
    driver.fill = lambda dialog: dialog.points.setValue(-5)
    qtbot.mouseClick(panel.adjust_button, LEFT)
    assert driver.seen[-1].message.text() == "请填写调整原因"

    def correction(dialog: PointsDialog) -> None:
        dialog.points.setValue(-5)
        dialog.reason.setText("更正重复登记")

    driver.fill = correction
    qtbot.mouseClick(panel.adjust_button, LEFT)
    assert services.points.balance(served["wang"]) == 45
    assert panel.model.record(panel.model.rowCount() - 1)["kind"] == "调整"


def test_the_tab_reloads_after_activities_change(qtbot, view, services, served, ui_ctx):
    stars = view.ratings.stars
    qtbot.mouseClick(stars.recompute_button, LEFT)
    qtbot.waitUntil(lambda: set(listed(stars)) == {"王秀英", "李建国"}, timeout=WAIT)
    view.tabs.setCurrentIndex(0)
    zhao = services.people.create({"name": "赵淑芬"})
    services.activities.create(
        {
            "occurred_on": D(2026, 5, 5),
            "title": "读报",
            "participants": 1,
            "hours": 2,
            "participant_ids": [zhao],
        }
    )
    services.stars.recompute("volunteer", 2026)
    ui_ctx.events.changed.emit("rating")
    assert "赵淑芬" not in listed(stars)  # waits until shown
    view.tabs.setCurrentIndex(RATINGS)
    qtbot.waitUntil(lambda: "赵淑芬" in listed(stars), timeout=WAIT)
