"""Progress reporting and cancellation for long jobs, usable from any thread and without Qt."""

from __future__ import annotations

import threading
from typing import Protocol

from silverdesk.errors import Cancelled


class Progress(Protocol):
    def __call__(self, done: int, total: int, label: str = "") -> None: ...


def null_progress(done: int, total: int, label: str = "") -> None:
    """A progress sink that ignores everything."""


class CancelToken:
    """Set from the UI thread, checked by the worker at safe points."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_set(self) -> None:
        if self._event.is_set():
            raise Cancelled()


NEVER = CancelToken()
