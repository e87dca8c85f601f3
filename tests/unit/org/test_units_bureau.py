"""The first start without demo data: the bureau's own unit and the units pasted under it, nothing else."""

from __future__ import annotations

import sqlite3

import pytest

from silverdesk.domain.unit_kinds import plan_units
from silverdesk.errors import UserError
from silverdesk.services.org.bureau import create_bureau_database, start_bureau


def test_a_new_database_holds_the_bureau_and_nothing_fictional(tmp_path) -> None:
    path = tmp_path / "silverdesk.sqlite"
    made = create_bureau_database(path, "榆林市", "市", "", plan_units("榆山街道\n光明社区\n市民政局\n孤村"))
    assert len(made) == 4 and path.exists() and not list(tmp_path.glob("*.building*"))
    with sqlite3.connect(path) as conn:
        units = conn.execute(
            "SELECT u.name, u.kind, p.name FROM unit u LEFT JOIN unit p ON p.id = u.parent_id ORDER BY u.id"
        ).fetchall()
        assert units == [("榆林市", "市", None), ("榆山街道", "街道", "榆林市"), ("光明社区", "社区", "榆山街道"),
                         ("市民政局", "部门", "榆林市")]  # fmt: skip
        for table in ("person", "team", "party_org", "activity", "place", "monthly_theme", "resource"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        settings = dict(conn.execute("SELECT key, value FROM setting"))
        assert settings["county_name"] == "榆林市" and settings["bureau_name"] == "中共榆林市委老干部局"


def test_the_bureau_is_made_once(services) -> None:
    start_bureau(services.ctx, "青山县", "县")
    with pytest.raises(UserError, match="已经有本级单位"):
        start_bureau(services.ctx, "青山县", "县")
    with pytest.raises(UserError, match="只能是县、市或区"):
        services.units.ensure_root("青山镇", "乡镇")
