"""Report workbooks on disk: database text never becomes a formula, personal data masked by default.

Every check opens the REAL written file with openpyxl (issue #7: nothing leaked, nothing executed).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest

from silverdesk.cli import main
from silverdesk.domain.privacy import MaskPolicy
from silverdesk.reports.xlsx import write_xlsx
from silverdesk.services.statistics.periods import parse_period
from silverdesk.services.statistics.reporting import ReportService
from silverdesk.services.table_export import export_table

EVIL_UNIT = '=HYPERLINK("http://example.invalid/x","点此")'
EVIL_CATEGORY = "+cmd|' /C calc'!A0"
PHONE = "13812345678"
ID_NUMBER = "370402195603011234"


@pytest.fixture
def hostile(services, county):
    """A unit named like a formula, a category starting with "+", a unit with a mobile in its name."""
    units = services.units
    evil = units.create({"name": EVIL_UNIT, "kind": "部门", "parent_id": county["root"]})
    phone_unit = units.create(
        {"name": f"县老年大学（联系电话{PHONE}）", "kind": "部门", "parent_id": county["root"]}
    )
    category = services.lookups.add("activity_category", EVIL_CATEGORY)
    for unit in (evil, phone_unit):
        services.activities.create(
            {
                "occurred_on": "2026-10-08",
                "title": "讲座",
                "unit_id": unit,
                "category_id": category,
                "participants": 3,
                "hours": 2,
                "beneficiaries": 30,
            }
        )
    return services


def all_cells(path: Path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell


def test_formula_like_names_are_text_cells_in_the_written_workbook(hostile, tmp_path):
    reports = ReportService(hostile.ctx)
    out = reports.write(reports.build(parse_period("2026-10")), tmp_path / "月报.xlsx")
    found = {}
    for sheet, cell in all_cells(out):
        if cell.value in (EVIL_UNIT, EVIL_CATEGORY):
            found[cell.value] = (sheet, cell)
    assert set(found) == {EVIL_UNIT, EVIL_CATEGORY}
    for sheet, cell in found.values():
        assert cell.data_type == "s", f"{sheet}!{cell.coordinate} became {cell.data_type}"
        assert cell.value.startswith(("=", "+"))
        assert cell.quotePrefix  # Excel keeps it text when the clerk edits the cell
    assert not any(cell.data_type == "f" for _s, cell in all_cells(out))  # the report has no formulas at all


def test_data_sheet_chunk_beginning_with_equals_stays_text(sample, tmp_path):
    # a 30,000-character chunk boundary can fall anywhere in the JSON, e.g. just before "="
    data = dataclasses.replace(sample, narrative="=" * 40_000)
    out = write_xlsx(data, tmp_path / "chunks.xlsx")
    ws = openpyxl.load_workbook(out)["_silverdesk"]
    chunks = [ws.cell(row=r, column=1) for r in range(4, 4 + int(ws["B3"].value))]
    assert any(c.value.startswith("=") for c in chunks)
    assert all(c.data_type == "s" for c in chunks)
    from silverdesk.reports.readback import read_report_workbook

    assert read_report_workbook(out).narrative == data.narrative


def texts(path: Path) -> str:
    return "\n".join(str(cell.value) for _s, cell in all_cells(path))


def test_report_cli_masks_by_default_and_no_mask_writes_full(hostile, db_path, tmp_path):
    hostile.close()
    masked = tmp_path / "masked.xlsx"
    full = tmp_path / "full.xlsx"
    assert main(["report", "--db", str(db_path), "--period", "2026-10", "--out", str(masked)]) == 0
    assert masked.is_file()
    content = texts(masked)  # every sheet, the hidden data sheet included
    assert PHONE not in content
    assert "138****5678" in content
    assert main(["report", "--db", str(db_path), "--period", "2026-10", "--out", str(full), "--no-mask"]) == 0
    assert PHONE in texts(full)


def test_masking_reaches_narrative_pdf_and_form(hostile, tmp_path):
    reports = ReportService(hostile.ctx)
    data = reports.build(parse_period("2026-10"), narrative=f"联系人身份证{ID_NUMBER}，电话{PHONE}。")
    out = reports.write(data, tmp_path / "r.xlsx")
    content = texts(out)
    assert ID_NUMBER not in content and PHONE not in content
    assert "3704**********1234" in content
    pdf = reports.write(data, tmp_path / "r.pdf")
    from pypdf import PdfReader

    pdf_text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert PHONE not in pdf_text.replace(" ", "") and ID_NUMBER not in pdf_text.replace(" ", "")
    unmasked = reports.write(data, tmp_path / "full.xlsx", mask=MaskPolicy.off())
    assert ID_NUMBER in texts(unmasked)


def test_table_export_writes_formula_like_text_as_text(tmp_path):
    out = tmp_path / "list.xlsx"
    export_table(out, "人员", ["姓名", "备注"], [1, 2], lambda ids: [[EVIL_UNIT, "-1+2"], ["张三", None]])
    ws = openpyxl.load_workbook(out).active
    assert ws["A2"].value == EVIL_UNIT and ws["A2"].data_type == "s"
    assert ws["B2"].value == "-1+2" and ws["B2"].data_type == "s"
    assert ws["A3"].value == "张三"


def test_market_export_writes_formula_like_titles_as_text(services, county, tmp_path):
    from silverdesk.services.market.export import RESOURCE_COLUMNS, write_sheet

    @dataclasses.dataclass
    class Row:
        title: str = "=1+1"
        major: str = "@SUM(A1)"
        category: str = "小项"
        provider: str = "张三"
        area: str = ""
        available_from: object = None
        available_to: object = None
        available_text: str = ""
        capacity: int = 3
        contact_phone: str = PHONE
        status: str = "可用"
        listed_on: object = None
        open_orders: int = 0

    out = write_sheet([Row()], RESOURCE_COLUMNS, tmp_path / "m.xlsx", "资源清单")
    ws = openpyxl.load_workbook(out).active
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"
    assert ws["B2"].value == "@SUM(A1)" and ws["B2"].data_type == "s"
    assert ws["I2"].value == 3
