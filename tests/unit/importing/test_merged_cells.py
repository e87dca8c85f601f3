"""Merged cells in the data area: a merged cell's value belongs to every row it spans (.xlsx, .xls, .ods).

Each sheet of ``tests/data/make_merged_xls.py`` (an activity log with the date and the team merged
over several rows, a roster with 原工作单位 merged) is written as .xlsx (openpyxl) and .ods (odfpy)
here, and read from the committed .xls; every file goes through the real path (open → read → plan →
commit) into a SQLite file, and every stored field of every stored record is compared with what
the unit meant.  A blank cell outside any merge stays blank (a required one refuses its row).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from silverdesk.domain.pinyin import name_columns
from silverdesk.services.hub import Services
from silverdesk.services.importing.files import read_sheet

DATA = Path(__file__).resolve().parents[2] / "data"
_spec = importlib.util.spec_from_file_location("make_merged_xls", DATA / "make_merged_xls.py")
assert _spec is not None and _spec.loader is not None
sheets = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sheets)

FORMATS = ("xlsx", "xls", "ods")


# ---- writers -----------------------------------------------------------------------------
def _covered(spec: dict[str, Any]) -> set[tuple[int, int]]:
    return {(r, c) for r0, c, r1 in spec["merges"] for r in range(r0 + 1, r1 + 1)}


def write_xlsx(path: Path, spec: dict[str, Any]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = spec["sheet"]
    ws.append([spec["title"]])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(spec["header"]))
    ws.append(spec["header"])
    for row in spec["rows"]:
        ws.append(row)
    for r0, c, r1 in spec["merges"]:
        ws.merge_cells(start_row=r0 + 1, start_column=c + 1, end_row=r1 + 1, end_column=c + 1)
    wb.save(path)
    return path


def write_ods(path: Path, spec: dict[str, Any]) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    def cell(value: Any, **span: int) -> Any:
        if value is None:
            return TableCell(**span)
        if isinstance(value, dt.date):
            out = TableCell(valuetype="date", datevalue=value.isoformat(), **span)
        elif isinstance(value, int | float):
            out = TableCell(valuetype="float", value=value, **span)
        else:
            out = TableCell(valuetype="string", **span)
        out.addElement(P(text=str(value)))
        return out

    doc = OpenDocumentSpreadsheet()
    table = Table(name=spec["sheet"])
    title = TableRow()
    title.addElement(cell(spec["title"], numbercolumnsspanned=len(spec["header"])))
    for _ in spec["header"][1:]:
        title.addElement(CoveredTableCell())
    table.addElement(title)
    header = TableRow()
    for label in spec["header"]:
        header.addElement(cell(label))
    table.addElement(header)
    starts = {(r0, c): r1 - r0 + 1 for r0, c, r1 in spec["merges"]}
    covered = _covered(spec)
    for r, row in enumerate(spec["rows"], start=2):
        tr = TableRow()
        for c, value in enumerate(row):
            if (r, c) in covered:
                tr.addElement(CoveredTableCell())
            elif (r, c) in starts:
                tr.addElement(cell(value, numberrowsspanned=starts[(r, c)]))
            else:
                tr.addElement(cell(value))
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def sheet_file(tmp_path: Path, kind: str, fmt: str) -> Path:
    spec = sheets.SHEETS[kind]
    if fmt == "xls":
        return DATA / f"merged_{kind}.xls"
    path = tmp_path / f"merged_{kind}.{fmt}"
    return write_xlsx(path, spec) if fmt == "xlsx" else write_ods(path, spec)


# ---- what is stored ----------------------------------------------------------------------
_SKIP = {"id", "created_at", "updated_at"}


def _records(db_path: Path, table: str, order: str) -> list[dict[str, Any]]:
    con = sqlite3.connect(db_path)
    con.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in con.execute(f"SELECT * FROM {table} ORDER BY {order}")]
        for row in rows:
            row["teams"] = (
                sorted(
                    name
                    for (name,) in con.execute(
                        f"SELECT t.name FROM team t JOIN {table}_team l ON l.team_id = t.id "
                        f"WHERE l.{table}_id = ?",
                        (row["id"],),
                    )
                )
                if table == "activity"
                else sorted(
                    name
                    for (name,) in con.execute(
                        "SELECT t.name FROM team t JOIN team_member m ON m.team_id = t.id WHERE m.person_id = ?",
                        (row["id"],),
                    )
                )
            )
            if row.get("unit_id") is not None:
                row["unit_id"] = con.execute(
                    "SELECT name FROM unit WHERE id = ?", (row["unit_id"],)
                ).fetchone()[0]
        return [{k: v for k, v in r.items() if k not in _SKIP} for r in rows]
    finally:
        con.close()


def _compare(file: str, got: list[dict[str, Any]], want: list[dict[str, Any]], key: str) -> None:
    assert [g[key] for g in got] == [w[key] for w in want], f"{file}: records stored"
    problems = [
        f"{file} {w[key]} {field}: stored {g.get(field)!r}, expected {value!r}"
        for g, w in zip(got, want, strict=True)
        for field, value in w.items()
        if g.get(field) != value
    ]
    problems += [
        f"{file} {g[key]} {field}: stored but not expected"
        for g, w in zip(got, want, strict=True)
        for field in g
        if field not in w
    ]
    assert not problems, "\n".join(problems)


def _activity(day: dt.date, title: str, teams: list[str], participants: int, hours: float, place: str,
              batch: int) -> dict[str, Any]:  # fmt: skip
    return {
        "occurred_on": day.isoformat(), "title": title, "unit_id": "龙山镇", "category_id": None,
        "theme_id": None, "place_id": None, "place_text": place, "community_id": None, "sessions": 1,
        "participants": participants, "hours": hours, "beneficiaries": 0, "description": "",
        "order_id": None, "source": "导入", "import_batch_id": batch, "teams": teams,
    }  # fmt: skip


def _person(name: str, gender: str, id_number: str, employer: str, phone: str, batch: int) -> dict[str, Any]:
    birth = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return {
        "name": name, **name_columns(name), "gender": gender, "ethnicity": "", "birth_date": birth.isoformat(),
        "id_number": id_number, "political_status": "", "education": "", "retirement_type": None, "retired_on": None,
        "former_employer": employer, "former_post": "", "rank": "", "phone": phone, "community_id": None,
        "address": "", "registered_on": None, "health": "", "status": "在册", "status_changed_on": None,
        "unit_id": "龙山镇", "notes": "", "import_batch_id": batch, "teams": [],
    }  # fmt: skip


# ---- tests -------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_reader_knows_the_data_merges(tmp_path: Path, fmt: str) -> None:
    grid = read_sheet(sheet_file(tmp_path, "activities", fmt))
    assert sorted(grid.merged) == [(0, 0, 0, 6), (2, 1, 4, 1), (2, 3, 3, 3), (5, 3, 6, 3)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_merged_date_and_team_go_to_every_activity_they_span(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path, fmt: str
) -> None:
    path = sheet_file(tmp_path, "activities", fmt)
    opened = services.imports.open_file(path)
    prepared = services.imports.read(opened, kind="activities", unit_name="龙山镇")
    plan = services.imports.plan(prepared)
    assert plan.merged_filled == {"活动日期": 2, "服务队": 2}
    assert plan.merged_filled_total == 4
    assert plan.merged_note == "合并单元格：已为 4 个单元格填入合并区域的值（活动日期 2 个、服务队 2 个）"
    assert plan.counts == {"新增": 5, "更新": 0, "未变": 0, "拒绝": 1}
    refused = plan.row(7)
    assert refused.fate == "拒绝" and "活动日期" in refused.reason and "未填写" in refused.reason
    batch = services.imports.commit(plan)
    d8, d12, d15 = dt.date(2026, 10, 8), dt.date(2026, 10, 12), dt.date(2026, 10, 15)
    want = [
        _activity(d8, "重阳节敬老慰问", ["夕阳红服务队"], 20, 2.0, "光明社区活动室", batch),
        _activity(d8, "政策宣讲进社区", ["夕阳红服务队"], 15, 1.5, "光明社区广场", batch),
        _activity(d8, "义诊", ["银发先锋队"], 30, 3.0, "光明社区卫生室", batch),
        _activity(d12, "环境整治", ["银发先锋队"], 12, 2.0, "河滨路", batch),
        _activity(d15, "法律咨询", [], 8, 2.0, "镇政府大厅", batch),  # blank team outside a merge: none
    ]
    _compare(path.name, _records(db_path, "activity", "id"), want, "title")


@pytest.mark.parametrize("fmt", FORMATS)
def test_merged_former_employer_goes_to_every_person_it_spans(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path, fmt: str
) -> None:
    path = sheet_file(tmp_path, "roster", fmt)
    outcome = services.imports.run(path, kind="roster", unit_name="龙山镇")
    plan = outcome.plan
    assert plan.merged_filled == {"原工作单位": 3}
    assert plan.counts["新增"] == 6 and plan.counts["拒绝"] == 0
    assert outcome.batch_id is not None
    b = outcome.batch_id
    want = [
        _person("张建国", "男", sheets.ID_ZHANG, "县教育局", "13812345678", b),
        _person("李秀英", "女", sheets.ID_LI, "县教育局", "13900001111", b),
        _person("王明", "男", sheets.ID_WANG, "县教育局", "13700001111", b),
        _person("赵红", "女", sheets.ID_ZHAO, "县财政局", "13600001111", b),
        _person("孙强", "男", sheets.ID_SUN, "县财政局", "13500001111", b),
        _person("周丽", "女", sheets.ID_ZHOU, "", "13400001111", b),  # blank outside a merge stays blank
    ]
    got = {r["id_number"]: r for r in _records(db_path, "person", "id")}
    _compare(path.name, [got[w["id_number"]] for w in want if w["id_number"] in got], want, "name")


def test_no_merges_no_fill_and_no_note(services: Services, county: dict[str, int], tmp_path: Path) -> None:
    """The same sheet without its data merges: the blanks stay blank (nothing inherited from above)."""
    spec = dict(sheets.ACTIVITIES, merges=[])
    path = write_xlsx(tmp_path / "plain.xlsx", spec)
    plan = services.imports.run(path, kind="activities", unit_name="龙山镇", dry_run=True).plan
    assert plan.merged_filled == {} and plan.merged_note == ""
    assert [r.row_number for r in plan.rows if r.fate == "拒绝"] == [4, 5, 7]


def test_the_command_line_shows_the_filled_count(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    import json

    from .test_cli_import import run

    services.close()
    path = DATA / "merged_activities.xls"
    text = run("import", str(path), "--kind", "activities", "--unit", "龙山镇", "--dry-run", "--db", str(db_path),
               cwd=tmp_path)  # fmt: skip
    assert text.returncode == 0, text.stderr
    assert "合并单元格：已为 4 个单元格填入合并区域的值（活动日期 2 个、服务队 2 个）" in text.stdout
    out = run("import", str(path), "--kind", "activities", "--unit", "龙山镇", "--dry-run", "--json", "--db",
              str(db_path), cwd=tmp_path)  # fmt: skip
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["merged_filled"] == {"total": 4, "columns": {"活动日期": 2, "服务队": 2}}
    assert result["decision_counts"]["合并单元格"] == 4
    merged = [(d["field"], d["rows"]) for d in result["decisions"] if d["kind"] == "合并单元格"]
    assert merged == [("活动日期", 2), ("服务队", 2)]


# ---- edge cases, on a grid ---------------------------------------------------------------
def _table(rows: list[list[Any]], merged: list[tuple[int, int, int, int]]) -> Any:
    from silverdesk.services.importing.grid import Grid
    from silverdesk.services.importing.layout import find_table

    return find_table(Grid("表1", rows, merged=merged), "activities")


def test_only_merges_inside_the_records_fill_and_only_their_first_column() -> None:
    header = ["活动日期", "活动名称", "服务队", "备注"]
    rows: list[list[Any]] = [
        header,
        ["2026-10-08", "重阳节敬老", "夕阳红服务队", None],
        [None, "义诊", None, None],
        [None, None, None, None],  # an empty row inside the merge stays an empty row, not a record
        [None, "讲座", None, None],
        ["合计", None, None, None],  # the footer inside a merge is not a record
        [None, None, None, None],
    ]
    table = _table(rows, [(1, 0, 5, 0), (1, 2, 2, 3)])  # date over rows 2-6; team over 2-3 and 备注
    got = {r.row_number: r.values for r in table.rows}
    assert sorted(got) == [2, 3, 5]
    assert [got[n][0] for n in (2, 3, 5)] == ["2026-10-08"] * 3
    assert got[3][2] == "夕阳红服务队" and got[3][3] is None  # not copied sideways into 备注
    assert table.merged_filled == {"活动日期": 2, "服务队": 1}
    assert rows[2][0] is None, "the grid itself is not changed"


def test_a_header_merge_reaching_down_fills_nothing_and_a_blank_top_fills_nothing() -> None:
    rows: list[list[Any]] = [
        ["活动日期", "活动名称", "服务队"],
        ["2026-10-08", "义诊", None],
        ["2026-10-09", "讲座", None],
    ]
    table = _table(rows, [(0, 2, 2, 2), (1, 2, 2, 2)])
    assert [r.values[2] for r in table.rows] == [None, None]
    assert table.merged_filled == {}


def test_ods_merges_count_repeated_rows_and_columns(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    def text(value: str, **kw: Any) -> Any:
        cell = TableCell(valuetype="string", **kw)
        cell.addElement(P(text=value))
        return cell

    doc = OpenDocumentSpreadsheet()
    doc.spreadsheet.addElement(Table(name="别的表"))
    table = Table(name="活动")
    table.addElement(TableRow(numberrowsrepeated=2))  # two empty rows
    head = TableRow()
    head.addElement(TableCell(numbercolumnsrepeated=2))
    for label in ("活动日期", "活动名称"):
        head.addElement(text(label))
    table.addElement(head)
    first = TableRow()
    first.addElement(TableCell(numbercolumnsrepeated=2))
    first.addElement(text("2026-10-08", numberrowsspanned=2))
    first.addElement(text("义诊"))
    table.addElement(first)
    second = TableRow()
    second.addElement(TableCell(numbercolumnsrepeated=2))
    second.addElement(CoveredTableCell())
    second.addElement(text("讲座"))
    table.addElement(second)
    doc.spreadsheet.addElement(table)
    path = tmp_path / "活动.ods"
    doc.save(str(path))
    grid = read_sheet(path, "活动")
    assert grid.merged == [(3, 2, 4, 2)]
    assert grid.rows[4][2] is None and grid.rows[4][3] == "讲座"
