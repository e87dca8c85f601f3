import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication

from silverdesk.services import demo
from silverdesk.services.hub import Services
from silverdesk.ui.context import UiContext
from silverdesk.ui.fonts import install_app_font
from silverdesk.ui.language import install_language
from silverdesk.ui.settings import UiState
from silverdesk.ui.tasks import Runner, TaskRunner

BIG_PEOPLE = 100_000


@pytest.fixture(scope="session", autouse=True)
def _app_font(qapp: QApplication) -> None:
    install_app_font(qapp)
    install_language(qapp)


@pytest.fixture(autouse=True)
def _collected_between_tests(qapp: QApplication) -> Iterator[None]:
    """A test's widgets are deleted and its garbage collected when it ends, on the GUI thread.

    Without this, a cycle holding a widget of one test was freed by whichever allocation next ran the
    collector — in the middle of a later test's event loop, with its worker threads running (a rare
    segfault under ``Garbage-collecting`` in the full single-process run).  Set up first, so this
    runs after every other fixture's teardown: the test's tasks have ended and its windows closed.
    """
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    gc.collect()


@pytest.fixture
def ui_state(tmp_path: Path) -> UiState:
    return UiState(QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def finish_tasks(qtbot) -> Callable[[Runner], None]:
    """Ends a test's work before its widgets close: no task outlives its test.

    Searches and counts still running are dropped, as a screen being closed drops them; a task
    the clerk would be waiting for (one with a title: an import, an export, a report) fails the
    test, which should have waited for what the clerk sees when it ends."""

    def finish(runner: Runner) -> None:
        left = runner.running_titles()
        runner.cancel_all()
        runner.discard_background()
        assert runner.wait(30000), "a task was still running 30 s after the test ended"
        qtbot.waitUntil(lambda: not runner.busy(), timeout=5000)  # the outcomes reach the GUI thread
        assert not left, f"the test ended while {left} still ran: wait for what the clerk sees"

    return finish


@pytest.fixture
def ui_ctx(
    services: Services, ui_state: UiState, finish_tasks: Callable[[Runner], None]
) -> Iterator[UiContext]:
    """A context with the window's real threaded task runner; questions are answered by the test.

    Anything that runs through ``ctx.runner`` finishes later, on the GUI thread: tests wait for
    what the clerk would see (``qtbot.waitUntil``)."""
    ctx = UiContext(services, TaskRunner(), ui_state)
    ctx.notices = []  # type: ignore[attr-defined]
    ctx.notify = lambda _parent, text: ctx.notices.append(text)  # type: ignore[attr-defined]
    ctx.confirm = lambda _parent, _title, _text: True
    yield ctx
    finish_tasks(ctx.runner)


@pytest.fixture
def threaded_ctx(ui_ctx: UiContext) -> UiContext:
    """Another name for ``ui_ctx`` (from when ``ui_ctx`` ran every task at once, synchronously)."""
    return ui_ctx


@pytest.fixture(scope="session")
def big_db(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    """100,000 people (no activities), built once per test session (~20 s)."""
    import shutil

    path = tmp_path_factory.mktemp("big") / "big.sqlite"
    shutil.copy(template_db, path)
    svc = Services.open(path, "测试员")
    demo.generate(svc.ctx, people=BIG_PEOPLE, activities=0)
    svc.close()
    return path


@pytest.fixture
def big_ctx(big_db: Path, ui_state: UiState, finish_tasks: Callable[[Runner], None]) -> Iterator[UiContext]:
    svc = Services.open(big_db, "测试员")
    ctx = UiContext(svc, TaskRunner(), ui_state)
    yield ctx
    finish_tasks(ctx.runner)
    svc.close()


def _type(qtbot, widget, text: str) -> None:
    """Type like a clerk: ASCII as key presses, Chinese as the input method commits it.

    QTest cannot press keys for characters outside Latin-1 (it asserts), and a real Chinese
    keyboard delivers them through the input method anyway.
    """
    from PySide6.QtGui import QInputMethodEvent

    run = ""
    for ch in text + "\0":
        if ch != "\0" and ch.isascii():
            run += ch
            continue
        if run:
            qtbot.keyClicks(widget, run)
            run = ""
        if ch != "\0":
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


@pytest.fixture
def type_text(qtbot):
    return lambda widget, text: _type(qtbot, widget, text)


class Driver:
    """Stands in for a dialog's ``exec()``: fills it as the test says, then presses OK (``submit``)."""

    def __init__(self) -> None:
        self.fill = lambda dialog: None
        self.seen: list[object] = []

    def __call__(self, dialog) -> bool:  # type: ignore[no-untyped-def]
        self.seen.append(dialog)
        self.fill(dialog)
        if hasattr(dialog, "submit"):
            dialog.submit()
        return dialog.result() == 1


@pytest.fixture
def driver(monkeypatch: pytest.MonkeyPatch) -> Driver:
    """Every dialog of the 资源与需求 screens opens through ``market_common.run_dialog``."""
    from silverdesk.ui.market import common as market_common

    d = Driver()
    monkeypatch.setattr(market_common, "run_dialog", d)
    return d
