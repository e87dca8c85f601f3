"""Names written the unit's way (issue #16): units, teams and categories found by alias, folded key or a
strong candidate as 近似匹配 decisions, the clerk's choices, the aliases the commit remembers and undo forgets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from silverdesk.services.hub import Services
from silverdesk.services.importing.plan import MATCHED, NEW, NEW_ENTRY, REJECTED, PlanOptions

from .pipeline_helpers import ID_LI, ID_WANG, ID_ZHANG, dump, write_book

ROSTER = ["姓名", "身份证号", "所属单位", "所在服务队"]


@pytest.fixture
def health(services: Services, county: dict[str, int]) -> dict[str, int]:
    """The county of ``county`` plus 县卫生健康局, 榆山街道 and the team 夕阳红志愿服务队."""
    ids = dict(county)
    ids["health"] = services.units.create(
        {"name": "县卫生健康局", "kind": "部门", "parent_id": county["root"]}
    )
    ids["yushan"] = services.units.create({"name": "榆山街道", "kind": "街道", "parent_id": county["root"]})
    ids["team"] = services.teams.create({"name": "夕阳红志愿服务队", "unit_id": county["town"]})
    return ids


def roster(tmp_path: Path, unit: str = "县卫健局", team: str = "夕阳红服务队") -> Path:
    rows = [["张建国", ID_ZHANG, unit, team], ["李秀英", ID_LI, unit, None], ["王明", ID_WANG, unit, None]]
    return write_book(tmp_path / "名册.xlsx", ROSTER, rows)


def matched(plan) -> list[tuple[str, str, str, int]]:  # type: ignore[no-untyped-def]
    return [(d.label, d.before, d.after, d.count) for d in plan.decisions() if d.kind == MATCHED]


def aliases(db: Path, table: str, name: str) -> str:
    return dump(db, table, "aliases", "id")[[n for (n,) in dump(db, table, "name", "id")].index(name)][0]


def test_short_unit_and_team_names_are_matched_remembered_and_forgotten_on_undo(
    services: Services, health: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    out = services.imports.run(roster(tmp_path), kind="roster", unit_name="龙山镇")
    plan = out.plan
    assert plan.counts[NEW] == 3
    assert plan.offers == []  # 县卫健局 no longer creates a unit beside 县卫生健康局
    assert matched(plan) == [
        ("所属单位", "县卫健局", "县卫生健康局", 3),
        ("所在服务队", "夕阳红服务队", "夕阳红志愿服务队", 1),
    ]
    assert plan.choice_options[(MATCHED, "unit", "县卫健局")][-1] == NEW_ENTRY
    assert "单位“县卫健局”按“县卫生健康局”计" in plan.row(2).reason
    assert dump(db_path, "person", "name, unit_id") == [
        ("张建国", health["health"]),
        ("李秀英", health["health"]),
        ("王明", health["health"]),
    ]
    assert dump(db_path, "team_member", "team_id") == [(health["team"],)]
    assert aliases(db_path, "unit", "县卫生健康局") == "县卫健局"
    assert aliases(db_path, "team", "夕阳红志愿服务队") == "夕阳红服务队"
    audit = dump(db_path, "audit_log", "entity, summary", "id")
    assert ("unit", f"导入（第 {out.batch_id} 批）时把“县卫健局”记为单位“县卫生健康局”的别名") in audit
    batch = [
        json.loads(c)
        for e, c in dump(db_path, "audit_log", "entity, changes_json", "id")
        if e == "import_batch"
    ]
    assert batch[-1]["aliases"] == ["“县卫健局”→“县卫生健康局”", "“夕阳红服务队”→“夕阳红志愿服务队”"]
    assert [d["before"] for d in batch[-1]["decisions"] if d["kind"] == MATCHED] == [
        "县卫健局",
        "夕阳红服务队",
    ]

    undone = services.imports.undo(out.batch_id)
    assert undone.deleted == 3
    assert aliases(db_path, "unit", "县卫生健康局") == ""
    assert aliases(db_path, "team", "夕阳红志愿服务队") == ""
    assert [n for (n,) in dump(db_path, "unit", "name")].count("县卫健局") == 0


def test_a_second_import_finds_the_name_as_an_alias_without_a_decision(
    services: Services, health: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    first = services.imports.run(roster(tmp_path), kind="roster", unit_name="龙山镇")
    assert matched(first.plan)
    other = write_book(tmp_path / "另一份.xlsx", ROSTER, [["赵淑芬", None, "县卫健局", "夕阳红服务队"]])
    second = services.imports.run(other, kind="roster", unit_name="龙山镇", dry_run=True)
    assert matched(second.plan) == []
    assert second.plan.row(2).insert["unit_id"] == health["health"]
    assert second.plan.row(2).reason == ""


@pytest.mark.parametrize(
    ("choice", "stored_unit", "created"),
    [
        ("", "龙山镇", []),
        (NEW_ENTRY, "县卫健局", ["单位“县卫健局”（属青山县）"]),
        ("县教育局", "县教育局", []),
    ],
)
def test_the_clerks_choice_replaces_the_match(
    services: Services, health: dict[str, int], db_path: Path, tmp_path: Path, choice: str, stored_unit: str,
    created: list[str],
) -> None:  # fmt: skip
    options = PlanOptions(chosen={(MATCHED, "unit", "县卫健局"): choice})
    out = services.imports.run(roster(tmp_path), kind="roster", unit_name="龙山镇", options=options)
    assert [o.label for o in out.plan.offers] == created
    assert matched(out.plan)[0] == ("所属单位", "县卫健局", choice, 3)
    assert (
        "县卫生健康局" in out.plan.choice_options[(MATCHED, "unit", "县卫健局")]
    )  # the default stays an option
    units = dict((i, n) for i, n in dump(db_path, "unit", "id, name"))
    assert {units[u] for (u,) in dump(db_path, "person", "unit_id")} == {stored_unit}
    remembered = aliases(db_path, "unit", "县教育局")
    assert remembered == ("县卫健局" if choice == "县教育局" else "")
    assert aliases(db_path, "unit", "县卫生健康局") == ""


def test_sending_unit_written_short_is_the_unit_on_file(
    services: Services, health: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    book = write_book(tmp_path / "a.xlsx", ["姓名", "身份证号"], [["张建国", ID_ZHANG]])
    out = services.imports.run(book, kind="roster", unit_name="榆山街道办")
    assert out.plan.offers == []
    assert out.plan.unit_ref == health["yushan"]
    assert matched(out.plan) == [("所属单位", "榆山街道办", "榆山街道", 1)]
    assert dump(db_path, "person", "unit_id") == [(health["yushan"],)]
    assert aliases(db_path, "unit", "榆山街道") == "榆山街道办"


def test_an_unknown_unit_with_close_entries_is_offered_with_them_as_options(
    services: Services, health: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    out = services.imports.run(
        roster(tmp_path, unit="县卫健委"), kind="roster", unit_name="龙山镇", dry_run=True
    )
    assert [o.label for o in out.plan.offers] == ["单位“县卫健委”（属青山县）"]
    assert matched(out.plan)[0] == ("所属单位", "县卫健委", NEW_ENTRY, 3)
    assert out.plan.choice_options[(MATCHED, "unit", "县卫健委")][0] == "县卫生健康局"


RESOURCES = ["资源类别", "资源名称", "提供者"]


def categories(db: Path) -> list[tuple[str, str, str | None]]:
    return dump(
        db,
        "resource r JOIN lookup l ON l.id = r.category_id LEFT JOIN lookup p ON p.id = l.parent_id",
        "r.title, l.name, p.name",
        "r.id",
    )


def test_category_written_as_major_and_minor_in_one_cell_fills_both_levels(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    rows = [
        ["法律服务(普法宣传)", "普法一", "张医生"],
        ["法律咨询服务（普法宣传）", "普法二", "张医生"],
        ["法律咨询服务—法律咨询", "咨询", "张医生"],
        ["法律咨询服务-普法讲座", "讲座", "张医生"],
        ["医疗健康服务 - 健康义诊", "义诊", "张医生"],
        ["星际旅行", "登月", "张医生"],
    ]
    out = services.imports.run(write_book(tmp_path / "r.xlsx", RESOURCES, rows), kind="resources")
    assert [rp.fate for rp in out.plan.rows] == [NEW] * 6
    assert categories(db_path) == [
        ("普法一", "普法宣传", "法律咨询服务"),
        ("普法二", "普法宣传", "法律咨询服务"),
        ("咨询", "法律咨询", "法律咨询服务"),
        ("讲座", "普法讲座", "法律咨询服务"),  # a new 小项 under its 大类
        ("义诊", "健康义诊", "医疗健康服务"),
        ("登月", "星际旅行", None),  # a new 大类: never an empty category
    ]
    assert [o.label for o in out.plan.offers] == [
        "资源/需求类别“普法讲座”（属法律咨询服务）",
        "资源/需求类别“星际旅行”",
    ]
    assert ("资源类别", "法律服务", "法律咨询服务", 1) in matched(out.plan)
    undone = services.imports.undo(out.batch_id)
    assert undone.deleted == 6
    names = [n for (n,) in dump(db_path, "lookup", "name")]
    assert "普法讲座" not in names and "星际旅行" not in names
    assert aliases(db_path, "lookup", "法律咨询服务") == ""


def test_a_category_that_matches_nothing_is_never_stored_empty(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["活动日期", "活动名称", "服务领域", "参与人次"]
    rows = [
        ["2026-10-15", "一", "普法", 3],
        ["2026-10-16", "二", "广场舞", 5],
        ["2026-10-17", "三", "法制宣传", 4],
    ]
    out = services.imports.run(
        write_book(tmp_path / "a.xlsx", header, rows), kind="activities", unit_name="龙山镇"
    )
    acts = dump(db_path, "activity a JOIN lookup l ON l.id = a.category_id", "a.title, l.name", "a.id")
    assert acts == [("一", "法治宣传"), ("二", "广场舞"), ("三", "法治宣传")]
    assert ("服务领域", "法制宣传", "法治宣传", 1) in matched(out.plan)  # the same sound: 法制 / 法治
    assert ("服务领域", "广场舞", NEW_ENTRY, 1) in matched(out.plan)
    assert len(out.plan.choice_options[(MATCHED, "category", "广场舞")]) == 8  # every close entry of the list
    assert all(rp.fate != REJECTED for rp in out.plan.rows)


def test_talents_and_roles_written_otherwise_count_on_every_row(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["姓名", "身份证号", "社区任职", "特长"]
    rows = [["张建国", ID_ZHANG, "楼栋长", "法律"], ["李秀英", ID_LI, "楼栋长", "法律"]]
    out = services.imports.run(
        write_book(tmp_path / "t.xlsx", header, rows), kind="roster", unit_name="龙山镇"
    )
    assert ("社区任职", "楼栋长", "楼长", 2) in matched(out.plan)
    assert ("特长", "法律", "法律服务", 2) in matched(out.plan)
    assert aliases(db_path, "lookup", "楼长") == "楼栋长"


@pytest.mark.parametrize(
    ("choice", "stored", "alias"),
    [("文明创建", "文明创建", "广场舞"), ("", None, ""), (NEW_ENTRY, "广场舞", "")],
)
def test_the_clerks_choice_for_a_list_entry(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path, choice: str, stored: str | None,
    alias: str,
) -> None:  # fmt: skip
    header = ["活动日期", "活动名称", "服务领域", "参与人次"]
    book = write_book(tmp_path / "a.xlsx", header, [["2026-10-15", "一", "广场舞", 3]])
    options = PlanOptions(chosen={(MATCHED, "category", "广场舞"): choice})
    out = services.imports.run(book, kind="activities", unit_name="龙山镇", options=options)
    acts = dump(db_path, "activity a LEFT JOIN lookup l ON l.id = a.category_id", "a.title, l.name", "a.id")
    assert acts == [("一", stored)]
    assert matched(out.plan) == [("服务领域", "广场舞", choice, 1)]
    assert ("广场舞" in [n for (n,) in dump(db_path, "lookup", "name")]) == (choice == NEW_ENTRY)
    assert aliases(db_path, "lookup", "文明创建").endswith(alias)
    if choice == "":
        assert "服务领域“广场舞”未导入（导入时选择了不导入）" in out.plan.row(2).reason


def test_a_community_written_with_its_committee_is_the_community_on_file(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    book = write_book(
        tmp_path / "c.xlsx", ["姓名", "身份证号", "居住社区"], [["张建国", ID_ZHANG, "光明社区居委会"]]
    )
    out = services.imports.run(book, kind="roster", unit_name="城关街道")
    assert out.plan.offers == []
    assert matched(out.plan) == [("居住社区", "光明社区居委会", "光明社区", 1)]
    assert dump(db_path, "person", "community_id") == [(county["community"],)]


def test_without_creating_units_an_unknown_name_is_left_unlinked_with_its_options(
    services: Services, health: dict[str, int], tmp_path: Path
) -> None:
    options = PlanOptions(create_units=False)
    out = services.imports.run(roster(tmp_path, unit="县卫健委"), kind="roster", unit_name="龙山镇", options=options,
                               dry_run=True)  # fmt: skip
    assert out.plan.offers == []
    assert matched(out.plan)[0] == ("所属单位", "县卫健委", "", 3)
    assert out.plan.choice_options[(MATCHED, "unit", "县卫健委")] == ("县卫生健康局",)
    assert "单位“县卫健委”不在单位列表中，未关联" in out.plan.row(2).reason
    assert out.plan.row(2).insert["unit_id"] == health["town"]  # the sending unit, as before


def test_a_new_category_still_in_use_is_kept_on_undo(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    book = write_book(tmp_path / "r.xlsx", RESOURCES, [["星际旅行", "登月", "张医生"]])
    out = services.imports.run(book, kind="resources")
    new = dump(db_path, "lookup", "id, name")[-1]
    assert new[1] == "星际旅行"
    services.resources.create({"category_id": new[0], "title": "火星讲座", "provider_text": "李四"})
    result = services.imports.undo(out.batch_id)
    assert result.deleted == 1
    assert result.kept == ("资源/需求类别“星际旅行”",)
    assert dump(db_path, "lookup", "id, name")[-1] == new


def test_a_switched_off_entry_is_neither_linked_nor_created_again(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    found = services.lookups.resolve("activity_category", "建言献策")
    assert found is not None
    services.lookups.set_active(found.id, False)
    header = ["活动日期", "活动名称", "服务领域", "参与人次"]
    book = write_book(tmp_path / "a.xlsx", header, [["2026-10-15", "一", "建言献策", 3]])
    out = services.imports.run(book, kind="activities", unit_name="龙山镇")
    assert out.plan.offers == []
    assert (
        "服务领域“建言献策”已停用，未导入该项；如需使用，请先在“设置→列表”中启用后重新导入"
        in out.plan.row(2).reason
    )
    assert dump(db_path, "activity", "title, category_id") == [("一", None)]


def test_a_sentence_in_a_category_column_is_not_made_an_entry(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    sentence = "组织老同志走访慰问辖区内困难党员并开展政策宣讲和健康义诊等系列活动共计三场"
    book = write_book(tmp_path / "r.xlsx", RESOURCES, [[sentence, "走访", "张医生"]])
    out = services.imports.run(book, kind="resources", dry_run=True)
    assert out.plan.offers == []
    assert out.plan.rows[0].fate == REJECTED
    assert f"有 {len(sentence)} 个字，不像列表中的条目" in out.plan.rows[0].reason
    assert "请改为列表中的条目后重新导入" in out.plan.rows[0].reason


def test_a_requester_written_with_its_committee_links_the_community(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["需求类别", "需求名称", "需求单位"]
    rows = [["为老助老服务", "智能手机培训", "光明社区居委会"], ["为老助老服务", "理发", "星光养老院"]]
    out = services.imports.run(write_book(tmp_path / "d.xlsx", header, rows), kind="demands")
    assert ("需求单位", "光明社区居委会", "光明社区", 1) in matched(out.plan)
    assert dump(db_path, "demand", "title, requester_unit_id, requester_text") == [
        ("智能手机培训", county["community"], ""),
        ("理发", None, "星光养老院"),  # no unit of that name: kept as written, nothing created
    ]
    assert aliases(db_path, "unit", "光明社区") == "光明社区居委会"
    again = services.imports.run(tmp_path / "d.xlsx", kind="demands", dry_run=True)
    assert [rp.fate for rp in again.plan.rows] == ["未变", "未变"]
    assert matched(again.plan) == []
