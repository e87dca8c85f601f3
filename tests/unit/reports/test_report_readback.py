"""The hidden data sheet: an exact round trip, and refusals for missing/damaged/newer data."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from silverdesk.errors import UserError
from silverdesk.reports.model import ReportData, Totals
from silverdesk.reports.readback import read_report_workbook
from silverdesk.reports.xlsx import DATA_SHEET, write_xlsx


def test_round_trip_is_exact(sample_xlsx: Path, sample: ReportData) -> None:
    back = read_report_workbook(sample_xlsx)
    assert back == sample
    assert isinstance(back.table1, tuple) and isinstance(back.table3.community_roles[0], tuple)


def test_round_trip_with_none_and_long_narrative(sample: ReportData, tmp_path: Path) -> None:
    data = dataclasses.replace(
        sample,
        previous=None,
        last_year=None,
        narrative="说明𠮷。" * 20000,
        current=Totals(1, 2, 0.1, 3, 4, 5),
    )
    path = write_xlsx(data, tmp_path / "long.xlsx")
    assert int(load_workbook(path)[DATA_SHEET]["B3"].value) > 1  # split across cells
    assert read_report_workbook(path) == data


def test_missing_data_sheet(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    Workbook().save(path)
    with pytest.raises(UserError, match="不是 silverdesk 生成的报表"):
        read_report_workbook(path)


def test_edited_data_is_refused(sample_xlsx: Path, tmp_path: Path) -> None:
    wb = load_workbook(sample_xlsx)
    ws = wb[DATA_SHEET]
    ws["A4"] = ws["A4"].value.replace('"activities":', '"activities":1', 1)
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    with pytest.raises(UserError, match="校验不符"):
        read_report_workbook(path)


def test_newer_version_is_refused(sample_xlsx: Path, tmp_path: Path) -> None:
    wb = load_workbook(sample_xlsx)
    wb[DATA_SHEET]["B1"] = 2
    path = tmp_path / "newer.xlsx"
    wb.save(path)
    with pytest.raises(UserError, match="较新版本"):
        read_report_workbook(path)


def test_truncated_chunks_and_not_a_workbook(sample_xlsx: Path, tmp_path: Path) -> None:
    wb = load_workbook(sample_xlsx)
    wb[DATA_SHEET]["B3"] = 5
    path = tmp_path / "cut.xlsx"
    wb.save(path)
    with pytest.raises(UserError, match="损坏"):
        read_report_workbook(path)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(UserError, match="不是有效的 Excel"):
        read_report_workbook(junk)
