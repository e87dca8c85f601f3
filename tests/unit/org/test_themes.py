"""月度主题: set, rename, clear, copy last year's (audited), and the list round trip: template → fill →
import → every field back; a 年度主题 sheet of “1月 银龄暖冬” lines; refused rows; undo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from silverdesk.db.models import AuditLog
from silverdesk.errors import Conflict, UserError
from silverdesk.services.hub import Services
from silverdesk.services.org.themes import read_month, split_theme_line

WINTER = ["银龄暖冬", "新春送福", "学雷锋", "清明追思", "劳动光荣", "关爱儿童",
          "党旗飘飘", "军民鱼水", "助学圆梦", "金秋敬老", "法治宣传", "冬日暖阳"]  # fmt: skip


def _audits(services: Services) -> list[str]:
    with services.ctx.db.reader() as s:
        return list(s.scalars(select(AuditLog.summary).where(AuditLog.entity == "monthly_theme")))


def test_set_rename_clear_and_copy_last_year_are_audited(services: Services) -> None:
    themes = services.themes
    assert themes.set(2025, 1, " 银龄暖冬 ") == ""
    themes.set(2025, 2, "新春送福")
    assert themes.names(2025) == {1: "银龄暖冬", 2: "新春送福"}
    assert themes.set(2025, 2, "新春送温暖") == "新春送福"
    themes.set(2026, 2, "自己的二月")
    assert themes.copy_previous(2026) == 1  # January copied, February kept
    assert themes.names(2026) == {1: "银龄暖冬", 2: "自己的二月"}
    assert themes.copy_previous(2026, replace=True) == 1
    assert themes.names(2026) == {1: "银龄暖冬", 2: "新春送温暖"}
    assert themes.clear(2026, 1) == "银龄暖冬"
    assert themes.names(2026) == {2: "新春送温暖"}
    with pytest.raises(UserError, match="2024年还没有设置月度主题"):
        themes.copy_previous(2025)
    with pytest.raises(UserError, match="月份应为 1 到 12"):
        themes.set(2026, 13, "十三月")
    summaries = _audits(services)
    assert "2025年1月主题：银龄暖冬" in summaries
    assert "2025年2月主题：“新春送福”改为“新春送温暖”" in summaries
    assert "2026年1月主题：银龄暖冬（复制自2025年）" in summaries
    assert "清空2026年1月主题（原为“银龄暖冬”）" in summaries


def test_a_theme_activities_use_cannot_be_cleared_but_can_be_renamed(services: Services, county) -> None:
    themes = services.themes
    themes.set(2026, 11, "法治宣传")
    aid = services.activities.create(
        {"occurred_on": "2026-11-03", "title": "普法讲座", "unit_id": county["root"]}
    )
    assert services.activities.rows_by_ids([aid])[0].theme == "法治宣传"  # its month's theme by default
    with pytest.raises(Conflict, match="已有 1 项活动使用"):
        themes.clear(2026, 11)
    themes.set(2026, 11, "法治宣传月")
    assert services.activities.rows_by_ids([aid])[0].theme == "法治宣传月"
    assert themes.year(2026)[11].activities == 1


def test_months_and_lines_are_read_the_ways_units_write_them() -> None:
    assert [read_month(x) for x in (3, "3", "03", "3月", "三月", "十二月", "12月份", 13, "春")] == [
        3, 3, 3, 3, 3, 12, 12, None, None]  # fmt: skip
    assert split_theme_line("1月 银龄暖冬") == (1, "银龄暖冬")
    assert split_theme_line("十一月：法治宣传") == (11, "法治宣传")
    assert split_theme_line("银龄暖冬") is None


def test_template_filled_imports_every_field_and_undo_removes_it(services: Services, tmp_path: Path) -> None:
    services.themes.set(2027, 1, "旧的一月")  # on record already: a conflict, never overwritten silently
    template = services.imports.write_template("themes", tmp_path / "月度主题模板.xlsx")
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header[1:] == ["年份", "月份", "主题（必填）"]
    start = next(r for r in range(2, ws.max_row + 2) if ws.cell(r, 1).value != "示例")
    months = [f"{m}月" if m % 2 else m for m in range(1, 13)]  # “1月” and 2 both read
    for i, (month, name) in enumerate(zip(months, WINTER, strict=True)):
        ws.cell(start + i, 1, i + 1)
        ws.cell(start + i, 2, 2027)
        ws.cell(start + i, 3, month)
        ws.cell(start + i, 4, name)
    ws.cell(start + 12, 1, 13)
    ws.cell(start + 12, 2, 2027)
    ws.cell(start + 12, 3, "十三月")
    ws.cell(start + 12, 4, "不存在的月份")
    wb.save(template)
    wb.close()

    out = services.imports.run(template, kind="themes")
    plan = out.plan
    assert plan.counts["新增"] == 11 and plan.counts["未变"] == 1 and plan.counts["拒绝"] == 1
    january = next(r for r in plan.rows if r.conflicts)
    assert "库中为 旧的一月，文件中为 银龄暖冬" in january.reason
    assert services.themes.names(2027) == {1: "旧的一月"} | {m: WINTER[m - 1] for m in range(2, 13)}
    errors = services.imports.write_errors(plan, tmp_path / "退回.xlsx")
    book = load_workbook(errors)
    cells = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value is not None]
    book.close()
    assert "不存在的月份" in cells and any("不是月份" in c for c in cells)

    services.imports.undo(out.batch_id)
    assert services.themes.names(2027) == {1: "旧的一月"}


def test_a_year_sheet_of_lines_and_a_conflict_chosen_from_the_file(
    services: Services, tmp_path: Path
) -> None:
    services.themes.set(2026, 3, "学雷锋")
    path = tmp_path / "年度主题.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "年度主题"
    ws.append(["2026年离退休干部志愿服务月度主题"])
    ws.append(["月度主题"])
    for m, name in enumerate(WINTER, start=1):
        ws.append([f"{m}月 {name}" if m != 3 else "3月 学雷锋做表率"])
    wb.save(path)
    svc = services.imports
    prepared = svc.read(svc.open_file(path), kind="themes")
    plan = svc.plan(prepared)
    assert plan.counts["新增"] == 11 and plan.counts["未变"] == 1
    plan.choose(next(r.row_number for r in plan.rows if r.conflicts), "name", use_file=True)
    batch = svc.commit(plan)
    assert services.themes.names(2026) == {m: WINTER[m - 1] for m in range(1, 13)} | {3: "学雷锋做表率"}
    svc.undo(batch)
    assert services.themes.names(2026) == {3: "学雷锋"}


def test_undo_is_refused_once_an_activity_uses_an_imported_theme(
    services: Services, county, tmp_path: Path
) -> None:
    path = tmp_path / "主题.xlsx"
    wb = Workbook()
    wb.active.append(["年份", "月份", "主题"])
    wb.active.append([2026, "11月", "法治宣传"])
    wb.save(path)
    out = services.imports.run(path, kind="themes")
    services.activities.create(
        {"occurred_on": dt.date(2026, 11, 5), "title": "普法", "unit_id": county["root"]}
    )
    with pytest.raises(UserError, match="不能撤销"):
        services.imports.undo(out.batch_id)
    assert services.themes.names(2026) == {11: "法治宣传"}
