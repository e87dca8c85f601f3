"""No key does two things at once: Qt fires neither of two shortcuts that are active together
(an "ambiguous shortcut"), so a clash means the key silently does nothing for the clerk.

The walk shows every screen of the main window and every tab inside it, and lists the shortcuts
Qt would consider there — the menus' actions, actions added to widgets, QShortcut objects and
buttons' own shortcuts — by the rules of Qt's shortcut map (enabled, visible, context).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from silverdesk.ui.main_window import SCREENS, MainWindow

# The walks below look at which keys are bound where, not at what the jobs they start return: the
# synchronous runner keeps every screen's data loaded while walking (the keys' effects on the real
# runner are checked by the tests further down and by the long-job tests).
from silverdesk.ui.statistics.signatories import ASKED_KEY
from silverdesk.ui.tasks import SyncTaskRunner

WIDE = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


@dataclass(frozen=True)
class Binding:
    key: str
    what: str
    context: Qt.ShortcutContext
    owner: QtWidgets.QWidget


def _shown(widget: QtWidgets.QWidget) -> bool:
    """As Qt's shortcut map asks: visible and enabled (a menu counts when its menu bar entry does)."""
    if isinstance(widget, QtWidgets.QMenu):
        return any(
            _shown(w) for w in widget.menuAction().associatedObjects() if isinstance(w, QtWidgets.QWidget)
        )
    return widget.isVisible() and widget.isEnabled()


def _name(item: QtCore.QObject, owner: QtWidgets.QWidget) -> str:
    text = item.text() if isinstance(item, QtGui.QAction) else ""
    return f"{type(item).__name__}“{text}” on {type(owner).__name__}"


def active_bindings(window: QtWidgets.QMainWindow) -> list[Binding]:
    found: list[Binding] = []
    for action in window.findChildren(QtGui.QAction):
        if not shiboken6.isValid(action) or not (action.isEnabled() and action.isVisible()):
            continue
        owners = [w for w in action.associatedObjects() if isinstance(w, QtWidgets.QWidget) and _shown(w)]
        for key in action.shortcuts():
            for owner in owners[:1]:
                found.append(
                    Binding(
                        key.toString(),
                        _name(action, owner),
                        action.shortcutContext(),
                        window if isinstance(owner, QtWidgets.QMenu) else owner,
                    )
                )
    for shortcut in window.findChildren(QtGui.QShortcut):
        parent = shortcut.parent()
        if shortcut.isEnabled() and isinstance(parent, QtWidgets.QWidget) and _shown(parent):
            for key in shortcut.keys():  # noqa: SIM118 (QShortcut.keys, not a dict)
                found.append(Binding(key.toString(), _name(shortcut, parent), shortcut.context(), parent))
    for button in window.findChildren(QtWidgets.QAbstractButton):
        if not button.shortcut().isEmpty() and _shown(button):
            found.append(
                Binding(
                    button.shortcut().toString(), button.text(), Qt.ShortcutContext.WindowShortcut, button
                )
            )
    return [b for b in found if b.key]


def _within(inner: QtWidgets.QWidget, outer: QtWidgets.QWidget) -> bool:
    return inner is outer or outer.isAncestorOf(inner)


def _clash(a: Binding, b: Binding) -> bool:
    """Could both be active at one moment (the same focus)?"""
    if a.context in WIDE or b.context in WIDE:
        return True
    return _within(a.owner, b.owner) or _within(b.owner, a.owner)


def clashes(window: QtWidgets.QMainWindow) -> list[str]:
    by_key: dict[str, list[Binding]] = defaultdict(list)
    for binding in active_bindings(window):
        by_key[binding.key].append(binding)
    out = []
    for key, bindings in by_key.items():
        for i, a in enumerate(bindings):
            for b in bindings[i + 1 :]:
                if _clash(a, b):
                    out.append(f"{key}: {a.what} / {b.what}")
    return out


def _every_tab(widget: QtWidgets.QWidget):  # type: ignore[no-untyped-def]
    """Show each tab of each tab widget inside ``widget`` in turn (yields the tab's name)."""
    yield ""
    for tabs in widget.findChildren(QtWidgets.QTabWidget):
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            yield tabs.tabText(index)


def test_no_key_is_bound_twice_on_any_screen(qtbot, services, ui_state, county):
    ui_state.qsettings.setValue(ASKED_KEY, True)  # no 报表署名 question in the way
    window = MainWindow(services, runner=SyncTaskRunner(), state=ui_state)
    qtbot.addWidget(window)
    window.show()
    assert active_bindings(window)  # the walk sees the menus' shortcuts at all
    found = []
    for name in SCREENS:
        window.go_to(name)
        screen = window.current()
        if name == "报表":  # its buttons are enabled once a preview is there
            screen.preview()
            qtbot.waitUntil(lambda s=screen: s.data is not None and s.save_button.isEnabled(), timeout=20000)
        for tab in _every_tab(screen):
            QtWidgets.QApplication.processEvents()
            found += [f"{name} {tab}: {c}" for c in clashes(window)]
    assert "\n".join(sorted(set(found))) == ""


def test_the_walk_finds_a_clash(qtbot, services, ui_state):
    """The check itself can fail: a button given the main window's F5 is reported."""
    window = MainWindow(services, runner=SyncTaskRunner(), state=ui_state)
    qtbot.addWidget(window)
    window.show()
    button = QtWidgets.QPushButton("多余的按钮", window.current())
    button.setShortcut(QtGui.QKeySequence("F5"))
    button.show()
    assert any(c.startswith("F5:") and "多余的按钮" in c for c in clashes(window))


def _press(
    window: QtWidgets.QMainWindow,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    target: QtWidgets.QWidget | None = None,
) -> None:
    """A key press as the clerk makes it: into the active window, where its shortcuts live."""
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window)
    QTest.keyClick(target or window.current(), key, modifier)


def test_f5_refreshes_the_screen_and_on_reports_makes_the_preview(
    qtbot, services, ui_state, county, tmp_path
):
    ui_state.qsettings.setValue(ASKED_KEY, True)
    window = MainWindow(services, runner=SyncTaskRunner(), state=ui_state)
    qtbot.addWidget(window)
    window.show()
    window.go_to("人员")
    people = window.current()
    services.people.create({"name": "张建国"})  # added elsewhere: the list shows it after F5
    assert people.model.rowCount() == 0
    _press(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: people.model.rowCount() == 1, timeout=10000)

    window.go_to("报表")
    reports = window.current()
    assert reports.data is None
    _press(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: reports.data is not None and reports.preview_button.isEnabled(), timeout=20000)
    first = reports.data
    reports.narrative.setFocus()  # after editing the text: Ctrl+Enter makes the preview again
    _press(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, reports.narrative)
    qtbot.waitUntil(lambda: reports.data is not first and reports.preview_button.isEnabled(), timeout=20000)
    assert "Ctrl+Enter" in reports.preview_button.toolTip()

    asked = []
    window.ctx.ask_save_path = lambda *_: asked.append(1) or ""  # Ctrl+S on 报表 saves the report
    _press(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert asked == [1]
