"""The clerk's changes to an import's decisions (PlanOptions.chosen, fill_merged), without the window.

A roster written the short way (党员, 汉, 原工作单位 merged over rows) goes open → read → plan →
(the clerk's choices) → plan again → commit into a real SQLite file; what is stored is what the
clerk chose, and the plan offers the other normal forms for every 规范写法 decision.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from silverdesk.domain.codes import code_table
from silverdesk.services.hub import Services
from silverdesk.services.importing.plan import MERGED, NORMALISED, ImportPlan, PlanOptions

from .pipeline_helpers import ID_LI, ID_WANG, ID_ZHANG

HEADER = ["序号", "姓名", "身份证号", "民族", "政治面貌", "原工作单位"]
ROWS = [
    [1, "张建国", ID_ZHANG, "汉", "党员", "县教育局"],
    [2, "李秀英", ID_LI, "汉", "党员", None],  # 原工作单位 merged with the row above
    [3, "王明", ID_WANG, "回族", "群众", None],  # likewise
]


def write_roster(path: Path) -> Path:
    """The roster with 原工作单位 merged over its three record rows (Excel rows 2-4)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    ws.merge_cells("F2:F4")
    wb.save(path)
    return path


def plan_with(services: Services, path: Path, options: PlanOptions | None = None) -> ImportPlan:
    imports = services.imports
    prepared = imports.read(imports.open_file(path), kind="roster", unit_name="龙山镇")
    return imports.plan(prepared, options=options)


def stored(db_path: Path) -> dict[str, dict[str, Any]]:
    con = sqlite3.connect(db_path)
    con.row_factory = sqlite3.Row
    try:
        return {
            r["name"]: dict(r)
            for r in con.execute("SELECT name, ethnicity, political_status, former_employer FROM person")
        }
    finally:
        con.close()


def test_the_plan_offers_the_other_normal_forms_and_stores_the_clerks_choice(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = write_roster(tmp_path / "名册.xlsx")
    plan = plan_with(services, path)
    decisions = {(d.kind, d.label, d.before): d for d in plan.decisions()}
    assert set(decisions) == {
        (MERGED, "原工作单位", ""),
        (NORMALISED, "民族", "汉"),
        (NORMALISED, "政治面貌", "党员"),
    }
    assert decisions[(MERGED, "原工作单位", "")].count == 2
    party = decisions[(NORMALISED, "政治面貌", "党员")]
    assert (party.after, party.count) == ("中共党员", 2)
    assert party.options[0] == "中共预备党员"  # shares 党员: the closest other form
    assert set(party.options) == set(code_table("political_status").forms) - {"中共党员"}
    han = decisions[(NORMALISED, "民族", "汉")]
    assert han.options[:2] == ("蒙古族", "回族") and "汉族" not in han.options and len(han.options) == 55

    chosen = PlanOptions(chosen={(NORMALISED, "political_status", "党员"): "中共预备党员"})
    plan = plan_with(services, path, chosen)
    party = next(d for d in plan.decisions() if d.before == "党员")
    assert (party.after, party.count) == ("中共预备党员", 2)
    assert party.options[0] == "中共党员"  # the table's own reading comes back first
    assert services.imports.commit(plan) > 0
    assert stored(db_path) == {
        "张建国": {"name": "张建国", "ethnicity": "汉族", "political_status": "中共预备党员",
                   "former_employer": "县教育局"},
        "李秀英": {"name": "李秀英", "ethnicity": "汉族", "political_status": "中共预备党员",
                   "former_employer": "县教育局"},
        "王明": {"name": "王明", "ethnicity": "回族", "political_status": "群众", "former_employer": "县教育局"},
    }  # fmt: skip


def test_left_empty_and_merged_cells_not_filled(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = write_roster(tmp_path / "名册.xlsx")
    options = PlanOptions(chosen={(NORMALISED, "ethnicity", "汉"): ""}, fill_merged=False)
    plan = plan_with(services, path, options)
    assert plan.counts["新增"] == 3 and plan.merged_filled == {} and plan.merged_note == ""
    kinds = {(d.kind, d.label, d.before, d.after) for d in plan.decisions()}
    assert kinds == {(NORMALISED, "民族", "汉", ""), (NORMALISED, "政治面貌", "党员", "中共党员")}
    assert "汉族" in next(d for d in plan.decisions() if d.before == "汉").options
    services.imports.commit(plan)
    people = stored(db_path)
    assert {name: (p["ethnicity"], p["former_employer"]) for name, p in people.items()} == {
        "张建国": ("", "县教育局"),
        "李秀英": ("", ""),
        "王明": ("回族", ""),
    }


def test_the_is_party_member_column_takes_the_chosen_status(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "党员.xlsx"
    wb = Workbook()
    for row in (["姓名", "身份证号", "是否党员"], ["张建国", ID_ZHANG, "√"], ["李秀英", ID_LI, "否"]):
        wb.active.append(row)
    wb.save(path)
    key = (NORMALISED, "political_status", "是否党员：√")
    assert plan_with(services, path).choice_options[key][0] == "中共预备党员"
    plan = plan_with(services, path, PlanOptions(chosen={key: "中共预备党员"}))
    services.imports.commit(plan)
    assert {n: p["political_status"] for n, p in stored(db_path).items()} == {
        "张建国": "中共预备党员",
        "李秀英": "群众",
    }


def test_the_batch_keeps_what_the_import_worked_out(services, county, tmp_path):  # type: ignore[no-untyped-def]
    """import_batch.decisions_json: the counts and the distinct decisions as stored (the history shows the counts)."""
    import json

    from silverdesk.services.importing.service import decisions_summary

    path = tmp_path / "名册.xlsx"
    wb = Workbook()
    wb.active.append(["姓名", "身份证号", "民族", "政治面貌"])
    wb.active.append(["张建国", ID_ZHANG, "汉", "党员"])
    wb.active.append(["李秀英", ID_LI, "汉", "群众"])
    wb.save(path)
    out = services.imports.run(path, kind="roster", unit_name="龙山镇")
    with sqlite3.connect(services.ctx.db.path) as con:
        [(kept,)] = con.execute("SELECT decisions_json FROM import_batch WHERE id = ?", (out.batch_id,))
    data = json.loads(kept)
    assert data["counts"] == {"规范写法": 3}
    assert [(d["field"], d["before"], d["after"], d["rows"]) for d in data["decisions"]] == [
        ("民族", "汉", "汉族", 2),
        ("政治面貌", "党员", "中共党员", 1),
    ]
    assert services.imports.batches()[0].decisions == "规范写法 3 处"
    assert decisions_summary("") == "" and decisions_summary("not json") == ""  # batches from before 0009
