"""The window's task runner: every job hands back its outcome exactly once, however long it runs.

These run the real ``TaskRunner`` (a thread pool, signals back to the GUI thread, the progress
dialog after 600 ms) with jobs long enough for the dialog to show, as a clerk's click does.
"""

import threading
import time

import pytest
from PySide6 import QtWidgets

from silverdesk.errors import Cancelled, UserError
from silverdesk.ui.tasks import ProgressDialog, SyncTaskRunner, TaskRunner


class Outcomes:
    """Records every handler call of one job, to check that exactly one ran, once."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def run(self, runner, work, **kw):
        return runner.run(
            work,
            lambda r: self.calls.append(("done", r)),
            on_error=lambda e: self.calls.append(("error", e)),
            on_cancelled=lambda: self.calls.append(("cancelled", None)),
            **kw,
        )


def _dialogs() -> list[ProgressDialog]:
    return [
        w for w in QtWidgets.QApplication.topLevelWidgets() if isinstance(w, ProgressDialog) and w.isVisible()
    ]


def _sleeping(seconds: float, result: object):
    def work(progress, cancel):
        steps = int(seconds / 0.05)
        for i in range(steps):
            progress(i, steps, f"第 {i} 步")
            time.sleep(0.05)
        return result

    return work


@pytest.mark.parametrize("seconds", [1.5, 3.0])
def test_a_long_job_shows_progress_and_hands_back_its_result(qtbot, seconds):
    runner, got = TaskRunner(), Outcomes()
    parent = QtWidgets.QWidget()
    qtbot.addWidget(parent)
    parent.show()
    got.run(runner, _sleeping(seconds, {"场次": 42}), title="正在统计", parent=parent)
    qtbot.waitUntil(lambda: bool(_dialogs()), timeout=2000)  # the progress dialog is up …
    dialog = _dialogs()[0]
    assert dialog.windowTitle() == "正在统计" and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=2000)
    qtbot.waitUntil(
        lambda: bool(got.calls), timeout=int(seconds * 1000) + 5000
    )  # … and the result still comes
    assert got.calls == [("done", {"场次": 42})]
    assert not _dialogs() and not runner.busy()
    qtbot.wait(300)  # nothing more arrives later
    assert len(got.calls) == 1


def test_a_failing_long_job_hands_back_its_error(qtbot):
    runner, got = TaskRunner(), Outcomes()

    def work(progress, cancel):
        time.sleep(1.0)
        raise UserError("文件正被占用，请关闭后重试")

    got.run(runner, work, title="正在导入")
    qtbot.waitUntil(lambda: bool(_dialogs()), timeout=2000)
    qtbot.waitUntil(lambda: bool(got.calls), timeout=5000)
    assert [kind for kind, _ in got.calls] == ["error"] and str(
        got.calls[0][1]
    ) == "文件正被占用，请关闭后重试"
    assert not _dialogs()


def test_cancel_stops_the_job_and_says_so_once(qtbot):
    runner, got = TaskRunner(), Outcomes()
    stopped_at = []

    def work(progress, cancel):
        for i in range(200):
            if cancel.cancelled:
                stopped_at.append(i)
                raise Cancelled()
            time.sleep(0.02)
        return "完成"

    got.run(runner, work, title="正在导出")
    qtbot.waitUntil(lambda: bool(_dialogs()), timeout=2000)
    dialog = _dialogs()[0]
    dialog.cancel_button.click()
    assert not dialog.cancel_button.isEnabled() and "正在取消" in dialog.label.text()
    qtbot.waitUntil(lambda: bool(got.calls), timeout=3000)
    assert got.calls == [("cancelled", None)] and stopped_at and stopped_at[0] < 200
    assert not _dialogs()


def test_esc_or_closing_the_progress_dialog_cancels_and_the_outcome_still_comes(qtbot):
    runner, got = TaskRunner(), Outcomes()
    got.run(runner, _sleeping(1.2, "写好了"), title="正在保存")  # this work never looks at the token
    qtbot.waitUntil(lambda: bool(_dialogs()), timeout=2000)
    dialog = _dialogs()[0]
    dialog.close()  # the title bar's ×: asks to cancel, the dialog stays
    assert dialog.isVisible() and not dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: bool(got.calls), timeout=5000)
    assert got.calls == [("done", "写好了")]  # finished anyway: its effects are real, so they are shown


def test_background_jobs_deliver_and_discarded_ones_do_not(qtbot):
    runner, got, dropped = TaskRunner(), Outcomes(), Outcomes()
    main = threading.get_ident()
    got.run(runner, lambda p, c: threading.get_ident())
    release = threading.Event()
    handle = dropped.run(runner, lambda p, c: release.wait(5))
    handle.discard()
    release.set()
    qtbot.waitUntil(lambda: not runner.busy(), timeout=3000)
    assert len(got.calls) == 1 and got.calls[0][1] != main
    assert dropped.calls == []


def test_nothing_is_delivered_to_a_widget_that_was_deleted(qtbot):
    runner, got = TaskRunner(), Outcomes()
    parent = QtWidgets.QWidget()
    got.run(runner, _sleeping(0.3, 1), parent=parent)
    import shiboken6

    shiboken6.delete(parent)
    qtbot.waitUntil(lambda: not runner.busy(), timeout=3000)
    assert got.calls == []


def test_many_jobs_each_deliver_exactly_once(qtbot):
    runner, got = TaskRunner(), Outcomes()
    for i in range(40):
        got.run(runner, (lambda n: lambda p, c: time.sleep(0.01) or n)(i), title="正在计算" if i % 2 else "")
    qtbot.waitUntil(lambda: len(got.calls) == 40, timeout=10000)
    assert sorted(r for _, r in got.calls) == list(range(40))


class _Tracked:
    """Stands for a widget a task's callable closes over: records the thread that lets go of it last."""

    released_on: list[int] = []  # noqa: RUF012

    def __del__(self) -> None:
        _Tracked.released_on.append(threading.get_ident())


@pytest.mark.parametrize("ending", ["done", "error", "cancelled", "discarded"])
def test_the_work_and_its_outcome_are_let_go_of_on_the_gui_thread(qtbot, ending):
    """A worker that dropped the last reference to a widget made PySide delete it from a pending call
    off the GUI thread: a rare segfault in runDeletionInMainThread.  Whatever way a task ends, the
    callable (and the traceback holding its frames) is released by the GUI thread."""
    runner, got = TaskRunner(), Outcomes()
    _Tracked.released_on.clear()
    release = threading.Event()

    def make_work():
        tracked = _Tracked()

        def work(progress, cancel):
            release.wait(5)
            if ending == "error":
                raise UserError(f"出错了 {tracked}")
            if ending == "cancelled":
                cancel.cancel()
                cancel.raise_if_set()
            return len(repr(tracked))

        return work

    handle = got.run(runner, make_work())
    if ending == "discarded":
        handle.discard()
    release.set()
    qtbot.waitUntil(lambda: not runner.busy(), timeout=3000)
    got.calls.clear()  # the handlers' arguments (an exception and its traceback) go too
    import gc

    qtbot.waitUntil(lambda: gc.collect() >= 0 and bool(_Tracked.released_on), timeout=3000)
    assert _Tracked.released_on == [threading.get_ident()]


def test_sync_runner_runs_at_once():
    """The runner of ``silverdesk screenshot`` (every screen rendered in one pass, each complete
    when it is grabbed): the one place left that runs tasks synchronously."""
    runner = SyncTaskRunner()
    got = Outcomes()
    got.run(runner, lambda p, c: 42)
    got.run(runner, lambda p, c: 1 / 0)
    got.run(runner, lambda p, c: c.cancel() or c.raise_if_set())
    assert [k for k, _ in got.calls] == ["done", "error", "cancelled"] and got.calls[0][1] == 42
