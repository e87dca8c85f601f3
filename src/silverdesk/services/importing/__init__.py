"""Reading incoming spreadsheets: files → grid → table → mapped, normalised rows.

Pure Python (no Qt, no database).  The usual sequence::

    grid = read_sheet(path)                      # files.py: safe open, cells as Python values
    table = find_table(grid, "roster")           # layout.py: header, records, footer, metadata
    mapping = match_columns(table.columns, "roster", remembered)   # mapping.py
    for row in normalize_rows(table, mapping):   # rows.py: values + Chinese reasons
        ...
"""

from silverdesk.services.importing.fields import KIND_NAMES, KINDS, FieldSpec, KindSpec, kind_name, kind_spec
from silverdesk.services.importing.files import Grid, SheetInfo, list_sheets, read_sheet
from silverdesk.services.importing.layout import Column, LayoutError, RawRow, Table, find_table
from silverdesk.services.importing.mapping import (
    IGNORE,
    Ambiguity,
    Mapping,
    detect_kind,
    mapping_signature,
    match_columns,
    normalize_label,
)
from silverdesk.services.importing.rows import CellIssue, NormalizedRow, RowNormalizer, normalize_rows
from silverdesk.services.importing.safety import FileRefused

__all__ = [
    "IGNORE",
    "KINDS",
    "KIND_NAMES",
    "Ambiguity",
    "CellIssue",
    "Column",
    "FieldSpec",
    "FileRefused",
    "Grid",
    "KindSpec",
    "LayoutError",
    "Mapping",
    "NormalizedRow",
    "RawRow",
    "RowNormalizer",
    "SheetInfo",
    "Table",
    "detect_kind",
    "find_table",
    "kind_name",
    "kind_spec",
    "list_sheets",
    "mapping_signature",
    "match_columns",
    "normalize_label",
    "normalize_rows",
    "read_sheet",
]
