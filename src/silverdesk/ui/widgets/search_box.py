"""The search field of a list: it asks for a search once typing pauses, so each keystroke does not."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

PAUSE_MS = 150
"""Typing paused this long asks for a search (a clerk types a name in well under that per character)."""


class SearchBox(QtWidgets.QLineEdit):
    """Signals:
    searchRequested(): the text changed and typing has paused.

    Enter is left to the owner (``returnPressed``), which usually searches at once and calls
    :meth:`cancel_pending`, as every reload does.
    """

    searchRequested = QtCore.Signal()

    def __init__(
        self, placeholder: str = "", pause_ms: int = PAUSE_MS, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self.setPlaceholderText(placeholder)
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(pause_ms)
        self._timer.timeout.connect(self.searchRequested)
        self.textChanged.connect(lambda _t: self._timer.start())

    def cancel_pending(self) -> None:
        """Forget a search asked for by typing (the caller is searching now)."""
        self._timer.stop()
