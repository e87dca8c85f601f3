"""A members table (person, role) edited with the people search: used by teams and party orgs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.services.people.roster import PeopleService
from silverdesk.ui.widgets.person_search import PersonSearch


class MembersEditor(QtWidgets.QWidget):
    """Add people by search, set each one's role, remove with Delete."""

    def __init__(
        self,
        people: PeopleService,
        roles: Sequence[str],
        default_role: str,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.roles, self.default_role = list(roles), default_role
        self.search = PersonSearch(people)
        self.search.setPlaceholderText("加入成员：输入姓名或拼音首字母，Enter 加入")
        self.search.personChosen.connect(lambda pid, name: self.add(pid, name, self.default_role))
        self.table = QtWidgets.QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["姓名", "职务"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        char = self.fontMetrics().horizontalAdvance("汉")
        self.table.setColumnWidth(0, char * 7)
        self.table.horizontalHeader().setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.setMinimumWidth(char * 20)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setToolTip("选中成员后按 Delete 移出")
        remove = QtGui.QAction("移出", self.table)
        remove.setShortcut(QtGui.QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_selected)
        self.table.addAction(remove)
        self.count = QtWidgets.QLabel()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self._update_count()

    def add(self, person_id: int, name: str, role: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(QtCore.Qt.ItemDataRole.UserRole) == person_id:
                return
        row = self.table.rowCount()
        self.table.insertRow(row)
        item = QtWidgets.QTableWidgetItem(name)
        item.setData(QtCore.Qt.ItemDataRole.UserRole, person_id)
        self.table.setItem(row, 0, item)
        combo = QtWidgets.QComboBox()
        combo.addItems(self.roles)
        combo.setCurrentText(role if role in self.roles else self.default_role)
        self.table.setCellWidget(row, 1, combo)
        self._update_count()

    def set_members(self, members: Sequence[tuple[int, str, str]]) -> None:
        self.table.setRowCount(0)
        for person_id, name, role in members:
            self.add(person_id, name, role)

    def members(self) -> list[tuple[int, str]]:
        out = []
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, 1)
            assert isinstance(combo, QtWidgets.QComboBox)
            out.append(
                (int(self.table.item(row, 0).data(QtCore.Qt.ItemDataRole.UserRole)), combo.currentText())
            )
        return out

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(f"共 {self.table.rowCount()} 人")
