"""Storage: engine and sessions, ORM models, migrations and queries."""
