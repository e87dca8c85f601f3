"""Report rendering: a statistics DTO (:mod:`.model`) → an Excel workbook and a PDF, layout as data.

Public API::

    write_xlsx(data, path, layout=None) -> Path
    write_pdf(data, path, layout=None, fonts=None) -> Path
    read_report_workbook(path) -> ReportData
    fill_form(data, form_path, out_path, layout=None) -> Path
    load_layout(path) -> Layout / default_layout() -> Layout
    build_narrative(data) -> str
    sample_report_data() -> ReportData
    register_fonts(search_dirs=None) -> FontSet

Pure Python (openpyxl, reportlab); no Qt, no database.  The names below are loaded on first
use, so importing :mod:`silverdesk.reports.model` (the DTO) does not pull in reportlab or openpyxl
(~0.3 s), which keeps the GUI's start-up fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "FontSet": "fonts",
    "register_fonts": "fonts",
    "fill_form": "form_fill",
    "Layout": "layout",
    "default_layout": "layout",
    "load_layout": "layout",
    "CategoryRow": "model",
    "OrgFigures": "model",
    "Period": "model",
    "ReportData": "model",
    "SupplyDemand": "model",
    "Totals": "model",
    "TrendPoint": "model",
    "UnitRow": "model",
    "build_narrative": "narrative",
    "write_pdf": "pdf",
    "read_report_workbook": "readback",
    "sample_report_data": "sample",
    "write_xlsx": "xlsx",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'silverdesk.reports' has no attribute {name!r}")
    return getattr(import_module(f"silverdesk.reports.{module}"), name)
