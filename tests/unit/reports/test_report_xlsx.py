"""The workbook: sheets, figures as values, merges, formats, print setup, chart, hidden data sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from silverdesk.errors import UserError
from silverdesk.reports.grid import build_grid
from silverdesk.reports.layout import default_layout
from silverdesk.reports.model import ReportData
from silverdesk.reports.xlsx import DATA_SHEET, write_xlsx


def body_rows(ws: Worksheet, first_header: str) -> tuple[int, list[tuple]]:
    """(first body row, rows) of a table sheet: rows after the header until the first empty row."""
    head = next(c.row for row in ws.iter_rows() for c in row if c.value == first_header)
    depth = (
        max(r.max_row for r in ws.merged_cells.ranges if r.min_row == head and r.min_col == 1)
        if any(r.min_row == head and r.min_col == 1 for r in ws.merged_cells.ranges)
        else head
    )
    start = depth + 1
    rows = []
    for values in ws.iter_rows(min_row=start, values_only=True):
        if all(v is None for v in values[1:3]):
            break
        rows.append(values)
    return start, rows


def test_sheets_and_hidden_data_sheet(sample_xlsx: Path) -> None:
    wb = load_workbook(sample_xlsx)
    assert wb.sheetnames == ["说明", "表1 分单位", "表2 分领域", "表3 组织建设", "表4 供需对接", DATA_SHEET]
    assert wb[DATA_SHEET].sheet_state == "hidden"
    assert all(wb[n].sheet_state == "visible" for n in wb.sheetnames[:-1])


def test_table1_cells_are_the_dto_values(sample_xlsx: Path, sample: ReportData) -> None:
    ws = load_workbook(sample_xlsx)["表1 分单位"]
    start, rows = body_rows(ws, "序号")
    fields = [c.field for c in default_layout().table("表1").columns]
    expected = [tuple(getattr(r, f) for f in fields) for r in (*sample.table1, sample.table1_total)]
    got = [
        tuple(
            v if v is not None else ("" if f == "note" else None) for v, f in zip(row, fields, strict=False)
        )
        for row in rows
    ]
    assert got == expected
    total = rows[-1]
    # 合计 are values, not formulas, and equal the column sums.
    for j, f in enumerate(fields):
        if f in ("activities", "beneficiaries", "ytd_beneficiaries", "teams"):
            assert isinstance(total[j], int) and total[j] == sum(r[j] for r in rows[:-1])
    assert ws.cell(row=start + len(rows) - 1, column=6).font.b
    assert ws.cell(row=start, column=8).number_format == "#,##0.0"
    assert ws.cell(row=start, column=6).number_format == "#,##0"


def test_table2_to_4_cells(sample_xlsx: Path, sample: ReportData) -> None:
    wb = load_workbook(sample_xlsx)
    _, rows2 = body_rows(wb["表2 分领域"], "服务领域")
    assert [r[0] for r in rows2] == [r.category for r in sample.table2] + ["合计"]
    assert [r[1] for r in rows2] == [r.activities for r in sample.table2] + [sample.table2_total.activities]
    assert [r[5] for r in rows2][:-1] == pytest.approx([r.share for r in sample.table2], rel=1e-12)
    share_cell = next(
        c for row in wb["表2 分领域"].iter_rows() for c in row if c.column == 6 and isinstance(c.value, float)
    )
    assert share_cell.number_format == "0.0%"
    _, rows3 = body_rows(wb["表3 组织建设"], "序号")
    values3 = {r[1].strip(): r[3] for r in rows3}
    org = sample.table3
    assert values3["离退休干部党组织"] == org.party_orgs and values3["服务阵地"] == org.places
    assert values3["在社区任职"] == org.community_role_people
    for role, people in org.community_roles:
        assert values3[f"其中：{role}"] == people
    _, rows4 = body_rows(wb["表4 供需对接"], "序号")
    sd = sample.table4
    assert [r[3] for r in rows4] == [
        sd.resources,
        sd.demands,
        sd.matches,
        sd.orders_signed,
        sd.orders_completed,
    ]


def test_merged_multilevel_header_and_frozen_panes(sample_xlsx: Path) -> None:
    ws = load_workbook(sample_xlsx)["表1 分单位"]
    head = next(c.row for row in ws.iter_rows() for c in row if c.value == "本期")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"F{head}:I{head}" in merged and f"J{head}:K{head}" in merged
    assert f"A{head}:A{head + 1}" in merged  # 序号 spans both header rows
    assert ws.freeze_panes == f"A{head + 2}"
    assert ws.cell(row=head + 1, column=6).border.left.style == "thin"


def test_print_setup(sample_xlsx: Path) -> None:
    wb = load_workbook(sample_xlsx)
    t1 = wb["表1 分单位"]
    assert t1.page_setup.orientation == "landscape" and wb["表2 分领域"].page_setup.orientation == "portrait"
    for name in wb.sheetnames[:-1]:
        ws = wb[name]
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "第 &P 页 共 &N 页" in ws.oddFooter.center.text
    head = next(c.row for row in t1.iter_rows() for c in row if c.value == "本期")
    assert t1.print_title_rows == f"${head}:${head + 1}"
    assert t1.page_margins.left == pytest.approx(0.6)


def test_narrative_sheet_has_text_notes_and_trend_chart(sample_xlsx: Path, sample: ReportData) -> None:
    ws = load_workbook(sample_xlsx)["说明"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    joined = "\n".join(texts)
    assert f"共开展志愿服务活动{sample.current.activities}场次" in joined
    assert all(note in joined for note in sample.notes)
    assert "填表人：李堃" in joined and "统计时段：2026年10月1日—10月31日" in joined
    assert len(ws._charts) == 2
    months = [c.value for c in ws["A"] if c.value in {p.label for p in sample.trend}]
    assert months == [p.label for p in sample.trend]


def test_cells_use_official_font_names(sample_xlsx: Path) -> None:
    ws = load_workbook(sample_xlsx)["表1 分单位"]
    assert ws["A1"].font.name == "宋体"
    assert {c.font.name for row in ws.iter_rows(min_row=6, max_row=8) for c in row if c.value} == {"仿宋"}


def test_every_table_grid_is_written(sample: ReportData) -> None:
    for table in default_layout().tables:
        grid = build_grid(sample, table)
        assert all(len(r) == len(table.columns) for r in grid.body)


def test_unwritable_path(sample: ReportData, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="无法写入"):
        write_xlsx(sample, tmp_path / "no-such-dir" / "x.xlsx")
