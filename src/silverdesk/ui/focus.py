"""Where the keyboard goes when a screen (or a tab of one) is switched to.

Ctrl+1 … Ctrl+9 leave the navigation: the arrow keys must then move in the screen's list, not
switch screens.  A screen may say what its main widget is (``focus_main()``); otherwise it is the
first list shown in it (a :class:`~silverdesk.ui.widgets.data_table.DataTable`), else the first
field Tab would reach (tab bars, which only switch pages, passed over).
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from silverdesk.ui.widgets.data_table import DataTable

REASON = QtCore.Qt.FocusReason.ShortcutFocusReason


def _takes_tab(widget: QtWidgets.QWidget, within: QtWidgets.QWidget) -> bool:
    return (
        within.isAncestorOf(widget)
        and widget.isVisibleTo(within)
        and widget.isEnabled()
        and bool(widget.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus)
        and not isinstance(widget, QtWidgets.QTabBar | QtWidgets.QTabWidget)
    )


def focus_main(screen: QtWidgets.QWidget) -> None:
    """Give the keyboard to ``screen``'s main widget (see the module docstring)."""
    chosen = getattr(screen, "focus_main", None)
    if callable(chosen):
        chosen()
        return
    table = next((t for t in screen.findChildren(DataTable) if _takes_tab(t, screen)), None)
    if table is not None:
        table.setFocus(REASON)
        return
    widget = screen.nextInFocusChain()
    while widget is not screen and widget is not None:
        if _takes_tab(widget, screen):
            widget.setFocus(REASON)
            return
        widget = widget.nextInFocusChain()
