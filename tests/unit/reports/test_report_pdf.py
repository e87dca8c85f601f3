"""The PDF: every character prints (incl. 𠮷), fonts embedded, page numbers, the same figures as the workbook."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from silverdesk.errors import UserError
from silverdesk.reports.fonts import FALLBACK, FontSet, register_fonts
from silverdesk.reports.grid import format_value
from silverdesk.reports.layout import default_layout
from silverdesk.reports.model import ReportData, UnitRow
from silverdesk.reports.pdf import write_pdf
from silverdesk.resources import FONT_REGULAR, resource_path

NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?%?$")


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_rare_characters_print_and_extract(sample_pdf: Path, sample: ReportData) -> None:
    text = "".join(pdf_text(sample_pdf))
    for unit in ("𠮷家庄乡", "䶮山镇", "堃河镇"):
        assert unit in text
    assert "填表人：李堃" in text
    assert sample.title in text and "统计时段：2026年10月1日—10月31日" in text


_OPS = re.compile(rb"(/[^\s/]+) [\d.]+ Tf|(\)\s*Tj|\]\s*TJ|>\s*Tj)")


def test_fonts_are_embedded_truetype(sample_pdf: Path) -> None:
    """Every font that shows text is an embedded TrueType (FontFile2); nothing is left to the viewer."""
    reader = PdfReader(sample_pdf)
    shown: set[str] = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        current = None
        for m in _OPS.finditer(page.get_contents().get_data()):
            if m.group(1):
                current = m.group(1).decode()
            else:
                assert current is not None
                font = fonts[current].get_object()
                assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
                shown.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert shown == {"LXGWWenKai-Regular", "LXGWWenKai-Bold"}


def test_page_numbers_and_landscape_table1(sample_pdf: Path) -> None:
    pages = pdf_text(sample_pdf)
    total = len(pages)
    for i, text in enumerate(pages, start=1):
        assert f"第 {i} 页 共 {total} 页" in text
    reader = PdfReader(sample_pdf)
    t1_page = next(i for i, t in enumerate(pages) if "表1 各单位志愿服务开展情况" in t)
    box = reader.pages[t1_page].mediabox
    assert box.width > box.height  # 表1 is wide: landscape
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height


def test_pdf_figures_equal_workbook_cells(sample_pdf: Path, sample_xlsx: Path) -> None:
    """Every 表1–表4 figure (incl. 合计), formatted as Excel shows it, appears in the PDF in the same order."""
    wb = load_workbook(sample_xlsx)
    expected: list[str] = []
    for table in default_layout().tables:
        ws = wb[table.sheet]
        head = next(c.row for row in ws.iter_rows() for c in row if c.value == table.caption)
        for row in ws.iter_rows(min_row=head + 1 + table.header_depth):
            if all(c.value is None for c in row[1:3]):
                break
            expected += [
                format_value(c.value, c.number_format) for c in row if isinstance(c.value, int | float)
            ]
    lines = [ln.strip() for ln in "\n".join(pdf_text(sample_pdf)).splitlines()]
    start = lines.index("表1 各单位志愿服务开展情况")
    end = lines.index("编报说明")
    got = [ln for ln in lines[start:end] if NUMBER.match(ln)]
    assert got == expected
    assert "9,385.1" in expected and "248,441" in expected and "100.0%" in expected


def test_long_table_repeats_its_header(sample: ReportData, tmp_path: Path, shipped_fonts: FontSet) -> None:
    rows = tuple(dataclasses.replace(sample.table1[i % 15], seq=i + 1) for i in range(70))
    data = dataclasses.replace(sample, table1=rows)
    pages = pdf_text(write_pdf(data, tmp_path / "long.pdf", fonts=shipped_fonts))
    t1_pages = [t for t in pages if "县供销合作社" in t]
    assert len(t1_pages) >= 2
    assert all("年度累计" in t and "本期" in t for t in t1_pages)
    assert "70" in "".join(t1_pages).split()


def test_uncovered_characters_fall_back_to_the_shipped_font(sample: ReportData, tmp_path: Path) -> None:
    base = register_fonts(())

    class NoRareFonts(FontSet):
        def covers(self, font_name: str, ch: str) -> bool:
            return ord(ch) <= 0xFFFF and ch != "䶮"

    fonts = NoRareFonts(body="SD-body-test", bold=base.bold, title=base.title, heading=base.heading)
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("SD-body-test", str(resource_path(*FONT_REGULAR))))
    assert fonts.markup("𠮷家<庄>") == f'<font name="{FALLBACK}">𠮷</font>家&lt;庄&gt;'
    text = "".join(pdf_text(write_pdf(sample, tmp_path / "fb.pdf", fonts=fonts)))
    assert "𠮷家庄乡" in text and "䶮山镇" in text


def test_system_fonts_are_preferred_when_found(tmp_path: Path) -> None:
    fonts_dir = tmp_path / "Fonts" / "chinese"
    fonts_dir.mkdir(parents=True)
    os.symlink(resource_path(*FONT_REGULAR), fonts_dir / "SIMFANG.TTF")
    (fonts_dir / "simhei.ttf").write_bytes(b"not a font")  # refused by reportlab: skipped, no crash
    fonts = register_fonts((tmp_path / "Fonts", tmp_path / "missing"))
    assert fonts.body == "SD-body-SIMFANG" and fonts.files["body"] == "SIMFANG.TTF"
    assert fonts.heading == fonts.bold == "SD-WenKai-Bold" and "heading" not in fonts.files


def test_empty_report_and_unwritable_path(sample: ReportData, tmp_path: Path, shipped_fonts: FontSet) -> None:
    zero = UnitRow(None, "合计", 0, 0, 0, 0, 0, 0.0, 0, 0, 0)
    data = dataclasses.replace(sample, table1=(), table1_total=zero, table2=(), trend=(), notes=(), footer=())
    text = "".join(pdf_text(write_pdf(data, tmp_path / "empty.pdf", fonts=shipped_fonts)))
    assert "合计" in text
    with pytest.raises(UserError, match="无法写入"):
        write_pdf(sample, tmp_path / "no-dir" / "x.pdf", fonts=shipped_fonts)
