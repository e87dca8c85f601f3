"""Write what a list view shows to an .xlsx file (openpyxl ``write_only``: flat memory on 100,000 rows).

Qt-free; the GUI runs :func:`export_table` in a worker with progress and cancel.  The file is
written whole or not at all (:func:`silverdesk.atomic.atomic_target`): a cancelled or failed
export never leaves a half-written workbook where the clerk expects one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from silverdesk.atomic import atomic_target
from silverdesk.domain.safe_cells import set_cell
from silverdesk.errors import UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress

if TYPE_CHECKING:  # openpyxl itself is imported when a table is exported
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

PAGE = 1000
MAX_ROWS = 1_048_575  # Excel's sheet limit minus the header row


def export_table(
    path: Path,
    title: str,
    headers: Sequence[str],
    ids: Sequence[int],
    fetch: Callable[[Sequence[int]], Sequence[Sequence[object]]],
    *,
    widths: Sequence[int] = (),
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
) -> int:
    """Write ``ids``' rows, fetched page by page with ``fetch``, under ``headers``; returns the row count.

    Args:
        path: the .xlsx file to write (replaced if it exists).
        title: the sheet name (cut to Excel's 31 characters).
        headers: column titles.
        ids: record ids in the order of the view.
        fetch: turns a page of ids into rows of cell values (str, int, float, date or None).
        widths: optional column widths in characters.
        progress: called with (done, total) after each page.
        cancel: checked between pages; a cancel removes the partial file and raises ``Cancelled``.
    """
    if len(ids) > MAX_ROWS:
        raise UserError(f"共 {len(ids)} 行，超过 Excel 单个工作表的上限；请先用筛选缩小范围再导出")
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = workbook.create_sheet(title[:31] or "Sheet1")
    for i, width in enumerate(widths):
        # (set up as on a Worksheet, but missing from the stubs' WriteOnlyWorksheet)
        sheet.column_dimensions[_column_letter(i)].width = width  # type: ignore[attr-defined]
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet)
        set_cell(cell, text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    total = len(ids)
    written = 0
    try:
        for start in range(0, total, PAGE):
            cancel.raise_if_set()
            for row in fetch(ids[start : start + PAGE]):
                sheet.append([_cell(sheet, v) for v in row])
                written += 1
            progress(min(start + PAGE, total), total, "导出")
        cancel.raise_if_set()
    except BaseException:
        discard_sheet(sheet)
        raise
    with atomic_target(path) as partial:
        workbook.save(partial)
    return written


def discard_sheet(sheet: WriteOnlyWorksheet) -> None:
    """Close a write-only sheet that will not be saved and delete its temporary file."""
    with contextlib.suppress(Exception):  # already broken: nothing more to finish
        sheet.close()
    out = getattr(getattr(sheet, "_writer", None), "out", None)
    if out:
        Path(out).unlink(missing_ok=True)


def _cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    """A write-only cell holding ``value``; text always as text (a name "=…" is no formula)."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    cell = WriteOnlyCell(sheet)
    set_cell(cell, value)
    return cell


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
