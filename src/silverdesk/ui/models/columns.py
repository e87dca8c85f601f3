"""Column specs shared by the table models and the table widget."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6 import QtCore


@dataclass(frozen=True)
class Column:
    """One column of a list view.

    ``key`` names the attribute of the row object (and the setting that remembers whether it is
    shown); ``sort`` the service's sort key, or ``None`` when the column cannot be sorted.
    ``person_name``: the column holds people's names, sorted with a polyphonic surname read as a
    surname (曾 zēng) where a table sorts in memory (other text sorts in phone-book order too).
    """

    key: str
    title: str
    width: int = 8  # in average characters, turned into pixels with the font's metrics
    sort: str | None = None
    numeric: bool = False
    hidden: bool = False  # hidden until the clerk chooses to show it
    fmt: Callable[[object], str] | None = None
    person_name: bool = False

    def text(self, value: object) -> str:
        if self.fmt is not None:
            return self.fmt(value)
        return format_value(value)

    @property
    def alignment(self) -> QtCore.Qt.AlignmentFlag:
        horizontal = QtCore.Qt.AlignmentFlag.AlignRight if self.numeric else QtCore.Qt.AlignmentFlag.AlignLeft
        return horizontal | QtCore.Qt.AlignmentFlag.AlignVCenter


def format_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def mask_id_number(value: object) -> str:
    """Show an ID number with the birth date visible and the order code masked (privacy on screen)."""
    text = str(value or "")
    return text[:14] + "****" if len(text) == 18 else text
