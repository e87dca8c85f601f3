"""设置 › 单位 on real widgets: keys add, rename, retire and reorder; move and merge through their pickers."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtTest, QtWidgets

from silverdesk.ui.org.unit_dialogs import NewUnitDialog, PickUnitDialog
from silverdesk.ui.org.units_tree import RETIRED
from silverdesk.ui.system.screen import SettingsView

Key = QtCore.Qt.Key


@pytest.fixture
def tab(qtbot, ui_ctx, county):
    view = SettingsView(ui_ctx)
    qtbot.addWidget(view)
    view.resize(1100, 750)
    view.show()
    yield view.show_tab("单位")
    view.close()


def rows(tab) -> list[tuple[int, str, str, str]]:
    """(depth, name, kind, status) of every row shown, top to bottom."""
    out = []
    it = QtWidgets.QTreeWidgetItemIterator(tab.tree)
    while it.value():
        item, depth, up = it.value(), 0, it.value().parent()
        while up is not None:
            depth, up = depth + 1, up.parent()
        out.append((depth, item.text(0), item.text(1), item.text(3)))
        it += 1
    return out


def select(tab, name: str) -> None:
    found = tab.tree.findItems(name, QtCore.Qt.MatchFlag.MatchExactly | QtCore.Qt.MatchFlag.MatchRecursive)
    tab.tree.setCurrentItem(found[0])
    tab.tree.setFocus()


def answer_dialog(qtbot, kind: type, fill) -> None:  # type: ignore[no-untyped-def]
    """Fill the next modal dialog of ``kind`` as a clerk would, then press Enter."""

    def look() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QtCore.QTimer.singleShot(20, look)
            return
        fill(dialog)
        QtTest.QTest.keyClick(dialog, Key.Key_Return)

    QtCore.QTimer.singleShot(0, look)


def test_keys_add_rename_reorder_and_retire(qtbot, tab, ui_ctx, type_text):
    assert rows(tab)[:3] == [
        (0, "青山县", "县", ""),
        (1, "城关街道", "街道", ""),
        (2, "光明社区", "社区", ""),
    ]
    select(tab, "城关街道")
    answer_dialog(qtbot, NewUnitDialog, lambda d: type_text(d.name, "新华村"))
    qtbot.keyClick(tab.tree, Key.Key_Insert)
    assert (2, "新华村", "村", "") in rows(tab)  # the kind by the name's ending, among 街道's kinds
    assert tab.selected().name == "新华村"
    # F2: rename in place; the old name stays an alias
    qtbot.keyClick(tab.tree, Key.Key_F2)
    editor = tab.tree.findChild(QtWidgets.QLineEdit)
    editor.selectAll()
    type_text(editor, "新华社区")
    qtbot.keyClick(editor, Key.Key_Return)
    qtbot.waitUntil(lambda: (2, "新华社区", "村", "") in rows(tab))
    assert ui_ctx.services.units.find("新华村") == tab.selected_id()
    assert "曾用名：新华村" in tab.details.text()
    ui_ctx.undo.undo()
    qtbot.waitUntil(lambda: (2, "新华村", "村", "") in rows(tab))
    ui_ctx.undo.redo()
    # Ctrl+Up: above 光明社区
    select(tab, "新华社区")
    qtbot.keyClick(tab.tree, Key.Key_Up, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert [r[1] for r in rows(tab) if r[0] == 2] == ["新华社区", "光明社区"]
    # Delete: retire (after the question), greyed, gone from pick lists, undoable
    qtbot.keyClick(tab.tree, Key.Key_Delete)
    assert (2, "新华社区", "村", RETIRED) in rows(tab)
    assert "新华社区" not in [n.name for n in ui_ctx.services.units.tree()]
    assert tab.buttons["retire"].text() == "恢复"
    ui_ctx.undo.undo()
    qtbot.waitUntil(lambda: (2, "新华社区", "村", "") in rows(tab))


def test_move_and_merge_through_the_pickers(qtbot, tab, ui_ctx):
    select(tab, "光明社区")

    def pick(name: str):  # type: ignore[no-untyped-def]
        def fill(dialog: PickUnitDialog) -> None:
            offered = [dialog.unit.itemText(i).strip("\u3000") for i in range(dialog.unit.count())]
            assert "光明社区" not in offered and "青山县" not in offered  # not itself, not a wrong level
            dialog.unit.setCurrentIndex(offered.index(name))

        return fill

    answer_dialog(qtbot, PickUnitDialog, pick("龙山镇"))
    tab.buttons["move"].click()
    shown = rows(tab)
    assert shown[shown.index((1, "龙山镇", "乡镇", "")) + 1] == (2, "光明社区", "社区", "")
    assert ui_ctx.services.units.get(tab.selected_id())["parent_id"] == ui_ctx.services.units.find("龙山镇")
    # merge 县教育局 into 城关街道 (no records: counts are empty), the name becomes an alias
    select(tab, "县教育局")

    def merge_into(dialog: PickUnitDialog) -> None:
        offered = [dialog.unit.itemText(i).strip("\u3000") for i in range(dialog.unit.count())]
        dialog.unit.setCurrentIndex(offered.index("城关街道"))

    answer_dialog(qtbot, PickUnitDialog, merge_into)
    tab.buttons["merge"].click()
    assert (1, "县教育局（已并入城关街道）", "部门", RETIRED) in rows(tab)
    assert "曾用名：县教育局" in tab.details.text()
    assert tab.message.text().startswith("已合并：“县教育局”并入“城关街道”")


def test_a_retired_unit_is_not_offered_but_a_record_naming_it_keeps_it(qtbot, ui_ctx, county):
    from silverdesk.ui.people.form import PersonDialog

    s = ui_ctx.services
    person = s.people.create({"name": "张建国", "gender": "男", "unit_id": county["dept"]})
    s.units.retire(county["dept"])
    new = PersonDialog(ui_ctx, None)
    qtbot.addWidget(new)
    offered = [new.edits["unit_id"].itemText(i).strip("\u3000") for i in range(new.edits["unit_id"].count())]
    assert "县教育局" not in offered and "龙山镇" in offered
    old = PersonDialog(ui_ctx, person)
    qtbot.addWidget(old)
    assert old.edits["unit_id"].value() == county["dept"]
    assert old.edits["unit_id"].currentText() == "县教育局（已停用）"


def test_dropping_a_unit_on_another_moves_it_under_it(qtbot, tab, ui_ctx):
    from PySide6 import QtGui

    def drop(source: str, on: str, offset: int = 0) -> None:
        select(tab, source)
        target = tab.tree.findItems(
            on, QtCore.Qt.MatchFlag.MatchExactly | QtCore.Qt.MatchFlag.MatchRecursive
        )[0]
        point = tab.tree.visualItemRect(target).center() + QtCore.QPoint(0, offset)
        data = tab.tree.mimeData([tab.tree.currentItem()])
        event = QtGui.QDropEvent(QtCore.QPointF(point), QtCore.Qt.DropAction.MoveAction, data,
                                 QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier.NoModifier)  # fmt: skip
        tab.tree.dropEvent(event)  # Qt delivers a drop only during a real drag, which offscreen has not

    drop("光明社区", "龙山镇")
    shown = rows(tab)
    assert shown[shown.index((1, "龙山镇", "乡镇", "")) + 1] == (2, "光明社区", "社区", "")
    drop("光明社区", "县教育局")  # a 社区 under a 部门 is allowed (部门 → 社区/村)
    assert ui_ctx.services.units.get(ui_ctx.services.units.find("光明社区"))[
        "parent_id"
    ] == ui_ctx.services.units.find("县教育局")
    drop("城关街道", "光明社区")  # a 街道 under a 社区: refused, said in words
    assert tab.error.isVisible() and "不能放在" in tab.error.text()
