"""An activity log with no 活动名称 column (DOMAIN.md: "a patrol log that only names the river section"):
each title comes from the row's 活动内容 by the list rule (a 推导 decision), a row with neither is refused
with a reason, the clerk may change a derived title, and a re-import finds every row again."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from silverdesk.services.hub import Services
from silverdesk.services.importing.plan import DERIVED, NEW, REJECTED, UNCHANGED, PlanOptions

from .pipeline_helpers import dump


def patrol_log(path: Path) -> Path:
    """A town's 巡河 log as such logs come: a title row, a 填报单位 line, merged dates, no 活动名称."""
    wb = Workbook()
    ws = wb.active
    ws.append(["龙山镇银龄护河队巡河记录表"])
    ws.merge_cells("A1:F1")
    ws.append(["填报单位：龙山镇", None, None, "填报日期：2026年11月"])
    ws.append(["日期", "巡查河段", "巡查情况", "参与人数", "服务时长", "备注"])
    ws.append(["2026-11-03", "龙山河一段", "清理河道垃圾，劝阻垂钓3人", 6, 12, None])
    ws.append([None, "龙山河二段", "清理河道垃圾，发放宣传资料200份", 5, 10, "雨天"])
    ws.merge_cells("A4:A5")
    ws.append(["2026-11-10", "龙山河一段", "巡查堤岸，未见异常", 4, 8, None])
    ws.append(["2026-11-17", "龙山河三段", None, 3, 6, None])
    wb.save(path)
    return path


def test_a_patrol_log_without_titles_is_imported_with_derived_titles(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = patrol_log(tmp_path / "巡河记录.xlsx")
    prepared = services.imports.read(services.imports.open_file(path), kind="activities", unit_name="龙山镇")
    plan = services.imports.plan(prepared)
    assert {r.row_number: r.fate for r in plan.rows} == {4: NEW, 5: NEW, 6: NEW, 7: REJECTED}
    assert plan.row(7).reason == "活动名称未填写，也没有巡查情况可以推导；请填写活动名称或巡查情况后重新导入"
    titles = [(d.before, d.after, d.count) for d in plan.decisions() if d.kind == DERIVED]
    assert sorted(titles) == sorted([
        ("清理河道垃圾，劝阻垂钓3人", "清理河道垃圾", 1),
        ("清理河道垃圾，发放宣传资料200份", "清理河道垃圾", 1),
        ("巡查堤岸，未见异常", "巡查堤岸", 1),
    ])  # fmt: skip
    services.imports.commit(plan)
    columns = "occurred_on, title, unit_id, place_text, participants, hours, description"
    assert dump(db_path, "activity", columns) == [
        ("2026-11-03", "清理河道垃圾", county["town"], "", 6, 12.0, "清理河道垃圾，劝阻垂钓3人"),
        (
            "2026-11-03",
            "清理河道垃圾",
            county["town"],
            "",
            5,
            10.0,
            "清理河道垃圾，发放宣传资料200份\n备注：雨天",
        ),
        ("2026-11-10", "巡查堤岸", county["town"], "", 4, 8.0, "巡查堤岸，未见异常"),
    ]  # two patrols of one day with the same first clause stay two; Chinese punctuation as written
    again = services.imports.plan(prepared)
    assert {r.row_number: r.fate for r in again.rows} == {
        4: UNCHANGED,
        5: UNCHANGED,
        6: UNCHANGED,
        7: REJECTED,
    }
    assert [again.row(n).entity_id for n in (4, 5, 6)] == [1, 2, 3]


def test_the_clerk_changes_or_clears_a_derived_activity_title(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = patrol_log(tmp_path / "巡河记录.xlsx")
    prepared = services.imports.read(services.imports.open_file(path), kind="activities", unit_name="龙山镇")
    chosen = {
        (DERIVED, "title", "清理河道垃圾，劝阻垂钓3人"): "巡河（龙山河一段）",
        (DERIVED, "title", "巡查堤岸，未见异常"): "",
    }
    plan = services.imports.plan(prepared, options=PlanOptions(chosen=chosen))
    assert {r.row_number: r.fate for r in plan.rows} == {4: NEW, 5: NEW, 6: REJECTED, 7: REJECTED}
    assert (
        plan.row(6).reason == "活动名称是必填项，推导出的值已按您的选择清空；请填写活动名称，或保留推导的值"
    )
    services.imports.commit(plan)
    assert dump(db_path, "activity", "title") == [
        ("巡河(龙山河一段)",),
        ("清理河道垃圾",),
    ]  # a title folds as the form folds it
