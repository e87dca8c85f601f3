"""星级与积分: the yearly rating (星级评定, :mod:`stars`) and the points ledger (积分存折, :mod:`points`)
as two inner tabs of the 资源与需求 screen.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.ui.context import UiContext
from silverdesk.ui.market.points import PointsPanel
from silverdesk.ui.market.stars import StarsPanel


class RatingsTab(QtWidgets.QWidget):
    """星级与积分: 星级评定 and 积分存折 side by side as two inner tabs."""

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stars = StarsPanel(ctx)
        self.points = PointsPanel(ctx)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.stars, "星级评定")
        self.tabs.addTab(self.points, "积分存折")
        for key, index in (("Ctrl+Shift+1", 0), ("Ctrl+Shift+2", 1)):
            action = QtGui.QAction(self)
            action.setShortcut(QtGui.QKeySequence(key))
            action.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, i=index: self.tabs.setCurrentIndex(i))
            self.addAction(action)
        self.tabs.setToolTip("Ctrl+Shift+1 星级评定　Ctrl+Shift+2 积分存折")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def reload(self) -> None:
        self.stars.reload()
        self.points.reload()
