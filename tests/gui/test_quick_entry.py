from PySide6.QtCore import Qt

from silverdesk.services.activities import ActivityFilter
from silverdesk.ui.views.activities_view import ActivitiesView


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
    type_text(quick.team, "光明社区理论宣讲队")
    quick.team.completer().popup().hide()
    qtbot.keyClick(quick.team, Qt.Key.Key_Tab)
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
    assert (str(detail["occurred_on"]), detail["title"], detail["beneficiaries"]) == ("2026-11-03", "老党员讲党课", 80)
    assert detail["team_ids"] == [team] and detail["participant_ids"] == [person] and detail["participants"] == 1
    assert detail["unit_id"] == county["community"]  # the team's unit organised it
    assert detail["place_text"] == "光明社区活动室" and detail["hours"] == 2.5
    # ready for the next one: date, team, category and place kept, the rest cleared, cursor on the title
    assert quick.date.text() == "2026-11-03" and quick.team.text() == "光明社区理论宣讲队"
    assert quick.category.currentText() == "理论宣讲" and quick.place.text() == "光明社区活动室"
    assert quick.title_edit.text() == "" and quick.beneficiaries.text() == "" and quick.people == []
    assert view.focusWidget() is quick.title_edit
    assert view.model.rowCount() == 1 and view.table.current_id() == ids[0]  # shown and selected in the list


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
    assert view.model.rowCount() == 2  # today's entries show in this month's list
    ui_ctx.undo.undo()
    assert services.activities.count() == 1
    assert view.model.rowCount() == 1


def test_a_refused_entry_keeps_what_was_typed_and_says_why(qtbot, type_text, ui_ctx):
    view = ActivitiesView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    quick = view.quick
    type_text(quick.title_edit, "植树护绿")
    type_text(quick.hours, "很多")
    _enter(qtbot, quick.hours)
    assert ui_ctx.services.activities.count() == 0
    assert "服务时长" in quick.message.text()
    assert quick.title_edit.text() == "植树护绿" and quick.hours.text() == "很多"
    assert view.focusWidget() is quick.hours
    quick.team.setText("不存在的队")
    _enter(qtbot, quick.hours)
    assert "没有名为“不存在的队”的服务队" in quick.message.text()
