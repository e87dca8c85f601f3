"""Form layout with a message line under each field: validation says what to fix, where to fix it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from PySide6 import QtCore, QtWidgets

from silverdesk.errors import FieldError

ERROR_STYLE = "color: #b3261e;"


class FieldForm(QtWidgets.QWidget):
    """A two-column form (label | editor) with an error label under every editor.

    Fields are registered with :meth:`add`; :meth:`show_errors` puts each message under its
    field and focuses the first field in error, :meth:`clear_errors` hides them again.  The
    typed values are never touched, so a refused save loses nothing.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QtWidgets.QGridLayout(self)
        self.grid.setColumnStretch(1, 1)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(2)
        self.editors: dict[str, QtWidgets.QWidget] = {}
        self.errors: dict[str, QtWidgets.QLabel] = {}
        self._order: list[str] = []
        self._row = 0

    def add(
        self, key: str, label: str, editor: QtWidgets.QWidget, *, tip: str = "", required: bool = False
    ) -> QtWidgets.QWidget:
        text = f"{label}{'＊' if required else ''}"
        caption = QtWidgets.QLabel(text)
        caption.setBuddy(editor)
        caption.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        if required:
            caption.setToolTip("必填")
        if tip:
            editor.setToolTip(tip)
        error = QtWidgets.QLabel()
        error.setObjectName(f"error_{key}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setVisible(False)
        self.grid.addWidget(caption, self._row, 0)
        self.grid.addWidget(editor, self._row, 1)
        self.grid.addWidget(error, self._row + 1, 1)
        self.grid.setRowStretch(self._row + 1, 0)
        self._row += 2
        self.grid.setRowStretch(self._row, 1)  # spare height goes below the last field, not between rows
        self.editors[key] = editor
        self.errors[key] = error
        self._order.append(key)
        return editor

    def add_row(self, widget: QtWidgets.QWidget) -> None:
        """A full-width row (a note, a sub-table)."""
        self.grid.setRowStretch(self._row, 0)
        self.grid.addWidget(widget, self._row, 0, 1, 2)
        self._row += 1
        self.grid.setRowStretch(self._row, 1)

    def error_text(self, key: str) -> str:
        label = self.errors.get(key)
        return label.text() if label is not None and not label.isHidden() else ""

    def show_errors(self, errors: Iterable[FieldError], fallback: str = "") -> list[str]:
        """Show each message under its field; messages for fields not on the form are returned."""
        self.clear_errors()
        unplaced: list[str] = []
        first: str | None = None
        for error in errors:
            key = error.field if error.field in self.errors else fallback
            label = self.errors.get(key)
            if label is None:
                unplaced.append(error.message)
                continue
            label.setText((label.text() + "\n" if not label.isHidden() else "") + error.message)
            label.setVisible(True)
            if first is None or self._order.index(key) < self._order.index(first):
                first = key
        if first is not None:
            self.editors[first].setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        self._grow_window()
        return unplaced

    def _grow_window(self) -> None:
        """Make the dialog tall enough for the messages, so none is squeezed or clipped."""
        window = self.window()
        if window is self or window.layout() is None:
            return
        window.layout().activate()
        needed = window.sizeHint().height()
        if window.height() < needed:
            window.resize(window.width(), needed)

    def set_error(self, key: str, message: str) -> None:
        """Show one field's message (while typing) without touching the others."""
        label = self.errors[key]
        label.setText(message)
        label.setVisible(bool(message))

    def clear_errors(self, key: str | None = None) -> None:
        for k, label in self.errors.items():
            if key is None or k == key:
                label.clear()
                label.setVisible(False)


_NOT_AN_EDITOR = object()


def editor_value(editor: QtWidgets.QWidget) -> object:
    """What the clerk entered, raw, for the service to clean (``_NOT_AN_EDITOR`` for other widgets)."""
    if hasattr(editor, "value") and hasattr(editor, "set_value"):  # IdCombo, UnitCombo, ChoiceCombo …
        return editor.value()
    if isinstance(editor, QtWidgets.QComboBox):
        return editor.currentText()
    if isinstance(editor, QtWidgets.QLineEdit):
        return editor.text()
    if isinstance(editor, QtWidgets.QPlainTextEdit):
        return editor.toPlainText()
    return _NOT_AN_EDITOR


def editor_values(edits: dict[str, QtWidgets.QWidget]) -> dict[str, object]:
    """``editor_value`` of every editor of a form, keyed like the service's fields."""
    return {
        key: value for key, editor in edits.items() if (value := editor_value(editor)) is not _NOT_AN_EDITOR
    }


def display_text(value: object) -> str:
    """A stored value as a line edit shows it: dates ISO, 2.0 as "2", lists joined with 、, None empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(map(str, value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def fill_editors(edits: dict[str, QtWidgets.QWidget], data: dict[str, object]) -> None:
    """Put stored values into a form's editors (the inverse of :func:`editor_values`)."""
    for key, editor in edits.items():
        value = data.get(key)
        if hasattr(editor, "value") and hasattr(editor, "set_value"):
            editor.set_value(value)
        elif isinstance(editor, QtWidgets.QComboBox):
            editor.setCurrentText(display_text(value))
        elif isinstance(editor, QtWidgets.QLineEdit):
            editor.setText(display_text(value))
        elif isinstance(editor, QtWidgets.QPlainTextEdit):
            editor.setPlainText(display_text(value))
