"""The 分组统计 table written as a workbook and as a PDF, read back: the title and scope lines, the header
merged over a column dimension's measures, figures as numbers with their formats, the bold 合计 row, the
counting rules; a table too wide for a page is cut into column blocks that keep the row labels."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from silverdesk.reports.pivot import DataColumn, PivotRow, PivotTable
from silverdesk.reports.pivot_pdf import write_pivot_pdf
from silverdesk.reports.pivot_xlsx import write_pivot_xlsx


def _table(fields: tuple[str, ...] = ("理论宣讲", "为老服务")) -> PivotTable:
    columns = []
    for f in (*fields, "合计"):
        total = f == "合计"
        columns += [
            DataColumn("场次", "场", 0, (f,), () if total else (f,), total=total),
            DataColumn("服务时长", "小时", 1, (f,), () if total else (f,), total=total),
        ]
    n = len(fields)

    def values(sessions: int, hours: float) -> tuple[float, ...]:
        return (*(v for _ in range(n) for v in (sessions, hours)), sessions * n, hours * n)

    rows = (
        PivotRow(("城关街道",), values(1200, 1344680.5), (2,)),
        PivotRow(("龙山镇",), values(3, 7.5), (4,)),
        PivotRow(("合计",), values(1203, 1344688.0), (), total=True),
    )
    return PivotTable(
        title="场次、服务时长分组统计",
        scope="全县",
        period="2026年10月",
        row_headers=("单位",),
        column_dimensions=("服务领域",),
        columns=tuple(columns),
        rows=rows,
        notes=("场次：各项活动登记的场次之和。", "服务时长：各项活动登记的服务时长（人·小时）之和。"),
        filters=("性别=女",),
    )


def test_workbook_reads_back(tmp_path: Path) -> None:
    path = write_pivot_xlsx(_table(), tmp_path / "分组.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    assert ws["A1"].value == "场次、服务时长分组统计"
    assert ws["A2"].value == "统计范围：全县　　统计时段：2026年10月"
    assert ws["A3"].value == "筛选：性别=女"
    # header on rows 5–6: 单位 down both lines, each field over its two measures
    assert ws["A5"].value == "单位" and "A5:A6" in ws.merged_cells
    assert ws["B5"].value == "理论宣讲" and "B5:C5" in ws.merged_cells
    assert ws["F5"].value == "合计" and "F5:G5" in ws.merged_cells
    assert [ws.cell(6, c).value for c in (2, 3)] == ["场次（场）", "服务时长（小时）"]
    assert ws["A7"].value == "城关街道" and ws["B7"].value == 1200 and ws["C7"].value == 1344680.5
    assert ws["B7"].number_format == "#,##0" and ws["C7"].number_format == "#,##0.0"
    assert ws["A9"].value == "合计" and ws["A9"].font.bold and ws["G9"].value == 2689376.0
    assert not ws["A8"].font.bold
    texts = [ws.cell(r, 1).value for r in range(10, ws.max_row + 1)]
    assert "编报说明" in texts and "1. 场次：各项活动登记的场次之和。" in texts
    assert ws.print_title_rows == "$5:$6"
    wb.close()
    assert not list(tmp_path.glob("*.part"))


def test_pdf_reads_back_and_renders(tmp_path: Path) -> None:
    path = write_pivot_pdf(_table(), tmp_path / "分组.pdf")
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("场次、服务时长分组统计", "统计范围：全县", "筛选：性别=女", "理论宣讲", "1,344,680.5", "2,689,376.0",
                     "1,203", "合计", "编报说明", "各项活动登记的场次之和"):  # fmt: skip
        assert expected in text, expected
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height  # fits portrait A4
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 5000  # a page with a table on it, not an empty one


def test_a_wide_table_is_cut_into_column_blocks(tmp_path: Path) -> None:
    fields = ("理论宣讲", "助推产业发展", "促进乡村振兴", "参与社区治理", "矛盾纠纷调解", "关心下一代", "为老服务",
              "文明创建", "健康义诊", "法治宣传", "生态环保", "建言献策")  # fmt: skip
    reader = PdfReader(write_pivot_pdf(_table(fields), tmp_path / "宽.pdf"))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = "".join(p.extract_text() for p in reader.pages)
    assert "续表 2/" in text
    assert text.count("城关街道") >= 2  # the row labels again in each block
    assert text.count("1,344,680.5") == len(fields)  # no figure lost or cut
    assert "16,136,166.0" in text  # the 合计 column (12 × 1,344,680.5)
