"""Shared fixtures: the sample report written once per session as xlsx and PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from silverdesk.reports.fonts import FontSet, register_fonts
from silverdesk.reports.model import ReportData
from silverdesk.reports.pdf import write_pdf
from silverdesk.reports.sample import sample_report_data
from silverdesk.reports.xlsx import write_xlsx


@pytest.fixture(scope="session")
def sample() -> ReportData:
    return sample_report_data()


@pytest.fixture(scope="session")
def shipped_fonts() -> FontSet:
    """Only the shipped font, so results do not depend on the machine's fonts."""
    return register_fonts(())


@pytest.fixture(scope="session")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="session")
def sample_xlsx(sample: ReportData, out_dir: Path) -> Path:
    return write_xlsx(sample, out_dir / "月报.xlsx")


@pytest.fixture(scope="session")
def sample_pdf(sample: ReportData, out_dir: Path, shipped_fonts: FontSet) -> Path:
    return write_pdf(sample, out_dir / "月报.pdf", fonts=shipped_fonts)
