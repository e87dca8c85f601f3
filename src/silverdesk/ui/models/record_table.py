"""A small table of records held in memory (teams, party orgs, resources, members …), sorted in Python.

Small means hundreds of rows: sorting the list and resetting is instant, with no proxy model.
Rows are mappings or objects with attributes named like the columns' keys.  Text sorts as a
Chinese phone book sorts it (pinyin, tones, code points: ``domain.pinyin``), blanks last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6 import QtCore

from silverdesk.domain.pinyin import collation_key, name_sort_key
from silverdesk.ui.models.columns import Column
from silverdesk.ui.models.id_table import IdRole


def _get(row: Any, key: str) -> Any:
    return row.get(key) if isinstance(row, Mapping) else getattr(row, key, None)


class RecordTableModel(QtCore.QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        self._sort: tuple[int, bool] | None = None

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def record(self, row: int) -> Any:
        return self._rows[row]

    def records(self, rows: Sequence[int]) -> list[Any]:
        return [self._rows[r] for r in rows]

    def id_at(self, row: int) -> int:
        return int(_get(self._rows[row], "id"))

    def row_of(self, record_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if _get(r, "id") == record_id), -1)

    def column_keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def _sort_rows(self, column: int, descending: bool) -> None:
        key = self.columns[column].key
        collate = name_sort_key if self.columns[column].person_name else collation_key

        def sort_key(row: Any) -> tuple[int, Any]:
            value = _get(row, key)
            if value is None or value == "":
                return 1, ""
            return 0, collate(value) if isinstance(value, str) else value

        self._rows.sort(key=sort_key, reverse=descending)

    # --- Qt overrides ------------------------------------------------------------------------------
    def rowCount(
        self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = QtCore.QModelIndex()
    ) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(
        self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = QtCore.QModelIndex()
    ) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = QtCore.Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = self.columns[index.column()]
        row = self._rows[index.row()]
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return column.text(_get(row, column.key))
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole:
            return int(column.alignment.value)
        if role == IdRole:
            return _get(row, "id")
        return None

    def headerData(
        self, section: int, orientation: QtCore.Qt.Orientation, role: int = QtCore.Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != QtCore.Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole:
            return int(self.columns[section].alignment.value)
        return None

    def sort(self, column: int, order: QtCore.Qt.SortOrder = QtCore.Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.beginResetModel()
        self._sort = (column, order == QtCore.Qt.SortOrder.DescendingOrder)
        self._sort_rows(*self._sort)
        self.endResetModel()
