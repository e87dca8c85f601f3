"""Shared fixtures: a migrated template database built once per run and copied for each test."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["SILVERDESK_NO_ERR_WINDOWS"] = "1"

from silverdesk.db.connect import connect
from silverdesk.services.base import Context
from silverdesk.services.hub import Services

FIXED_NOW = dt.datetime(2026, 11, 20, 10, 0, 0)
PG_URL = os.environ.get("SILVERDESK_TEST_PG_URL")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test does may touch the real user data folder."""
    monkeypatch.setenv("SILVERDESK_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("SILVERDESK_DB", raising=False)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    database = connect(path)
    database.dispose()
    return path


def _services_for(url_or_path: str | Path) -> Services:
    ctx = Context(connect(url_or_path), operator="测试员", clock=lambda: FIXED_NOW)
    return Services(ctx)


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "test.sqlite"
    shutil.copy(template_db, path)
    return path


@pytest.fixture
def services(db_path: Path) -> Iterator[Services]:
    svc = _services_for(db_path)
    yield svc
    svc.close()


@pytest.fixture
def county(services: Services) -> dict[str, int]:
    """A small unit tree: 青山县 → 城关街道 → 光明社区, 龙山镇, 县教育局."""
    units = services.units
    root = units.ensure_root("青山县")
    street = units.create({"name": "城关街道", "kind": "街道", "parent_id": root})
    community = units.create({"name": "光明社区", "kind": "社区", "parent_id": street})
    town = units.create({"name": "龙山镇", "kind": "乡镇", "parent_id": root})
    dept = units.create({"name": "县教育局", "kind": "部门", "parent_id": root})
    return {"root": root, "street": street, "community": community, "town": town, "dept": dept}


def _pg_admin_url(db_name: str) -> str:
    assert PG_URL
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{db_name}"


@pytest.fixture
def pg_services() -> Iterator[Services]:
    """A fresh PostgreSQL database per test (skipped when no server is configured)."""
    if not PG_URL:
        pytest.skip("SILVERDESK_TEST_PG_URL not set: no PostgreSQL server for this run")
    from sqlalchemy import create_engine, text

    name = f"sdtest_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    svc = _services_for(_pg_admin_url(name))
    yield svc
    svc.close()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
