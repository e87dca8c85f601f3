"""``both``: the test's services on SQLite, and again on PostgreSQL (marked ``postgres``: skipped without a
server, see CONTRIBUTING.md) — the query model's SQL must give the same figures on both."""

from __future__ import annotations

import pytest

from silverdesk.services.hub import Services


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def both(request: pytest.FixtureRequest) -> Services:
    name = "services" if request.param == "sqlite" else "pg_services"
    services: Services = request.getfixturevalue(name)
    return services
