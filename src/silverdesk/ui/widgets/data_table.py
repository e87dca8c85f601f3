"""The list widget of every screen: remembered columns, copy as tab-separated text, Enter opens."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.ui.models.columns import Column, format_value
from silverdesk.ui.settings import UiState


def rows_as_tsv(columns: list[Column], records: list[Any]) -> str:
    """Records as Excel-style tab-separated text with a title row; cells with tabs or breaks are quoted."""

    def cell(value: object) -> str:
        text = format_value(value)
        if any(ch in text for ch in '\t\n\r"'):
            text = '"' + text.replace('"', '""') + '"'
        return text

    def get(record: Any, key: str) -> object:
        return record.get(key) if isinstance(record, dict) else getattr(record, key, None)

    lines = ["\t".join(c.title for c in columns)]
    lines += ["\t".join(cell(get(r, c.key)) for c in columns) for r in records if r is not None]
    return "\r\n".join(lines) + "\r\n"


T = TypeVar("T")


def read_only_table(headers: Sequence[str]) -> QtWidgets.QTableWidget:
    """A small list filled row by row (backups, audit entries): whole rows selected one at a time, no editing."""
    table = QtWidgets.QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


def selected_item(table: QtWidgets.QAbstractItemView, items: Sequence[T]) -> T | None:
    """The item of ``items`` in the table's first selected row (a table filled row by row from ``items``)."""
    rows = table.selectionModel().selectedRows()
    if not rows or not 0 <= rows[0].row() < len(items):
        return None
    return items[rows[0].row()]


class DataTable(QtWidgets.QTableView):
    """A read-only table view over an ``IdTableModel`` or ``RecordTableModel``.

    Signals:
        recordActivated(int): a row was double-clicked or Enter was pressed on it (the record id).
        copied(int): rows were copied to the clipboard (how many).
    """

    recordActivated = QtCore.Signal(int)
    copied = QtCore.Signal(int)

    def __init__(self, name: str, state: UiState, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.state = state
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table, as in a form
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(False)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.sectionResized.connect(self._remember_widths)
        header.setToolTip("点击列标题排序；右键选择显示哪些列")
        self.doubleClicked.connect(self._activated)
        copy = QtGui.QAction("复制选中行", self)
        copy.setShortcut(QtGui.QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.addAction(copy)
        self._restoring = False

    @property
    def columns(self) -> list[Column]:
        return list(getattr(self.model(), "columns", []))

    def setModel(self, model: QtCore.QAbstractItemModel | None) -> None:
        super().setModel(model)
        self._restoring = True
        metrics = self.fontMetrics()
        char = metrics.horizontalAdvance("汉")
        widths = self.state.column_widths(self.name)
        hidden = self.state.hidden_columns(self.name, tuple(c.key for c in self.columns if c.hidden))
        for i, column in enumerate(self.columns):
            self.setColumnWidth(i, widths.get(column.key) or column.width * char + 16)
            self.setColumnHidden(i, column.key in hidden)
        self._restoring = False

    def enable_sorting(
        self, column: int = 0, order: QtCore.Qt.SortOrder = QtCore.Qt.SortOrder.AscendingOrder
    ) -> None:
        """Sort by header clicks, starting with ``column`` / ``order``.

        The indicator is set first: enabling sorting sorts at once by the indicator, whose
        default order is descending.
        """
        self.horizontalHeader().setSortIndicator(column, order)
        self.setSortingEnabled(True)

    def visible_columns(self) -> list[Column]:
        return [c for i, c in enumerate(self.columns) if not self.isColumnHidden(i)]

    def selected_rows(self) -> list[int]:
        model = self.selectionModel()
        return sorted({i.row() for i in model.selectedRows()}) if model is not None else []

    def current_id(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid():
            rows = self.selected_rows()
            if not rows:
                return None
            return self.model().id_at(rows[0])  # type: ignore[attr-defined]
        return self.model().id_at(index.row())  # type: ignore[attr-defined]

    def select_id(self, record_id: int) -> None:
        row = self.model().row_of(record_id)  # type: ignore[attr-defined]
        if row >= 0:
            self.selectRow(row)
            self.scrollTo(self.model().index(row, 0))

    def copy_selection(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        records = self.model().records(rows)  # type: ignore[attr-defined]
        QtGui.QGuiApplication.clipboard().setText(rows_as_tsv(self.visible_columns(), records))
        self.copied.emit(len(rows))

    # --- private -------------------------------------------------------------------------------
    def _activated(self, index: QtCore.QModelIndex) -> None:
        if index.isValid():
            self.recordActivated.emit(self.model().id_at(index.row()))  # type: ignore[attr-defined]

    def _column_menu(self, pos: QtCore.QPoint) -> None:
        menu = QtWidgets.QMenu(self)
        for i, column in enumerate(self.columns):
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(i))
            action.toggled.connect(lambda on, i=i: self._toggle_column(i, on))
        menu.exec(self.horizontalHeader().mapToGlobal(pos))

    def _toggle_column(self, section: int, shown: bool) -> None:
        if not shown and len(self.visible_columns()) <= 1:
            return  # keep at least one column
        self.setColumnHidden(section, not shown)
        self.state.set_hidden_columns(
            self.name, {c.key for i, c in enumerate(self.columns) if self.isColumnHidden(i)}
        )

    def _remember_widths(self, section: int, _old: int, new: int) -> None:
        if self._restoring or new == 0 or not 0 <= section < len(self.columns):
            return
        widths = self.state.column_widths(self.name)
        widths[self.columns[section].key] = new
        self.state.set_column_widths(self.name, widths)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if (
            event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter)
            and self.currentIndex().isValid()
        ):
            self._activated(self.currentIndex())
            return
        super().keyPressEvent(event)
