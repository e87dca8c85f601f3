"""What the long-job tests share: a demo database, a service step slowed down, the progress dialog.

A long job is made long by slowing one real step down (:func:`slow_down`): the step first takes
``seconds`` in small sleeps, telling ``progress`` and checking ``cancel`` when the call carries
them, and then runs the real step, so the real result is produced.  The job runs on the real
``TaskRunner`` (the ``threaded_ctx`` fixture), whose progress dialog shows after 600 ms; the test
waits for what the clerk sees.
"""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6 import QtWidgets

from silverdesk.progress import CancelToken
from silverdesk.ui.tasks import ProgressDialog

LONG = 2.5  # seconds a slowed step takes: long enough for the progress dialog to show
STEP = 0.05
TODAY = dt.date(2026, 11, 20)  # the tests' clock (tests/conftest.py FIXED_NOW)
_demo_template: list[Path] = []


def demo_copy(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    """A copy of a demo database (300 people, 2,000 activities, the market, star rules), built once."""
    if not _demo_template:
        from silverdesk.services import demo
        from silverdesk.services.hub import Services

        path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
        shutil.copy(template_db, path)
        svc = Services.open(path, "测试员")
        demo.generate(svc.ctx, people=300, activities=2000, seed=7, today=TODAY)
        svc.close()
        _demo_template.append(path)
    copy = tmp_path / "test.sqlite"
    shutil.copy(_demo_template[0], copy)
    return copy


class Slowed:
    """How a slowed step went: ``started`` is set once a call began, ``calls`` counts them."""

    def __init__(self, seconds: float, interruptible: bool) -> None:
        self.seconds, self.interruptible = seconds, interruptible
        self.started = threading.Event()
        self.calls = 0

    def wait(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.calls += 1
        self.started.set()
        cancel = kwargs.get("cancel") or next((a for a in args if isinstance(a, CancelToken)), None)
        progress = kwargs.get("progress")
        steps = int(self.seconds / STEP)
        for i in range(steps):
            if cancel is not None and self.interruptible:
                cancel.raise_if_set()
            if callable(progress):
                progress(i, steps, f"第 {i + 1} 步（共 {steps} 步）")
            time.sleep(STEP)


def slow_down(
    monkeypatch: pytest.MonkeyPatch,
    owner: object,
    name: str,
    seconds: float = LONG,
    *,
    interruptible: bool = True,
) -> Slowed:
    """Make ``owner.name`` (a method, static method or module function) take ``seconds`` first.

    ``interruptible=False`` stands for a step that cannot stop by itself (one SQL statement, a
    file being drawn): the cancel is then noticed by the real code after it.
    """
    raw = inspect.getattr_static(owner, name)
    real: Callable[..., Any] = getattr(owner, name)
    slowed = Slowed(seconds, interruptible)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        slowed.wait(args, kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, staticmethod(wrapper) if isinstance(raw, staticmethod) else wrapper)
    return slowed


def progress_dialogs() -> list[ProgressDialog]:
    return [
        w for w in QtWidgets.QApplication.topLevelWidgets() if isinstance(w, ProgressDialog) and w.isVisible()
    ]


def wait_for_progress_dialog(qtbot: Any, title: str | None = None, timeout: int = 3000) -> ProgressDialog:
    """The progress dialog of the running job, once it shows (after 600 ms)."""
    qtbot.waitUntil(
        lambda: any(title is None or d.windowTitle() == title for d in progress_dialogs()), timeout=timeout
    )
    return next(d for d in progress_dialogs() if title is None or d.windowTitle() == title)


def press_cancel(
    qtbot: Any,
    slowed: Slowed | None = None,
    *,
    when: Callable[[], bool] | None = None,
    title: str | None = None,
) -> None:
    """Press 取消 in the progress dialog midway: once it shows, the slowed step has begun and
    ``when`` (e.g. a part file on disk) holds."""
    dialog = wait_for_progress_dialog(qtbot, title)
    if slowed is not None:
        assert slowed.started.wait(5), "the slowed step never began"
    if when is not None:
        qtbot.waitUntil(when, timeout=5000)
    assert dialog.cancel_button.isEnabled()
    dialog.cancel_button.click()
    assert "正在取消" in dialog.label.text()


def no_progress_dialog() -> bool:
    return not progress_dialogs()


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its content (to compare before and after)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def database_state(services: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the test databases are small): equal before and after means the
    data is exactly as it was."""
    from sqlalchemy import inspect as sa_inspect
    from sqlalchemy import text

    engine = services.ctx.db.engine
    with engine.connect() as conn:
        return {
            table: [tuple(r) for r in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY rowid'))]
            for table in sa_inspect(engine).get_table_names()
        }
