"""Alembic environment, configured in code (no alembic.ini) so it works from a wheel or a bundle."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

import silverdesk.db.models  # noqa: F401  (registers every table)
from silverdesk.db.base import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    # silverdesk.db.migrate hands over a connection with SQLite's foreign keys off (batch
    # migrations recreate tables) and checks them once before committing.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None  # set by silverdesk.db.migrate
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
