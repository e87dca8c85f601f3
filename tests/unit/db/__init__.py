"""Tests of silverdesk.db: the engine, migrations, crash safety, PostgreSQL."""
