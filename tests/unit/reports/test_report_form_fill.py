"""Filling a province form marked with {{placeholders}}."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from silverdesk.errors import UserError
from silverdesk.reports.form_fill import ROLE_PREFIX, ROW_TABLES, SCALARS, fill_form, shift_formula
from silverdesk.reports.model import ReportData
from silverdesk.resources import resource_path


def make_form(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "省表"
    ws["A1"] = "{{标题}}（{{报告期}}）"
    ws.merge_cells("A1:L1")
    ws["A2"], ws["H2"] = "填报单位：{{填报单位}}", "{{统计时段}}"
    ws["A3"], ws["B3"] = "序号", "单位"
    ws["A4"] = "{{表1.rows}}"
    ws["A4"].font = Font(name="仿宋", size=11, bold=True)
    ws.row_dimensions[4].height = 22
    ws["A5"], ws["F5"], ws["H5"], ws["M5"] = (
        "合计",
        "{{表1.合计.活动}}",
        "{{表1.合计.服务时长}}",
        "=SUM(F4:F4)",
    )
    ws.merge_cells("A6:C6")
    ws["A6"] = "填表人：{{填表人}}　联系电话：{{联系电话}}"
    ws.row_dimensions[6].height = 30
    ws["D6"], ws["E6"], ws["F6"] = "{{社区任职.楼长}}", "{{社区任职.书记员}}", "{{活动场次同比增长率}}"
    ws["A8"] = "{{表2.rows}}{{表2.服务领域}}"
    ws["B8"], ws["C8"], ws["D8"] = "{{表2.活动}}", "{{表2.占比}}", "{{表2.服务时长}}小时"
    ws["A9"] = "资源{{资源条目}}条"
    ws.print_area = "A1:M10"
    wb.save(path)
    return path


def test_fill_form_expands_rows_and_fills_scalars(sample: ReportData, tmp_path: Path) -> None:
    out = fill_form(sample, make_form(tmp_path / "form.xlsx"), tmp_path / "out.xlsx")
    ws = load_workbook(out)["省表"]
    n1, n2 = len(sample.table1), len(sample.table2)
    assert ws["A1"].value == f"{sample.title}（{sample.period.label}）"
    assert ws["H2"].value == sample.period.range_text
    for i, r in enumerate(sample.table1):
        row = [c.value for c in ws[4 + i]][:12]
        assert row[:11] == [
            r.seq,
            r.unit,
            r.teams,
            r.volunteers,
            r.party_members,
            r.activities,
            r.participations,
            r.hours,
            r.beneficiaries,
            r.ytd_activities,
            r.ytd_beneficiaries,
        ]
        assert ws.cell(row=4 + i, column=1).font.b and ws.row_dimensions[4 + i].height == 22
    total_row = 4 + n1
    assert ws.cell(row=total_row, column=1).value == "合计"
    assert ws.cell(row=total_row, column=6).value == sample.table1_total.activities
    assert ws.cell(row=total_row, column=8).value == sample.table1_total.hours
    assert ws.cell(row=total_row, column=13).value == f"=SUM(F4:F{3 + n1})"
    signer = total_row + 1
    assert f"A{signer}:C{signer}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.row_dimensions[signer].height == 30
    assert ws.cell(row=signer, column=1).value == "填表人：李堃　联系电话：0536-1234567"
    assert ws.cell(row=signer, column=4).value == 64 and ws.cell(row=signer, column=5).value == 0
    growth = ws.cell(row=signer, column=6).value
    yoy = (sample.current.activities - sample.last_year.activities) / sample.last_year.activities
    assert growth == pytest.approx(yoy, abs=1e-4)
    t2 = signer + 2
    for i, r in enumerate(sample.table2):
        assert [c.value for c in ws[t2 + i]][:3] == [
            r.category,
            r.activities,
            pytest.approx(r.share, rel=1e-12),
        ]
    assert ws.cell(row=t2, column=4).value == f"{sample.table2[0].hours:.1f}小时"
    assert ws.cell(row=t2 + n2, column=1).value == f"资源{sample.table4.resources}条"
    assert ws.print_area.endswith(f"$M${10 + n1 - 1 + n2 - 1}")
    leftovers = [c.coordinate for row in ws.iter_rows() for c in row if "{{" in str(c.value)]
    assert leftovers == []


def test_unknown_placeholders_are_all_listed(sample: ReportData, tmp_path: Path) -> None:
    form = make_form(tmp_path / "form.xlsx")
    wb = load_workbook(form)
    wb["省表"]["B2"] = "{{填报人}}"
    wb["省表"]["C2"] = "{{表1.活动数}}"
    wb["省表"]["D3"] = "{{表1.单位}}"  # a column key outside the template row
    wb.save(form)
    with pytest.raises(UserError) as info:
        fill_form(sample, form, tmp_path / "out.xlsx")
    message = str(info.value)
    assert "省表!B2 {{填报人}}" in message and "省表!C2 {{表1.活动数}}" in message and "省表!D3" in message
    assert not (tmp_path / "out.xlsx").exists()


def test_empty_rows_and_other_formats(sample: ReportData, tmp_path: Path) -> None:
    import dataclasses

    form = make_form(tmp_path / "form.xlsx")
    out = fill_form(dataclasses.replace(sample, table1=()), form, tmp_path / "out.xlsx")
    ws = load_workbook(out)["省表"]
    assert ws["A4"].value is None and ws["A5"].value == "合计"
    with pytest.raises(UserError, match=r"\.xlsx"):
        fill_form(sample, tmp_path / "form.xls", tmp_path / "out.xlsx")


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=SUM(F4:F4)", "=SUM(F4:F18)"),
        ("=F5+$G$6*2", "=F19+$G$20*2"),
        ('=A3&"B9"', '=A3&"B9"'),
        ("=Other!F9+'省 表'!F9", "=Other!F9+'省 表'!F23"),
        ("=LOG10(F2)", "=LOG10(F2)"),
    ],
)
def test_shift_formula(formula: str, expected: str) -> None:
    assert shift_formula(formula, 4, 14, "省 表") == expected


def test_placeholder_doc_lists_the_vocabulary() -> None:
    doc = resource_path("layouts", "PLACEHOLDERS.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"\{\{([^{}]+)\}\}", doc))
    assert set(SCALARS) <= documented
    assert any(k.startswith(ROLE_PREFIX) for k in documented)
    for table, (_src, _total, columns) in ROW_TABLES.items():
        assert f"{table}.rows" in documented
        for key in columns:
            assert f"`{key}`" in doc, key
