"""Long work off the GUI thread, with polled progress and cancel.

A task is a plain callable ``fn(progress, cancel) -> result`` that never touches widgets.  The
:class:`TaskRunner` runs it on a ``QThreadPool``; the result (or the exception) comes back to
the GUI thread through a signal of a QObject that lives there.  Progress is written by the
worker into a small shared record and *polled* every 100 ms by a timer (Anki's pattern), so a
chatty worker cannot flood the event loop; a progress dialog appears only when the task is still
running after 600 ms, and its Cancel button sets the task's :class:`~silverdesk.progress.CancelToken`.

Tests use :class:`SyncTaskRunner`, which runs the callable at once in the calling thread.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6 import QtCore, QtWidgets

from silverdesk.errors import Cancelled
from silverdesk.progress import CancelToken, Progress
from silverdesk.ui.errors import show_error

POLL_MS = 100
SHOW_AFTER_MS = 600

Work = Callable[[Progress, CancelToken], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


@dataclass
class _ProgressState:
    """Written by the worker, read by the GUI timer (single assignments are atomic under the GIL)."""

    done: int = 0
    total: int = 0
    label: str = ""

    def __call__(self, done: int, total: int, label: str = "") -> None:
        self.done, self.total = done, total
        if label:
            self.label = label


@dataclass
class TaskHandle:
    """What the caller keeps of a running task: it can cancel it and ask whether it ended."""

    token: CancelToken = field(default_factory=CancelToken)
    finished: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self.token.cancel()


class Runner(Protocol):
    def run(self, work: Work, on_done: Done, *, on_error: Failed | None = None, title: str = "",
            parent: QtWidgets.QWidget | None = None) -> TaskHandle: ...


class _Signals(QtCore.QObject):
    """Signals:
    finished(int, object): job id and result.
    failed(int, object): job id and the exception.
    """

    finished = QtCore.Signal(int, object)
    failed = QtCore.Signal(int, object)


class _Job(QtCore.QRunnable):
    def __init__(self, job_id: int, work: Work, state: _ProgressState, handle: TaskHandle,
                 signals: _Signals) -> None:
        super().__init__()
        self.job_id, self.work, self.state, self.handle, self.signals = job_id, work, state, handle, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.work(self.state, self.handle.token)
        except BaseException as exc:  # everything goes back to the GUI thread's handler
            self.handle.finished.set()
            self.signals.failed.emit(self.job_id, exc)
        else:
            self.handle.finished.set()
            self.signals.finished.emit(self.job_id, result)


@dataclass
class _Running:
    handle: TaskHandle
    state: _ProgressState
    on_done: Done
    on_error: Failed
    title: str
    parent: QtWidgets.QWidget | None
    elapsed: QtCore.QElapsedTimer
    dialog: QtWidgets.QProgressDialog | None = None


class TaskRunner(QtCore.QObject):
    """Runs tasks on a thread pool and delivers their results on the GUI thread.

    A ``title`` asks for a progress dialog (shown after 600 ms); without one the task runs
    silently (searches, dashboard figures).

    Signals:
        busyChanged(bool): true while at least one task runs.
    """

    busyChanged = QtCore.Signal(bool)

    def __init__(self, parent: QtCore.QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QtCore.QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._signals = _Signals(self)
        self._signals.finished.connect(self._finished)
        self._signals.failed.connect(self._failed)
        self._ids = itertools.count(1)
        self._running: dict[int, _Running] = {}
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def run(self, work: Work, on_done: Done, *, on_error: Failed | None = None, title: str = "",
            parent: QtWidgets.QWidget | None = None) -> TaskHandle:
        """Start ``work(progress, cancel)``; ``on_done(result)`` or ``on_error(exc)`` runs on the GUI thread.

        A :class:`~silverdesk.errors.Cancelled` exception is swallowed (the clerk asked for it).
        """
        job_id = next(self._ids)
        handle, state = TaskHandle(), _ProgressState(label=title)
        elapsed = QtCore.QElapsedTimer()
        elapsed.start()
        self._running[job_id] = _Running(handle, state, on_done, on_error or (lambda exc: show_error(parent, exc)),
                                         title, parent, elapsed)
        if len(self._running) == 1:
            self.busyChanged.emit(True)
        if title and not self._timer.isActive():
            self._timer.start()
        self.pool.start(_Job(job_id, work, state, handle, self._signals))
        return handle

    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every task has finished (used when the window closes and by benchmarks)."""
        return self.pool.waitForDone(msecs)

    # --- GUI-thread slots ----------------------------------------------------------------------
    @QtCore.Slot(int, object)
    def _finished(self, job_id: int, result: object) -> None:
        job = self._end(job_id)
        if job is not None and not job.handle.token.cancelled:
            job.on_done(result)

    @QtCore.Slot(int, object)
    def _failed(self, job_id: int, exc: BaseException) -> None:
        job = self._end(job_id)  # a cancelled task's failure (its target went away) is no news
        if job is not None and not isinstance(exc, Cancelled) and not job.handle.token.cancelled:
            job.on_error(exc)

    @QtCore.Slot()
    def _poll(self) -> None:
        shown = False
        for job in self._running.values():
            if not job.title:
                continue
            if job.dialog is None and job.elapsed.elapsed() >= SHOW_AFTER_MS:
                job.dialog = self._make_dialog(job)
            if job.dialog is not None:
                shown = True
                job.dialog.setLabelText(job.state.label or job.title)
                if job.state.total:
                    job.dialog.setMaximum(job.state.total)
                    job.dialog.setValue(min(job.state.done, job.state.total))
        if not shown and not any(j.title for j in self._running.values()):
            self._timer.stop()

    def _make_dialog(self, job: _Running) -> QtWidgets.QProgressDialog:
        dialog = QtWidgets.QProgressDialog(job.title, "取消", 0, 0, job.parent)
        dialog.setWindowTitle(job.title)
        dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(job.handle.cancel)
        dialog.canceled.connect(lambda: dialog.setLabelText("正在取消……"))
        dialog.show()
        return dialog

    def _end(self, job_id: int) -> _Running | None:
        job = self._running.pop(job_id, None)
        if job is not None and job.dialog is not None:
            job.dialog.close()
            job.dialog.deleteLater()
        if not self._running:
            self._timer.stop()
            self.busyChanged.emit(False)
        return job


class SyncTaskRunner(QtCore.QObject):
    """The same interface, run at once in the calling thread (tests, the screenshot command)."""

    busyChanged = QtCore.Signal(bool)

    def run(self, work: Work, on_done: Done, *, on_error: Failed | None = None, title: str = "",
            parent: QtWidgets.QWidget | None = None) -> TaskHandle:
        handle = TaskHandle()
        try:
            result = work(_ProgressState(label=title), handle.token)
        except Cancelled:
            return handle
        except Exception as exc:
            (on_error or (lambda e: show_error(parent, e)))(exc)
            return handle
        finally:
            handle.finished.set()
        on_done(result)
        return handle

    def busy(self) -> bool:
        return False

    def wait(self, msecs: int = 30000) -> bool:
        return True
