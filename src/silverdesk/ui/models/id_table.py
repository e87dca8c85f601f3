"""A big table that holds only ids and fetches rows in pages (Anki's browser model).

``fetch_ids(sort, descending)`` returns every matching id, sorted by the database; rows are
fetched ``PAGE`` at a time with ``fetch_rows(ids)`` when the view asks for them and kept in a
small least-recently-used cache.  100,000 people cost one list of ints, never 100,000 objects;
sorting is a new id list from SQL (shared/BASELINES.md: a sort proxy took 13 s).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6 import QtCore

from silverdesk.ui.models.columns import Column

PAGE = 200
MAX_PAGES = 40

IdRole = QtCore.Qt.ItemDataRole.UserRole + 1

FetchIds = Callable[[str, bool], list[int]]
FetchRows = Callable[[Sequence[int]], Sequence[Any]]


class IdTableModel(QtCore.QAbstractTableModel):
    """Signals:
    idsLoaded(int): the id list was replaced; the argument is the new row count.
    sortRequested(): a header click chose a new ``sort_key`` / ``descending``; the owner
        fetches the ids in that order and calls :meth:`set_ids`.
    """

    idsLoaded = QtCore.Signal(int)
    sortRequested = QtCore.Signal()

    def __init__(
        self,
        columns: Sequence[Column],
        fetch_rows: FetchRows,
        default_sort: str,
        default_descending: bool = False,
        parent: QtCore.QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._fetch_rows = fetch_rows
        self._ids: list[int] = []
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()
        self.sort_key = default_sort
        self.descending = default_descending

    # --- loading -----------------------------------------------------------------------------------
    def set_ids(self, ids: list[int]) -> None:
        """Replace the id list (already sorted by ``sort_key`` / ``descending``)."""
        self.beginResetModel()
        self._ids = list(ids)
        self._pages.clear()
        self.endResetModel()
        self.idsLoaded.emit(len(self._ids))

    def invalidate_rows(self) -> None:
        """Forget cached rows (after an edit) and repaint, keeping the ids and the selection."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))

    def ids(self) -> list[int]:
        return list(self._ids)

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, record_id: int) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def record(self, row: int) -> Any:
        """The row object at ``row`` (fetched with its page if needed)."""
        page = row // PAGE
        rows = self._pages.get(page)
        if rows is None:
            rows = self._load_page(page)
        else:
            self._pages.move_to_end(page)
        return rows[row - page * PAGE]

    def records(self, rows: Sequence[int]) -> list[Any]:
        return [self.record(r) for r in rows]

    def column_keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def _load_page(self, page: int) -> list[Any]:
        ids = self._ids[page * PAGE : (page + 1) * PAGE]
        found = {getattr(r, "id", None): r for r in self._fetch_rows(ids)}
        rows = [found.get(i) for i in ids]
        self._pages[page] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return rows

    # --- Qt overrides ------------------------------------------------------------------------------
    def rowCount(
        self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = QtCore.QModelIndex()
    ) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(
        self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = QtCore.QModelIndex()
    ) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = QtCore.Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column = self.columns[index.column()]
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            record = self.record(index.row())
            return "" if record is None else column.text(getattr(record, column.key, None))
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole:
            return int(column.alignment.value)
        if role == IdRole:
            return self._ids[index.row()]
        return None

    def headerData(
        self, section: int, orientation: QtCore.Qt.Orientation, role: int = QtCore.Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != QtCore.Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == QtCore.Qt.ItemDataRole.ToolTipRole:
            return f"{column.title}：点击列标题排序" if column.sort else column.title
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole:
            return int(column.alignment.value)
        return None

    def sort(self, column: int, order: QtCore.Qt.SortOrder = QtCore.Qt.SortOrder.AscendingOrder) -> None:
        """Ask for a new order; the owner (the view) fetches the ids (see ``sortRequested``)."""
        if not 0 <= column < len(self.columns) or self.columns[column].sort is None:
            return
        self.sort_key = self.columns[column].sort or self.sort_key
        self.descending = order == QtCore.Qt.SortOrder.DescendingOrder
        self.sortRequested.emit()
