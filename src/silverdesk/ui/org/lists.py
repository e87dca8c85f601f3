"""设置 › 可维护的列表: add, rename, deactivate and reactivate entries of the configurable lists.

Entries are never deleted (records keep pointing at them): a retired entry is *deactivated*, so
it disappears from drop-downs but old records still show it; it is listed here greyed with
（已停用）.  A renamed entry keeps its old name as an alias, so files that still use the old
name import as before.  Every change goes on the undo stack (Ctrl+Z).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.domain.enums import LOOKUP_KINDS
from silverdesk.errors import SilverdeskError
from silverdesk.services.org.lookups import LookupItem
from silverdesk.ui.context import UiContext
from silverdesk.ui.undo import DataEvents, SavedChangeCommand
from silverdesk.ui.widgets.form import ERROR_STYLE

INACTIVE_SUFFIX = "（已停用）"
ItemRole = QtCore.Qt.ItemDataRole.UserRole


def LookupCommand(
    text: str, redo_fn: Callable[[], object], undo_fn: Callable[[], object], events: DataEvents
) -> SavedChangeCommand:
    """A lookup change already saved: undone and redone through the service calls given."""
    return SavedChangeCommand(text, redo_fn, undo_fn, events, "lookup")


class KeyHandler(QtCore.QObject):
    """Plain keys (F2, Delete, Enter, PgDn …) on one widget call slots; a slot returning
    ``False`` lets the widget handle the key as usual."""

    def __init__(self, widget: QtWidgets.QWidget, slots: dict[QtCore.Qt.Key, Callable[[], object]]) -> None:
        super().__init__(widget)
        self.slots = slots
        widget.installEventFilter(self)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if (
            event.type() == QtCore.QEvent.Type.KeyPress
            and isinstance(event, QtGui.QKeyEvent)
            and event.modifiers()
            in (QtCore.Qt.KeyboardModifier.NoModifier, QtCore.Qt.KeyboardModifier.KeypadModifier)
        ):
            slot = self.slots.get(QtCore.Qt.Key(event.key()))
            if slot is not None:
                return slot() is not False
        return False


class ListsTab(QtWidgets.QWidget):
    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._undo_index = -1  # the undo stack's index right after this tab's last change
        self.kind = QtWidgets.QComboBox()
        for kind, label in LOOKUP_KINDS.items():
            self.kind.addItem(label, kind)
        self.kind.setToolTip("选择要维护的列表")
        self.items = QtWidgets.QListWidget()
        self.items.setToolTip("F2 改名；Delete 停用或重新启用；停用的条目显示为灰色")
        self.items.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.items.itemDoubleClicked.connect(lambda _item: self.rename_selected())
        self.new_item = QtWidgets.QLineEdit()
        self.new_item.setPlaceholderText("新条目名称，Enter 添加")
        self.new_item.returnPressed.connect(self.add_item)
        add = QtWidgets.QPushButton("添加")
        add.setToolTip("在所选列表末尾添加一项")
        add.clicked.connect(self.add_item)
        self.rename_button = QtWidgets.QPushButton("改名…")
        self.rename_button.setToolTip("修改所选条目的名称（F2）；原名称仍可用于导入")
        self.rename_button.clicked.connect(self.rename_selected)
        self.toggle_button = QtWidgets.QPushButton("停用")
        self.toggle_button.setToolTip(
            "停用后不再出现在下拉列表中，已有记录不受影响；可随时重新启用（Delete）"
        )
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.undo_button = QtWidgets.QPushButton("撤销")
        self.undo_button.setToolTip("撤销刚才的修改（Ctrl+Z）")
        self.undo_button.clicked.connect(self._undo)
        self.undo_button.setVisible(False)
        self.item_error = QtWidgets.QLabel()
        self.item_error.setStyleSheet(ERROR_STYLE)
        self.item_error.setVisible(False)
        self.item_error.setWordWrap(True)

        add_row = QtWidgets.QHBoxLayout()
        add_row.addWidget(self.new_item, 1)
        add_row.addWidget(add)
        buttons = QtWidgets.QVBoxLayout()
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.toggle_button)
        buttons.addStretch(1)
        middle = QtWidgets.QHBoxLayout()
        middle.addWidget(self.items, 1)
        middle.addLayout(buttons)
        note_row = QtWidgets.QHBoxLayout()
        note_row.addWidget(self.message, 1)
        note_row.addWidget(self.undo_button)
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("列表："))
        top.addWidget(self.kind, 1)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addLayout(add_row)
        layout.addWidget(self.item_error)
        layout.addLayout(note_row)
        self._keys = KeyHandler(
            self.items,
            {QtCore.Qt.Key.Key_F2: self.rename_selected, QtCore.Qt.Key.Key_Delete: self.toggle_selected},
        )
        self.kind.currentIndexChanged.connect(lambda _i: self.load())
        ctx.events.changed.connect(self._lists_changed)
        self._update_buttons()

    # -- data -------------------------------------------------------------------------------------
    def load(self, keep: int | None = None) -> None:
        keep = keep if keep is not None else self.selected_id()
        self.items.clear()
        if self.kind.currentData() is None:
            return
        grey = self.palette().color(QtGui.QPalette.ColorGroup.Disabled, QtGui.QPalette.ColorRole.Text)
        for entry in self.ctx.services.lookups.items(self.kind.currentData(), include_inactive=True):
            item = QtWidgets.QListWidgetItem(entry.name + ("" if entry.active else INACTIVE_SUFFIX))
            item.setData(ItemRole, entry)
            if not entry.active:
                item.setForeground(grey)
                item.setToolTip("已停用：不再出现在下拉列表中；按 Delete 或点“重新启用”恢复")
            self.items.addItem(item)
            if entry.id == keep:
                self.items.setCurrentItem(item)
        self._update_buttons()

    def selected(self) -> LookupItem | None:
        item = self.items.currentItem()
        return item.data(ItemRole) if item is not None else None

    def selected_id(self) -> int | None:
        entry = self.selected()
        return entry.id if entry else None

    def select_name(self, name: str) -> bool:
        """Select the entry called ``name`` (tests and keyboard search)."""
        for i in range(self.items.count()):
            entry = self.items.item(i).data(ItemRole)
            if entry.name == name:
                self.items.setCurrentRow(i)
                return True
        return False

    def _update_buttons(self) -> None:
        entry = self.selected()
        self.rename_button.setEnabled(entry is not None)
        self.toggle_button.setEnabled(entry is not None)
        self.toggle_button.setText("重新启用" if entry is not None and not entry.active else "停用")

    # -- actions ----------------------------------------------------------------------------------
    def add_item(self) -> None:
        name = self.new_item.text().strip()
        if not name:
            return
        try:
            new_id = self.ctx.services.lookups.add(self.kind.currentData(), name)
        except SilverdeskError as exc:
            self._error(exc.message)
            return
        self.new_item.clear()
        self._done(new_id, f"已添加“{name}”。", None)

    def ask_name(self, current: str) -> str | None:
        """The new name typed by the clerk (``None``: cancelled).  Tests replace this."""
        text, ok = QtWidgets.QInputDialog.getText(
            self, "改名", f"“{current}”的新名称：", QtWidgets.QLineEdit.EchoMode.Normal, current
        )
        return text if ok else None

    def rename_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        new = self.ask_name(entry.name)
        if new is None or not new.strip() or new.strip() == entry.name:
            return
        new = new.strip()
        lookups = self.ctx.services.lookups
        try:
            lookups.rename(entry.id, new)
        except SilverdeskError as exc:
            self._error(exc.message)
            return
        command = LookupCommand(
            f"改名“{entry.name}”",
            lambda: lookups.rename(entry.id, new),
            lambda: lookups.rename(entry.id, entry.name),
            self.ctx.events,
        )
        self._done(entry.id, f"已把“{entry.name}”改名为“{new}”，原名称仍可用于导入。", command)

    def toggle_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        active = not entry.active
        if not active and not self.ctx.confirm(
            self,
            "停用条目",
            f"停用“{entry.name}”？\n\n停用后它不再出现在下拉列表中，已经用到它的记录保持不变；以后可以随时重新启用。",
        ):
            return
        lookups = self.ctx.services.lookups
        try:
            lookups.set_active(entry.id, active)
        except SilverdeskError as exc:
            self._error(exc.message)
            return
        command = LookupCommand(
            f"{'启用' if active else '停用'}“{entry.name}”",
            lambda: lookups.set_active(entry.id, active),
            lambda: lookups.set_active(entry.id, not active),
            self.ctx.events,
        )
        self._done(entry.id, f"已{'重新启用' if active else '停用'}“{entry.name}”。", command)

    def _done(self, entry_id: int, text: str, command: QtGui.QUndoCommand | None) -> None:
        self.item_error.setVisible(False)
        if command is not None:
            self.ctx.undo.push(command)  # the stack owns it from here; no reference is kept
            self._undo_index = self.ctx.undo.index()
        self.message.setText(text + ("可点“撤销”或按 Ctrl+Z 撤回。" if command is not None else ""))
        self.undo_button.setVisible(command is not None)
        self._changed(entry_id)

    def _undo(self) -> None:
        if self.ctx.undo.canUndo() and self.ctx.undo.index() == self._undo_index:
            self.ctx.undo.undo()
            self.message.setText("已撤销。")
        self.undo_button.setVisible(False)

    def _changed(self, entry_id: int | None) -> None:
        self.load(entry_id)
        self.ctx.events.changed.emit("lookup")

    @QtCore.Slot(str)
    def _lists_changed(self, entity: str) -> None:
        """Another screen, an undo (Ctrl+Z) or a restore changed the lists: show them again."""
        if entity == "lookup" and self.items.count():
            self.load()

    def _error(self, text: str) -> None:
        self.item_error.setText(text)
        self.item_error.setVisible(True)
