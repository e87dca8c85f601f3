"""The very first start: a window at once, while the demo database is built behind it.

With no database yet, the app fills a new one with demo data (app.py); that takes 5–15 seconds.
This window shows before the database code is even loaded, says what is happening, and follows
the build step by step on a bar.  Closing it stops the build and quits; nothing half-built is
kept, so the next start begins again.

Only Qt is imported here, so the window can be shown before SQLAlchemy and the services load.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.progress import CancelToken, Progress

Work = Callable[[Progress, CancelToken], Any]
EXPOSE_WAIT_MS = 1000


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
    """首次启动: welcome text, the current step and a progress bar."""

    def __init__(self, icon: QtGui.QIcon | None = None, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("首次启动")
        self.token = CancelToken()
        self._worker: _Worker | None = None
        heading = QtWidgets.QLabel("欢迎使用银龄志愿服务管理")
        font = QtGui.QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        text = QtWidgets.QLabel(
            "这是本机第一次启动。程序正在新建数据库，并填入一个虚构县的演示数据：单位、离退休干部、"
            "党组织、志愿服务队和近两年的活动，供您熟悉各项功能。\n"
            "大约需要十几秒，完成后自动进入首页。"
        )
        text.setWordWrap(True)
        self.step = QtWidgets.QLabel("正在启动……")
        self.bar = QtWidgets.QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first report
        self.bar.setFormat("%p%")
        self.bar.setMinimumWidth(420)
        hint = QtWidgets.QLabel("关闭此窗口会停止准备并退出程序，下次启动时重新准备。")
        hint.setStyleSheet("color: #555d66;")  # muted, as elsewhere (market_common.py)
        column = QtWidgets.QVBoxLayout()
        column.addWidget(heading)
        column.addWidget(text)
        column.addSpacing(8)
        column.addWidget(self.step)
        column.addWidget(self.bar)
        column.addWidget(hint)
        row = QtWidgets.QHBoxLayout(self)
        if icon is not None and not icon.isNull():
            picture = QtWidgets.QLabel()
            picture.setPixmap(icon.pixmap(64, 64))
            picture.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
            row.addWidget(picture)
        row.addLayout(column, 1)
        self.setMinimumWidth(560)

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

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self._stop():
            event.ignore()
        else:
            super().closeEvent(event)
