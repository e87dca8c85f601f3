"""The activity's 月度主题 and 阵地 pickers, shared by the activity form and quick entry.

:class:`ThemeCombo` offers the themes of the activity's year and the years around it and follows
the date: it shows the theme of the activity's month until the clerk chooses another one.
:class:`PlaceCombo` offers the open 阵地, by unit; typing any part of a name or a unit filters.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6 import QtWidgets

from silverdesk.domain import fields as f
from silverdesk.ui.widgets.pickers import IdCombo

if TYPE_CHECKING:
    from silverdesk.services.hub import Services

_DAY = f.FieldSpec("occurred_on", "活动日期", f.date)


def read_day(text: str) -> dt.date | None:
    """The date a field holds (2026-11-03, 2026.11.3, 20261103), ``None`` while it is no date."""
    try:
        return f.date(text, _DAY)
    except f.FieldProblem:
        return None


def theme_label(year: int, month: int, name: str, shown_year: int | None) -> str:
    """ "10月·金秋敬老" (as the statistics name it); a theme of another year than the activity's with its year."""
    return f"{month}月·{name}" if year == shown_year else f"{year}年{month}月·{name}"


class ThemeCombo(IdCombo):
    """月度主题: by default the theme of the activity's month (see :meth:`follow`)."""

    def __init__(self, services: Services, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent=parent)  # no blank item: an empty field is no theme, typing starts afresh
        self.lineEdit().setPlaceholderText("（无）")
        self.services = services
        self._year: int | None = None
        self._default: int | None = None  # the theme of the activity's month
        self._setting = False
        self.following = True  # the clerk has not chosen another theme
        self.setToolTip("默认为活动日期所在月份的主题（在“设置 › 月度主题”中维护）；可另选")
        self.idChanged.connect(self._chosen)

    def follow(self, day: dt.date | None) -> None:
        """The activity's date is now ``day``: show its month's theme unless the clerk chose another."""
        if day is None:
            return
        if day.year != self._year:
            self._fill(day.year)
        theme = self.services.themes.year(day.year).get(day.month)
        self._default = theme.id if theme else None
        if self.following:
            self._set(self._default)

    def load(self, day: dt.date | None, theme_id: int | None) -> None:
        """An activity on record: its theme, following the date only if it is its month's theme."""
        if day is not None:
            self._fill(day.year)
            theme = self.services.themes.year(day.year).get(day.month)
            self._default = theme.id if theme else None
        if theme_id is not None and self.findData(theme_id) < 0:
            found = self.services.themes.get(theme_id)
            if found is not None:
                self.addItem(theme_label(found.year, found.month, found.name, self._year), found.id)
        self._set(theme_id)
        self.following = theme_id == self._default

    def refresh(self) -> None:
        """The themes changed in 设置: show them again."""
        year, self._year = self._year, None
        if year is not None:
            keep, following = self.value(), self.following
            self._fill(year)
            self._set(keep)
            self.following = following

    def _fill(self, year: int) -> None:
        self._year = year
        self._setting = True
        try:
            self.set_items(
                [
                    (t.id, theme_label(t.year, t.month, t.name, year), "")
                    for t in self.services.themes.choices(year)
                ]
            )
        finally:
            self._setting = False

    def _set(self, theme_id: int | None) -> None:
        self._setting = True
        try:
            self.set_value(theme_id)
            self.lineEdit().setCursorPosition(0)  # a long theme shows its start
        finally:
            self._setting = False

    def _chosen(self, theme_id: object) -> None:
        if not self._setting:
            self.following = theme_id == self._default


class PlaceCombo(IdCombo):
    """阵地: the open places, by unit (an activity's own place is kept even if closed since)."""

    def __init__(self, services: Services, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.lineEdit().setPlaceholderText("（无）")
        self.services = services
        self.setToolTip("活动所在的阵地；输入名称或所属单位中的几个字筛选")
        self.refresh()

    def refresh(self, keep: int | None = None) -> None:
        keep = keep if keep is not None else self.value()
        items = [
            (p.id, f"{p.name}（{p.unit}）" if p.unit else p.name, p.kind)
            for p in self.services.places.choices(keep=keep)
        ]
        self.set_items(items)
        self.set_value(keep)
