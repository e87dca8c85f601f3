"""A sheet's cells as a plain grid: what every reader (xlsx, xls, ods, csv) hands back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

Cell = str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
Merged = tuple[int, int, int, int]  # first_row, first_col, last_row, last_col (0-based, inclusive)


@dataclass
class Grid:
    """One sheet's cells.  ``rows[i]`` is Excel row ``i + 1``; rows may differ in length."""

    sheet_name: str
    rows: list[list[Any]]
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    merged: list[Merged] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_format: str = ""  # xlsx | xls | ods | csv
    hidden_known: bool = True  # False where the format/reader cannot tell hidden rows

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


MAX_COLUMNS = 200
"""Columns with content a sheet may have before the rest are ignored (issue #16: a 20,000-column
header took 69 s to map; real forms have fewer than 60)."""
_PROBE_ROWS = 30
"""Rows looked at for content: the header is searched for in the first rows only."""


def cap_columns(grid: Grid, limit: int = MAX_COLUMNS) -> Grid:
    """Cut ``grid`` after its ``limit``-th column with content in the first rows, with a warning.

    Nothing happens (and nothing is scanned but the row lengths) when the sheet is no wider
    than ``limit``.  Cells beyond the cut, merges starting there and hidden columns there go.
    """
    if grid.width <= limit:
        return grid
    used = sorted(
        {c for row in grid.rows[:_PROBE_ROWS] for c, v in enumerate(row) if v is not None and v != ""}
    )
    cut = used[min(limit, len(used)) - 1] + 1 if used else limit
    if len(used) > limit:
        grid.warnings.append(
            f"表格有 {len(used)} 列有内容，只读取了前 {limit} 列（到第 {cut} 列为止），其余各列已忽略；"
            "如果需要的列在后面，请把它们移到前面或拆分表格后再导入"
        )
    grid.rows = [row[:cut] if len(row) > cut else row for row in grid.rows]
    grid.merged = [(r0, c0, r1, min(c1, cut - 1)) for r0, c0, r1, c1 in grid.merged if c0 < cut]
    grid.hidden_cols = {c for c in grid.hidden_cols if c < cut}
    return grid
