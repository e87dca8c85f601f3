"""A plan holds each new person compactly (a :class:`Record` in a shared column order) and equal link
rows once; what is stored is the same as with one dict per row."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from silverdesk.services.hub import Services
from silverdesk.services.importing.plan import Columns, Record
from silverdesk.services.importing.planners.roster import PERSON_COLUMNS, PERSON_DEFAULTS

from .pipeline_helpers import ID_LI, ID_WANG, ID_ZHANG, roster_file


def test_a_record_reads_like_the_dict_it_replaces() -> None:
    columns = Columns(["name", "phone", "unit_id"])
    rec = Record.of(columns, {"unit_id": 3, "name": "张建国", "phone": "", "other": 1})
    assert dict(rec) == {
        "name": "张建国",
        "phone": "",
        "unit_id": 3,
    }  # in the columns' order, extras left out
    assert list(rec) == ["name", "phone", "unit_id"] and len(rec) == 3
    assert rec["unit_id"] == 3 and rec.get("unit_id") == 3 and rec.get("address") is None
    assert "phone" in rec and "address" not in rec
    assert {**rec, "phone": "13800000000"} == {"name": "张建国", "phone": "13800000000", "unit_id": 3}
    with pytest.raises(KeyError):
        rec["address"]
    with pytest.raises(KeyError):  # every column must be given
        Record.of(columns, {"name": "张建国"})
    with pytest.raises(ValueError):
        Record(columns, ("张建国",))


def _plan(services: Services, path: Path):  # type: ignore[no-untyped-def]
    svc = services.imports
    return svc.plan(svc.read(svc.open_file(path), kind="roster", unit_name="龙山镇"))


def test_new_people_are_records_and_are_stored_as_planned(services: Services, county: dict[str, int],
                                                          db_path: Path, tmp_path: Path) -> None:  # fmt: skip
    rows = [
        [1, "张建国", "男", None, ID_ZHANG, "13812345678", "光明社区", "楼长", "书法", None],
        [2, "李秀英", "女", dt.date(1958, 7, 15), ID_LI, "13900001111", "光明社区", "楼长", "书法", None],
        [3, "王明", "男", None, ID_WANG, None, "光明社区", "楼长", "书法", None],
    ]
    plan = _plan(services, roster_file(tmp_path / "r.xlsx", rows))
    new = [rp for rp in plan.rows if rp.insert is not None]
    assert len(new) == 3
    assert all(isinstance(rp.insert, Record) and rp.insert.columns is PERSON_COLUMNS for rp in new)
    assert all(set(rp.insert or {}) == set(PERSON_DEFAULTS) for rp in new)
    # the same role in the same community, the same talent: one link row each, shared by the three people
    assert new[0].links and new[1].links
    for table in ("person_community_role", "person_talent"):
        assert new[0].links[table][0] is new[1].links[table][0]
    # one person changed in the preview the way a test or a later step may: a plain dict among the records
    new[2].insert = {**(new[2].insert or {}), "notes": "核对过"}
    batch = services.imports.commit(plan)
    with sqlite3.connect(db_path) as conn:
        stored = conn.execute("SELECT name, name_pinyin, phone, birth_date, unit_id, community_id, notes, "
                              "import_batch_id FROM person ORDER BY id").fetchall()  # fmt: skip
        roles = conn.execute("SELECT p.name, r.community_id FROM person_community_role r "
                             "JOIN person p ON p.id = r.person_id ORDER BY p.id").fetchall()  # fmt: skip
        talents = conn.execute("SELECT count(*), count(DISTINCT person_id) FROM person_talent").fetchone()
    planned = [rp.insert for rp in new]
    assert [s[:4] for s in stored] == [
        (p["name"], p["name_pinyin"], p["phone"], p["birth_date"] and p["birth_date"].isoformat())
        for p in planned if p is not None
    ]  # fmt: skip
    assert [s[4:] for s in stored] == [(county["town"], stored[0][5], "", batch), (county["town"], stored[0][5], "", batch),
                                       (county["town"], stored[0][5], "核对过", batch)]  # fmt: skip
    assert stored[0][5] is not None
    assert roles == [(name, stored[0][5]) for name in ("张建国", "李秀英", "王明")]
    assert talents == (3, 3)
