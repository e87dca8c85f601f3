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
