"""Combo boxes for units (a tree) and for configurable lists, typed into with completion."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6 import QtCore, QtWidgets

from silverdesk.services.org.lookups import LookupItem
from silverdesk.services.org.units import UnitNode
from silverdesk.ui.widgets.completion import accept_on_tab, fit_popup

INDENT = "\u3000"  # an ideographic space per level of the unit tree


def _shrinkable(combo: QtWidgets.QComboBox) -> None:
    """Let a combo be narrower than its longest item (long unit names would widen whole filter bars)."""
    combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(5)


class IdCombo(QtWidgets.QComboBox):
    """An editable combo whose items carry ids; typing filters by any part of the name, Tab takes the
    highlighted or the only suggestion; the lists are as wide as their longest item.

    Signals:
        idChanged(object): the chosen id (or ``None``) changed.
    """

    idChanged = QtCore.Signal(object)

    def __init__(self, blank: str = "", parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.blank = blank
        _shrinkable(self)
        self.setEditable(True)
        self.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        completer = self.completer()
        completer.setFilterMode(QtCore.Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QtWidgets.QCompleter.CompletionMode.PopupCompletion)
        accept_on_tab(completer)
        self.currentIndexChanged.connect(lambda _i: self.idChanged.emit(self.value()))
        self.lineEdit().editingFinished.connect(self._snap)

    def set_items(self, items: Sequence[tuple[int, str, str]]) -> None:
        """``items``: (id, shown text, tooltip)."""
        keep = self.value()
        self.blockSignals(True)
        self.clear()
        if self.blank:
            self.addItem(self.blank, None)
        for item_id, text, tip in items:
            self.addItem(text, item_id)
            if tip:
                self.setItemData(self.count() - 1, tip, QtCore.Qt.ItemDataRole.ToolTipRole)
        texts = [self.itemText(i) for i in range(self.count())]
        fit_popup(self.completer(), texts)
        fit_popup(self.completer(), texts, view=self.view())
        self.blockSignals(False)
        self.set_value(keep)

    def value(self) -> int | None:
        """The chosen id, ``None`` for the blank item or text that names no item."""
        text = self.currentText().strip(INDENT + " ")
        if not text or text == self.blank:
            return None
        index = self.currentIndex()
        if index >= 0 and self.itemText(index).strip(INDENT + " ") == text:
            return self.itemData(index)  # type: ignore[no-any-return]
        for i in range(self.count()):
            if self.itemText(i).strip(INDENT + " ") == text:
                return self.itemData(i)  # type: ignore[no-any-return]
        return None

    def has_unknown_text(self) -> bool:
        text = self.currentText().strip(INDENT + " ")
        return bool(text) and text != self.blank.strip() and self.value() is None

    def set_value(self, item_id: int | None) -> None:
        index = self.findData(item_id) if item_id is not None else (0 if self.blank else -1)
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")

    def _snap(self) -> None:
        """After typing, select the item named by the text so ``currentIndex`` agrees."""
        text = self.currentText().strip(INDENT + " ")
        for i in range(self.count()):
            if self.itemText(i).strip(INDENT + " ") == text and i != self.currentIndex():
                self.setCurrentIndex(i)
                return


class UnitCombo(IdCombo):
    """Units as an indented tree.  停用 units (given with ``tree(include_inactive=True)``) are not offered,
    but a record that already names one shows it, marked （已停用）, so saving the form keeps it."""

    def set_units(self, nodes: Sequence[UnitNode], kinds: tuple[str, ...] = ()) -> None:
        paths: dict[int, str] = {}
        items = []
        self._retired: dict[int, tuple[str, str]] = {}
        for node in nodes:
            paths[node.id] = (paths[node.parent_id] + " / " if node.parent_id in paths else "") + node.name
            if kinds and node.kind not in kinds:
                continue
            tip = f"{paths[node.id]}（{node.kind}）"
            if node.active:
                items.append((node.id, INDENT * node.depth + node.name, tip))
            else:
                self._retired[node.id] = (f"{node.name}（已停用）", f"{tip}，已停用")
        self.set_items(items)

    def set_value(self, item_id: int | None) -> None:
        retired = getattr(self, "_retired", {})
        if item_id is not None and item_id in retired and self.findData(item_id) < 0:
            text, tip = retired[item_id]
            self.addItem(text, item_id)
            self.setItemData(self.count() - 1, tip, QtCore.Qt.ItemDataRole.ToolTipRole)
        super().set_value(item_id)


class LookupCombo(IdCombo):
    def set_lookups(self, items: Sequence[LookupItem]) -> None:
        self.set_items([(i.id, i.name, "、".join(i.aliases)) for i in items])


class ChoiceCombo(QtWidgets.QComboBox):
    """A fixed list of text choices, with an optional blank first item."""

    def __init__(
        self, choices: Sequence[str], blank: str | None = "", parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.blank = blank
        _shrinkable(self)
        if blank is not None:
            self.addItem(blank, None)
        for choice in choices:
            self.addItem(choice, choice)

    def value(self) -> str | None:
        return self.currentData()  # type: ignore[no-any-return]

    def set_value(self, value: str | None) -> None:
        index = self.findData(value) if value else (0 if self.blank is not None else -1)
        self.setCurrentIndex(max(index, 0))
