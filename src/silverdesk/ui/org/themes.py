"""设置 › 月度主题: the twelve months of a year, each theme edited in place.

Keyboard: ↑/↓ choose a month, Enter (or F2, or simply typing) edits its theme, Enter saves it, Tab
saves and goes on to the next month, Delete clears it.  复制上一年 fills the months still empty
with last year's themes.  Every change is saved at once and goes on the undo stack (Ctrl+Z).
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.errors import SilverdeskError
from silverdesk.services.org.themes import MONTH_NAMES
from silverdesk.ui.context import UiContext
from silverdesk.ui.org.lists import KeyHandler, LookupCommand
from silverdesk.ui.widgets.form import ERROR_STYLE

THEME, USED = 0, 1


class ThemesTab(QtWidgets.QWidget):
    """Signals: none; writes emit ``ctx.events.changed("monthly_theme")``."""

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loading = False
        self._writing = False  # a change of this tab is being saved: reload once it is done
        self._undo_index = -1
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.services.ctx.today().year)
        self.year.setToolTip("选择年份（↑/↓ 或直接输入）")
        self.year.valueChanged.connect(lambda _v: self.load())
        self.copy_button = QtWidgets.QPushButton("复制上一年")
        self.copy_button.setToolTip("把上一年各月的主题填入本年还空着的月份；已填的月份不变")
        self.copy_button.clicked.connect(self.copy_previous)
        self.table = QtWidgets.QTableWidget(12, 2)
        self.table.setHorizontalHeaderLabels(["主题", "已用于活动"])
        self.table.setVerticalHeaderLabels(list(MONTH_NAMES))
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
            | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed
            | QtWidgets.QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setToolTip("Enter 修改本月主题，Tab 保存并到下个月，Delete 清空")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(THEME, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(USED, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._edited)
        self._keys = KeyHandler(
            self.table,
            {
                QtCore.Qt.Key.Key_Return: self.edit_current,
                QtCore.Qt.Key.Key_Enter: self.edit_current,
                QtCore.Qt.Key.Key_Delete: self.clear_current,
            },
        )
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.error = QtWidgets.QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.undo_button = QtWidgets.QPushButton("撤销")
        self.undo_button.setToolTip("撤销刚才的修改（Ctrl+Z）")
        self.undo_button.setVisible(False)
        self.undo_button.clicked.connect(self._undo)
        top = QtWidgets.QHBoxLayout()
        caption = QtWidgets.QLabel("年份：")
        caption.setBuddy(self.year)
        top.addWidget(caption)
        top.addWidget(self.year)
        top.addWidget(self.copy_button)
        top.addStretch(1)
        note = QtWidgets.QLabel("登记活动时默认使用活动日期所在月份的主题。")
        note.setWordWrap(True)
        notes = QtWidgets.QHBoxLayout()
        notes.addWidget(self.message, 1)
        notes.addWidget(self.undo_button)
        column = QtWidgets.QWidget()
        column.setMaximumWidth(self.fontMetrics().horizontalAdvance("汉") * 40 + 120)
        layout = QtWidgets.QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(notes)
        outer = QtWidgets.QHBoxLayout(self)
        outer.addWidget(column, 1)
        outer.addStretch(0)
        ctx.events.changed.connect(self._data_changed)

    # -- data -------------------------------------------------------------------------------------
    def load(self) -> None:
        themes = self.ctx.services.themes.year(self.year.value())
        self._loading = True
        for row in range(12):
            theme = themes.get(row + 1)
            item = QtWidgets.QTableWidgetItem(theme.name if theme else "")
            self.table.setItem(row, THEME, item)
            used = QtWidgets.QTableWidgetItem(f"{theme.activities} 项" if theme and theme.activities else "")
            used.setFlags(QtCore.Qt.ItemFlag.NoItemFlags)  # Tab skips it: it moves from theme to theme
            used.setTextAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, USED, used)
        self._loading = False
        if self.table.currentRow() < 0:
            self.table.setCurrentCell(0, THEME)

    def theme_text(self, month: int) -> str:
        item = self.table.item(month - 1, THEME)
        return item.text() if item is not None else ""

    # -- actions ----------------------------------------------------------------------------------
    def edit_current(self) -> None:
        row = max(self.table.currentRow(), 0)
        self.table.setCurrentCell(row, THEME)
        self.table.editItem(self.table.item(row, THEME))

    def clear_current(self) -> None:
        item = self.table.item(max(self.table.currentRow(), 0), THEME)
        if item is not None and item.text():
            item.setText("")  # saved through _edited

    def copy_previous(self) -> None:
        year = self.year.value()
        themes = self.ctx.services.themes
        before = themes.names(year)
        try:
            changed = themes.copy_previous(year)
        except SilverdeskError as exc:
            self._say_error(exc.message)
            return
        after = themes.names(year)

        def put(values: dict[int, str]) -> None:
            for month in range(1, 13):
                if after.get(month) != before.get(month):
                    themes.set(year, month, values.get(month, ""))

        if not changed:
            self._done(f"{year}年各月已有主题，未作改动。", None)
            return
        command = LookupCommand(
            f"复制{year - 1}年主题", lambda: put(after), lambda: put(before), self.ctx.events
        )
        self._done(f"已从{year - 1}年复制 {changed} 个月的主题。", command)

    def _edited(self, item: QtWidgets.QTableWidgetItem) -> None:
        if self._loading or item.column() != THEME:
            return
        year, month, name = self.year.value(), item.row() + 1, item.text().strip()
        themes = self.ctx.services.themes
        try:
            old = themes.set(year, month, name)
        except SilverdeskError as exc:
            self._say_error(exc.message)
            self._reload_later()
            return
        if old == name:
            return
        text = f"已清空{year}年{month}月主题。" if not name else f"{year}年{month}月主题：{name}。"
        command = LookupCommand(
            f"{year}年{month}月主题",
            lambda: themes.set(year, month, name),
            lambda: themes.set(year, month, old),
            self.ctx.events,
        )
        self._done(text, command)

    def _done(self, text: str, command: QtGui.QUndoCommand | None) -> None:
        self.error.setVisible(False)
        if command is not None:
            self.ctx.undo.push(command)
            self._undo_index = self.ctx.undo.index()
        self.message.setText(text + ("可点“撤销”或按 Ctrl+Z 撤回。" if command is not None else ""))
        self.undo_button.setVisible(command is not None)
        self._writing = True
        try:
            self.ctx.events.changed.emit("monthly_theme")
        finally:
            self._writing = False
        self._reload_later()

    def _undo(self) -> None:
        if self.ctx.undo.canUndo() and self.ctx.undo.index() == self._undo_index:
            self.ctx.undo.undo()
            self.message.setText("已撤销。")
            self.ctx.events.changed.emit("monthly_theme")
        self.undo_button.setVisible(False)

    def _reload_later(self) -> None:
        """Reload once the editor has closed (Tab may already be opening next month's editor)."""
        QtCore.QTimer.singleShot(0, self._reload_keeping_editor)

    def _reload_keeping_editor(self) -> None:
        if self.table.state() == QtWidgets.QAbstractItemView.State.EditingState:
            return  # the next month is being typed: its save reloads
        self.load()

    def _say_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    @QtCore.Slot(str)
    def _data_changed(self, entity: str) -> None:
        if self._writing or self.table.item(0, THEME) is None:
            return
        editing = self.table.state() == QtWidgets.QAbstractItemView.State.EditingState
        if entity in ("lookup", "monthly_theme", "activity") and not editing:
            self.load()
