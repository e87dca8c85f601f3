"""Finding the table: title/填报单位 rows, one- and two-row headers, footers, blank rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from silverdesk.services.importing import Grid, LayoutError, find_table, read_sheet

DATA = Path(__file__).parents[2] / "data"


def grid_of(
    rows: list[list[object]],
    merged: list[tuple[int, int, int, int]] | None = None,
    hidden: set[int] | None = None,
) -> Grid:
    return Grid("表1", rows, hidden_rows=hidden or set(), merged=merged or [])


def test_title_unit_and_date_rows_become_metadata() -> None:
    grid = grid_of(
        [
            ["2026年10月志愿服务活动统计表", None, None, None],
            [None, None, None, None],
            ["填报单位（盖章）：城关街道", None, "填报日期：", "2026年10月31日"],
            ["活动日期", "活动名称", "参与人次", "受益人次"],
            [dt.date(2026, 10, 1), "重阳敬老", 30, 200],
        ],
        merged=[(0, 0, 0, 3)],
    )
    table = find_table(grid, "activities")
    assert table.header_row_numbers == (4,)
    assert [c.label for c in table.columns] == ["活动日期", "活动名称", "参与人次", "受益人次"]
    assert table.meta["title"] == "2026年10月志愿服务活动统计表"
    assert table.meta["unit"] == "城关街道"
    assert table.meta["report_date"] == dt.date(2026, 10, 31)
    assert [r.row_number for r in table.rows] == [5]


def test_unit_and_date_in_one_cell() -> None:
    grid = grid_of(
        [["填报单位：县委组织部    填报日期：2026.10.05"], ["姓名", "性别", "民族"], ["张三", "男", "汉族"]]
    )
    table = find_table(grid, "roster")
    assert table.meta["unit"] == "县委组织部"
    assert table.meta["report_date"] == dt.date(2026, 10, 5)


def test_two_row_header_with_merged_groups(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "离退休干部名册"
    ws.merge_cells("A1:G1")
    ws["A2"], ws["B2"], ws["F2"] = "序号", "基本信息", "联系方式"
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:E2")
    ws.merge_cells("F2:G2")
    for col, label in zip(
        "BCDEFG", ["姓名", "性别", "出生年月", "身份证号", "手机", "家庭住址"], strict=True
    ):
        ws[f"{col}3"] = label
    ws.append([1, "张三", "男", "1956.03", "370102195603011230", "13812345678", "幸福路1号"])
    ws.append([2, "李四", "女", "1958.07", "37010219580715222X", None, "和平路2号"])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    table = find_table(read_sheet(path), "roster")
    assert table.header_row_numbers == (2, 3)
    assert [(c.index, c.label, c.group) for c in table.columns] == [
        (0, "序号", ""),
        (1, "姓名", "基本信息"),
        (2, "性别", "基本信息"),
        (3, "出生年月", "基本信息"),
        (4, "身份证号", "基本信息"),
        (5, "手机", "联系方式"),
        (6, "家庭住址", "联系方式"),
    ]
    assert [r.row_number for r in table.rows] == [4, 5]
    assert table.meta["title"] == "离退休干部名册"


def test_footers_blank_rows_repeated_header_and_numbering_row() -> None:
    header = ["序号", "姓名", "性别", "联系电话"]
    grid = grid_of(
        [
            header,
            [1, 2, 3, 4],
            [1, "张三", "男", "13812345678"],
            [None, None, None, None],
            ["  ", None, None, None],
            header,
            [2, "李四", "女", None],
            ["合  计", "2人", None, None],
            ["填表人：刘文", None, "审核人：陈静", None],
            [None, "单位负责人：王强", None, None],
            ["填报说明：1.身份证号请设为文本格式", None, None, None],
        ],
        hidden={6},
    )
    table = find_table(grid, "roster")
    assert [(r.row_number, r.hidden) for r in table.rows] == [(3, False), (7, True)]
    reasons = dict(table.skipped)
    assert set(reasons) == {2, 6, 8, 9, 10, 11}
    assert "列序号" in reasons[2]
    assert "重复的表头" in reasons[6]
    assert "合计" in reasons[8]
    assert "签字" in reasons[9] and "签字" in reasons[10]
    assert "说明" in reasons[11]
    assert table.meta["blank_rows"] == 2


def test_columns_in_any_order_and_header_not_in_first_row() -> None:
    grid = grid_of(
        [
            [None, None],
            ["说明：本表按月报送", None],
            ["手机号码", "姓名", "原单位"],
            ["13812345678", "张三", "县财政局"],
        ]
    )
    table = find_table(grid)
    assert table.header_row_numbers == (3,)
    assert [c.label for c in table.columns] == ["手机号码", "姓名", "原单位"]


def test_no_header_raises_layout_error_and_override_works() -> None:
    grid = grid_of([["甲", "乙"], ["1", "2"]])
    with pytest.raises(LayoutError) as info:
        find_table(grid, "roster")
    assert "指定表头" in info.value.message
    table = find_table(grid, "roster", header_row=1)
    assert [c.label for c in table.columns] == ["甲", "乙"]
    assert [r.row_number for r in table.rows] == [2]


def test_xls_fixture_table() -> None:
    table = find_table(read_sheet(DATA / "roster.xls"))
    assert table.header_row_numbers == (3,)
    assert table.meta["unit"] == "某某街道"
    assert [r.row_number for r in table.rows] == [4, 5, 6, 7]
    assert [r.row_number for r in table.rows if r.hidden] == [6]
    assert [n for n, _ in table.skipped] == [8, 9]
