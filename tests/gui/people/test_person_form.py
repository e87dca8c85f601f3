import datetime as dt

from PySide6.QtCore import Qt

from silverdesk.domain.idcard import make_id_number
from silverdesk.ui.people.form import PersonDialog
from silverdesk.ui.people.screen import PeopleView

GOOD = make_id_number("370402", dt.date(1956, 3, 1), 123)
BAD = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")


def test_typing_a_person_bad_id_refused_beside_the_field_then_saved_and_listed(
    qtbot, type_text, ui_ctx, county
):
    view = PeopleView(ui_ctx)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.count_label.text() == "共 0 人", timeout=10000)
    dialog = PersonDialog(ui_ctx, None, view)
    qtbot.addWidget(dialog)
    dialog.show()
    saved = []
    dialog.saved.connect(view._show_new)
    dialog.saved.connect(saved.append)
    type_text(dialog.edits["name"], "张建国")
    type_text(dialog.edits["id_number"], BAD)
    assert "校验位" in dialog.left.error_text("id_number")  # said as soon as 18 characters are typed
    type_text(dialog.edits["phone"], "13812345678")
    qtbot.keyClick(dialog.edits["phone"], Qt.Key.Key_Return)  # Enter = the default button: save
    assert saved == []
    assert dialog.left.error_text("id_number") == "身份证号校验位不对（可能有数字录错），请核对原件"
    assert (
        dialog.edits["name"].text() == "张建国" and dialog.edits["phone"].text() == "13812345678"
    )  # nothing lost
    id_edit = dialog.edits["id_number"]
    id_edit.clear()
    type_text(id_edit, GOOD)
    assert dialog.left.error_text("id_number") == ""
    assert dialog.edits["birth_date"].text() == "1956-03-01"  # filled from the ID number
    assert dialog.edits["gender"].currentText() == "男"
    qtbot.keyClick(dialog.edits["phone"], Qt.Key.Key_Return)
    assert len(saved) == 1
    qtbot.waitUntil(lambda: view.count_label.text() == "共 1 人", timeout=10000)  # listed …
    qtbot.waitUntil(lambda: view.table.current_id() == saved[0], timeout=10000)  # … and selected
    row = view.model.record(0)
    assert (row.name, row.birth_date, row.gender, row.phone) == (
        "张建国",
        dt.date(1956, 3, 1),
        "男",
        "13812345678",
    )


def test_unit_typed_that_does_not_exist_is_refused_beside_the_field(qtbot, type_text, ui_ctx, county):
    dialog = PersonDialog(ui_ctx)
    qtbot.addWidget(dialog)
    type_text(dialog.edits["name"], "李桂兰")
    dialog.edits["unit_id"].setEditText("没有这个单位")
    dialog.save()
    assert "没有名为“没有这个单位”的单位" in dialog.right.error_text("unit_id")
    dialog.edits["unit_id"].setEditText("城关街道")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    person = ui_ctx.services.people.detail(dialog.person_id)
    assert person["unit_id"] == county["street"]


def test_editing_a_person_can_be_undone_and_redone(qtbot, type_text, ui_ctx):
    pid = ui_ctx.services.people.create({"name": "王德明", "phone": "13800000001"})
    dialog = PersonDialog(ui_ctx, pid)
    qtbot.addWidget(dialog)
    assert dialog.edits["phone"].text() == "13800000001"
    dialog.edits["phone"].setText("13900000002")
    dialog.save()
    assert ui_ctx.services.people.detail(pid)["phone"] == "13900000002"
    assert ui_ctx.undo.canUndo() and "王德明" in ui_ctx.undo.undoText()
    ui_ctx.undo.undo()
    assert ui_ctx.services.people.detail(pid)["phone"] == "13800000001"
    ui_ctx.undo.redo()
    assert ui_ctx.services.people.detail(pid)["phone"] == "13900000002"


def test_education_and_rank_typed_the_short_way_are_saved_in_normal_forms(qtbot, type_text, ui_ctx, county):
    dialog = PersonDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    education, rank = dialog.edits["education"], dialog.edits["rank"]
    assert dialog.left.editors["education"] is education  # 文化程度 sits in the left column, under 政治面貌
    assert [education.itemText(i) for i in range(education.count())][1:] == [
        "研究生", "大学本科", "大学专科", "中专", "高中", "初中", "小学", "文盲或半文盲",
    ]  # fmt: skip
    type_text(dialog.edits["name"], "张建国")
    type_text(education.lineEdit(), "本科")
    type_text(rank.lineEdit(), "副县")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    person = ui_ctx.services.people.detail(dialog.person_id)
    assert (person["education"], person["rank"]) == ("大学本科", "县处级副职")
    again = PersonDialog(ui_ctx, dialog.person_id)
    qtbot.addWidget(again)
    assert (again.edits["education"].currentText(), again.edits["rank"].currentText()) == (
        "大学本科",
        "县处级副职",
    )
