"""The layout file: the default loads, mistakes are refused naming the problem, header merges."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from silverdesk.errors import UserError
from silverdesk.reports.grid import format_value, header_block_rows, header_cells
from silverdesk.reports.layout import default_layout, load_layout, parse_layout
from silverdesk.resources import resource_path


@pytest.fixture
def raw() -> dict[str, Any]:
    return json.loads(resource_path("layouts", "default.json").read_text(encoding="utf-8"))


def test_default_layout_loads() -> None:
    layout = default_layout()
    assert [t.id for t in layout.tables] == ["表1", "表2", "表3", "表4"]
    t1 = layout.table("表1")
    assert t1.landscape and t1.total == "table1_total" and t1.header_depth == 2
    assert [c.field for c in t1.columns][:3] == ["seq", "unit", "teams"]


def test_header_merges_from_paths() -> None:
    cells, depth = header_cells(default_layout().table("表1").columns)
    spans = {(c.text, c.row, c.col): (c.rowspan, c.colspan) for c in cells}
    assert depth == 2
    assert spans[("本期", 0, 5)] == (1, 4)
    assert spans[("年度累计", 0, 9)] == (1, 2)
    assert spans[("序号", 0, 0)] == (2, 1)
    assert spans[("活动（场次）", 1, 5)] == (1, 1) and spans[("活动（场次）", 1, 9)] == (1, 1)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda r: r["tables"][0]["columns"][5].update(field="actvities"), "tables[0].columns[5].field"),
        (lambda r: r["tables"][1]["columns"][5].update(format="0.000%"), "tables[1].columns[5].format"),
        (lambda r: r["tables"][0].update(sheet="表2 分领域"), "工作表名重复"),
        (lambda r: r.update(title="{county}{title}"), "{county}"),
        (lambda r: r.update(version=99), "版本 99"),
        (lambda r: r["tables"][2]["items"][0].update(field="nonsense"), "tables[2].items[0].field"),
        (lambda r: r["tables"][0].update(total="table2_total"), "tables[0].total"),
        (lambda r: r["tables"][0]["columns"][0].update(header=[]), "tables[0].columns[0].header"),
        (lambda r: r["tables"][0]["columns"][0].update(width="wide"), "tables[0].columns[0].width"),
        (lambda r: r.update(pdf_order=["narrative", "表9"]), "pdf_order[1]"),
        (lambda r: r.pop("tables"), "tables"),
        (lambda r: r.update(format="something"), "format"),
    ],
)
def test_bad_layouts_are_refused_naming_the_problem(raw: dict[str, Any], mutate: Any, expected: str) -> None:
    bad = copy.deepcopy(raw)
    mutate(bad)
    with pytest.raises(UserError) as info:
        parse_layout(bad, "省表.json")
    assert "省表.json" in str(info.value) and expected in str(info.value)
    assert info.value.code == "bad_layout"


def test_bad_json_file(tmp_path: Path) -> None:
    path = tmp_path / "坏.json"
    path.write_text('{"format": "silverdesk-report-layout",\n "version": 1,,}', encoding="utf-8")
    with pytest.raises(UserError, match="第 2 行"):
        load_layout(path)
    with pytest.raises(UserError, match="找不到"):
        load_layout(tmp_path / "missing.json")


def test_custom_layout_drives_the_columns(raw: dict[str, Any], tmp_path: Path) -> None:
    raw["tables"][0]["columns"] = [c for c in raw["tables"][0]["columns"] if c["field"] != "note"]
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    layout = load_layout(path)
    assert "note" not in [c.field for c in layout.table("表1").columns]


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (12345, "#,##0", "12,345"),
        (9385.1, "#,##0.0", "9,385.1"),
        (0.1337, "0.0%", "13.4%"),
        (7, "0", "7"),
        (756.0, "0.0", "756.0"),
        (None, "#,##0", ""),
        ("合计", "#,##0", "合计"),
        (1.0, "0.00%", "100.00%"),
    ],
)
def test_format_value_matches_excel(value: Any, fmt: str, text: str) -> None:
    assert format_value(value, fmt) == text


def test_header_block_fits_or_stacks() -> None:
    wide = header_block_rows(("填报单位：甲", "统计范围：全县", "统计时段：2026年10月"), (10.0,) * 12)
    assert len(wide) == 1 and [p[3] for p in wide[0]] == ["left", "center", "right"]
    narrow = header_block_rows(
        ("填报单位（盖章）：中共XX县委老干部局", "", "统计时段：2026年10月1日—10月31日"), (6.0, 20.0)
    )
    assert [row[0][3] for row in narrow] == ["left", "right"]
