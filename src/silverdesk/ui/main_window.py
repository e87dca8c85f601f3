"""The main window: navigation on the left, the current screen on the right, status bar below."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QSplitter, QStackedWidget, QWidget

from silverdesk import __version__
from silverdesk.services.hub import Services

SCREENS = ("首页", "人员", "队伍", "党组织", "活动", "资源与需求", "导入", "报表", "设置")


class MainWindow(QMainWindow):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(f"银龄志愿服务管理 silverdesk {__version__}")
        self.nav = QListWidget()
        self.nav.addItems(SCREENS)
        self.nav.setMaximumWidth(160)
        self.stack = QStackedWidget()
        for name in SCREENS:
            label = QLabel(name)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.stack.addWidget(label)
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        settings = QSettings()
        self.nav.setCurrentRow(int(settings.value("main/screen", 0)))
        self.resize(1200, 780)
        self.statusBar().showMessage(f"数据库：{services.ctx.db.display_name}")

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        QSettings().setValue("main/screen", self.nav.currentRow())
        super().closeEvent(event)
