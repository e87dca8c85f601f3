"""Refused files write nothing, a failing commit leaves no trace, the errors workbook and the templates."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from silverdesk import paths
from silverdesk.services.hub import Services
from silverdesk.services.importing import FileRefused
from silverdesk.services.importing import commit as commit_module

from .builders import write_ole
from .pipeline_helpers import ID_LI, ID_ZHANG, ROSTER_HEADER, roster_file, table_counts, write_book


@pytest.mark.parametrize("kind", ["corrupt", "encrypted", "empty"])
def test_a_refused_file_writes_nothing(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "bad.xlsx"
    if kind == "corrupt":
        good = roster_file(tmp_path / "good.xlsx").read_bytes()
        path.write_bytes(good[: len(good) // 2])
    elif kind == "encrypted":
        write_ole(
            path, {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x00" * 60, "EncryptedPackage": b"\x00" * 600}
        )
    else:
        path.write_bytes(b"")
    before = table_counts(db_path)
    with pytest.raises(FileRefused) as err:
        services.imports.run(path, kind="roster", unit_name="新单位镇")
    assert err.value.code == kind
    assert table_counts(db_path) == before
    assert list(paths.backups_dir().iterdir()) == []


def test_a_failure_in_the_middle_of_commit_rolls_everything_back(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = table_counts(db_path)

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(commit_module, "_insert_import_rows", explode)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        services.imports.run(roster_file(tmp_path / "r.xlsx"), kind="roster", unit_name="新单位镇")
    assert table_counts(db_path) == before  # people, links, the new unit and team, the batch: all gone


def test_commit_backs_up_the_database_first(
    services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    services.imports.run(roster_file(tmp_path / "r.xlsx"), kind="roster", unit_name="龙山镇")
    backups = list(paths.backups_dir().glob("*_before-import_*.sqlite"))
    assert len(backups) == 1
    assert table_counts(backups[0])["person"] == 0  # taken before the import wrote


def test_errors_workbook_marks_cells_masks_data_and_never_writes_formulas(
    services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    header = ["姓名", "身份证号", "联系电话", "原工作单位", "出生日期"]
    rows = [
        ["张建国", ID_ZHANG, "1381234", '=HYPERLINK("http://x","点我")', None],
        ["李秀英", "370102195807152221", "13900001111", "+86 县教育局", dt.date(1958, 7, 15)],
        ["王明", None, "13700001111", "县财政局", None],
    ]
    source = write_book(tmp_path / "a.xlsx", header, rows)
    wb = load_workbook(source)
    wb.active["D2"].data_type = "s"  # text that looks like a formula, as some exports contain
    wb.save(source)
    out = services.imports.run(source, kind="roster", unit_name="龙山镇", dry_run=True)
    assert out.plan.counts["拒绝"] == 2
    book = services.imports.write_errors(out.plan, tmp_path / "退回.xlsx")
    ws = load_workbook(book).active
    assert [c.value for c in ws[1]] == [*header, "说明"]
    assert ws.max_row == 3
    # row 2: the phone is the problem → masked like any phone, filled, commented; the ID is masked
    assert ws["C2"].value == "*****34"
    assert ws["C2"].fill.start_color.rgb == "FFFFC7CE"
    assert "11位" in ws["C2"].comment.text
    assert ws["B2"].value == ID_ZHANG[:4] + "*" * 10 + ID_ZHANG[-4:]
    assert ws["B2"].comment is None and ws["B2"].fill.fill_type is None
    assert ws["D2"].value.startswith("=HYPERLINK")
    assert ws["E2"].value is None
    assert ws["F2"].value.startswith("原表第 2 行：")
    # row 3: the ID is the problem → masked all the same, the comment says what is wrong; the phone is masked
    assert ws["B3"].value == "3701**********2221" and "校验位" in ws["B3"].comment.text
    assert ws["C3"].value == "139****1111"
    assert ws["D3"].value == "+86 县教育局"
    assert ws["D2"].quotePrefix and ws["D3"].quotePrefix  # Excel keeps them text when re-edited
    with zipfile.ZipFile(book) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    unmasked = services.imports.write_errors(out.plan, tmp_path / "全.xlsx", mask=False)
    assert load_workbook(unmasked).active["B2"].value == ID_ZHANG
    assert load_workbook(unmasked).active["B3"].value == "370102195807152221"


def test_template_round_trip_imports_cleanly(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    town = county["town"]
    for i in range(40):  # a long community list goes to the hidden sheet
        services.units.create({"name": f"第{i:02d}号很长名字的示范社区", "kind": "社区", "parent_id": town})
    path = services.imports.write_template("roster", tmp_path / "名册模板.xlsx")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    assert wb.sheetnames[:2] == ["离退休干部名册", "说明"] and wb["_lists"].sheet_state == "hidden"
    header = [c.value for c in ws[1]]
    assert header[:3] == ["序号", "姓名（必填）", "性别"]
    assert ws.protection.sheet and ws.cell(row=1, column=2).protection.locked
    assert not ws.cell(row=2, column=2).protection.locked
    id_col = header.index("身份证号") + 1
    assert ws.column_dimensions[ws.cell(row=1, column=id_col).column_letter].number_format == "@"
    formulas = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    letter = ws.cell(row=1, column=header.index("性别") + 1).column_letter
    assert formulas[f"{letter}2"] == '"男,女"'
    community = ws.cell(row=1, column=header.index("居住社区") + 1).column_letter
    assert formulas[f"{community}2"].startswith("'_lists'!$")
    fill = {
        "姓名（必填）": "钱多多",
        "性别": "女",
        "身份证号": ID_LI,
        "联系电话": "13900001111",
        "出生日期": dt.date(1958, 7, 15),
        "居住社区": "光明社区",
        "政治面貌": "中共党员",
        "离退休类别": "退休",
        "社区任职": "楼长",
        "特长": "医疗卫生",
        "状态": "在册",
    }
    for name, value in fill.items():
        ws.cell(row=3, column=header.index(name) + 1, value=value)
    ws.cell(row=4, column=header.index("姓名（必填）") + 1, value="孙二")
    wb.save(path)
    out = services.imports.run(path, unit_name="龙山镇")
    assert out.plan.kind == "roster"
    assert out.plan.counts == {"新增": 2, "更新": 0, "未变": 0, "拒绝": 0}
    assert all(not r.notes for r in out.plan.rows), [r.reason for r in out.plan.rows]
    assert out.plan.skipped == [(2, "填写示例行（模板自带），不是记录")]


@pytest.mark.parametrize("kind", ["activities", "resources", "demands"])
def test_other_templates_import_their_own_example_values(
    services: Services, county: dict[str, int], tmp_path: Path, kind: str
) -> None:
    path = services.imports.write_template(kind, tmp_path / f"{kind}.xlsx")
    wb = load_workbook(path)
    guide = [row[0] for row in wb["说明"].iter_rows(values_only=True) if row[0]]
    title, content = {"activities": ("活动名称", "活动内容"), "resources": ("资源名称", "资源内容"),
                      "demands": ("需求名称", "需求内容")}[kind]  # fmt: skip
    assert f"  {title}：必填（不填时按“{content}”的第一句推导，导入预览中可改）" in guide
    ws = wb.worksheets[0]
    for c in range(1, ws.max_column + 1):  # turn the example row into a real record
        ws.cell(row=3, column=c, value=ws.cell(row=2, column=c).value)
    ws.cell(row=3, column=1, value=1)
    wb.save(path)
    out = services.imports.run(path, unit_name="龙山镇")
    assert out.plan.kind == kind
    assert out.plan.counts["新增"] == 1, [r.reason for r in out.plan.rows]
    assert ROSTER_HEADER  # shared helpers stay importable
