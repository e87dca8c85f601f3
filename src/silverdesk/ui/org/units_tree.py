"""设置 › 单位: the bureau's unit tree — add, rename, move, reorder, merge, retire and re-activate.

Units are never deleted: a retired unit (停用) stays for history (past periods still count it) and is
greyed here, hidden from every pick list.  A renamed unit keeps its old name as an alias, so files and
the statistics still find it.  Keys on the tree: Insert adds a unit under the selected one, F2 renames
in place, Delete retires (after a question), Ctrl+Up / Ctrl+Down move it among its siblings; a unit may
be dragged onto its new parent.  Rename and retire go on the undo stack (Ctrl+Z); a merge cannot be
undone and is preceded by a backup.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.domain.names import aliases_of
from silverdesk.errors import SilverdeskError
from silverdesk.services.org.units import TOP_KINDS, UnitNode, child_kinds
from silverdesk.ui.context import UiContext
from silverdesk.ui.org.unit_dialogs import NewUnitDialog, PickUnitDialog
from silverdesk.ui.undo import DataEvents, SavedChangeCommand
from silverdesk.ui.widgets.form import ERROR_STYLE

IdRole = QtCore.Qt.ItemDataRole.UserRole
RETIRED = "已停用"
GREY = QtGui.QColor("#8a9099")


def UnitCommand(
    text: str, redo_fn: Callable[[], object], undo_fn: Callable[[], object], events: DataEvents
) -> SavedChangeCommand:
    """A unit change already saved: undone and redone through the service calls given."""
    return SavedChangeCommand(text, redo_fn, undo_fn, events, "unit")


class UnitTreeView(QtWidgets.QTreeWidget):
    """The tree; a unit dropped on another asks to move under it (the move itself is the service's).

    Signals:
        dropped(int, int): the unit dragged and the unit it was dropped on (its new parent).
    """

    dropped = QtCore.Signal(int, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys: dict[tuple[QtCore.Qt.Key, bool], Callable[[], object]] = {}  # (key, with Ctrl) → slot
        self.setColumnCount(4)
        self.setHeaderLabels(["单位名称", "类型", "区划代码", "状态"])
        self.setDragDropMode(QtWidgets.QAbstractItemView.DragDropMode.InternalMove)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setUniformRowHeights(True)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 80), (2, 120), (3, 80)):
            self.setColumnWidth(column, width)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        mods = event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier
        ctrl = mods == QtCore.Qt.KeyboardModifier.ControlModifier
        slot = (
            self.keys.get((QtCore.Qt.Key(event.key()), ctrl))
            if ctrl or mods == QtCore.Qt.KeyboardModifier.NoModifier
            else None
        )
        if slot is None:
            super().keyPressEvent(event)
        else:
            slot()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        source = self.currentItem()
        point = event.position().toPoint()
        target = self.itemAt(point)
        event.setDropAction(QtCore.Qt.DropAction.IgnoreAction)
        event.accept()  # the tree is rebuilt from the database, never moved by Qt itself
        if target is not None:
            rect = self.visualItemRect(target)
            margin = rect.height() // 4
            if not rect.top() + margin <= point.y() <= rect.bottom() - margin:
                target = target.parent()  # dropped between two units: beside them, under their parent
        if source is not None and target is not None and target is not source:
            self.dropped.emit(source.data(0, IdRole), target.data(0, IdRole))


class UnitsTab(QtWidgets.QWidget):
    """设置 › 单位."""

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nodes: dict[int, UnitNode] = {}
        self._loading = False
        self.tree = UnitTreeView()
        self.tree.setToolTip(
            "Insert 新增下级单位；F2 改名；Delete 停用；Ctrl+↑/↓ 调整顺序；可把单位拖到新的上级单位上"
        )
        self.tree.currentItemChanged.connect(lambda *_: self._show_selected())
        self.tree.itemChanged.connect(self._edited)
        self.tree.dropped.connect(self._move)
        self.show_retired = QtWidgets.QCheckBox("显示已停用的单位")
        self.show_retired.setChecked(True)
        self.show_retired.toggled.connect(lambda _on: self.load())
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        bar = QtWidgets.QHBoxLayout()
        for key, text, tip, slot in (
            ("add", "新增下级…", "在所选单位下新增一个单位（Insert）", self.add_child),
            ("rename", "改名", "修改所选单位的名称，原名称仍可用于导入和统计（F2）", self.rename_selected),
            ("move", "移动到…", "把所选单位移到另一个上级单位之下", self.move_selected),
            (
                "merge",
                "合并到…",
                "把所选单位并入另一个单位：人员、队伍、活动等一并转过去",
                self.merge_selected,
            ),
            (
                "retire",
                "停用",
                "停用所选单位：保留历史数据，不再出现在选择列表中（Delete）",
                self.toggle_selected,
            ),
            ("up", "上移", "在同级单位中上移（Ctrl+↑）", lambda: self.reorder(-1)),
            ("down", "下移", "在同级单位中下移（Ctrl+↓）", lambda: self.reorder(1)),
        ):
            button = QtWidgets.QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        bar.addStretch(1)
        bar.addWidget(self.show_retired)
        self.details = QtWidgets.QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.error = QtWidgets.QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setVisible(False)
        self.empty = self._root_form()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.empty)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.error)
        layout.addWidget(self.message)
        self.tree.keys = {
            (QtCore.Qt.Key.Key_Insert, False): self.add_child,
            (QtCore.Qt.Key.Key_Delete, False): self.toggle_selected,
            (QtCore.Qt.Key.Key_Up, True): lambda: self.reorder(-1),
            (QtCore.Qt.Key.Key_Down, True): lambda: self.reorder(1),
        }
        ctx.events.changed.connect(self._data_changed)
        self._show_selected()

    def _root_form(self) -> QtWidgets.QWidget:
        """With no unit yet: the bureau's own unit (name and level), as on the first start."""
        box = QtWidgets.QGroupBox("还没有本级单位：请先建立本县（市、区）")
        self.root_name = QtWidgets.QLineEdit()
        self.root_name.setPlaceholderText("如 青山县")
        self.root_kind = QtWidgets.QComboBox()
        self.root_kind.addItems(list(TOP_KINDS))
        create = QtWidgets.QPushButton("建立")
        create.clicked.connect(self.create_root)
        self.root_name.returnPressed.connect(self.create_root)
        row = QtWidgets.QHBoxLayout(box)
        row.addWidget(QtWidgets.QLabel("名称"))
        row.addWidget(self.root_name, 1)
        row.addWidget(QtWidgets.QLabel("级别"))
        row.addWidget(self.root_kind)
        row.addWidget(create)
        box.setVisible(False)
        return box

    # -- data -------------------------------------------------------------------------------------
    def load(self, select: int | None = None) -> None:
        keep = select if select is not None else self.selected_id()
        nodes = self.ctx.services.units.tree(include_inactive=self.show_retired.isChecked())
        self.nodes = {n.id: n for n in nodes}
        self._loading = True
        self.tree.clear()
        items: dict[int, QtWidgets.QTreeWidgetItem] = {}
        for node in nodes:
            parent = items.get(node.parent_id) if node.parent_id is not None else None
            item = QtWidgets.QTreeWidgetItem(
                [node.name, node.kind, node.code, "" if node.active else RETIRED]
            )
            item.setData(0, IdRole, node.id)
            flags = item.flags() | QtCore.Qt.ItemFlag.ItemIsEditable | QtCore.Qt.ItemFlag.ItemIsDropEnabled
            if node.parent_id is not None:
                flags |= QtCore.Qt.ItemFlag.ItemIsDragEnabled
            else:
                flags &= ~QtCore.Qt.ItemFlag.ItemIsDragEnabled
            item.setFlags(flags)
            if not node.active:
                for column in range(4):
                    item.setForeground(column, GREY)
                item.setToolTip(0, "已停用：保留历史数据，不出现在选择列表中；可按 Delete 恢复")
            (parent.addChild(item) if parent is not None else self.tree.addTopLevelItem(item))
            items[node.id] = item
        self.tree.expandAll()
        self._loading = False
        self.empty.setVisible(not nodes)
        self.tree.setVisible(bool(nodes))
        chosen = items.get(keep) if keep is not None else None
        if chosen is None and nodes:
            chosen = items[nodes[0].id]
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self._show_selected()

    def selected_id(self) -> int | None:
        item = self.tree.currentItem()
        return int(item.data(0, IdRole)) if item is not None else None

    def selected(self) -> UnitNode | None:
        unit_id = self.selected_id()
        return self.nodes.get(unit_id) if unit_id is not None else None

    def _data_changed(self, entity: str) -> None:
        if not self.isVisible():
            self._stale = True  # an import of people or activities may have made units: read again when shown
        elif entity == "unit":
            self.load()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", False):
            self._stale = False
            self.load()

    def _show_selected(self) -> None:
        node = self.selected()
        for key in ("rename", "move", "merge", "retire", "up", "down"):
            self.buttons[key].setEnabled(node is not None and (key == "rename" or node.parent_id is not None))
        self.buttons["add"].setEnabled(node is not None and node.active and bool(child_kinds(node.kind)))
        if node is not None and not node.active:
            self.buttons["retire"].setText("恢复")
            self.buttons["retire"].setToolTip("恢复使用所选单位（Delete）")
        else:
            self.buttons["retire"].setText("停用")
        if node is None:
            self.details.setText("")
            return
        info = self.ctx.services.units.details(node.id)
        aliases = "、".join(aliases_of("|".join(info["aliases"])))  # type: ignore[arg-type]
        self.details.setText(
            f"{node.name}（{node.kind}）"
            + (f"；区划代码 {node.code}" if node.code else "")
            + (f"；曾用名：{aliases}（导入和统计时仍按本单位识别）" if aliases else "")
            + ("；已停用" if not node.active else "")
        )

    # -- actions ----------------------------------------------------------------------------------
    def create_root(self) -> None:
        try:
            unit_id = self.ctx.services.units.ensure_root(self.root_name.text(), self.root_kind.currentText())
        except SilverdeskError as exc:
            self._fail(exc)
            return
        self._done(unit_id, f"已建立本级单位“{self.root_name.text().strip()}”。")

    def ask_new_unit(self, parent: UnitNode) -> tuple[str, str, str] | None:
        """(name, kind, code) of a new unit under ``parent``; ``None``: cancelled."""
        dialog = NewUnitDialog(parent.name, child_kinds(parent.kind), self)
        try:
            return dialog.values() if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def add_child(self) -> None:
        parent = self.selected()
        if parent is None or not parent.active or not child_kinds(parent.kind):
            if parent is not None:
                self._fail_text(f"“{parent.name}”{'已停用' if not parent.active else '之下不能再建单位'}")
            return
        answer = self.ask_new_unit(parent)
        if answer is None or not answer[0]:
            return
        name, kind, code = answer
        try:
            unit_id = self.ctx.services.units.add_child(parent.id, name, kind, code)
        except SilverdeskError as exc:
            self._fail(exc)
            return
        self._done(unit_id, f"已在“{parent.name}”下新增“{name}”。")

    def rename_selected(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.tree.editItem(item, 0)

    def _edited(self, item: QtWidgets.QTreeWidgetItem, column: int) -> None:
        if self._loading or column != 0:
            return
        unit_id = int(item.data(0, IdRole))
        old = self.nodes[unit_id].name
        new = item.text(0).strip()
        if not new or new == old:
            self._set_text(item, old)
            return
        units = self.ctx.services.units
        try:
            units.rename(unit_id, new)
        except SilverdeskError as exc:
            self._set_text(item, old)
            self._fail(exc)
            return
        self.ctx.undo.push(
            UnitCommand(
                f"单位改名“{old}”",
                lambda: units.rename(unit_id, new),
                lambda: units.rename(unit_id, old),
                self.ctx.events,
            )
        )
        self._done(unit_id, f"已把“{old}”改名为“{new}”，原名称仍可用于导入和统计。可按 Ctrl+Z 撤回。")

    def _set_text(self, item: QtWidgets.QTreeWidgetItem, text: str) -> None:
        self._loading = True
        item.setText(0, text)
        self._loading = False

    def _offered(self, fits: Callable[[UnitNode], bool]) -> list[UnitNode]:
        nodes = self.ctx.services.units.tree(include_inactive=True)
        return [n for n in nodes if n.active and fits(n)] + [n for n in nodes if not n.active]

    def _subtree(self, unit_id: int) -> set[int]:
        ids = {unit_id}
        for node in self.ctx.services.units.tree(include_inactive=True):  # parents before children
            if node.parent_id in ids:
                ids.add(node.id)
        return ids

    def move_selected(self) -> None:
        node = self.selected()
        if node is None or node.parent_id is None:
            return
        inside = self._subtree(node.id)
        offered = self._offered(lambda n: n.id not in inside and node.kind in child_kinds(n.kind))
        dialog = PickUnitDialog(
            "移动到…",
            f"把“{node.name}”（{node.kind}）移到哪个单位之下？只列出可以作为它上级的单位。",
            offered,
            self,
        )
        try:
            target = dialog.value() if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
        if target is not None:
            self._move(node.id, target)

    def _move(self, unit_id: int, parent_id: int) -> None:
        node, parent = self.nodes.get(unit_id), self.nodes.get(parent_id)
        if node is None or parent is None or node.parent_id == parent_id:
            return
        try:
            self.ctx.services.units.move(unit_id, parent_id)
        except SilverdeskError as exc:
            self._fail(exc)
            return
        self._done(unit_id, f"已把“{node.name}”移到“{parent.name}”之下。")

    def merge_selected(self) -> None:
        node = self.selected()
        if node is None or node.parent_id is None:
            return
        inside = self._subtree(node.id)
        offered = self._offered(lambda n: n.id not in inside and n.parent_id is not None)
        dialog = PickUnitDialog(
            "合并到…",
            f"把“{node.name}”并入哪个单位？它的人员、服务队、党组织、阵地、活动、资源与需求、报送的报表和导入批次"
            f"都转到所选单位，“{node.name}”停用，其名称作为所选单位的曾用名。",
            offered,
            self,
        )
        try:
            kept = dialog.value() if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
        if kept is None:
            return
        kept_name = next((n.name for n in offered if n.id == kept), "")
        if not self.ctx.confirm(
            self,
            "合并单位",
            f"把“{node.name}”并入“{kept_name}”？\n\n合并不能撤销；合并前会自动备份数据库。",
        ):
            return
        services = self.ctx.services
        try:
            services.backups.backup_before("merge")
            result = services.units.merge(node.id, kept)
        except SilverdeskError as exc:
            self._fail(exc)
            return
        self._done(kept, f"已合并：{result.summary()}。")

    def toggle_selected(self) -> None:
        node = self.selected()
        if node is None or node.parent_id is None:
            return
        units = self.ctx.services.units
        if node.active:
            if not self.ctx.confirm(
                self,
                "停用单位",
                f"停用“{node.name}”？\n\n停用后它不再出现在选择列表中；已有的人员、活动等记录和以往的统计数字不变，"
                "以后可以随时恢复。",
            ):
                return
            redo: Callable[[], object] = lambda: units.retire(node.id)  # noqa: E731
            undo: Callable[[], object] = lambda: units.reactivate(node.id)  # noqa: E731
            text, done = f"停用单位“{node.name}”", f"已停用“{node.name}”。可按 Ctrl+Z 撤回。"
        else:
            redo, undo = (lambda: units.reactivate(node.id)), (lambda: units.retire(node.id))
            text, done = f"恢复单位“{node.name}”", f"已恢复“{node.name}”。"
        try:
            redo()
        except SilverdeskError as exc:
            self._fail(exc)
            return
        self.ctx.undo.push(UnitCommand(text, redo, undo, self.ctx.events))
        self._done(node.id, done)

    def reorder(self, step: int) -> None:
        node = self.selected()
        if node is None or node.parent_id is None:
            return
        try:
            moved = self.ctx.services.units.reorder(node.id, step)
        except SilverdeskError as exc:
            self._fail(exc)
            return
        if moved:
            self._done(node.id, f"已{'上移' if step < 0 else '下移'}“{node.name}”。")

    # -- feedback ---------------------------------------------------------------------------------
    def _done(self, unit_id: int, text: str) -> None:
        self.error.setVisible(False)
        self.message.setText(text)
        self.load(select=unit_id)
        self.tree.setFocus()
        self.ctx.events.changed.emit("unit")

    def _fail(self, exc: SilverdeskError) -> None:
        self._fail_text(exc.message)

    def _fail_text(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
