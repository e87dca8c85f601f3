"""``silverdesk import --errors`` masks the returned workbook unless ``--no-mask`` is given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl import Workbook

from silverdesk.cli import main
from silverdesk.domain.idcard import make_id_number

ID_LI = make_id_number("370102", dt.date(1958, 7, 15), 222)


def roster(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "身份证号", "联系电话"])
    ws.append([1, "李秀英", ID_LI, "1390000"])  # refused: the phone is too short
    wb.save(path)
    return path


def cells(path: Path) -> list[object]:
    return [c.value for row in openpyxl.load_workbook(path).active.iter_rows(min_row=2) for c in row]


def test_errors_workbook_masked_by_default_full_with_no_mask(services, county, db_path, tmp_path):
    services.close()
    source = roster(tmp_path / "名册.xlsx")
    masked, full = tmp_path / "退回.xlsx", tmp_path / "退回-内部.xlsx"
    base = ["import", str(source), "--kind", "roster", "--unit", "龙山镇", "--db", str(db_path), "--dry-run"]
    assert main([*base, "--errors", str(masked)]) == 0
    assert ID_LI not in cells(masked) and f"{ID_LI[:4]}**********{ID_LI[-4:]}" in cells(masked)
    assert main([*base, "--errors", str(full), "--no-mask"]) == 0
    assert ID_LI in cells(full)
