"""The refused rows as a workbook to send back to the unit that filled them.

The sheet has the file's own header and, for each refused row, the cells as they were read;
every problem cell is filled light red and carries a comment saying what to fix, and a 说明
column at the end repeats the reasons with the original row number.  The workbook travels by
e-mail or WeChat, so by default every personal value is masked by the rules of
:mod:`silverdesk.domain.privacy` — ID numbers, phones and addresses (by field or by header),
ID numbers and mobiles written inside any other cell (备注 …), in the comments and in the 说明 —
the faulty cell included: its comment says what is wrong (“应为18位，现为17位”), which is enough
to find and correct it in the unit's own file.  ``mask=False`` writes an unmasked copy, for
internal use only.  Text that Excel would take for a formula (``= + - @``) is written as plain
text, so opening the file never runs anything.
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

from silverdesk.domain.privacy import PERSONAL_FIELDS, MaskPolicy, mask_text
from silverdesk.domain.safe_cells import set_cell
from silverdesk.services.importing.plan import REJECTED, ImportPlan

PROBLEM_FILL = PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
"""Light red, as Excel's own “bad” cell style."""
HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
NOTE_LABEL = "说明"
_POLICY = MaskPolicy()


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _masked(value: Any, key: str, label: str) -> Any:
    """``value`` as it may leave the office: personal fields (by key or header) masked whole,
    ID numbers and mobiles inside any other text (or a bare number) masked where they stand."""
    if value is None or isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        return value
    field = key if key in PERSONAL_FIELDS else label
    if field in PERSONAL_FIELDS:
        return _POLICY.value(field, _as_text(value).strip())
    if isinstance(value, str):
        return mask_text(value)
    text = _as_text(value)
    masked = mask_text(text)
    return value if masked == text else masked


def _masked_reason(reason: str, cells: dict[int, Any], keys: dict[int, str], labels: dict[int, str]) -> str:
    """A reason with the row's personal values masked as in the cells (a reason may quote the
    faulty phone “1381234”), then ID numbers and mobiles anywhere in it."""
    for index, value in cells.items():
        key, label = keys.get(index, ""), labels.get(index, "")
        if value is None or (key not in PERSONAL_FIELDS and label not in PERSONAL_FIELDS):
            continue
        text = _as_text(value).strip()
        if len(text) >= 3 and text in reason:
            reason = reason.replace(text, str(_masked(value, key, label)))
    return mask_text(reason)


def write_errors_book(plan: ImportPlan, out: Path, *, mask: bool = True) -> Path:
    """Write the refused rows of ``plan`` to ``out`` (.xlsx); see the module docstring."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "退回修改"
    columns = list(plan.columns)
    field_of = dict(plan.mapping.assigned)  # column index → field key
    column_of_label = {c.label: c.index for c in columns}
    label_of = {c.index: c.label for c in columns}
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
        cells = {c.index: raw[c.index] if c.index < len(raw) else None for c in columns}

        def said(reason: str, cells: dict[int, Any] = cells) -> str:
            return _masked_reason(reason, cells, field_of, label_of) if mask else reason

        problems: dict[int, list[str]] = {}
        for issue in rp.issues or ():
            index = column_of_label.get(issue.column_label, column_of_field.get(issue.field_key))
            if index is not None:
                problems.setdefault(index, []).append(said(issue.reason))
        for col in columns:
            value = cells[col.index]
            if mask:
                value = _masked(value, field_of.get(col.index, ""), col.label)
            cell = ws.cell(row=out_row, column=position[col.index])
            _write_value(cell, value)
            if col.index in problems:
                cell.fill = PROBLEM_FILL
                comment = Comment("\n".join(dict.fromkeys(problems[col.index])), "silverdesk")
                comment.width, comment.height = 300, 120
                cell.comment = comment
        reasons = "；".join(dict.fromkeys(said(i.reason) for i in rp.issues or ()))
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
