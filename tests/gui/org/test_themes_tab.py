"""设置 › 月度主题 by keyboard only: Enter edits a month, Tab saves it and goes on to the next, Delete
clears, 复制上一年 fills a new year, Ctrl+Z takes a change back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from silverdesk.ui.system.screen import SettingsView


def _editor(qtbot) -> QLineEdit:
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=2000)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    return editor


def test_months_are_typed_with_enter_and_tab_and_copied_to_the_next_year(qtbot, type_text, ui_ctx):
    services = ui_ctx.services
    view = SettingsView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=3000)
    tab = view.show_tab("月度主题")
    assert tab.year.value() == 2026  # this year (the test clock: 2026-11-20)
    tab.table.setFocus()
    tab.table.setCurrentCell(0, 0)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)  # Enter edits 1月
    editor = _editor(qtbot)
    type_text(editor, "银龄暖冬")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # saved; the editor moves on to 2月
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not editor, timeout=2000)
    editor = _editor(qtbot)
    type_text(editor, "新春送福")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: services.themes.names(2026) == {1: "银龄暖冬", 2: "新春送福"}, timeout=3000)
    qtbot.waitUntil(lambda: tab.theme_text(2) == "新春送福", timeout=2000)
    assert [tab.table.verticalHeaderItem(i).text() for i in (0, 11)] == ["1月", "12月"]
    assert tab.message.text().startswith("2026年2月主题：新春送福。")

    tab.table.setFocus()
    tab.table.setCurrentCell(1, 0)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)  # clears 2月
    qtbot.waitUntil(lambda: services.themes.names(2026) == {1: "银龄暖冬"}, timeout=2000)
    ui_ctx.undo.undo()  # Ctrl+Z: 2月 is back
    qtbot.waitUntil(lambda: tab.theme_text(2) == "新春送福", timeout=2000)
    assert services.themes.names(2026) == {1: "银龄暖冬", 2: "新春送福"}

    tab.year.setFocus()
    qtbot.keyClick(tab.year, Qt.Key.Key_Up)  # 2027: nothing yet
    qtbot.waitUntil(lambda: tab.year.value() == 2027 and tab.theme_text(1) == "", timeout=2000)
    qtbot.keyClick(tab.copy_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: tab.theme_text(1) == "银龄暖冬" and tab.theme_text(2) == "新春送福", timeout=2000)
    assert services.themes.names(2027) == {1: "银龄暖冬", 2: "新春送福"}
    assert tab.message.text().startswith("已从2026年复制 2 个月的主题。")
