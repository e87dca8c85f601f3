"""Completion pop-ups that can be read and chosen from with the keyboard alone.

* :func:`fit_popup`: a pop-up at least as wide as its longest entry, so "城关街道法律服务志愿服务队3"
  and "…服务队4" can be told apart however narrow the field is;
* :func:`accept_on_tab`: Tab takes the entry picked with the arrow keys, or the only one offered,
  before moving on (Qt's own completer lets Tab leave the typed fragment behind);
* :func:`word_completer`: a line edit completed from a list of words (any part of a word matches).

Tab takes a suggestion in fields whose value is one of the list's (a team, a category) or usually is
(a place); a free text such as an activity's title is left as typed (Escape closes the list either way).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6 import QtCore, QtGui, QtWidgets

POPUP_ROWS = 12


def fit_popup(
    completer: QtWidgets.QCompleter, texts: Iterable[str], *, view: QtWidgets.QAbstractItemView | None = None
) -> None:
    """Make the completer's pop-up (or ``view``, a combo box's list) at least as wide as the longest of ``texts``."""
    popup = view or completer.popup()
    metrics = popup.fontMetrics()
    widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
    if not widest:
        popup.setMinimumWidth(0)
        return
    frame = popup.frameWidth() * 2 + popup.style().pixelMetric(
        QtWidgets.QStyle.PixelMetric.PM_ScrollBarExtent
    )
    popup.setMinimumWidth(
        widest + frame + metrics.horizontalAdvance("汉") * 2
    )  # item margins and a little air


class _TabAccepts(QtCore.QObject):
    """Event filter on a completer's pop-up: Tab completes from the highlighted or the only entry."""

    def __init__(self, completer: QtWidgets.QCompleter) -> None:
        super().__init__(completer)
        self.completer = completer

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if (
            event.type() == QtCore.QEvent.Type.KeyPress
            and isinstance(event, QtGui.QKeyEvent)
            and event.key() == QtCore.Qt.Key.Key_Tab
            and not event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier
        ):
            self._take()
        return False  # the completer goes on as usual: Tab moves to the next field

    def _take(self) -> None:
        completer = self.completer
        popup = completer.popup()
        if not popup.isVisible():
            return
        index = popup.currentIndex()
        if not index.isValid():
            if completer.completionCount() != 1:
                return
            index = completer.completionModel().index(0, completer.completionColumn())
        text = str(index.data(completer.completionRole()) or "")
        widget = completer.widget()  # an editable combo box is its completer's widget itself
        if isinstance(widget, QtWidgets.QComboBox):
            found = widget.findText(text, QtCore.Qt.MatchFlag.MatchExactly)
            if found >= 0:
                widget.setCurrentIndex(found)
            widget.setEditText(text)
        elif isinstance(widget, QtWidgets.QLineEdit):
            widget.setText(text)
        popup.hide()


def accept_on_tab(completer: QtWidgets.QCompleter) -> None:
    """Tab in ``completer``'s pop-up takes the highlighted entry, or the only one offered, then moves on."""
    completer.popup().installEventFilter(_TabAccepts(completer))


def word_completer(
    edit: QtWidgets.QLineEdit, words: Sequence[str], *, tab_accepts: bool = True
) -> QtWidgets.QCompleter:
    """Complete ``edit`` from ``words`` (in their order; any part of a word matches, any case);
    ``tab_accepts``: see :func:`accept_on_tab`."""
    completer = QtWidgets.QCompleter(list(words), edit)
    completer.setFilterMode(QtCore.Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)
    completer.setMaxVisibleItems(POPUP_ROWS)
    edit.setCompleter(completer)
    fit_popup(completer, words)
    if tab_accepts:
        accept_on_tab(completer)
    return completer
