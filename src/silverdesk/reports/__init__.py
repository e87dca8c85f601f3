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

Pure Python (openpyxl, reportlab); no Qt, no database.
"""

from silverdesk.reports.fonts import FontSet, register_fonts
from silverdesk.reports.form_fill import fill_form
from silverdesk.reports.layout import Layout, default_layout, load_layout
from silverdesk.reports.model import (
    CategoryRow,
    OrgFigures,
    Period,
    ReportData,
    SupplyDemand,
    Totals,
    TrendPoint,
    UnitRow,
)
from silverdesk.reports.narrative import build_narrative
from silverdesk.reports.pdf import write_pdf
from silverdesk.reports.readback import read_report_workbook
from silverdesk.reports.sample import sample_report_data
from silverdesk.reports.xlsx import write_xlsx

__all__ = [
    "CategoryRow",
    "FontSet",
    "Layout",
    "OrgFigures",
    "Period",
    "ReportData",
    "SupplyDemand",
    "Totals",
    "TrendPoint",
    "UnitRow",
    "build_narrative",
    "default_layout",
    "fill_form",
    "load_layout",
    "read_report_workbook",
    "register_fonts",
    "sample_report_data",
    "write_pdf",
    "write_xlsx",
]
