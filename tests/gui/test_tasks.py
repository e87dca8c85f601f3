import threading

import pytest

from silverdesk.errors import UserError
from silverdesk.ui import tasks
from silverdesk.ui.tasks import SyncTaskRunner, TaskRunner


def test_results_come_back_on_the_gui_thread(qtbot):
    runner = TaskRunner()
    got = []
    main = threading.get_ident()

    def work(progress, cancel):
        progress(1, 2, "半")
        return threading.get_ident()

    with qtbot.waitSignal(runner.busyChanged, check_params_cb=lambda busy: not busy):
        runner.run(work, lambda worker: got.append((worker, threading.get_ident())))
    assert got and got[0][0] != main and got[0][1] == main


def test_errors_go_to_the_handler_and_cancel_is_silent(qtbot):
    runner = TaskRunner()
    errors, done = [], []

    def fail(_p, _c):
        raise UserError("文件正被占用")

    with qtbot.waitSignal(runner.busyChanged, check_params_cb=lambda busy: not busy):
        runner.run(fail, done.append, on_error=errors.append)
    assert done == [] and str(errors[0]) == "文件正被占用"

    started = threading.Event()

    def slow(_p, cancel):
        started.set()
        while not cancel.cancelled:
            started.wait(0.01)
        cancel.raise_if_set()

    with qtbot.waitSignal(runner.busyChanged, check_params_cb=lambda busy: not busy):
        handle = runner.run(slow, done.append, on_error=errors.append)
        started.wait(2)
        handle.cancel()
    assert done == [] and len(errors) == 1


def test_a_progress_dialog_appears_only_for_long_titled_tasks(qtbot, monkeypatch):
    monkeypatch.setattr(tasks, "SHOW_AFTER_MS", 50)
    runner = TaskRunner()
    release = threading.Event()

    def work(progress, _cancel):
        progress(3, 10, "导出")
        release.wait(5)
        return 1

    handle = runner.run(work, lambda _r: None, title="正在导出")
    qtbot.waitUntil(lambda: any(j.dialog is not None for j in runner._running.values()), timeout=2000)
    dialog = next(iter(runner._running.values())).dialog
    qtbot.waitUntil(lambda: dialog.value() == 3, timeout=2000)
    assert dialog.maximum() == 10
    from PySide6.QtWidgets import QPushButton

    dialog.findChild(QPushButton).click()  # 取消
    assert handle.token.cancelled
    release.set()
    qtbot.waitUntil(lambda: not runner.busy(), timeout=2000)


def test_sync_runner_runs_at_once():
    runner = SyncTaskRunner()
    got, errors = [], []
    runner.run(lambda p, c: 42, got.append)
    runner.run(lambda p, c: 1 / 0, got.append, on_error=errors.append)
    assert got == [42] and isinstance(errors[0], ZeroDivisionError)
    with pytest.raises(AssertionError):
        assert errors == []
