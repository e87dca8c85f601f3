"""The main window: navigation on the left, the current screen on the right, status bar below.

Thin on purpose: it builds menus and wires them to whatever the current screen offers
(``new_record``, ``focus_search``, ``paste``, ``export``, ``reload``, ``save``).  Screens are
created on first visit, so start-up pays only for the screen that is shown.  Ctrl+1 … Ctrl+9
(and a jump from another screen) put the keyboard in the screen's main widget,
so the arrow keys move in its list, not through the navigation (:mod:`silverdesk.ui.focus`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk import __version__
from silverdesk.progress import CancelToken, Progress
from silverdesk.services.hub import Services
from silverdesk.ui.context import UiContext
from silverdesk.ui.focus import focus_main
from silverdesk.ui.settings import UiState
from silverdesk.ui.tasks import Runner, TaskRunner

DB_LABEL_CHARS = 16
"""The status bar shows the database's path in at most this many 汉 widths (the file name kept)."""
SCREENS = ("首页", "人员", "队伍", "党组织", "活动", "资源与需求", "导入", "报表", "设置")


# screen name → (module under silverdesk.ui, class); imported on first visit
SCREEN_CLASSES = {
    "首页": ("statistics.dashboard", "DashboardView"),
    "人员": ("people.screen", "PeopleView"),
    "队伍": ("org.teams", "TeamsView"),
    "党组织": ("org.party_orgs", "PartyOrgsView"),
    "活动": ("activities.screen", "ActivitiesView"),
    "资源与需求": ("market.screen", "MarketView"),
    "导入": ("importing.screen", "ImportsView"),
    "报表": ("statistics.reports", "ReportsView"),
    "设置": ("system.screen", "SettingsView"),
}


def _screen_class(name: str) -> Callable[[UiContext], QtWidgets.QWidget]:
    module, cls = SCREEN_CLASSES[name]
    return getattr(importlib.import_module(f"silverdesk.ui.{module}"), cls)  # type: ignore[no-any-return]


class MainWindow(QtWidgets.QMainWindow):
    def __init__(
        self,
        services: Services,
        parent: QtWidgets.QWidget | None = None,
        *,
        runner: Runner | None = None,
        state: UiState | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.ctx = UiContext(services, runner or TaskRunner(self), state or UiState())
        self._closing = False  # close asked while work ran: the window closes when it has ended
        self._cancel_on_close = False
        self.setWindowTitle(f"银龄志愿服务管理 silverdesk {__version__}")
        self.nav = QtWidgets.QListWidget()
        self.nav.addItems(SCREENS)
        self.nav.setToolTip("Ctrl+1 … Ctrl+9 切换")
        width = max(self.nav.fontMetrics().horizontalAdvance(s) for s in SCREENS)
        self.nav.setMinimumWidth(width + 48)
        self.nav.setMaximumWidth(width * 2 + 48)
        self.nav.setSpacing(2)
        self.stack = QtWidgets.QStackedWidget()
        self.screens: dict[str, QtWidgets.QWidget] = {}
        for _ in SCREENS:
            self.stack.addWidget(QtWidgets.QWidget())
        self.splitter = QtWidgets.QSplitter()
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        name = services.ctx.db.display_name  # shortened in the middle: the status messages need the room
        metrics = self.fontMetrics()
        shown = metrics.elidedText(
            name, QtCore.Qt.TextElideMode.ElideMiddle, metrics.horizontalAdvance("汉") * DB_LABEL_CHARS
        )
        self.db_label = QtWidgets.QLabel(f"数据库：{shown}")
        self.db_label.setToolTip(name)
        self.counts_label = QtWidgets.QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self._build_menus()
        self.nav.currentRowChanged.connect(self.show_screen)
        self.ctx.events.changed.connect(lambda _e: self.refresh_counts())
        self._restore()
        self.refresh_counts()

    # --- screens -------------------------------------------------------------------------------
    def screen(self, name: str) -> QtWidgets.QWidget:
        """The screen called ``name``, created on first use."""
        if name not in self.screens:
            widget = _screen_class(name)(self.ctx)
            if hasattr(widget, "goTo"):
                widget.goTo.connect(self.go_to)
            if hasattr(widget, "openRecord"):
                widget.openRecord.connect(self.open_record)
            index = SCREENS.index(name)
            placeholder = self.stack.widget(index)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.insertWidget(index, widget)
            self.screens[name] = widget
        return self.screens[name]

    def show_screen(self, row: int) -> None:
        if not 0 <= row < len(SCREENS):
            return
        widget = self.screen(SCREENS[row])
        self.stack.setCurrentWidget(widget)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        ensure = getattr(widget, "ensure_loaded", None)
        if ensure is not None:
            ensure()
        self._update_actions()

    def switch_to(self, row: int) -> None:
        """Show screen ``row`` and put the keyboard in it (Ctrl+1 … Ctrl+9; a click in the
        navigation, or its arrow keys, leave the keyboard there)."""
        self.show_screen(row)
        focus_main(self.current())

    def go_to(self, name: str) -> None:
        self.switch_to(SCREENS.index(name))

    def show_pivot(self) -> None:
        """Ctrl+0: the 报表 screen's 分组统计 tab, the keyboard in it."""
        self.go_to("报表")
        show = getattr(self.current(), "show_pivot", None)
        if callable(show):
            show()

    def open_record(self, screen: str, kind: str, record_id: int) -> None:
        """Show ``screen`` and ask it to bring up the record (its ``show_record(kind, id)``)."""
        self.go_to(screen)
        show = getattr(self.current(), "show_record", None)
        if callable(show):
            show(kind, record_id)

    def current(self) -> QtWidgets.QWidget:
        return self.stack.currentWidget()

    def refresh_counts(self) -> None:
        def work(_p: Progress, _c: CancelToken) -> tuple[int, int]:
            from silverdesk.services.people.roster import PersonFilter

            return self.services.people.count(PersonFilter()), self.services.activities.count()

        def done(counts: tuple[int, int]) -> None:
            self.counts_label.setText(f"在册人员 {counts[0]:,} 人　活动 {counts[1]:,} 项")

        self.ctx.runner.run(work, done, parent=self)

    # --- menus ---------------------------------------------------------------------------------
    def _action(
        self, menu: QtWidgets.QMenu, text: str, shortcut: Any, slot: Callable[[], Any], tip: str = ""
    ) -> QtGui.QAction:
        action = menu.addAction(text)
        if shortcut:
            action.setShortcut(QtGui.QKeySequence(shortcut))
        action.setStatusTip(tip or text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("文件(&F)")
        self.export_action = self._action(
            file, "导出当前列表到 Excel…", "Ctrl+E", lambda: self._call("export")
        )
        self.print_action = self._action(
            file,
            "打印…",
            QtGui.QKeySequence.StandardKey.Print,
            self.print_screen,
            "打印当前列表（分页、每页带表头，先预览）或当前报表",
        )
        file.addSeparator()
        self._action(file, "退出", QtGui.QKeySequence.StandardKey.Quit, self.close)
        edit = bar.addMenu("编辑(&E)")
        undo = self.ctx.undo.createUndoAction(self, "撤销")
        undo.setShortcut(QtGui.QKeySequence.StandardKey.Undo)
        redo = self.ctx.undo.createRedoAction(self, "重做")
        redo.setShortcuts([QtGui.QKeySequence("Ctrl+Y"), QtGui.QKeySequence("Ctrl+Shift+Z")])
        edit.addAction(undo)
        edit.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        edit.addSeparator()
        self.new_action = self._action(
            edit, "新建", QtGui.QKeySequence.StandardKey.New, lambda: self._call("new_record")
        )
        self.find_action = self._action(
            edit, "查找", QtGui.QKeySequence.StandardKey.Find, lambda: self._call("focus_search")
        )
        self.save_action = self._action(
            edit, "保存", QtGui.QKeySequence.StandardKey.Save, lambda: self._call("save")
        )
        self.paste_action = self._action(
            edit,
            "粘贴表格行…",
            "Ctrl+Shift+V",
            lambda: self._call("paste"),
            "粘贴从 Excel/WPS 复制的行（先检查再写入）",
        )
        self.quick_action = self._action(
            edit, "快速登记活动", "Ctrl+Shift+N", self._quick_entry, "转到活动页的快速登记栏"
        )
        view = bar.addMenu("查看(&V)")
        for i, name in enumerate(SCREENS):
            self._action(view, name, f"Ctrl+{i + 1}", lambda i=i: self.switch_to(i))
        self._action(view, "分组统计", "Ctrl+0", self.show_pivot, "报表页的分组统计：任意指标按任意分组统计")
        view.addSeparator()
        self.refresh_action = self._action(
            view, "刷新", None, self.refresh, "重新读取当前页面的数据（报表页：重新生成预览）"
        )
        self.refresh_action.setShortcuts(
            QtGui.QKeySequence.StandardKey.Refresh
        )  # F5 (one action: two are ambiguous)
        help_menu = bar.addMenu("帮助(&H)")
        self._action(help_menu, "关于", None, self._about)

    def _call(self, method: str) -> None:
        target = getattr(self.current(), method, None)
        if callable(target):
            target()

    def _update_actions(self) -> None:
        widget = self.current()
        for action, method in (
            (self.export_action, "export"),
            (self.new_action, "new_record"),
            (self.find_action, "focus_search"),
            (self.save_action, "save"),
            (self.paste_action, "paste"),
        ):
            action.setEnabled(
                callable(getattr(widget, method, None))
                and (method != "paste" or getattr(widget, "paste_kind", None) is not None)
            )

    def refresh(self) -> None:
        widget = self.current()
        reload = getattr(widget, "reload", None)
        if callable(reload):
            reload()
        self.refresh_counts()

    def _quick_entry(self) -> None:
        self.go_to("活动")
        self._call("focus_quick_entry")

    def print_screen(self) -> None:
        """Ctrl+P: a list screen prints its list as paginated pages (with a preview), the report
        screen its report; any other screen (the dashboard) prints as it looks."""
        widget = self.current()
        source = getattr(widget, "print_source", None)
        if callable(source):
            from silverdesk.ui.widgets.print_preview import PrintPreview

            chosen = source()
            if chosen is not None:
                PrintPreview(self.ctx, chosen, self).exec()
            return
        if callable(getattr(widget, "print_report", None)):
            widget.print_report()
            return
        self._print_picture(widget)

    def _print_picture(self, widget: QtWidgets.QWidget) -> None:
        from PySide6 import QtPrintSupport

        printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
        printer.setPageOrientation(QtGui.QPageLayout.Orientation.Landscape)
        dialog = QtPrintSupport.QPrintDialog(printer, self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        pixmap = widget.grab()
        painter = QtGui.QPainter(printer)
        page = printer.pageLayout().paintRectPixels(printer.resolution())
        scaled = pixmap.scaled(
            page.size(),
            QtCore.Qt.AspectRatioMode.KeepAspectRatio,
            QtCore.Qt.TransformationMode.SmoothTransformation,
        )
        painter.drawPixmap(0, 0, scaled)
        painter.end()

    def _about(self) -> None:
        QtWidgets.QMessageBox.about(
            self,
            "关于 silverdesk",
            f"银龄志愿服务管理 silverdesk {__version__}\n\n数据库：{self.services.ctx.db.display_name}",
        )

    # --- state ---------------------------------------------------------------------------------
    def _restore(self) -> None:
        state = self.ctx.state
        char = self.fontMetrics().horizontalAdvance("汉")
        if state.geometry is None or not self.restoreGeometry(state.geometry):
            room = QtWidgets.QWidget.screen(self).availableGeometry()  # a 1366 × 768 office laptop is common
            self.resize(min(char * 96, room.width()), min(char * 60, room.height()))
        if state.window_state is not None:
            self.restoreState(state.window_state)
        if state.splitter is None or not self.splitter.restoreState(state.splitter):
            self.splitter.setSizes([self.nav.minimumWidth(), self.width() - self.nav.minimumWidth()])
        self.switch_to(min(max(state.screen, 0), len(SCREENS) - 1))

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        """Closing while work runs asks: wait for it, or stop it (the data stays as it was), or go on
        working; the window closes once every task has ended, never under a running one."""
        runner = self.ctx.runner
        if runner.busy():
            event.ignore()
            if self._closing:
                return  # already waiting for the work to end
            titles = runner.running_titles()
            if titles and not self._ask_close(titles):
                return
            self._closing = True
            runner.discard_background()
            if self._cancel_on_close:
                runner.cancel_all()
            self.statusBar().showMessage("正在等待进行中的工作结束，结束后窗口自动关闭……")
            runner.busyChanged.connect(self._close_when_idle)
            return
        state = self.ctx.state
        state.geometry = self.saveGeometry()
        state.window_state = self.saveState()
        state.splitter = self.splitter.saveState()
        state.screen = self.nav.currentRow()
        state.sync()
        super().closeEvent(event)

    def _ask_close(self, titles: list[str]) -> bool:
        """Wait or cancel?  False: the clerk goes on working."""
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Icon.Question,
            "退出程序",
            "下列工作还在进行：\n\n"
            + "\n".join(f"· {t}" for t in titles)
            + "\n\n要等它完成后再退出，还是取消它（已做的部分会撤回，数据保持原样）后退出？",
            parent=self,
        )
        wait = box.addButton("完成后退出", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton("取消工作并退出", QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton("继续工作", QtWidgets.QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        self.ask_close(box)
        clicked = box.clickedButton()
        self._cancel_on_close = clicked is cancel
        return clicked in (wait, cancel)

    def ask_close(self, box: QtWidgets.QMessageBox) -> None:
        """Show the question (tests answer it by replacing this)."""
        box.exec()

    def _close_when_idle(self, busy: bool) -> None:
        if not busy:
            self.ctx.runner.busyChanged.disconnect(self._close_when_idle)
            QtCore.QTimer.singleShot(0, self.close)
