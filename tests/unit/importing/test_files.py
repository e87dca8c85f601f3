"""Reading each supported format into a Grid: values, merges, hidden rows/columns, sheets."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from silverdesk.errors import Cancelled
from silverdesk.progress import CancelToken
from silverdesk.services.importing import FileRefused, Grid, list_sheets, read_sheet

from .builders import rows_xml, write_xlsx_xml

DATA = Path(__file__).parents[2] / "data"


def test_xlsx_values_merges_and_hidden(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名册"
    ws["A1"] = "某某街道离退休干部名册"
    ws.merge_cells("A1:E1")
    ws.append(["填报单位：某某街道", None, None, "填报日期：2026-10-05"])
    ws.append(["姓名", "性别", "出生日期", "身份证号", "联系电话"])
    ws.append(["张三", "男", dt.date(1956, 3, 1), "370102195603011230", 13812345678])
    ws.append(["李四", "女", dt.date(1958, 7, 15), "37010219580715222X", None])
    ws.row_dimensions[5].hidden = True
    ws.column_dimensions["E"].hidden = True
    hidden = wb.create_sheet("隐藏表")
    hidden.sheet_state = "hidden"
    path = tmp_path / "名册.xlsx"
    wb.save(path)

    grid = read_sheet(path)
    assert grid.sheet_name == "名册"
    assert grid.source_format == "xlsx"
    assert grid.rows[0][0] == "某某街道离退休干部名册"
    assert grid.rows[0][1:] == [None] * 4, "empty cells are None"
    assert grid.rows[3][2] == dt.date(1956, 3, 1)
    assert grid.rows[3][4] == 13812345678
    assert grid.merged == [(0, 0, 0, 4)]
    assert grid.hidden_rows == {4}, "0-based index of Excel row 5"
    assert grid.hidden_cols == {4}
    assert any("第 5 行" in w and "隐藏" in w for w in grid.warnings)
    sheets = list_sheets(path)
    assert [(s.name, s.index, s.visible) for s in sheets] == [("名册", 0, True), ("隐藏表", 1, False)]
    assert sheets[0].rows_estimate == 5


def test_sheet_selection_by_name_index_and_errors(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    wb.active["A1"] = "封面"
    wb.create_sheet("数据")["A1"] = "姓名"
    path = tmp_path / "two.xlsx"
    wb.save(path)
    assert read_sheet(path, "数据").rows == [["姓名"]]
    assert read_sheet(path, 1).sheet_name == "数据"
    with pytest.raises(FileRefused) as info:
        read_sheet(path, "名册")
    assert info.value.code == "no_sheet"
    assert "封面、数据" in info.value.message
    with pytest.raises(FileRefused) as info:
        read_sheet(path, 5)
    assert "没有第 6 个" in info.value.message


def test_formula_cached_values_are_read(tmp_path: Path) -> None:
    """openpyxl cannot write cached values, so the sheet XML is written by hand."""
    body = (
        "<sheetData>"
        + rows_xml([["活动名称", "参与人次", "受益人次", "合计"]])
        + '<row r="2"><c r="A2" t="inlineStr"><is><t>义诊</t></is></c><c r="B2"><v>20</v></c>'
        '<c r="C2"><v>150</v></c><c r="D2"><f>B2+C2</f><v>170</v></c></row>'
        '<row r="3"><c r="A3" t="str"><f>"宣讲"&amp;"活动"</f><v>宣讲活动</v></c></row>'
        "</sheetData>"
    )
    grid = read_sheet(write_xlsx_xml(tmp_path / "f.xlsx", body))
    assert grid.rows[1] == ["义诊", 20, 150, 170]
    assert grid.rows[2][0] == "宣讲活动"


def test_hidden_rows_in_hand_written_xml_with_true_and_prefix(tmp_path: Path) -> None:
    body = (
        '<cols><col min="2" max="3" hidden="true" width="0"/></cols><sheetData>'
        + rows_xml([["姓名", "性别", "民族"]])
        + '<row r="2" hidden="1"><c r="A2" t="inlineStr"><is><t>张三</t></is></c></row>'
        + '<row hidden="true" r="3"><c r="A3" t="inlineStr"><is><t>李四</t></is></c></row>'
        + "</sheetData>"
    )
    grid = read_sheet(write_xlsx_xml(tmp_path / "h.xlsx", body))
    assert grid.hidden_rows == {1, 2}
    assert grid.hidden_cols == {1, 2}


def test_xls_fixture(tmp_path: Path) -> None:
    grid = read_sheet(DATA / "roster.xls")
    assert grid.source_format == "xls"
    assert grid.sheet_name == "名册"
    assert grid.rows[2] == ["序号", "姓名", "性别", "出生年月", "身份证号码", "联系电话"]
    assert grid.rows[3][3] == dt.date(1956, 3, 1)
    assert isinstance(grid.rows[6][4], float), "ID typed as a number stays a (lossy) number"
    assert grid.merged == [(0, 0, 0, 5)]
    assert grid.hidden_rows == {5}
    assert grid.hidden_cols == {5}
    assert [s.name for s in list_sheets(DATA / "roster.xls")] == ["名册", "说明"]


def test_xlsx_renamed_to_xls_is_read_by_content(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别"])
    path = tmp_path / "其实是xlsx.xls"
    wb.save(path)
    assert read_sheet(path).rows == [["姓名", "性别"]]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ","), ("utf-8", ","), ("gbk", ","), ("gbk", "\t"), ("gb18030", ";"), ("utf-16", "\t")],
)
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    lines = [["姓名", "身份证号", "备注"], ["张三", "370102195603011230", "喜欢书法，太极"], ["李四", "", ""]]
    text = "\r\n".join(
        delimiter.join(f'"{v}"' if "，" in v or delimiter in v else v for v in row) for row in lines
    )
    path = tmp_path / "名册.csv"
    path.write_bytes(text.encode(encoding))
    grid = read_sheet(path)
    assert grid.source_format == "csv"
    assert grid.rows[0] == ["姓名", "身份证号", "备注"]
    assert grid.rows[1] == ["张三", "370102195603011230", "喜欢书法，太极"], "IDs in CSV keep all digits"
    assert grid.rows[2] == ["李四", None, None]
    assert not grid.warnings


def test_csv_with_undecodable_bytes_warns(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes("姓名,性别\n张三,男\n".encode("gbk") + b"\x80\xff,\xfe\n")
    grid = read_sheet(path)
    assert grid.rows[1] == ["张三", "男"]
    assert any("无法识别的字符" in w for w in grid.warnings)


def test_ods_via_odfpy(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="活动")
    for row in [["活动日期", "活动名称", "参与人次"], ["2026-10-01", "重阳节敬老", "35"]]:
        tr = TableRow()
        for v in row:
            cell = TableCell(valuetype="float", value=v) if v.isdigit() else TableCell(valuetype="string")
            cell.addElement(P(text=v))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    path = tmp_path / "活动.ods"
    doc.save(str(path))
    grid = read_sheet(path)
    assert grid.source_format == "ods"
    assert grid.sheet_name == "活动"
    assert grid.rows == [["活动日期", "活动名称", "参与人次"], ["2026-10-01", "重阳节敬老", 35]]
    assert [s.name for s in list_sheets(path)] == ["活动"]


def test_progress_and_cancel(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    for i in range(50):
        wb.active.append(["张三", i])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    seen: list[tuple[int, int]] = []
    read_sheet(path, progress=lambda done, total, label="": seen.append((done, total)))
    assert seen[0] == (0, 100) and seen[-1] == (100, 100)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        read_sheet(path, cancel=token)


def test_xls_hidden_rows_from_biff_records_match_xlrds_formatting_pass(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The quick BIFF8 walk and xlrd's formatting pass agree; the slow pass remains the fallback."""
    from silverdesk.services.importing import files

    for sheet in ("名册", "说明"):
        quick = files._biff8_sheet_facts(DATA / "roster.xls", sheet)
        assert quick is not None
        slow = Grid(sheet, [])
        files._xls_hidden_xlrd(DATA / "roster.xls", slow)
        assert (quick[0], quick[1], sorted(quick[2])) == (
            slow.hidden_rows,
            slow.hidden_cols,
            sorted(slow.merged),
        )
    assert files._biff8_sheet_facts(DATA / "roster.xls", "没有这个表") is None
    monkeypatch.setattr(files, "_biff8_sheet_facts", lambda *_: None)
    grid = read_sheet(DATA / "roster.xls")
    assert grid.hidden_rows == {5} and grid.hidden_cols == {5} and grid.hidden_known


def test_an_xls_listed_then_read_is_parsed_once_unless_it_changed(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """calamine parses a whole .xls to list its sheets; the read that follows reuses that parse."""
    import os

    from silverdesk.services.importing import files

    opened: list[Path] = []
    real = files._calamine_open
    monkeypatch.setattr(files, "_calamine_open", lambda path, kind: opened.append(path) or real(path, kind))
    path = tmp_path / "名册.xls"
    shutil.copy(DATA / "roster.xls", path)
    assert [s.name for s in list_sheets(path)] == ["名册", "说明"]
    assert read_sheet(path, "说明").sheet_name == "说明"
    assert len(opened) == 1
    path.unlink()  # nothing holds the file open: it can be deleted or replaced at once
    shutil.copy(DATA / "roster.xls", path)
    list_sheets(path)
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))  # saved again in Excel meanwhile
    assert read_sheet(path).rows[3][3] == dt.date(1956, 3, 1)
    assert len(opened) == 3
    assert read_sheet(path).sheet_name == "名册" and len(opened) == 4  # a kept workbook serves one read


def test_a_kept_xls_is_let_go_when_no_read_follows(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from silverdesk.services.importing import files

    path = tmp_path / "名册.xls"
    shutil.copy(DATA / "roster.xls", path)
    list_sheets(path)
    assert files._kept is not None
    files.release_kept()
    assert files._kept is None
    opened: list[Path] = []
    real = files._calamine_open
    monkeypatch.setattr(files, "_calamine_open", lambda p, kind: opened.append(p) or real(p, kind))
    assert read_sheet(path).sheet_name == "名册" and opened == [path]  # read anew
