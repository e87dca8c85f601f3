"""Undoing a batch: its rows and only its rows, or a refusal that names the reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from silverdesk.errors import NotFound, UserError
from silverdesk.services.hub import Services

from .pipeline_helpers import ID_ZHANG, dump, roster_file, table_counts, write_book

DATA = (
    "person",
    "person_community_role",
    "person_talent",
    "team",
    "team_member",
    "unit",
    "activity",
    "activity_team",
    "activity_participant",
)


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row's values except ``updated_at``: an undo is itself a write, so that stamp moves on
    (when the test crosses a second boundary), while every value must come back."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        columns = {
            t: ", ".join(r[1] for r in conn.execute(f"PRAGMA table_info({t})") if r[1] != "updated_at")
            for t in DATA
        }
    return {t: dump(db, t, columns[t], "rowid") for t in DATA}


def test_undo_deletes_what_the_batch_created_and_restores_what_it_overwrote(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    kept = services.people.create({"name": "孙不相干", "phone": "13700000000"})
    services.people.create(
        {"name": "张建国", "id_number": ID_ZHANG, "phone": "13800000000", "unit_id": county["town"]}
    )
    before = snapshot(db_path)
    out = services.imports.run(roster_file(tmp_path / "r.xlsx"), kind="roster", unit_name="石桥镇")
    assert out.plan.counts["更新"] == 1 and out.plan.counts["新增"] == 2
    assert snapshot(db_path) != before
    result = services.imports.undo(out.batch_id)
    assert (result.deleted, result.restored) == (2, 1)
    after = snapshot(db_path)
    # the unit “石桥镇” stays: the undone batch's record still names it
    assert [r for r in after["unit"] if r not in before["unit"]] == [
        r for r in after["unit"] if r[1] == "石桥镇"
    ]
    assert result.kept == ("单位“石桥镇”",)
    for table in DATA:
        if table != "unit":
            assert after[table] == before[table], table
    assert dump(db_path, "person", "name", "id")[0] == ("孙不相干",) and kept
    assert dump(db_path, "import_batch", "status, undone_at") == [("已撤销", "2026-11-20 10:00:00.000000")]
    actions = [a for (a,) in dump(db_path, "audit_log", "action")]
    assert actions.count("撤销导入") == 1
    with pytest.raises(UserError, match="已于 2026-11-20 10:00 撤销"):
        services.imports.undo(out.batch_id)
    with pytest.raises(NotFound):
        services.imports.undo(999)


def test_undo_refuses_when_a_created_person_is_now_in_a_team(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    out = services.imports.run(roster_file(tmp_path / "r.xlsx"), kind="roster", unit_name="龙山镇")
    wang = services.people.search("王明")[0].id
    services.teams.create({"name": "新服务队", "members": [(wang, "队长")]})
    counts = table_counts(db_path)
    with pytest.raises(UserError, match=r"已加入志愿服务队（“王明”）"):
        services.imports.undo(out.batch_id)
    assert table_counts(db_path) == counts
    # the batch's own team membership (张建国 → 夕阳红服务队) never blocks the undo
    services.teams.update(services.teams.find("新服务队"), {"members": []})
    assert services.imports.undo(out.batch_id).deleted == 3
    assert dump(db_path, "team", "name") == [("新服务队",)]
    assert dump(db_path, "team_member") == []


def test_undo_refuses_when_a_later_batch_updated_the_same_people(
    services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    first = services.imports.run(roster_file(tmp_path / "r.xlsx"), kind="roster", unit_name="龙山镇")
    later = services.imports.run(
        write_book(
            tmp_path / "addr.xlsx", ["姓名", "身份证号", "家庭住址"], [["张建国", ID_ZHANG, "幸福路8号"]]
        ),
        kind="roster",
        unit_name="龙山镇",
    )
    assert later.plan.row(2).fate == "更新"
    with pytest.raises(
        UserError, match=r"第 2 批导入（addr.xlsx）又更新了其中 1 条记录（“张建国”）；请先撤销第 2 批"
    ):
        services.imports.undo(first.batch_id)
    services.imports.undo(later.batch_id)
    services.imports.undo(first.batch_id)


def test_undo_refuses_to_throw_away_later_edits(
    services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    pid = services.people.create({"name": "张建国", "id_number": ID_ZHANG})
    out = services.imports.run(
        write_book(
            tmp_path / "a.xlsx",
            ["姓名", "身份证号", "联系电话"],
            [["张建国", ID_ZHANG, "13812345678"], ["李新", None, None]],
        ),
        kind="roster",
        unit_name="龙山镇",
    )
    services.people.update(pid, {"phone": "13999999999"})
    with pytest.raises(UserError, match="在导入后又被修改过（“张建国”）"):
        services.imports.undo(out.batch_id)
    services.people.update(pid, {"phone": "13812345678"})
    created = services.people.search("李新")[0].id
    services.people.update(created, {"address": "新地址"})
    with pytest.raises(UserError, match="新增的 1 条记录导入后被修改过（“李新”）"):
        services.imports.undo(out.batch_id)


def test_undo_of_activities_removes_their_links(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    services.people.create({"name": "张建国"})
    before = snapshot(db_path)
    out = services.imports.run(
        write_book(
            tmp_path / "a.xlsx",
            ["活动日期", "活动名称", "服务队", "参与人员"],
            [[dt.date(2026, 10, 1), "宣讲", "红队", "张建国"]],
        ),
        kind="activities",
        unit_name="龙山镇",
    )
    assert len(dump(db_path, "activity_participant", "*", "activity_id")) == 1
    services.imports.undo(out.batch_id)
    assert snapshot(db_path) == before
