"""Broken and hostile files are refused quickly, in bounded memory, with a code and a Chinese reason."""

from __future__ import annotations

import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from silverdesk.services.importing import FileRefused, find_table, list_sheets, read_sheet
from silverdesk.services.importing.safety import MAX_MEMBER_BYTES

from .builders import SHEET_HEAD, biff_record, rows_xml, write_ole, write_xlsx_xml

HANG = 30
"""Seconds after which a hostile file counts as hanging the import (minutes to hours before the guards).
A guard, not a speed target: reading speeds are measured by bench/bench_read.py on a quiet machine."""


def refused(path: Path) -> FileRefused:
    with pytest.raises(FileRefused) as info:
        read_sheet(path)
    assert info.value.message, "a refusal always carries a message"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message), "message is Chinese"
    return info.value


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(b"")
    assert refused(path).code == "empty"


def test_whitespace_only_csv_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"\r\n  \r\n")
    assert refused(path).code == "empty"


def test_binary_junk_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(bytes(range(256)) * 40)
    err = refused(path)
    assert err.code == "corrupt"
    assert "Excel" in err.message


def test_truncated_zip(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    for r in range(200):
        wb.active.append(["姓名", "性别", r])
    wb.save(good)
    data = good.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    err = refused(cut)
    assert err.code == "corrupt"
    assert "传输中断" in err.message or "不完整" in err.message


def test_encrypted_xlsx_is_an_ole_with_encrypted_package(tmp_path: Path) -> None:
    path = write_ole(tmp_path / "加密.xlsx", {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x00" * 200,
                                              "EncryptedPackage": b"\x99" * 5000})  # fmt: skip
    err = refused(path)
    assert err.code == "encrypted"
    assert "密码" in err.message
    with pytest.raises(FileRefused) as info:
        list_sheets(path)
    assert info.value.code == "encrypted"


def test_xls_with_filepass_record_is_encrypted(tmp_path: Path) -> None:
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0006)
    filepass = struct.pack("<HHH", 1, 1, 1) + b"\x11" * 48
    stream = biff_record(0x0809, bof) + biff_record(0x002F, filepass) + biff_record(0x000A)
    path = write_ole(tmp_path / "加密.xls", {"Workbook": stream})
    assert refused(path).code == "encrypted"


def test_ole_that_is_not_a_workbook_is_corrupt(tmp_path: Path) -> None:
    path = write_ole(tmp_path / "doc.xls", {"WordDocument": b"\x00" * 5000})
    assert refused(path).code == "corrupt"


def test_entity_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 9))
        + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>&lol8;</t></si></sst>"
    )
    path = write_xlsx_xml(tmp_path / "bomb.xlsx", "<sheetData>" + rows_xml([["a"]]) + "</sheetData>",
                          extra={"xl/sharedStrings.xml": bomb})  # fmt: skip
    err = refused(path)
    assert err.code == "hostile"
    assert "DTD" in err.message


def test_doctype_in_worksheet_is_refused(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "http://example.invalid/y.dtd">'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
    )
    path = write_xlsx_xml(tmp_path / "dtd.xlsx", [text.encode()])
    assert refused(path).code == "hostile"


def test_zip_bomb_with_huge_member(tmp_path: Path) -> None:
    """A 450 MB worksheet of one repeated byte compresses to ~0.5 MB: refused by declared size."""
    chunk = b" " * (1 << 20)

    def body():
        yield (SHEET_HEAD + "<sheetData>").encode()
        for _ in range((MAX_MEMBER_BYTES >> 20) + 50):
            yield chunk
        yield b"</sheetData></worksheet>"

    path = write_xlsx_xml(tmp_path / "bomb.xlsx", body())
    tracemalloc.start()
    started = time.perf_counter()
    err = refused(path)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert err.code == "hostile"
    assert elapsed < HANG, elapsed
    assert peak < 50 * 1024 * 1024


def test_zip_bomb_with_lying_header_is_caught_while_streaming(tmp_path: Path) -> None:
    """Declared size patched down to 1 KB: the streaming byte count still stops it."""
    chunk = b" " * (1 << 20)

    def body():
        yield (SHEET_HEAD + "<sheetData>").encode()
        for _ in range(120):
            yield chunk
        yield b"</sheetData></worksheet>"

    path = write_xlsx_xml(tmp_path / "liar.xlsx", body())
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    # patch the member's central directory entry: uncompressed size sits 24 bytes after its signature
    cd = next(
        pos
        for pos in range(len(data))
        if data.startswith(b"PK\x01\x02", pos)
        and bytes(data[pos + 46 : pos + 46 + struct.unpack_from("<H", data, pos + 28)[0]]) == name
    )
    struct.pack_into("<I", data, cd + 24, 1024)
    path.write_bytes(bytes(data))
    err = refused(path)
    assert err.code in {"hostile", "corrupt"}


def test_million_empty_styled_rows_read_quickly(tmp_path: Path) -> None:
    header = rows_xml([["姓名", "性别"], ["张三", "男"]])

    def body():
        yield (SHEET_HEAD + '<dimension ref="A1:B1000000"/><sheetData>' + header).encode()
        block = []
        for r in range(3, 1_000_001):
            block.append(f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/></row>')
            if len(block) == 50_000:
                yield "".join(block).encode()
                block = []
        yield "".join(block).encode()
        yield b"</sheetData></worksheet>"

    path = write_xlsx_xml(tmp_path / "styled.xlsx", body())
    started = time.perf_counter()
    grid = read_sheet(path)
    elapsed = time.perf_counter() - started
    assert grid.rows == [["姓名", "性别"], ["张三", "男"]]
    assert elapsed < HANG, elapsed
    assert list_sheets(path)[0].rows_estimate == 1_000_000


def test_far_away_cell_would_allocate_billions_and_is_refused(tmp_path: Path) -> None:
    body = (
        "<sheetData>"
        + rows_xml([["姓名"], ["张三"]])
        + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    path = write_xlsx_xml(tmp_path / "far.xlsx", body)
    started = time.perf_counter()
    err = refused(path)
    assert err.code == "too_large"
    assert "多余的行列" in err.message
    assert time.perf_counter() - started < HANG


def test_row_beyond_excel_limit_is_hostile(tmp_path: Path) -> None:
    body = (
        "<sheetData>"
        + rows_xml([["姓名"]])
        + '<row r="5000000"><c r="A5000000"><v>1</v></c></row></sheetData>'
    )
    assert refused(write_xlsx_xml(tmp_path / "deep.xlsx", body)).code == "hostile"


def test_long_gap_of_empty_rows_stops_reading_with_a_warning(tmp_path: Path) -> None:
    body = (
        "<sheetData>"
        + rows_xml([["姓名", "性别"], ["张三", "男"]])
        + rows_xml([["李四", "女"]], start=5003)
        + "</sheetData>"
    )
    grid = read_sheet(write_xlsx_xml(tmp_path / "gap.xlsx", body))
    assert grid.rows == [["姓名", "性别"], ["张三", "男"]]
    assert any("第 3 行至第 1002 行" in w and "没有读取" in w for w in grid.warnings)
    table = find_table(grid, "roster")
    assert [r.row_number for r in table.rows] == [2]


def test_html_disguised_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    path.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>", encoding="utf-8")
    err = refused(path)
    assert err.code == "unsupported"
    assert "另存为" in err.message


def test_word_document_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert refused(path).code == "unsupported"


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    """A CSV sent as .dat is read by its content; a zip of photos is not a spreadsheet."""
    path = tmp_path / "名册.dat"
    path.write_text("姓名,性别\n张三,男\n", encoding="utf-8")
    assert read_sheet(path).rows == [["姓名", "性别"], ["张三", "男"]]
    photos = tmp_path / "照片.xlsx"
    with zipfile.ZipFile(photos, "w") as zf:
        zf.writestr("1.jpg", b"\xff\xd8\xff" + b"\x00" * 100)
    assert refused(photos).code == "unsupported"


def test_missing_file(tmp_path: Path) -> None:
    assert refused(tmp_path / "nope.xlsx").code == "not_found"
