"""设置: seven tabs — 本单位 (bureau name and report signatories), 单位 (the unit tree, ui/org/units_tree.py),
可维护的列表 (lookup lists), 月度主题 (ui/org/themes.py),
备份与恢复, 操作日志 (the audit log) and 安全 (operator, opening password, masking).

Each tab is its own widget (``settings_*.py``); the data of a tab is loaded the first time it
is shown, so opening 设置 costs only what the visible tab needs.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from silverdesk.errors import SilverdeskError
from silverdesk.services.org.lookups import SETTING_NAMES
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.org.lists import ListsTab
from silverdesk.ui.org.themes import ThemesTab
from silverdesk.ui.org.units_tree import UnitsTab
from silverdesk.ui.statistics.signatories import SIGNATORY_TIPS
from silverdesk.ui.system.audit import AuditTab
from silverdesk.ui.system.backups import BackupsTab
from silverdesk.ui.system.security import SecurityTab
from silverdesk.ui.widgets.form import FieldForm

SETTING_TIPS = {
    "bureau_name": "如 中共青山县委老干部局；用于报表抬头",
    "county_name": "如 青山县",
    "report_title": "如 离退休干部志愿服务工作统计月报",
    **SIGNATORY_TIPS,
    "points_per_hour": "积分存折：每服务 1 小时计几分，如 1 或 0.5（留空按 1 分）；只影响以后发放的积分",
}
"""The settings of 本单位 (named by ``SETTING_NAMES``, as 操作日志 names them) and their tips."""

TAB_NAMES = ("本单位", "单位", "可维护的列表", "月度主题", "备份与恢复", "操作日志", "安全")


class BureauTab(QtWidgets.QWidget):
    """本单位: the bureau's name, the report's signatories and the points rate (kept in the database)."""

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.form = FieldForm()
        self.edits: dict[str, QtWidgets.QLineEdit] = {}
        for key, tip in SETTING_TIPS.items():
            edit = QtWidgets.QLineEdit()
            self.form.add(key, SETTING_NAMES[key], edit, tip=tip)
            self.edits[key] = edit
        self.save_button = QtWidgets.QPushButton("保存设置")
        self.save_button.setToolTip("保存单位名称、报表署名和积分标准（Ctrl+S）")
        self.save_button.clicked.connect(self.save)
        column = QtWidgets.QWidget()
        column.setMinimumWidth(560)
        column.setMaximumWidth(720)
        inner = QtWidgets.QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.form)
        inner.addWidget(self.save_button, 0, QtCore.Qt.AlignmentFlag.AlignRight)
        box = QtWidgets.QVBoxLayout(self)
        box.addWidget(column, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        box.addStretch(1)
        ctx.events.changed.connect(self._changed)

    def _changed(self, entity: str) -> None:
        if entity == "settings":  # e.g. the 报表 screen's 报表署名: what is shown is what a save keeps
            self.load()

    def load(self) -> None:
        values = self.ctx.services.settings.all()
        for key, edit in self.edits.items():
            edit.setText(values.get(key, ""))

    def save(self) -> None:
        try:
            self.ctx.services.settings.update({k: e.text().strip() for k, e in self.edits.items()})
        except SilverdeskError as exc:
            show_error(self, exc)
            return
        self.ctx.notify(self, "设置已保存")
        self.ctx.events.changed.emit("settings")  # the 积分存折 shows the rate


class SettingsView(QtWidgets.QWidget):
    """The 设置 screen: a tab widget; Ctrl+Tab / Ctrl+PgDn move between tabs."""

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bureau = BureauTab(ctx)
        self.units = UnitsTab(ctx)
        self.lists = ListsTab(ctx)
        self.themes = ThemesTab(ctx)
        self.backups = BackupsTab(ctx)
        self.audit = AuditTab(ctx)
        self.security = SecurityTab(ctx)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        for widget, name in zip(
            (self.bureau, self.units, self.lists, self.themes, self.backups, self.audit, self.security),
            TAB_NAMES,
            strict=True,
        ):
            self.tabs.addTab(widget, name)
        self._loaded: set[int] = set()
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        self.backups.restored.connect(self._after_restore)
        self._tab_shown(0)

    # kept for the main window's menus and older callers ------------------------------------------
    @property
    def edits(self) -> dict[str, QtWidgets.QLineEdit]:
        return self.bureau.edits

    def save(self) -> None:
        """Ctrl+S: save the 本单位 form."""
        self.bureau.save()

    def reload(self) -> None:
        """F5: reload the tab shown."""
        self._loaded.discard(self.tabs.currentIndex())
        self._tab_shown(self.tabs.currentIndex())

    def show_tab(self, name: str) -> QtWidgets.QWidget:
        index = TAB_NAMES.index(name)
        self.tabs.setCurrentIndex(index)
        self._tab_shown(index)
        return self.tabs.widget(index)

    def _tab_shown(self, index: int) -> None:
        if index < 0 or index in self._loaded:
            return
        self._loaded.add(index)
        widget = self.tabs.widget(index)
        load = getattr(widget, "load", None)
        if callable(load):
            load()

    def _after_restore(self) -> None:
        """The database was replaced: every tab reloads on its next showing."""
        self._loaded.clear()
        self._tab_shown(self.tabs.currentIndex())

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(1000, 700)
