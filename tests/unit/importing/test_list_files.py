"""需求清单 and 资源清单 as communities write them, imported into a real database field by field.

No 需求名称/资源名称 column (the title is derived from the content), no 需求单位 column (the 填报单位
line or the sending unit asks), a 提出社区 column merged over rows, section rows (“一、为老助老服务类”)
in place of a 类别 column; .xlsx, .xls (``tests/data/make_list_xls.py``) and GBK .csv files.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from silverdesk.errors import UserError
from silverdesk.services.hub import Services
from silverdesk.services.importing.plan import (
    DERIVED,
    MATCHED,
    MERGED,
    NEW,
    REJECTED,
    UNCHANGED,
    Decision,
    PlanOptions,
    UnitRequired,
)

from .pipeline_helpers import dump

DATA = Path(__file__).resolve().parents[2] / "data"
_spec = importlib.util.spec_from_file_location("make_list_xls", DATA / "make_list_xls.py")
assert _spec is not None and _spec.loader is not None
street = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(street)

TODAY = "2026-11-20"  # tests/conftest.py FIXED_NOW


def fates(plan: Any) -> dict[int, str]:
    return {r.row_number: r.fate for r in plan.rows}


def category_ids(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT name, id FROM lookup WHERE kind = 'resource_category'").fetchall())


DEMAND_COLUMNS = (
    "title, content, category_id, requester_unit_id, requester_text, contact_name, contact_phone, "
    "wanted_by, urgency, status, raised_on, import_batch_id"
)
RESOURCE_COLUMNS = (
    "title, content, category_id, person_id, team_id, party_org_id, provider_text, area_unit_id, "
    "available_text, capacity, contact_phone, status, listed_on, import_batch_id"
)


# ---- the street's list: .xlsx and .xls ---------------------------------------------------------
def street_xlsx(path: Path) -> Path:
    """``make_list_xls.py``'s sheet written with openpyxl: the same cells and merges as the .xls."""
    wb = Workbook()
    ws = wb.active
    ws.title = "需求清单"
    width = len(street.HEADER)
    ws.append([street.TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append(street.UNIT_LINE)
    ws.append(street.HEADER)
    for r, row in enumerate(street.ROWS, start=4):
        if isinstance(row, str):
            ws.append([row])
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        else:
            ws.append(row)
    for r0, c, r1 in street.MERGES:
        ws.merge_cells(start_row=r0 + 1, start_column=c + 1, end_row=r1 + 1, end_column=c + 1)
    wb.save(path)
    return path


def street_file(fmt: str, tmp_path: Path) -> Path:
    return street_xlsx(tmp_path / "城关街道需求清单.xlsx") if fmt == "xlsx" else DATA / "street_demands.xls"


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_a_street_list_without_title_requester_or_category_columns(
    fmt: str, services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    out = services.imports.run(
        street_file(fmt, tmp_path), kind="demands"
    )  # no unit: the 填报单位 line names one
    plan = out.plan
    assert plan.unit_name == "城关街道"
    assert fates(plan) == {5: NEW, 6: NEW, 7: NEW, 9: NEW, 10: NEW, 11: NEW}
    cat = category_ids(db_path)
    b = out.batch_id
    assert dump(db_path, "demand", DEMAND_COLUMNS) == [
        ("帮助独居老人购买生活用品", "1.帮助独居老人购买生活用品，每周两次", cat["为老助老服务"], county["community"], "",
         "王芳", "13912345678", None, "一般", "待对接", TODAY, b),
        ("智能手机使用培训", "智能手机使用培训。教老人用微信视频通话", cat["为老助老服务"], county["community"], "",
         "王芳", "13912345678", None, "一般", "待对接", TODAY, b),
        ("陪同高龄老人就医", "陪同高龄老人就医 需要会开车\n备注：周末优先", cat["为老助老服务"], None, "幸福社区",
         "李娜", "13800002222", None, "一般", "待对接", TODAY, b),
        ("组织辖区内六十岁以上空巢老人参加每月一…", "组织辖区内六十岁以上空巢老人参加每月一次的健康讲座和文艺演出",
         cat["文化体育活动"], county["community"], "", "", "", None, "一般", "待对接", TODAY, b),
        ("书法、绘画兴趣班", "书法、绘画兴趣班", cat["文化体育活动"], county["community"], "", "", "", None, "一般", "待对接", TODAY, b),
        ("太极拳晨练指导", "（一）太极拳晨练指导", cat["文化体育活动"], county["street"], "", "赵刚", "13600001111", None,
         "一般", "待对接", TODAY, b),
    ]  # fmt: skip
    assert plan.merged_filled == {"提出社区": 2}
    assert [(d.field, d.label, d.count) for d in plan.decisions() if d.kind == MERGED] == [
        ("requester", "提出社区", 2)
    ]
    assert sorted((d for d in plan.decisions() if d.kind != MERGED), key=repr) == sorted([
        Decision(DERIVED, "category", "需求类别", "一、为老助老服务类", "为老助老服务", 3),
        Decision(DERIVED, "category", "需求类别", "二、文化体育活动类", "文化体育活动", 3),
        Decision(DERIVED, "title", "需求名称", "（一）太极拳晨练指导", "太极拳晨练指导", 1),
        Decision(DERIVED, "title", "需求名称", "1.帮助独居老人购买生活用品，每周两次", "帮助独居老人购买生活用品", 1),
        Decision(DERIVED, "title", "需求名称", "书法、绘画兴趣班", "书法、绘画兴趣班", 1),
        Decision(DERIVED, "title", "需求名称", "组织辖区内六十岁以上空巢老人参加每月一次的健康讲座和文艺演出",
                 "组织辖区内六十岁以上空巢老人参加每月一…", 1),
        Decision(DERIVED, "title", "需求名称", "智能手机使用培训。教老人用微信视频通话", "智能手机使用培训", 1),
        Decision(DERIVED, "title", "需求名称", "陪同高龄老人就医 需要会开车", "陪同高龄老人就医", 1),
        Decision(DERIVED, "requester", "需求单位", "", "城关街道", 1),
    ], key=repr)  # fmt: skip
    assert plan.decision_counts()[DERIVED] == 13
    assert plan.skipped == [
        (4, "分类标题行（“一、为老助老服务类”），不是记录"),
        (8, "分类标题行（“二、文化体育活动类”），不是记录"),
        (12, "签字/落款行（“填表人:张三”），不是记录"),
    ]
    assert (
        "第 4 行“一、为老助老服务类”是分类标题行，不是记录；其下 3 行未填类别，按“为老助老服务”导入"
        in plan.warnings
    )
    assert (
        "第 8 行“二、文化体育活动类”是分类标题行，不是记录；其下 3 行未填类别，按“文化体育活动”导入"
        in plan.warnings
    )
    assert not list(plan.issues())
    audit = dump(db_path, "audit_log", "changes_json", "id")[-1][0]
    assert {
        "kind": DERIVED,
        "field": "需求单位",
        "before": "",
        "after": "城关街道",
        "rows": 1,
        "options": [],
    } in (json.loads(audit)["decisions"])

    again = services.imports.run(street_file(fmt, tmp_path), kind="demands")
    assert set(fates(again.plan).values()) == {UNCHANGED}
    assert len(dump(db_path, "demand")) == 6


def test_a_gbk_csv_list_the_unit_line_asks_before_the_sending_unit(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "光明社区需求.csv"
    path.write_bytes(
        "光明社区需求清单\r\n填报单位：光明社区\r\n"
        "序号,需求类别,需求描述,联系人,联系电话,期望完成时间,紧急程度\r\n"
        "一、为老助老服务类,,,,,,\r\n"
        "1,,上门理发；每月一次,王芳,13912345678,2026-12-31,较急\r\n"
        "2,医疗健康服务,①血压测量.每周三上午,王芳,13912345678,,\r\n"
        "二、法律咨询服务类,,,,,,\r\n"
        "3,,法律咨询;遗嘱与赡养,李娜,13800002222,,紧急\r\n".encode("gbk")
    )
    out = services.imports.run(path, kind="demands", unit_name="城关街道")
    assert fates(out.plan) == {5: NEW, 6: NEW, 8: NEW}
    cat = category_ids(db_path)
    b, c = out.batch_id, county["community"]
    assert dump(db_path, "demand", DEMAND_COLUMNS) == [
        ("上门理发", "上门理发；每月一次", cat["为老助老服务"], c, "", "王芳", "13912345678", "2026-12-31", "较急",
         "待对接", TODAY, b),
        ("血压测量", "①血压测量.每周三上午", cat["医疗健康服务"], c, "", "王芳", "13912345678", None, "一般", "待对接",
         TODAY, b),
        ("法律咨询", "法律咨询;遗嘱与赡养", cat["法律咨询服务"], c, "", "李娜", "13800002222", None, "紧急", "待对接",
         TODAY, b),
    ]  # fmt: skip
    derived = [(d.field, d.before, d.after, d.count) for d in out.plan.decisions() if d.kind == DERIVED]
    assert derived == [
        ("category", "一、为老助老服务类", "为老助老服务", 1),  # row 6 gives its own 类别
        ("category", "二、法律咨询服务类", "法律咨询服务", 1),
        ("title", "①血压测量.每周三上午", "血压测量", 1),
        ("title", "上门理发；每月一次", "上门理发", 1),
        ("title", "法律咨询;遗嘱与赡养", "法律咨询", 1),
        ("requester", "", "光明社区", 3),  # the 填报单位 line, not the sending unit 城关街道
    ]
    (requester,) = [d for d in out.plan.decisions() if d.field == "requester"]
    assert requester.options == ("城关街道",)  # the clerk may take the sending unit instead


def test_the_sending_unit_asks_when_the_file_does_not_and_nothing_at_all_refuses_the_file(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "需求.xlsx"
    wb = Workbook()
    wb.active.append(["序号", "需求类别", "具体需求", "联系电话"])
    wb.active.append([1, "为老助老服务", "探访独居老人，每周一次", "13912345678"])
    wb.save(path)
    with pytest.raises(UnitRequired, match="表中也没有“需求单位”列"):
        services.imports.run(path, kind="demands")
    assert dump(db_path, "demand") == []
    out = services.imports.run(path, kind="demands", unit_name="龙山镇")
    assert dump(db_path, "demand", "title, content, requester_unit_id, requester_text") == [
        ("探访独居老人", "探访独居老人，每周一次", county["town"], "")
    ]
    assert [(d.field, d.after, d.count) for d in out.plan.decisions() if d.field == "requester"] == [
        ("requester", "龙山镇", 1)
    ]
    # a sending unit still to be created is the requester once it exists
    other = tmp_path / "老年大学需求.xlsx"
    wb = Workbook()
    wb.active.append(["序号", "需求类别", "具体需求"])
    wb.active.append([1, "为老助老服务", "教学志愿者，教书法"])
    wb.save(other)
    out = services.imports.run(other, kind="demands", unit_name="县老年大学")
    (new_unit,) = dump(db_path, "unit", "id, name, kind, parent_id", "id")[-1:]
    assert new_unit[1:] == ("县老年大学", "部门", county["root"])
    assert dump(db_path, "demand", "title, requester_unit_id, requester_text", "id")[-1] == (
        "教学志愿者",
        new_unit[0],
        "",
    )
    services.imports.undo(out.batch_id)
    assert [d[0] for d in dump(db_path, "demand", "title")] == ["探访独居老人"]


def test_what_cannot_be_derived_refuses_the_row_and_says_what_to_do(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "需求.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "需求名称", "需求内容", "需求单位"])
    ws.append([1, None, "修理楼道灯，三楼", "光明社区"])  # no 类别 column, no section row above: refused
    ws.append(["一、为老助老服务类"])
    ws.append([2, None, None, "光明社区"])  # nothing to take a title from
    ws.append([3, None, "修理楼道灯，三楼", None])  # title and requester derived (the sending unit)
    ws.append([4, None, "修理楼道灯，五楼", None])  # same first clause, another request
    wb.save(path)
    prepared = services.imports.read(services.imports.open_file(path), kind="demands", unit_name="城关街道")
    assert prepared.mapping.missing_required == []  # the section row stands in for the 类别 column
    plan = services.imports.plan(prepared)
    assert fates(plan) == {2: REJECTED, 4: REJECTED, 5: NEW, 6: NEW}
    assert plan.row(2).reason == (
        "表中没有“需求类别”列，这一行上方也没有分类标题行（如“一、助老服务类”）；请填写需求类别后重新导入"
    )
    assert (
        plan.row(4).reason
        == "“需求名称”未填写，需求内容也未填写，无法推导需求名称；请填写需求名称或需求内容后重新导入"
    )
    services.imports.commit(plan)
    assert dump(db_path, "demand", "title, content, requester_unit_id") == [
        ("修理楼道灯", "修理楼道灯，三楼", county["street"]),
        ("修理楼道灯", "修理楼道灯，五楼", county["street"]),
    ]
    again = services.imports.plan(prepared)
    assert fates(again) == {2: REJECTED, 4: REJECTED, 5: UNCHANGED, 6: UNCHANGED}


def test_the_clerk_edits_or_clears_a_derived_value(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "需求.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "需求类别", "需求内容"])
    ws.append([1, "为老助老服务", "上门理发，每月一次"])
    ws.append([2, "为老助老服务", "读报，每周两次"])
    ws.append([3, "为老助老服务", "助浴，每周一次"])
    wb.save(path)
    prepared = services.imports.read(services.imports.open_file(path), kind="demands", unit_name="城关街道")
    chosen = {
        (DERIVED, "title", "上门理发，每月一次"): "每月上门理发",
        (DERIVED, "title", "读报，每周两次"): "",
        (DERIVED, "requester", ""): "光明社区",
    }
    plan = services.imports.plan(prepared, options=PlanOptions(chosen=chosen))
    assert fates(plan) == {2: NEW, 3: REJECTED, 4: NEW}
    assert (
        plan.row(3).reason == "需求名称是必填项，推导出的值已按您的选择清空；请填写需求名称，或保留推导的值"
    )
    services.imports.commit(plan)
    assert dump(db_path, "demand", "title, content, requester_unit_id, requester_text") == [
        ("每月上门理发", "上门理发，每月一次", county["community"], ""),
        ("助浴", "助浴，每周一次", county["community"], ""),
    ]
    assert ("title", "上门理发，每月一次", "每月上门理发") in [
        (d.field, d.before, d.after) for d in plan.decisions()
    ]
    # the same file again, without the edited title: the row is known by its content
    again = services.imports.plan(
        prepared, options=PlanOptions(chosen={(DERIVED, "requester", ""): "光明社区"})
    )
    assert fates(again) == {2: UNCHANGED, 3: NEW, 4: UNCHANGED}  # 读报 was refused the first time
    assert again.row(2).entity_id == 1


# ---- a resource list without 资源名称 --------------------------------------------------------
def test_a_resource_list_names_its_providers_and_never_guesses(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    zhang = services.people.create({"name": "张建国", "unit_id": county["community"]})
    services.people.create({"name": "李桂兰"})
    services.people.create({"name": "李桂兰"})
    team = services.teams.create({"name": "光明社区银发管家志愿服务队", "unit_id": county["community"]})
    path = tmp_path / "资源.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["光明社区银龄资源清单"])
    ws.append(["填报单位：光明社区"])
    ws.append(["序号", "服务内容", "提供者", "联系电话", "服务时间"])
    ws.append(["一、医疗健康服务类"])
    ws.append([1, "免费测血压、测血糖", "张建国", "13812345678", "每周三上午"])
    ws.append([2, "心理疏导，陪老人聊天", "李桂兰", None, None])
    ws.append(["二、法律咨询服务类"])
    ws.append([3, "法律咨询，婚姻家庭纠纷", "光明社区银发管家志愿服务队", "13800002222", None])
    ws.append([4, "普法讲座", "王师傅", None, "周末"])
    wb.save(path)
    out = services.imports.run(path, kind="resources")
    assert fates(out.plan) == {5: NEW, 6: NEW, 8: NEW, 9: NEW}
    assert out.plan.row(6).reason == (
        "提供者“李桂兰”在花名册中有 2 人同名，无法确定是谁，未关联，按原文保存；请在资源清单中核对后指定提供者"
    )
    cat, b = category_ids(db_path), out.batch_id
    assert dump(db_path, "resource", RESOURCE_COLUMNS) == [
        ("免费测血压、测血糖", "免费测血压、测血糖", cat["医疗健康服务"], zhang, None, None, "", None, "每周三上午", 0,
         "13812345678", "可用", TODAY, b),
        ("心理疏导", "心理疏导，陪老人聊天", cat["医疗健康服务"], None, None, None, "李桂兰", None, "", 0, "", "可用",
         TODAY, b),
        ("法律咨询", "法律咨询，婚姻家庭纠纷", cat["法律咨询服务"], None, team, None, "", None, "", 0, "13800002222",
         "可用", TODAY, b),
        ("普法讲座", "普法讲座", cat["法律咨询服务"], None, None, None, "王师傅", None, "周末", 0, "", "可用", TODAY, b),
    ]  # fmt: skip
    assert [(d.field, d.after, d.count) for d in out.plan.decisions() if d.field != "title"] == [
        ("category", "医疗健康服务", 2),
        ("category", "法律咨询服务", 2),
    ]
    again = services.imports.run(path, kind="resources")
    assert set(fates(again.plan).values()) == {UNCHANGED}
    assert len(dump(db_path, "resource")) == 4


def test_a_provider_team_written_short_is_a_match_the_clerk_can_undo(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    team = services.teams.create({"name": "光明社区银发管家志愿服务队", "unit_id": county["community"]})
    path = tmp_path / "资源.xlsx"
    wb = Workbook()
    wb.active.append(["资源类别", "服务内容", "提供者"])
    wb.active.append(["医疗健康服务", "测血压", "银发管家服务队"])
    wb.active.append(["医疗健康服务", "测血糖", "王师傅"])  # close to nothing: the text as written
    wb.save(path)
    plan = services.imports.run(path, kind="resources", unit_name="城关街道", dry_run=True).plan
    matched = [(d.field, d.before, d.after, d.count) for d in plan.decisions() if d.kind == MATCHED]
    assert matched == [("provider", "银发管家服务队", "光明社区银发管家志愿服务队", 1)]
    assert plan.row(2).insert is not None and plan.row(2).insert["team_id"] == team
    assert plan.row(3).insert is not None and plan.row(3).insert["provider_text"] == "王师傅"
    # the clerk says no: the provider stays the text as written, no alias is learned
    out = services.imports.run(path, kind="resources", unit_name="城关街道",
                               options=PlanOptions(chosen={(MATCHED, "provider", "银发管家服务队"): ""}))  # fmt: skip
    assert [(r[0], r[1]) for r in dump(db_path, "resource", "team_id, provider_text")] == [
        (None, "银发管家服务队"), (None, "王师傅")]  # fmt: skip
    assert dump(db_path, "team", "aliases") == [("",)] and out.batch_id is not None


def test_a_resource_list_needs_a_provider_and_content_or_a_title(
    services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "资源.xlsx"
    wb = Workbook()
    wb.active.append(["序号", "资源类别", "提供者", "联系电话"])
    wb.active.append([1, "医疗健康服务", "张医生", "13812345678"])
    wb.save(path)
    with pytest.raises(UserError, match="表中找不到必填列“资源名称”"):
        services.imports.run(path, kind="resources")


def test_section_rows_of_other_kinds_are_not_records(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "名册.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "性别", "联系电话"])
    ws.append(["一、离休干部"])
    ws.append([1, "张建国", "男", "13812345678"])
    wb.save(path)
    out = services.imports.run(path, kind="roster", unit_name="龙山镇")
    assert fates(out.plan) == {3: NEW}
    assert out.plan.skipped == [(2, "分类标题行（“一、离休干部”），不是记录")]
    assert dump(db_path, "person", "name, unit_id") == [("张建国", county["town"])]


def test_a_record_inside_a_merge_is_no_section_row(
    services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    """A row whose only written cell looks like a heading is a record when a merge from above fills another cell."""
    path = tmp_path / "需求.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "需求社区", "需求类别", "需求内容"])
    ws.append([1, "光明社区", "为老助老服务", "上门理发"])
    ws.append([None, None, None, "一、送餐上门"])
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:C3")
    wb.save(path)
    out = services.imports.run(path, kind="demands", dry_run=True)
    assert fates(out.plan) == {2: NEW, 3: NEW}
    assert out.plan.row(3).insert is not None and out.plan.row(3).insert["title"] == "送餐上门"
    assert out.plan.skipped == []


def test_dates_of_the_street_list_as_read(tmp_path: Path) -> None:
    """The .xls and the .xlsx give the same cells (so both imports above compare like with like)."""
    from silverdesk.services.importing import find_table, read_sheet

    tables = [find_table(read_sheet(street_file(fmt, tmp_path), None), "demands") for fmt in ("xlsx", "xls")]
    assert [[r.values for r in t.rows] for t in tables[:1]] == [
        [r.values for r in t.rows] for t in tables[1:]
    ]
    assert tables[0].meta["report_date"] == tables[1].meta["report_date"] == dt.date(2026, 11, 10)


# ---- through the real command ----------------------------------------------------------------
SRC = Path(__file__).resolve().parents[3] / "src"


def silverdesk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "SILVERDESK_OPERATOR": "命令行"}
    return subprocess.run([sys.executable, "-m", "silverdesk", *args], capture_output=True, text=True, env=env,
                          timeout=300, cwd=cwd)  # fmt: skip


def test_silverdesk_import_of_a_gbk_csv_list_says_what_it_derived(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    services.close()
    path = tmp_path / "城关街道需求.csv"
    path.write_bytes(
        "序号,提出社区,具体需求,联系人,联系电话\r\n"
        "一、为老助老服务类,,,,\r\n"
        "1,光明社区,（1）助餐送餐，中午一顿,王芳,13912345678\r\n"
        "2,,更换楼道灯泡,,\r\n"
        "3,幸福社区,上门理发,李娜,13800002222\r\n".encode("gbk")
    )
    args = ("import", str(path), "--kind", "需求清单", "--unit", "城关街道", "--db", str(db_path))
    before = dt.date.today().isoformat()
    first = silverdesk(*args, "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout)
    assert (result["imported"], result["rejected"]) == (3, 0)
    assert result["derived"] == {"需求类别": 3, "需求名称": 3, "需求单位": 1}
    assert result["decision_counts"][DERIVED] == 7
    assert result["skipped"] == [{"row": 2, "reason": "分类标题行（“一、为老助老服务类”），不是记录"}]
    assert {
        "kind": DERIVED,
        "field": "需求单位",
        "before": "",
        "after": "城关街道",
        "rows": 1,
        "options": [],
    } in (result["decisions"])
    cat, b, day = category_ids(db_path), result["batch_id"], dt.date.today().isoformat()
    stored = dump(db_path, "demand", DEMAND_COLUMNS)
    assert {row[10] for row in stored} <= {before, day}  # raised_on: the day of the import
    assert [row[:10] + row[11:] for row in stored] == [
        ("助餐送餐", "（1）助餐送餐，中午一顿", cat["为老助老服务"], county["community"], "", "王芳", "13912345678", None,
         "一般", "待对接", b),
        ("更换楼道灯泡", "更换楼道灯泡", cat["为老助老服务"], county["street"], "", "", "", None, "一般", "待对接", b),
        ("上门理发", "上门理发", cat["为老助老服务"], None, "幸福社区", "李娜", "13800002222", None, "一般", "待对接", b),
    ]  # fmt: skip
    again = silverdesk(*args, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert "新增 0，更新 0，未变 3，拒绝 0" in lines[0]
    assert "推导（文件未写明，按规则得出）：需求类别 3 行，需求名称 3 行，需求单位 1 行" in lines
    assert (
        "  注意：第 2 行“一、为老助老服务类”是分类标题行，不是记录；其下 3 行未填类别，按“为老助老服务”导入"
        in lines
    )
    assert len(dump(db_path, "demand")) == 3


def test_a_team_and_a_person_of_one_name_link_to_neither(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    services.people.create({"name": "红枫"})
    services.teams.create({"name": "红枫", "unit_id": county["community"]})
    path = tmp_path / "资源.csv"
    path.write_bytes(
        "填报社区：光明社区\r\n序号,资源类别,资源内容,提供方\r\n1,文化体育活动,合唱排练，每周二,红枫\r\n".encode(
            "gbk"
        )
    )
    out = services.imports.run(path, kind="resources")
    assert out.plan.row(3).reason == (
        "提供方“红枫”既是志愿服务队的名称，又是花名册中人员的姓名，无法确定是哪一个，未关联，按原文保存；"
        "请在资源清单中核对后指定提供者"
    )
    assert dump(db_path, "resource", "title, person_id, team_id, provider_text") == [
        ("合唱排练", None, None, "红枫")
    ]


def test_a_reporting_community_line_names_the_requester(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "需求.csv"
    path.write_bytes(
        "填报社区：光明社区    填报日期：2026年11月\r\n序号,需求类别,需求内容\r\n1,为老助老服务,助浴\r\n".encode(
            "gbk"
        )
    )
    services.imports.run(path, kind="demands")
    assert dump(db_path, "demand", "title, requester_unit_id, requester_text") == [
        ("助浴", county["community"], "")
    ]


def test_a_unit_line_naming_no_unit_on_record_is_kept_as_text(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "需求.csv"
    path.write_bytes("填报单位：幸福社区\r\n序号,需求类别,需求内容\r\n1,为老助老服务,助浴\r\n".encode("gbk"))
    out = services.imports.run(path, kind="demands")
    assert out.plan.unit_name == "" and out.plan.offers == []  # no unit is created for it
    assert dump(db_path, "demand", "title, requester_unit_id, requester_text") == [("助浴", None, "幸福社区")]
    assert [(d.field, d.after, d.count) for d in out.plan.decisions()] == [
        ("title", "助浴", 1),
        ("requester", "幸福社区", 1),
    ]
