"""The charts' axes of counts (the report's 近12个月 charts, the dashboard's): whole-number ticks only."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pypdf import PdfReader

from silverdesk.domain.numbers import count_scale
from silverdesk.reports.fonts import FontSet
from silverdesk.reports.model import ReportData
from silverdesk.reports.pdf import write_pdf


@pytest.mark.parametrize(
    ("most", "scale"),
    [(0, (1, 1)), (1, (1, 1)), (3, (3, 1)), (7, (8, 2)), (250, (250, 50)), (1234, (1500, 500))],
)
def test_a_count_axis_steps_in_whole_numbers(most, scale):
    assert count_scale(most) == scale


def test_an_axis_with_little_room_takes_fewer_steps():
    assert count_scale(2816, intervals=3) == (3000, 1000)


def test_a_quiet_years_chart_labels_its_axis_0_1_2_3(
    sample: ReportData, shipped_fonts: FontSet, tmp_path: Path
) -> None:
    """A county's first busy month (3 场次): the axis read 0 0 1 2 2 2 3 (fractional ticks printed whole)."""
    trend = [dataclasses.replace(p, activities=0) for p in sample.trend[:-1]]
    trend.append(dataclasses.replace(sample.trend[-1], activities=3))
    pdf = write_pdf(dataclasses.replace(sample, trend=trend), tmp_path / "月报.pdf", fonts=shipped_fonts)
    lines = PdfReader(pdf).pages[0].extract_text().splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("近12个月活动场次"))
    labels = []
    for line in reversed(lines[:title]):
        if not line.strip().isdigit():
            break
        labels.insert(0, line.strip())
    assert labels == ["0", "1", "2", "3"]
