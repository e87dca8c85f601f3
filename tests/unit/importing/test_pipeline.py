"""The pipeline from normalised rows to the database: fates, resolution, duplicates, conflicts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from silverdesk.errors import UserError
from silverdesk.services.hub import Services
from silverdesk.services.importing.plan import NEW, REJECTED, UNCHANGED, UPDATED, PlanOptions, UnitRequired

from .pipeline_helpers import (
    ID_LI,
    ID_WANG,
    ID_ZHANG,
    ROSTER_HEADER,
    dump,
    roster_file,
    table_counts,
    write_book,
)


def fates(plan) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return {r.row_number: r.fate for r in plan.rows}


def test_roster_rows_become_people_with_links_and_a_batch(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    out = services.imports.run(roster_file(tmp_path / "r.xlsx"), kind="roster", unit_name="龙山镇")
    assert fates(out.plan) == {2: NEW, 3: NEW, 4: NEW}
    assert [o.label for o in out.plan.offers] == ["志愿服务队“夕阳红服务队”（属龙山镇）"]
    people = dump(
        db_path,
        "person",
        "name, gender, birth_date, id_number, phone, unit_id, community_id, name_pinyin, import_batch_id",
    )
    assert people[0][:7] == (
        "张建国",
        "男",
        "1956-03-01",
        ID_ZHANG,
        "13812345678",
        county["town"],
        county["community"],
    )
    assert "|zjg|" in people[0][7] and people[0][8] == out.batch_id
    roles = dump(
        db_path,
        "person_community_role pcr JOIN lookup l ON l.id = pcr.role_id",
        "pcr.person_id, l.name",
        "pcr.person_id, l.name",
    )
    assert [r[1] for r in roles] == ["楼长", "网格员", "调解员"]
    assert dump(db_path, "team", "name, unit_id, import_batch_id") == [
        ("夕阳红服务队", county["town"], out.batch_id)
    ]
    assert len(dump(db_path, "team_member")) == 1
    batch = dump(
        db_path,
        "import_batch",
        "kind, file_name, sheet, unit_id, operator, rows_read, imported, updated, "
        "unchanged, rejected, status, length(file_sha256)",
    )
    assert batch == [("roster", "r.xlsx", "名册", county["town"], "测试员", 3, 3, 0, 0, 0, "已导入", 64)]
    rows = dump(db_path, "import_row", "row_number, fate, entity", "row_number")
    assert rows == [(0, NEW, "team"), (2, NEW, "person"), (3, NEW, "person"), (4, NEW, "person")]
    audit = dump(db_path, "audit_log", "action, entity, entity_id, summary")
    imports = [a for a in audit if a[0] == "导入"]
    assert len(imports) == 1 and imports[0][1:3] == ("import_batch", out.batch_id)
    assert "新增 3" in imports[0][3] and "夕阳红服务队" in imports[0][3]


def test_unknown_sending_unit_is_created_under_the_county(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    out = services.imports.run(roster_file(tmp_path / "r.xlsx"), kind="roster", unit_name="石桥镇")
    assert out.plan.offers[0].label == "单位“石桥镇”（属青山县）"
    assert ("石桥镇", "乡镇", county["root"]) in dump(db_path, "unit", "name, kind, parent_id")


@pytest.mark.parametrize(
    "kind, header, row",
    [
        ("roster", ROSTER_HEADER, [1, "张建国", "男", None, ID_ZHANG, None, "新建社区", None, None, None]),
        ("activities", ["活动日期", "活动名称", "服务社区"], ["2026-10-15", "重阳敬老", "新建社区"]),
    ],
)
def test_a_roster_or_activities_without_any_unit_is_refused_whole(
    services: Services,
    county: dict[str, int],
    db_path: Path,
    tmp_path: Path,
    kind: str,
    header: list[str],
    row: list[object],
) -> None:
    before = table_counts(db_path)
    path = write_book(tmp_path / "a.xlsx", header, [row])
    with pytest.raises(UnitRequired, match=r"没有报送单位.*请选择报送单位") as refused:
        services.imports.run(path, kind=kind)
    assert "表中也没有“" in str(refused.value) and refused.value.code == "unit_required"
    assert table_counts(db_path) == before  # no people, no activities, no 社区 under 青山县
    resources = write_book(
        tmp_path / "r.xlsx", ["资源类别", "资源名称", "提供者"], [["医疗健康服务", "义诊", "张医生"]]
    )
    assert services.imports.run(resources, kind="resources").plan.count(NEW) == 1  # a list needs no unit


def test_each_rows_unit_without_a_sending_unit(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["姓名", "身份证号", "所属单位", "居住社区"]
    rows = [
        ["张建国", ID_ZHANG, "城关街道", "幸福社区"],
        ["李秀英", ID_LI, None, "和平社区"],
        ["王明", ID_WANG, "县教育局", "文化路社区"],
    ]
    out = services.imports.run(write_book(tmp_path / "a.xlsx", header, rows), kind="roster")
    assert fates(out.plan) == {2: NEW, 3: REJECTED, 4: NEW}
    assert "所属单位未填写，导入时也没有选择报送单位" in out.plan.row(3).reason
    assert "不知道它属于哪个街道（乡镇），未关联" in out.plan.row(4).reason
    units = dump(db_path, "unit", "name, kind, parent_id")
    assert ("幸福社区", "社区", county["street"]) in units  # under the row's 街道
    assert not [
        u for u in units if u[1] in ("社区", "村") and u[2] == county["root"]
    ]  # never under the county
    assert dump(db_path, "person", "name, unit_id", "name") == [
        ("张建国", county["street"]),
        ("王明", county["dept"]),
    ]
    with pytest.raises(
        UserError, match="报送单位“新村”不在单位列表中，而新的社区（村）要建在所属街道（乡镇）之下"
    ):
        services.imports.run(
            write_book(tmp_path / "b.xlsx", header[:2], [["赵六", ID_ZHANG]]), kind="roster", unit_name="新村"
        )


def test_nothing_is_written_before_commit(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    before = table_counts(db_path)
    out = services.imports.run(
        roster_file(tmp_path / "r.xlsx"), kind="roster", unit_name="新地方镇", dry_run=True
    )
    assert out.batch_id is None and out.plan.count(NEW) == 3 and out.plan.offers
    assert table_counts(db_path) == before


def test_reimporting_the_same_file_changes_nothing(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = roster_file(tmp_path / "r.xlsx")
    services.imports.run(path, kind="roster", unit_name="龙山镇")
    data_tables = ("person", "person_community_role", "person_talent", "team", "team_member", "unit")
    before = {t: dump(db_path, t) for t in data_tables}
    again = services.imports.run(path, kind="roster", unit_name="龙山镇")
    assert fates(again.plan) == {2: UNCHANGED, 3: UNCHANGED, 4: UNCHANGED}
    assert "第 1 批导入" in again.plan.row(2).reason
    assert {t: dump(db_path, t) for t in data_tables} == before


def test_blank_fields_are_filled_and_differing_ones_reported_not_overwritten(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    pid = services.people.create(
        {"name": "张建国", "id_number": ID_ZHANG, "phone": "13800000000", "unit_id": county["town"]}
    )
    path = roster_file(
        tmp_path / "r.xlsx",
        [[1, "张建国", "男", None, ID_ZHANG, "13812345678", "光明社区", "楼长", None, None]],
    )
    plan = services.imports.plan(
        services.imports.read(services.imports.open_file(path), kind="roster", unit_name="龙山镇")
    )
    row = plan.row(2)
    assert row.fate == UPDATED and row.entity_id == pid
    assert set(row.fills or {}) == {"community_id"}
    assert [c.text for c in row.conflicts or ()] == ["联系电话：库中为 13800000000，文件中为 13812345678"]
    assert "未覆盖" in row.reason and "补充：居住社区、社区任职" in row.reason
    batch_id = services.imports.commit(plan)
    assert dump(db_path, "person", "phone, community_id") == [("13800000000", county["community"])]
    stored = dump(db_path, "import_row", "fate, before_json", "id")[0]
    assert stored[0] == UPDATED
    assert json.loads(stored[1])["before"] == {"community_id": None}
    # the clerk settles the conflict for the file next time
    plan = services.imports.plan(
        services.imports.read(services.imports.open_file(path), kind="roster", unit_name="龙山镇")
    )
    assert plan.row(2).fate == UNCHANGED
    plan.choose(2, "phone", use_file=True)
    assert plan.row(2).fate == UPDATED
    services.imports.commit(plan)
    assert dump(db_path, "person", "phone") == [("13812345678",)]
    assert batch_id == 1


def test_person_without_id_matches_by_name_and_birth_date(
    services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    pid = services.people.create(
        {"name": "赵红", "birth_date": dt.date(1962, 5, 4), "unit_id": county["town"]}
    )
    header = ["姓名", "出生日期", "家庭住址"]
    out = services.imports.run(
        write_book(tmp_path / "a.xlsx", header, [["赵红", "1962-05-04", "幸福路1号"]]),
        kind="roster",
        unit_name="龙山镇",
    )
    assert out.plan.row(2).fate == UPDATED and out.plan.row(2).entity_id == pid
    assert "姓名和出生日期相同" in out.plan.row(2).reason
    services.people.create({"name": "赵红", "birth_date": dt.date(1962, 5, 4), "unit_id": county["dept"]})
    out = services.imports.run(
        write_book(tmp_path / "b.xlsx", header, [["赵红", "1962-05-04", "x"]]),
        kind="roster",
        unit_name="龙山镇",
        dry_run=True,
    )
    assert out.plan.row(2).fate == REJECTED
    assert "请填写身份证号以区分" in out.plan.row(2).reason


def test_id_number_fills_a_stored_person_without_one(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    services.people.create({"name": "李秀英", "birth_date": dt.date(1958, 7, 15)})
    out = services.imports.run(
        write_book(tmp_path / "a.xlsx", ["姓名", "身份证号"], [["李秀英", ID_LI]]),
        kind="roster",
        unit_name="龙山镇",
    )
    assert out.plan.row(2).fate == UPDATED
    assert dump(db_path, "person", "id_number, gender") == [(ID_LI, "女")]


def test_duplicates_within_the_file_are_refused_on_the_later_row(
    services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    rows = [
        ["赵红", "1962-05-04", None],
        ["赵红", "1962-05-04", None],
        ["钱七", None, ID_WANG],
        ["钱七", None, ID_WANG],
    ]
    out = services.imports.run(
        write_book(tmp_path / "a.xlsx", ["姓名", "出生日期", "身份证号"], rows),
        kind="roster",
        unit_name="龙山镇",
        dry_run=True,
    )
    assert fates(out.plan) == {2: NEW, 3: REJECTED, 4: NEW, 5: REJECTED}
    assert "与第 2 行姓名、出生日期相同" in out.plan.row(3).reason
    assert "与第 4 行重复" in out.plan.row(5).reason


def test_refused_rows_carry_cell_issues(services: Services, county: dict[str, int], tmp_path: Path) -> None:
    rows = [
        [1, None, "男", None, ID_ZHANG],
        [2, "王五", "男", None, "370102195603011231"],
        [3, "钱八", "男", None, 370102195603011230.0],
    ]
    out = services.imports.run(
        write_book(tmp_path / "a.xlsx", ROSTER_HEADER[:5], rows), kind="roster", unit_name="龙山镇"
    )
    assert out.plan.counts == {NEW: 0, UPDATED: 0, UNCHANGED: 0, REJECTED: 3}
    issues = [(row, i.column_label, i.reason) for row, i in out.plan.issues()]
    assert issues[0][:2] == (2, "姓名") and "必填" in issues[0][2]
    assert issues[1][:2] == (3, "身份证号") and "校验位" in issues[1][2]
    assert issues[2][:2] == (4, "身份证号") and "存成了数字" in issues[2][2]


def test_unknown_list_entries_are_created_and_close_ones_are_read_as_the_entry(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["活动日期", "活动名称", "服务领域", "服务队", "参与人员", "受益人次", "月度主题"]
    services.people.create({"name": "张建国", "unit_id": county["town"]})
    rows = [
        ["2026-10-15", "乡村振兴宣讲", "乡村振兴", "红色宣讲队", "张建国、无名氏", "120人", None],
        ["2026-10-16", "义诊", "星际旅行", None, None, "约200", "敬老月"],
        ["2026-10-16", "义诊", "健康义诊", None, None, 10, None],
        ["2027-01-01", "未来活动", None, None, None, None, None],
    ]
    out = services.imports.run(
        write_book(tmp_path / "a.xlsx", header, rows), kind="activities", unit_name="龙山镇"
    )
    assert fates(out.plan) == {2: NEW, 3: NEW, 4: REJECTED, 5: REJECTED}
    assert "“乡村振兴”按“促进乡村振兴”计" in out.plan.row(2).reason
    assert "参与人员“无名氏”不在花名册中" in out.plan.row(2).reason
    assert "服务领域“星际旅行”不在列表中，导入时新建" in out.plan.row(3).reason
    assert "服务领域“星际旅行”" in [o.label for o in out.plan.offers]  # never an empty category in silence
    assert "与第 3 行是同一活动" in out.plan.row(4).reason
    assert "在今天之后" in out.plan.row(5).reason
    acts = dump(
        db_path,
        "activity a LEFT JOIN lookup l ON l.id = a.category_id",
        "a.title, l.name, a.participants, a.beneficiaries, a.unit_id, a.source",
        "a.id",
    )
    assert acts == [
        ("乡村振兴宣讲", "促进乡村振兴", 2, 120, county["town"], "导入"),
        ("义诊", "星际旅行", 0, 200, county["town"], "导入"),
    ]
    assert len(dump(db_path, "activity_participant", "*", "activity_id")) == 1
    assert len(dump(db_path, "activity_team", "*", "activity_id")) == 1
    again = services.imports.run(tmp_path / "a.xlsx", kind="activities", unit_name="龙山镇")
    assert fates(again.plan) == {2: UNCHANGED, 3: UNCHANGED, 4: REJECTED, 5: REJECTED}
    assert "库中已有同一天、同名称、同组织单位的活动" in again.plan.row(2).reason
    assert len(dump(db_path, "activity")) == 2


def test_resources_and_demands(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    res = write_book(
        tmp_path / "res.xlsx",
        ["资源类别", "小项", "资源名称", "提供者", "服务能力", "联系电话"],
        [
            ["医疗健康服务", "健康义诊", "社区义诊", "张医生", "50人", "13812345678"],
            ["太空探索", None, "登月", "某人", None, None],
        ],
    )
    out = services.imports.run(res, kind="resources")
    assert fates(out.plan) == {2: NEW, 3: NEW}
    assert (
        "资源类别“太空探索”不在列表中，导入时新建" in out.plan.row(3).reason
    )  # a new 大类, not an empty one
    assert dump(
        db_path,
        "resource r JOIN lookup l ON l.id = r.category_id LEFT JOIN lookup p ON p.id = l.parent_id",
        "r.title, l.name, p.name, r.provider_text, r.capacity",
        "r.id",
    ) == [("社区义诊", "健康义诊", "医疗健康服务", "张医生", 50), ("登月", "太空探索", None, "某人", 0)]
    assert fates(services.imports.run(res, kind="resources").plan) == {2: UNCHANGED, 3: UNCHANGED}
    dem = write_book(
        tmp_path / "dem.xlsx",
        ["需求类别", "需求名称", "需求单位", "紧急程度", "期望完成时间"],
        [["为老助老", "智能手机培训", "光明社区", "非常急", "2026-12-31"]],
    )
    out = services.imports.run(dem, kind="demands")
    assert fates(out.plan) == {2: NEW}
    assert "按“一般”计" in out.plan.row(2).reason
    assert dump(db_path, "demand", "title, requester_unit_id, urgency, wanted_by") == [
        ("智能手机培训", county["community"], "一般", "2026-12-31")
    ]


def test_without_creating_unknown_names_they_stay_unlinked(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = roster_file(tmp_path / "r.xlsx")
    prepared = services.imports.read(services.imports.open_file(path), kind="roster", unit_name="龙山镇")
    plan = services.imports.plan(prepared, options=PlanOptions(create_units=False, create_teams=False))
    assert plan.offers == []
    assert "志愿服务队“夕阳红服务队”不在服务队列表中" in plan.row(2).reason
    services.imports.commit(plan)
    assert dump(db_path, "team") == []


def test_the_clerks_mapping_is_remembered_per_unit_and_form(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = write_book(
        tmp_path / "a.xlsx", ["姓名", "号码", "身份证号"], [["张建国", "13812345678", ID_ZHANG]]
    )
    imports = services.imports
    prepared = imports.read(imports.open_file(path), kind="roster", unit_name="龙山镇")
    assert 1 not in prepared.mapping.assigned  # “号码” is not a known label
    prepared = imports.remap(prepared, {1: "phone"})
    assert prepared.mapping.assigned[1] == "phone"
    imports.commit(imports.plan(prepared))
    keys = [k for (k,) in dump(db_path, "setting", "key", "key") if k.startswith("import_mapping:")]
    assert keys == [f"import_mapping:{county['town']}:{prepared.mapping.signature}"]
    again = imports.read(imports.open_file(path), kind="roster", unit_name="龙山镇")
    assert again.mapping.assigned[1] == "phone" and again.mapping.source[1] == "remembered"
    other_unit = imports.read(imports.open_file(path), kind="roster", unit_name="县教育局")
    assert 1 not in other_unit.mapping.assigned
    with pytest.raises(Exception, match="不是离退休干部名册的字段"):
        imports.remap(prepared, {1: "no_such_field"})
