"""The refused rows as a workbook to send back to the unit that filled them.

The sheet has the file's own header and, for each refused row, the cells as they were read;
every problem cell is filled light red and carries a comment saying what to fix, and a 说明
column at the end repeats the reasons with the original row number.  ID numbers and phone
numbers are masked (the workbook travels by e-mail or WeChat) except where that cell is itself
the problem — the unit must see what it wrote to correct it.  Text that Excel would take for a
formula (``= + - @``) is written as plain text, so opening the file never runs anything.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from silverdesk.domain.idcard import mask_id_number
from silverdesk.domain.phone import mask_phone
from silverdesk.domain.safe_cells import set_cell
from silverdesk.services.importing.plan import REJECTED, ImportPlan

PROBLEM_FILL = PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
"""Light red, as Excel's own “bad” cell style."""
HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
MASKED_TYPES = {"id_number": mask_id_number, "phone": mask_phone, "contact_phone": mask_phone}
NOTE_LABEL = "说明"


def _masked(value: Any, key: str) -> Any:
    mask = MASKED_TYPES.get(key)
    if mask is None or value is None:
        return value
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return mask(text.strip())


def write_errors_book(plan: ImportPlan, out: Path, *, mask: bool = True) -> Path:
    """Write the refused rows of ``plan`` to ``out`` (.xlsx); see the module docstring."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "退回修改"
    columns = list(plan.columns)
    field_of = dict(plan.mapping.assigned)  # column index → field key
    column_of_label = {c.label: c.index for c in columns}
    column_of_field = {key: index for index, key in field_of.items()}
    position = {c.index: n for n, c in enumerate(columns, start=1)}
    note_col = len(columns) + 1
    for n, col in enumerate(columns, start=1):
        header = ws.cell(row=1, column=n, value=col.label)
        header.font = Font(bold=True)
        header.fill = HEADER_FILL
    note_header = ws.cell(row=1, column=note_col, value=NOTE_LABEL)
    note_header.font = Font(bold=True, color="FFC00000")
    note_header.fill = HEADER_FILL
    out_row = 1
    for rp in plan.rows:
        if rp.fate != REJECTED:
            continue
        out_row += 1
        raw = plan.rejected_raw.get(rp.row_number, [])
        problems: dict[int, list[str]] = {}
        for issue in rp.issues or ():
            index = column_of_label.get(issue.column_label, column_of_field.get(issue.field_key))
            if index is not None:
                problems.setdefault(index, []).append(issue.reason)
        for col in columns:
            value = raw[col.index] if col.index < len(raw) else None
            key = field_of.get(col.index, "")
            if mask and col.index not in problems:
                value = _masked(value, key)
            cell = ws.cell(row=out_row, column=position[col.index])
            _write_value(cell, value)
            if col.index in problems:
                cell.fill = PROBLEM_FILL
                comment = Comment("\n".join(dict.fromkeys(problems[col.index])), "silverdesk")
                comment.width, comment.height = 300, 120
                cell.comment = comment
        reasons = "；".join(dict.fromkeys(i.reason for i in rp.issues or ()))
        note = ws.cell(row=out_row, column=note_col)
        _write_value(note, f"原表第 {rp.row_number} 行：{reasons}")
        note.alignment = Alignment(wrap_text=True, vertical="top")
    for n in range(1, note_col):
        ws.column_dimensions[get_column_letter(n)].width = 16
    ws.column_dimensions[get_column_letter(note_col)].width = 60
    ws.freeze_panes = "A2"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _write_value(cell: Any, value: Any) -> None:
    """Values as read, through ``set_cell``: text that looks like a formula stays text (quote
    prefix, no ``<f>`` in the sheet XML), characters a sheet cannot hold are dropped."""
    set_cell(cell, str(value) if isinstance(value, dt.time | dt.timedelta) else value)
    if isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm" if value.time() != dt.time() else "yyyy-mm-dd"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
