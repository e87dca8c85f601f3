"""The very first start: a window at once, asking who the bureau is, then following the build.

With no database yet, the window asks for the bureau's own unit — its name and level (县/市/区) — and,
if the clerk likes, the units under it, typed one a line or pasted from a sheet; the tree they make is
shown before 确定.  That database holds nothing fictional (app.py builds it with
``services/org/bureau.py``).  "用演示数据试用" builds a fictional county instead (5–15 seconds), to try the
app out; the window says plainly that its data is made up.  While a database is built the window follows
it step by step on a bar; closing it stops the build and quits; nothing half-built is kept, so the next
start begins again.

Only Qt and the pure unit rules are imported here, so the window shows before SQLAlchemy and the
services load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.domain.unit_kinds import TOP_KINDS, PlannedUnit, plan_units
from silverdesk.progress import CancelToken, Progress

Work = Callable[[Progress, CancelToken], Any]
EXPOSE_WAIT_MS = 1000
DEMO_TEXT = (
    "演示数据是虚构的：一个名为“青山县”的县，其中的单位、离退休干部、党组织、志愿服务队和近两年的活动"
    "都是程序编造的，仅供熟悉各项功能，不能用于工作。"
)


@dataclass(frozen=True)
class Bureau:
    """What the clerk answered: the bureau's own unit, its name in the reports, the units under it."""

    name: str
    kind: str
    bureau: str
    units: tuple[PlannedUnit, ...] = field(default_factory=tuple)


DEMO = "demo"
"""The answer "用演示数据试用" (a fictional county)."""


class _Worker(QtCore.QThread):
    """Runs ``work(progress, cancel)``; its reports come to the GUI thread as a queued signal.

    Signals:
        progressed(int, int, str): done, total (0: not known yet) and the step's name.
    """

    progressed = QtCore.Signal(int, int, str)

    def __init__(self, work: Work, token: CancelToken, parent: QtCore.QObject) -> None:
        super().__init__(parent)
        self.work, self.token = work, token
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work(self._report, self.token)
        except BaseException as exc:  # raised again on the GUI thread by FirstRunDialog.build
            self.error = exc

    def _report(self, done: int, total: int, label: str = "") -> None:
        self.progressed.emit(done, total, label)


class FirstRunDialog(QtWidgets.QDialog):
    """首次启动: the bureau's own unit and the units under it (page 1), then the build's progress (page 2).

    Attributes:
        answer: a :class:`Bureau`, :data:`DEMO`, or ``None`` while not answered (or closed).
    """

    def __init__(self, icon: QtGui.QIcon | None = None, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("首次启动")
        self.token = CancelToken()
        self._worker: _Worker | None = None
        self.answer: Bureau | str | None = None
        self._asking: QtCore.QEventLoop | None = None
        heading = QtWidgets.QLabel("欢迎使用银龄志愿服务管理")
        font = QtGui.QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        self.pages = QtWidgets.QStackedWidget()
        self.pages.addWidget(self._setup_page())
        self.pages.addWidget(self._build_page())
        column = QtWidgets.QVBoxLayout()
        column.addWidget(heading)
        column.addWidget(self.pages, 1)
        row = QtWidgets.QHBoxLayout(self)
        if icon is not None and not icon.isNull():
            picture = QtWidgets.QLabel()
            picture.setPixmap(icon.pixmap(64, 64))
            picture.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
            row.addWidget(picture)
        row.addLayout(column, 1)
        self.setMinimumWidth(760)

    def _setup_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        intro = QtWidgets.QLabel(
            "这是本机第一次启动。请填写本单位的基本情况，程序据此建立一个新的数据库，其中只有您填写的单位，"
            "没有任何虚构的数据。以后可以在“设置 › 单位”中增改。"
        )
        intro.setWordWrap(True)
        self.name = QtWidgets.QLineEdit()
        self.name.setPlaceholderText("如 青山县")
        self.kind = QtWidgets.QComboBox()
        self.kind.addItems(list(TOP_KINDS))
        self.kind.setToolTip("本级单位是县、市还是区")
        self.bureau = QtWidgets.QLineEdit()
        self.bureau.setPlaceholderText("如 中共青山县委老干部局；用于报表抬头")
        self.units = QtWidgets.QPlainTextEdit()
        self.units.setPlaceholderText(
            "一行一个，也可以从 Excel 复制一列粘贴进来，如：\n城关街道\n光明社区\n龙山镇\n县教育局\n"
            "社区、村写在所属街道或乡镇的下面一行"
        )
        self.units.setTabChangesFocus(True)
        self.preview = QtWidgets.QTreeWidget()
        self.preview.setHeaderLabels(["将建立的单位", "类型"])
        self.preview.setRootIsDecorated(True)
        self.preview.header().setStretchLastSection(False)
        self.preview.header().setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.preview.header().setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.preview.setMinimumSize(300, 260)
        self.units.setMinimumSize(240, 260)
        self.problems = QtWidgets.QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        self.error = QtWidgets.QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        form = QtWidgets.QFormLayout()
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.name, 1)
        top.addWidget(QtWidgets.QLabel("级别"))
        top.addWidget(self.kind)
        form.addRow("本级单位名称＊", top)
        form.addRow("局名", self.bureau)
        boxes = QtWidgets.QHBoxLayout()
        boxes.addWidget(self.units, 1)
        boxes.addWidget(self.preview, 1)
        form.addRow("下级单位", boxes)
        self.ok = QtWidgets.QPushButton("确定")
        self.ok.setDefault(True)
        self.ok.setToolTip("建立数据库并进入首页")
        self.ok.clicked.connect(self._accept_bureau)
        self.demo = QtWidgets.QPushButton("用演示数据试用…")
        self.demo.setToolTip(DEMO_TEXT)
        self.demo.clicked.connect(self._choose_demo)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.demo)
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        box = QtWidgets.QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(intro)
        box.addLayout(form, 1)
        box.addWidget(self.problems)
        box.addWidget(self.error)
        box.addLayout(buttons)
        self._bureau_typed = False
        self.name.textChanged.connect(self._name_changed)
        self.kind.currentTextChanged.connect(lambda _t: self._show_plan())
        self.bureau.textEdited.connect(lambda _t: setattr(self, "_bureau_typed", True))
        self.units.textChanged.connect(self._show_plan)
        self._show_plan()
        return page

    def _build_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        self.text = QtWidgets.QLabel("正在建立数据库……")
        self.text.setWordWrap(True)
        self.step = QtWidgets.QLabel("正在启动……")
        self.bar = QtWidgets.QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first report
        self.bar.setFormat("%p%")
        self.bar.setMinimumWidth(420)
        hint = QtWidgets.QLabel("关闭此窗口会停止准备并退出程序，下次启动时重新准备。")
        hint.setStyleSheet("color: #555d66;")  # muted, as elsewhere (market_common.py)
        column = QtWidgets.QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.text)
        column.addSpacing(8)
        column.addWidget(self.step)
        column.addWidget(self.bar)
        column.addWidget(hint)
        column.addStretch(1)
        return page

    # -- page 1: the bureau ------------------------------------------------------------------------
    def _name_changed(self, text: str) -> None:
        name = text.strip()
        if name and name[-1] in TOP_KINDS:
            self.kind.setCurrentText(name[-1])
        if not self._bureau_typed:
            self.bureau.setText(f"中共{name}委老干部局" if name else "")
        self._show_plan()

    def planned(self) -> list[PlannedUnit]:
        return plan_units(self.units.toPlainText(), self.kind.currentText())

    def _show_plan(self) -> None:
        self.preview.clear()
        root = QtWidgets.QTreeWidgetItem(
            [self.name.text().strip() or "（本级单位）", self.kind.currentText()]
        )
        self.preview.addTopLevelItem(root)
        items: dict[int, QtWidgets.QTreeWidgetItem] = {}
        problems = []
        for i, unit in enumerate(self.planned()):
            if unit.problem:
                problems.append(f"“{unit.name}”：{unit.problem}")
                continue
            parent = items.get(unit.parent, root) if unit.parent is not None else root
            items[i] = QtWidgets.QTreeWidgetItem(parent, [unit.name, unit.kind])
        self.preview.expandAll()
        self.problems.setText("以下不会建立——" + "；".join(problems) if problems else "")
        self.problems.setVisible(bool(problems))

    def _accept_bureau(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.error.setText("请填写本级单位名称，如 青山县")
            self.name.setFocus()
            return
        units = tuple(u for u in self.planned() if not u.problem)
        self._answer(Bureau(name, self.kind.currentText(), self.bureau.text().strip(), units))

    def _choose_demo(self) -> None:
        box = QtWidgets.QMessageBox(self)
        box.setWindowTitle("用演示数据试用")
        box.setIcon(QtWidgets.QMessageBox.Icon.Information)
        box.setText(
            DEMO_TEXT
            + "\n\n以后要正式使用，请另建一个数据库（删除或改名演示数据库后重新启动）。用演示数据试用吗？"
        )
        yes = box.addButton("用演示数据", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        box.addButton("返回", QtWidgets.QMessageBox.ButtonRole.RejectRole)
        if self.confirm_demo(box, yes):
            self._answer(DEMO)

    def confirm_demo(self, box: QtWidgets.QMessageBox, yes: QtWidgets.QAbstractButton) -> bool:
        """Whether the clerk agreed to fictional data (``box`` asked)."""
        box.exec()
        return box.clickedButton() is yes

    def _answer(self, answer: Bureau | str) -> None:
        self.answer = answer
        if isinstance(answer, Bureau):
            self.text.setText(f"正在为“{answer.name}”建立数据库，只含您填写的单位。")
        else:
            self.text.setText(
                "正在新建数据库，并填入演示数据。" + DEMO_TEXT + "\n大约需要十几秒，完成后自动进入首页。"
            )
        self.pages.setCurrentIndex(1)
        if self._asking is not None:
            self._asking.quit()

    def ask(self) -> Bureau | str | None:
        """Show the first page and wait for the clerk: a :class:`Bureau`, :data:`DEMO`, or ``None`` (closed)."""
        self.show_now()
        self.name.setFocus()
        if self.answer is None:
            loop = QtCore.QEventLoop()
            self._asking = loop
            self.finished.connect(loop.quit)
            loop.exec()
            self._asking = None
        return self.answer

    def show_now(self) -> None:
        """Show and paint the window before the caller goes on with slow, blocking work."""
        self.show()
        shown = QtCore.QElapsedTimer()
        shown.start()
        while (
            not (self.windowHandle() and self.windowHandle().isExposed()) and shown.elapsed() < EXPOSE_WAIT_MS
        ):
            QtWidgets.QApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)
        self.repaint()

    def build(self, work: Work) -> Any:
        """Run ``work(progress, cancel)`` on a thread while this window follows its progress.

        Returns:
            What ``work`` returned.

        Raises:
            Whatever ``work`` raised; :class:`~silverdesk.errors.Cancelled` when the clerk closed
            the window (the work stops at its next report).
        """
        worker = _Worker(work, self.token, self)
        worker.progressed.connect(self._show_progress)
        loop = QtCore.QEventLoop()
        worker.finished.connect(loop.quit)
        self._worker = worker
        self.show_now()
        worker.start()
        loop.exec()
        worker.wait()
        self._worker = None
        if worker.error is not None:
            raise worker.error
        if self.bar.maximum() == 0:
            self.bar.setRange(0, 1)
        self.bar.setValue(self.bar.maximum())
        self.step.setText("准备完毕，正在打开首页……")
        self.repaint()
        return worker.result

    @QtCore.Slot(int, int, str)
    def _show_progress(self, done: int, total: int, label: str) -> None:
        if self.token.cancelled:
            return
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)
        if label:
            self.step.setText(label)

    def _stop(self) -> bool:
        """Stop a running build (the window closes when it has stopped); False when none runs."""
        if self._worker is None:
            return False
        self.token.cancel()
        self.step.setText("正在停止，随后退出……")
        return True

    def reject(self) -> None:  # Esc
        if not self._stop():
            super().reject()
            if self._asking is not None:
                self._asking.quit()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self._stop():
            event.ignore()
        else:
            super().closeEvent(event)
