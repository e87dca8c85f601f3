"""Python's cyclic garbage collector, paused while an import builds and writes its rows.

An import holds a sheet's cells, its rows and its plan — millions of small objects, all alive
until the end — and creates as many more on the way.  The cyclic collector runs every 700
allocations and, now and then, walks *every* tracked object: for a 100,000-row roster that was
4.7 s of a 22 s import (13 full collections, 3,700 young ones), for nothing, since these objects
form no cycles and reference counting frees them as soon as they are dropped.

:func:`gc_paused` switches the collector off for the duration of a step (read, plan, commit,
undo) and back on afterwards — exactly as it was, also when the step fails.  Nested and
concurrent steps (the GUI runs them on a worker thread) share one count, so the collector is
switched back on by the last step to finish, and only if it was on before the first began.
Memory is unaffected except for reference cycles created meanwhile, which the next collection
after the step frees.
"""

from __future__ import annotations

import gc
import threading
from contextlib import ContextDecorator
from typing import Any

_lock = threading.Lock()
_depth = 0
_was_enabled = False


class gc_paused(ContextDecorator):
    """Context manager and decorator: no cyclic garbage collection inside (see the module docstring)."""

    def __enter__(self) -> gc_paused:
        global _depth, _was_enabled
        with _lock:
            if _depth == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _depth += 1
        return self

    def __exit__(self, *exc: Any) -> None:
        global _depth
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


__all__ = ["gc_paused"]
