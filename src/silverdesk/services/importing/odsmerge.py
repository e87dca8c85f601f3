"""Merged ranges of one sheet of an .ods file, which python-calamine does not report.

calamine gives the merges of .xlsx and .xls sheets (``merged_cell_ranges``) but ``None`` for
.ods, where a merge is a cell with ``table:number-rows-spanned`` / ``table:number-columns-spanned``
followed by covered cells.  This walks ``content.xml`` once (after the zip passed the safety
checks) counting rows and cells, with their ``-repeated`` attributes, as calamine does.  A file
with no span attribute at all — nearly every one — is answered by a quick scan of the bytes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO

from defusedxml import ElementTree as SafeET

from silverdesk.services.importing.grid import Merged

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_T = "{" + _TABLE_NS + "}"
_TABLE, _ROW, _CELL, _COVERED = _T + "table", _T + "table-row", _T + "table-cell", _T + "covered-table-cell"
_NAME, _ROWS_REP, _COLS_REP = _T + "name", _T + "number-rows-repeated", _T + "number-columns-repeated"
_ROWS_SPAN, _COLS_SPAN = _T + "number-rows-spanned", _T + "number-columns-spanned"
_MARKS = (b"number-rows-spanned", b"number-columns-spanned")
_MAX_MERGES = 100_000


def ods_merges(path: Path, sheet_name: str) -> list[Merged]:
    """(first_row, first_col, last_row, last_col) of every merge of ``sheet_name``, 0-based, inclusive."""
    with zipfile.ZipFile(path) as zf:
        if not _has_spans(zf):
            return []
        with zf.open("content.xml") as fh:
            return _walk(fh, sheet_name)


def _has_spans(zf: zipfile.ZipFile) -> bool:
    tail = b""
    with zf.open("content.xml") as fh:
        while chunk := fh.read(1 << 20):
            block = tail + chunk
            if any(mark in block for mark in _MARKS):
                return True
            tail = block[-32:]
    return False


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(int(value), 0) if value is not None else default
    except ValueError:
        return default


def _walk(fh: IO[bytes], sheet_name: str) -> list[Merged]:
    merged: list[Merged] = []
    in_sheet = False
    depth = 0  # tables inside cells (rare) are not part of the grid
    row = col = 0
    row_rep = 1
    for event, el in SafeET.iterparse(fh, events=("start", "end")):
        tag = el.tag
        if tag == _TABLE:
            if event == "start":
                if in_sheet:
                    depth += 1
                elif el.get(_NAME) == sheet_name:
                    in_sheet, row = True, 0
            elif in_sheet:
                if depth:
                    depth -= 1
                else:
                    return merged
            continue
        if not in_sheet or depth:
            if event == "end" and tag == _ROW:
                el.clear()
            continue
        if tag == _ROW:
            if event == "start":
                col, row_rep = 0, _int(el.get(_ROWS_REP))
            else:
                row += row_rep
                el.clear()
        elif tag in (_CELL, _COVERED) and event == "start":
            rows, cols = _int(el.get(_ROWS_SPAN), 1), _int(el.get(_COLS_SPAN), 1)
            if tag == _CELL and (rows > 1 or cols > 1) and len(merged) < _MAX_MERGES:
                merged.append((row, col, row + max(rows, 1) - 1, col + max(cols, 1) - 1))
            col += _int(el.get(_COLS_REP))
    return merged
