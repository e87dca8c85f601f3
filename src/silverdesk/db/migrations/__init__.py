"""Alembic migrations of the silverdesk schema (``versions/``).

``HEAD`` names the newest revision so that opening a database already at head needs one SQL
query instead of importing Alembic (~140 ms of the GUI's start-up).  Bump it with every new
migration; ``tests/unit/db/test_migrations.py`` checks it against Alembic's own head.
"""

HEAD = "0011"
