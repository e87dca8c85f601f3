"""What the commands share: the import kinds they name, the services they open, the one-writer lock."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from silverdesk.services.hub import Services

IMPORT_KINDS = ("roster", "activities", "resources", "demands", "themes", "report")
"""The import kinds' keys (``--kind``, the JSON output); the clerk may write them in Chinese."""
TEMPLATE_KINDS = tuple(k for k in IMPORT_KINDS if k != "report")
"""The kinds ``silverdesk template`` writes a blank form for (a report workbook has none)."""


def kind_choices(kinds: Sequence[str]) -> str:
    from silverdesk.services.importing import kind_name

    return "、".join(kind_name(k) for k in kinds)


def load_storage() -> None:
    """Load SQLAlchemy, the models and the services with Python's cyclic garbage collector paused.

    Loading them leaves some 110,000 objects the collector tracks, alive as long as the process;
    the collector walked them again and again (~0.05 s of CPU, a noticeable part of a 2,000-row
    import's ~0.75 s).  Once loaded they are moved out of its sight (``gc.freeze``, meant for such
    long-lived objects) and it is switched back on: it is not paused for a whole command, which
    would keep the reference cycles of a big import's finished steps alive (+50 MB at 100,000
    rows).  The mappers are configured here, as the first query would.  Nothing happens when the
    storage is loaded already (a test running several commands in one process).
    """
    import sys

    if "silverdesk.services.hub" in sys.modules:
        return
    import gc

    # paused by hand, not with services.importing.bulk.gc_paused: importing that would load the whole
    # import package (~0.1 s) into every command that loads the storage, `silverdesk report` too
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        from sqlalchemy.orm import configure_mappers

        import silverdesk.services.hub  # noqa: F401  (the database, the models, the service base)

        configure_mappers()
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def open_services(args: argparse.Namespace) -> Services:
    from silverdesk.services.hub import Services

    return Services.open(args.db, args.operator)


def write_lock(args: argparse.Namespace) -> contextlib.AbstractContextManager[object]:
    """The database's one-writer lock for commands that write (demo, import, restore).

    A second writer is refused with the holder's name; a server database needs no file lock.
    """
    from silverdesk.services.base import default_operator
    from silverdesk.services.system.backups import BackupsNotApplicable, db_file
    from silverdesk.services.system.lock import DatabaseLock

    try:
        path = db_file(args.db)
    except BackupsNotApplicable:
        return contextlib.nullcontext()
    return DatabaseLock(path, args.operator or default_operator())
