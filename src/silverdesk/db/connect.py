"""Open a database for work: the engine, then the newest schema (migrating only when needed)."""

from __future__ import annotations

import os

from sqlalchemy.orm import sessionmaker

from silverdesk.db.engine import Database, open_engine, resolve_url, stored_revision, translate_errors
from silverdesk.db.migrations import HEAD


def connect(db: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and, unless told not to, migrate the database to the newest schema."""
    url = resolve_url(db)
    with translate_errors():
        engine = open_engine(url)
    database = Database(url, engine, sessionmaker(engine, expire_on_commit=False))
    if migrate and stored_revision(database) != HEAD:
        from silverdesk.db.migrate import upgrade_to_head  # imports Alembic: only when there is work

        upgrade_to_head(database)
    return database
