from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from silverdesk.services.activities.log import ActivityFilter
from silverdesk.ui.activities.screen import ActivitiesView


def _enter(qtbot, widget):
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_record_an_activity_with_the_keyboard_only(qtbot, type_text, ui_ctx, county):
    services = ui_ctx.services
    team = services.teams.create({"name": "光明社区理论宣讲队", "unit_id": county["community"]})
    person = services.people.create({"name": "张建国"})
    view = ActivitiesView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    quick = view.quick
    quick.title_edit.setFocus()
    quick.date.setFocus()
    quick.date.selectAll()
    type_text(quick.date, "11.3")
    qtbot.keyClick(quick.date, Qt.Key.Key_Tab)
    type_text(quick.team, "宣讲队")
    qtbot.waitUntil(quick.team.completer().popup().isVisible, timeout=2000)
    _tab(qtbot, quick.team)  # the only team offered is taken
    type_text(quick.title_edit, "老党员讲党课")
    qtbot.keyClick(quick.title_edit, Qt.Key.Key_Tab)
    type_text(quick.category.lineEdit(), "理论宣讲")
    qtbot.keyClick(quick.category.lineEdit(), Qt.Key.Key_Tab)
    type_text(quick.place, "光明社区活动室")
    qtbot.keyClick(quick.place, Qt.Key.Key_Tab)
    type_text(quick.person, "张建国")
    _enter(qtbot, quick.person)  # picks the person, does not save
    assert quick.people == [(person, "张建国")]
    assert services.activities.count() == 0
    qtbot.keyClick(quick.person, Qt.Key.Key_Tab)
    qtbot.keyClick(quick.participants, Qt.Key.Key_Tab)  # head-count left empty: one named person
    type_text(quick.hours, "2.5")
    qtbot.keyClick(quick.hours, Qt.Key.Key_Tab)
    type_text(quick.beneficiaries, "约80")
    _enter(qtbot, quick.beneficiaries)

    ids = services.activities.search_ids(ActivityFilter())
    assert quick.message.text() == ""
    assert len(ids) == 1
    detail = services.activities.detail(ids[0])
    assert (str(detail["occurred_on"]), detail["title"], detail["beneficiaries"]) == (
        "2026-11-03",
        "老党员讲党课",
        80,
    )
    assert (
        detail["team_ids"] == [team] and detail["participant_ids"] == [person] and detail["participants"] == 1
    )
    assert detail["unit_id"] == county["community"]  # the team's unit organised it
    assert detail["place_text"] == "光明社区活动室" and detail["hours"] == 2.5
    # ready for the next one: date, team, category and place kept, the rest cleared, cursor on the title
    assert quick.date.text() == "2026-11-03" and quick.team.text() == "光明社区理论宣讲队"
    assert quick.category.currentText() == "理论宣讲" and quick.place.text() == "光明社区活动室"
    assert quick.title_edit.text() == "" and quick.beneficiaries.text() == "" and quick.people == []
    assert view.focusWidget() is quick.title_edit
    qtbot.waitUntil(
        lambda: view.model.rowCount() == 1 and view.table.current_id() == ids[0], timeout=5000
    )  # shown and selected in the list


def test_likely_duplicate_needs_a_second_enter_and_undo_deletes(qtbot, type_text, ui_ctx, county):
    services = ui_ctx.services
    services.activities.create({"occurred_on": "2026-11-20", "title": "健康义诊进社区"})
    view = ActivitiesView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    quick = view.quick
    quick.title_edit.setFocus()
    type_text(quick.title_edit, "健康义诊进社区")
    quick.title_edit.completer().popup().hide()
    type_text(quick.participants, "12")
    _enter(qtbot, quick.participants)
    assert services.activities.count() == 1
    assert "可能重复" in quick.message.text() and quick.message.isVisible()
    _enter(qtbot, quick.participants)  # confirmed
    assert services.activities.count() == 2
    qtbot.waitUntil(
        lambda: view.model.rowCount() == 2, timeout=5000
    )  # today's entries show in this month's list
    ui_ctx.undo.undo()
    assert services.activities.count() == 1
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)


def test_a_refused_entry_keeps_what_was_typed_and_says_why(qtbot, type_text, ui_ctx):
    view = ActivitiesView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    quick = view.quick
    type_text(quick.title_edit, "植树护绿")
    type_text(quick.hours, "很多")
    _enter(qtbot, quick.hours)
    assert ui_ctx.services.activities.count() == 0
    assert "每人时长" in quick.message.text()
    assert quick.title_edit.text() == "植树护绿" and quick.hours.text() == "很多"
    assert view.focusWidget() is quick.hours
    quick.team.setText("不存在的队")
    _enter(qtbot, quick.hours)
    assert "没有名为“不存在的队”的服务队" in quick.message.text()


def _tab(qtbot, widget):
    """Tab as the keyboard delivers it: to the suggestion list while one is open, else to the field."""
    completer = widget.completer()
    popup = completer.popup() if completer is not None else None
    qtbot.keyClick(popup if popup is not None and popup.isVisible() else widget, Qt.Key.Key_Tab)


def test_hours_are_asked_per_person_and_the_total_is_shown(qtbot, type_text, ui_ctx):
    """A two-hour activity of 12 people is 24 hours of service, not 2 (nor 0.17 h each)."""
    view = ActivitiesView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    quick = view.quick
    labels = [w.text() for w in quick.findChildren(QLabel)]
    assert "每人时长（小时）" in labels and "参与人次" in labels
    type_text(quick.title_edit, "重阳节慰问")
    quick.title_edit.completer().popup().hide()
    type_text(quick.participants, "12")
    type_text(quick.hours, "2")
    assert quick.total.text() == "服务时长合计 24 小时 = 每人 2 小时 × 12 人次" and quick.total.isVisible()
    _enter(qtbot, quick.hours)
    qtbot.waitUntil(lambda: ui_ctx.services.activities.count() == 1, timeout=5000)
    [aid] = ui_ctx.services.activities.search_ids(ActivityFilter())
    assert ui_ctx.services.activities.detail(aid)["hours"] == 24
    assert quick.total.text() == ""  # the next entry starts empty


def test_hours_of_named_participants_and_without_a_head_count(qtbot, type_text, ui_ctx):
    services = ui_ctx.services
    people = [services.people.create({"name": n}) for n in ("张建国", "李秀英", "王明")]
    view = ActivitiesView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    quick = view.quick
    type_text(quick.title_edit, "义务理发")
    quick.title_edit.completer().popup().hide()
    type_text(quick.hours, "1.5")
    assert quick.total.text() == "服务时长合计：请填写参与人次或加入参与人员"
    _enter(qtbot, quick.hours)
    assert services.activities.count() == 0 and "每人时长：算服务时长要知道人数" in quick.message.text()
    for pid, name in zip(people, ("张建国", "李秀英", "王明"), strict=True):
        quick._add_person(pid, name)
    assert quick.participants.placeholderText() == "3（按人员）"
    assert quick.total.text() == "服务时长合计 4.5 小时 = 每人 1.5 小时 × 3 人次"
    _enter(qtbot, quick.hours)
    qtbot.waitUntil(lambda: services.activities.count() == 1, timeout=5000)
    [aid] = services.activities.search_ids(ActivityFilter())
    assert services.activities.detail(aid)["hours"] == 4.5


def test_tab_takes_the_only_suggestion_and_the_list_shows_whole_names(qtbot, type_text, ui_ctx, county):
    services = ui_ctx.services
    for n in (3, 4):
        services.teams.create({"name": f"城关街道法律服务志愿服务队{n}", "unit_id": county["street"]})
    services.activities.create({"occurred_on": "2026-11-02", "title": "老党员讲党课"})
    view = ActivitiesView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    quick = view.quick
    quick.team.setFocus()
    type_text(quick.team, "服务队")
    popup = quick.team.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    longest = popup.fontMetrics().horizontalAdvance("城关街道法律服务志愿服务队4")
    assert (
        popup.width() > longest > quick.team.width()
    )  # wider than the field: 服务队3 and 服务队4 can be told apart
    _tab(qtbot, quick.team)  # two suggestions, none picked: Tab leaves the text as typed
    assert quick.team.text() == "服务队" and quick.focusWidget() is quick.title_edit
    quick.team.setFocus()
    quick.team.clear()
    type_text(quick.team, "队3")
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    _tab(qtbot, quick.team)
    assert quick.team.text() == "城关街道法律服务志愿服务队3" and quick.focusWidget() is quick.title_edit
    quick.team.setFocus()
    quick.team.clear()
    type_text(quick.team, "服务队")
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)  # the second suggestion picked with the arrow keys
    _tab(qtbot, quick.team)
    assert quick.team.text() == "城关街道法律服务志愿服务队4"
    quick.title_edit.setFocus()
    type_text(quick.title_edit, "讲党课")  # a title is free text: Tab leaves what was typed
    qtbot.waitUntil(quick.title_edit.completer().popup().isVisible, timeout=2000)
    _tab(qtbot, quick.title_edit)
    assert quick.title_edit.text() == "讲党课"
    quick.category.lineEdit().setFocus()
    type_text(quick.category.lineEdit(), "宣讲")
    qtbot.waitUntil(quick.category.completer().popup().isVisible, timeout=2000)
    _tab(qtbot, quick.category.lineEdit())
    assert quick.category.currentText() == "理论宣讲" and quick.category.value() is not None
    assert quick.focusWidget() is quick.place_pick  # then 阵地


def test_people_suggestions_are_shown_whole(qtbot, type_text, ui_ctx, county):
    """Two 张建国 are told apart by their unit: the suggestion list is as wide as its longest line."""
    for unit in ("dept", "community"):
        ui_ctx.services.people.create({"name": "张建国", "unit_id": county[unit]})
    view = ActivitiesView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()  # suggestions show in the field that has the keyboard
    qtbot.waitUntil(view.isActiveWindow, timeout=3000)
    quick = view.quick
    quick.person.setFocus()
    type_text(quick.person, "zjg")
    popup = quick.person.completer_.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    lines = [quick.person.model.item(i).text() for i in range(quick.person.model.rowCount())]
    assert set(lines) == {"张建国（—，光明社区）", "张建国（—，县教育局）"}
    assert popup.width() > max(popup.fontMetrics().horizontalAdvance(t) for t in lines) > quick.person.width()
