"""What the commands share: the import kinds they name, the services they open, the one-writer lock."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from silverdesk.services.hub import Services

IMPORT_KINDS = ("roster", "activities", "resources", "demands", "report")
"""The import kinds' keys (``--kind``, the JSON output); the clerk may write them in Chinese."""


def kind_choices(kinds: Sequence[str]) -> str:
    from silverdesk.services.importing import kind_name

    return "、".join(kind_name(k) for k in kinds)


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
