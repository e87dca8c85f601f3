"""Long work off the GUI thread, with polled progress and cancel.

A task is a plain callable ``fn(progress, cancel) -> result`` that never touches widgets.  The
:class:`TaskRunner` runs it on a small pool of Python threads (``concurrent.futures``); what it ends
with comes back to the GUI thread through a signal of a QObject that lives there, and exactly one of
the caller's handlers runs (see below).

No Qt object may be created *or released* off the GUI thread.  A task's callable usually closes over
its widget (``lambda p, c: self.service.plan(…)``), so if a worker thread dropped the last reference
to it, PySide would delete the widget from that thread's pending call and crash (seen as rare
segfaults in ``Shiboken::BindingManager::runDeletionInMainThread`` under load).  So the worker never
owns anything Qt: the callable and its outcome (a result, or an exception whose traceback holds the
callable's frames) sit in a :class:`_Box` that the GUI thread empties, the worker drops its own
references *before* it signals, and it signals through one relay QObject that lives as long as the
program.  The handlers:

- ``on_done(result)`` when the work returned — also when the clerk pressed 取消 too late for the
  work to notice: its effects are real, so the screen must show them;
- ``on_cancelled()`` when the work stopped at a cancel point (it raised
  :class:`~silverdesk.errors.Cancelled`): the work is written so that the data is then as it was;
- ``on_error(exc)`` for any other exception (default: a message box).

Nothing of this depends on whether a progress dialog was shown.  Progress is written by the
worker into a small shared record and *polled* every 100 ms by a timer (Anki's pattern), so a
chatty worker cannot flood the event loop; a progress dialog appears only when a task with a
``title`` is still running after 600 ms.  Its 取消 button (or Esc, or the window's close button)
asks the work to stop; the dialog stays, saying 正在取消……, until the work has stopped, and it is
closed only by the runner.

A caller that no longer wants an answer (a search overtaken by the next keystroke, a dialog being
closed) calls :meth:`TaskHandle.discard`: the work is asked to stop and none of the handlers runs.

:class:`SyncTaskRunner` runs the callable at once in the calling thread.  It is for the screenshot
command (every screen rendered in one pass) and for unit tests of one layer that say why.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6 import QtCore, QtGui, QtWidgets
from shiboken6 import isValid

from silverdesk.errors import Cancelled
from silverdesk.progress import CancelToken, Progress
from silverdesk.ui.errors import show_error

POLL_MS = 100
SHOW_AFTER_MS = 600

Work = Callable[[Progress, CancelToken], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Stopped = Callable[[], None]

_runner_ids = itertools.count(1)


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
    """What the caller keeps of a running task."""

    token: CancelToken = field(default_factory=CancelToken)
    finished: threading.Event = field(default_factory=threading.Event)
    discarded: bool = False

    def cancel(self) -> None:
        """Ask the work to stop (as the clerk's 取消 does); one of the handlers still runs."""
        self.token.cancel()

    def discard(self) -> None:
        """Ask the work to stop and drop whatever it ends with: no handler runs."""
        self.discarded = True
        self.token.cancel()


class Runner(Protocol):
    busyChanged: Any

    def run(
        self,
        work: Work,
        on_done: Done,
        *,
        on_error: Failed | None = None,
        on_cancelled: Stopped | None = None,
        title: str = "",
        parent: QtWidgets.QWidget | None = None,
    ) -> TaskHandle: ...

    def busy(self) -> bool: ...

    def running_titles(self) -> list[str]: ...

    def cancel_all(self) -> None: ...

    def discard_background(self) -> None: ...

    def wait(self, msecs: int = 30000) -> bool: ...


class _Relay(QtCore.QObject):
    """The one object workers signal through; created on the GUI thread and never deleted.

    Signals:
        ended(int, int): runner id and job id (the outcome waits in the job's :class:`_Box`).
    """

    ended = QtCore.Signal(int, int)


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    """The relay, made on first use by a runner (on the GUI thread) and kept for the program's life."""
    global _relay
    if _relay is None:
        _relay = _Relay()
    return _relay


@dataclass
class _Box:
    """What a worker runs and what it ends with; only the GUI thread empties it (see the module docs)."""

    work: Work | None
    result: Any = None
    error: BaseException | None = None


def _run_job(runner_id: int, job_id: int, box: _Box, state: _ProgressState, handle: TaskHandle) -> None:
    """The worker thread's part: run the work, leave the outcome in ``box``, then tell the GUI thread."""
    try:
        box.result = box.work(state, handle.token)  # type: ignore[misc]
    except BaseException as exc:  # everything goes back to the GUI thread's handler
        box.error = exc
        del exc  # the traceback holds the work's frames: only the GUI thread lets go of it
    handle.finished.set()
    _the_relay().ended.emit(runner_id, job_id)


class ProgressDialog(QtWidgets.QDialog):
    """Label, bar and 取消 for one running task.  Closing it (Esc, the title bar's ×) asks the
    task to stop, like 取消; only :meth:`finish` (the runner, when the task has ended) closes it."""

    cancelRequested = QtCore.Signal()

    def __init__(self, title: str, parent: QtWidgets.QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        self.setWindowFlag(QtCore.Qt.WindowType.WindowContextHelpButtonHint, False)
        self.label = QtWidgets.QLabel(title)
        self.label.setMinimumWidth(self.fontMetrics().horizontalAdvance("汉") * 24)
        self.label.setWordWrap(True)
        self.bar = QtWidgets.QProgressBar()
        self.bar.setRange(0, 0)  # busy until the task says how much there is
        self.cancel_button = QtWidgets.QPushButton("取消")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.request_cancel)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self._finished = False

    def show_progress(self, label: str, done: int, total: int) -> None:
        if self.cancel_button.isEnabled():
            self.label.setText(label)
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def request_cancel(self) -> None:
        if not self.cancel_button.isEnabled():
            return
        self.cancel_button.setEnabled(False)
        self.label.setText("正在取消……（会在安全的地方停下，数据保持原样）")
        self.cancelRequested.emit()

    def finish(self) -> None:
        self._finished = True
        self.close()
        self.deleteLater()

    # Esc and the close button ask to cancel; the dialog stays until the task has ended
    def reject(self) -> None:
        if self._finished:
            super().reject()
        else:
            self.request_cancel()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self._finished:
            super().closeEvent(event)
        else:
            event.ignore()
            self.request_cancel()


@dataclass
class _Running:
    handle: TaskHandle
    state: _ProgressState
    on_done: Done
    on_error: Failed
    on_cancelled: Stopped
    title: str
    parent: QtWidgets.QWidget | None
    elapsed: QtCore.QElapsedTimer
    box: _Box
    dialog: ProgressDialog | None = None


class TaskRunner(QtCore.QObject):
    """Runs tasks on a thread pool and delivers their outcome on the GUI thread.

    A ``title`` asks for a progress dialog (shown after 600 ms); without one the task runs
    silently (searches, dashboard figures).

    Signals:
        busyChanged(bool): true while at least one task runs.
    """

    busyChanged = QtCore.Signal(bool)

    def __init__(self, parent: QtCore.QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=max_threads, thread_name_prefix="silverdesk-task")
        self._futures: set[Future[None]] = set()
        self._id = next(_runner_ids)
        _the_relay().ended.connect(self._ended)
        self._ids = itertools.count(1)
        self._running: dict[int, _Running] = {}
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def run(
        self,
        work: Work,
        on_done: Done,
        *,
        on_error: Failed | None = None,
        on_cancelled: Stopped | None = None,
        title: str = "",
        parent: QtWidgets.QWidget | None = None,
    ) -> TaskHandle:
        """Start ``work(progress, cancel)``; exactly one of ``on_done(result)``, ``on_cancelled()``
        or ``on_error(exc)`` runs later on the GUI thread (none if the handle is discarded)."""
        job_id = next(self._ids)
        handle, state = TaskHandle(), _ProgressState(label=title)
        elapsed = QtCore.QElapsedTimer()
        elapsed.start()
        self._running[job_id] = _Running(
            handle,
            state,
            on_done,
            on_error or (lambda exc: show_error(parent, exc)),
            on_cancelled or (lambda: None),
            title,
            parent,
            elapsed,
            box := _Box(work),
        )
        if len(self._running) == 1:
            self.busyChanged.emit(True)
        if title and not self._timer.isActive():
            self._timer.start()
        del work  # from here on only the box (emptied on the GUI thread) holds it
        future = self._pool.submit(_run_job, self._id, job_id, box, state, handle)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)
        return handle

    def busy(self) -> bool:
        return bool(self._running)

    def running_titles(self) -> list[str]:
        """What the clerk started and is waiting for (tasks with a title), oldest first."""
        return [job.title for job in self._running.values() if job.title and not job.handle.discarded]

    def cancel_all(self) -> None:
        """Ask every task the clerk started to stop, as its 取消 would; each still reports."""
        for job in self._running.values():
            if job.title:
                if job.dialog is not None:
                    job.dialog.request_cancel()
                job.handle.cancel()

    def discard_background(self) -> None:
        """Stop the tasks nobody waits for (searches, counts: no title) and drop their results."""
        for job in self._running.values():
            if not job.title:
                job.handle.discard()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every task's work has returned (benchmarks; the window waits with events)."""
        _done, pending = wait_futures(list(self._futures), timeout=msecs / 1000)
        return not pending

    # --- GUI-thread slots ----------------------------------------------------------------------
    @QtCore.Slot(int, int)
    def _ended(self, runner_id: int, job_id: int) -> None:
        if runner_id != self._id:
            return  # another runner's task
        job = self._end(job_id)
        if job is None:
            return
        box = job.box
        result, exc = box.result, box.error
        box.work = box.result = box.error = None  # released here, on the GUI thread
        if not self._wanted(job):
            return  # a discarded task's outcome (its target went away) is no news
        if exc is None:
            job.on_done(result)
        elif isinstance(exc, Cancelled):
            job.on_cancelled()
        else:
            job.on_error(exc)

    @QtCore.Slot()
    def _poll(self) -> None:
        titled = False
        for job in self._running.values():
            if not job.title or job.handle.discarded:
                continue
            titled = True
            if job.dialog is None and job.elapsed.elapsed() >= SHOW_AFTER_MS:
                job.dialog = self._make_dialog(job)
            if job.dialog is not None:
                job.dialog.show_progress(job.state.label or job.title, job.state.done, job.state.total)
        if not titled:
            self._timer.stop()

    @staticmethod
    def _wanted(job: _Running) -> bool:
        """Someone is there to take the outcome: not discarded, and the widget that started the
        task (if it named one) has not been deleted meanwhile."""
        return not job.handle.discarded and (job.parent is None or isValid(job.parent))

    def _make_dialog(self, job: _Running) -> ProgressDialog:
        parent = job.parent if job.parent is not None and isValid(job.parent) else None
        dialog = ProgressDialog(job.title, parent)
        dialog.cancelRequested.connect(job.handle.cancel)
        dialog.show()
        return dialog

    def _end(self, job_id: int) -> _Running | None:
        job = self._running.pop(job_id, None)
        if job is not None and job.dialog is not None:
            job.dialog.finish()
            job.dialog = None
        if not self._running:
            self._timer.stop()
            self.busyChanged.emit(False)
        return job


class SyncTaskRunner(QtCore.QObject):
    """The same interface, run at once in the calling thread: for the screenshot command, which
    renders every screen in one pass, and for unit tests of one layer that say why."""

    busyChanged = QtCore.Signal(bool)

    def run(
        self,
        work: Work,
        on_done: Done,
        *,
        on_error: Failed | None = None,
        on_cancelled: Stopped | None = None,
        title: str = "",
        parent: QtWidgets.QWidget | None = None,
    ) -> TaskHandle:
        handle = TaskHandle()
        try:
            result = work(_ProgressState(label=title), handle.token)
        except Cancelled:
            handle.finished.set()
            if on_cancelled is not None:
                on_cancelled()
            return handle
        except Exception as exc:
            handle.finished.set()
            (on_error or (lambda e: show_error(parent, e)))(exc)
            return handle
        handle.finished.set()
        on_done(result)
        return handle

    def busy(self) -> bool:
        return False

    def running_titles(self) -> list[str]:
        return []

    def cancel_all(self) -> None:
        pass

    def discard_background(self) -> None:
        pass

    def wait(self, msecs: int = 30000) -> bool:
        return True
