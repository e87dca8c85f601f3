"""活动: the activity log with quick entry on top, filters, SQL sorting, export and paste."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6 import QtCore, QtWidgets

from silverdesk.domain.numbers import count_text
from silverdesk.services.activities.log import ActivityFilter
from silverdesk.services.list_sums import ListSums
from silverdesk.services.statistics.dashboard import month_start
from silverdesk.ui.activities.model import ActivityTableModel
from silverdesk.ui.activities.quick_entry import QuickEntry
from silverdesk.ui.context import UiContext
from silverdesk.ui.widgets.list_screen import ListScreen
from silverdesk.ui.widgets.pickers import IdCombo, LookupCombo, UnitCombo

PERIODS = ("本月", "上月", "本季度", "本年", "近12个月", "全部", "自定义")


def period_range(name: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The dates a period name stands for (``None`` = open)."""
    if name == "本月":
        return month_start(today), today
    if name == "上月":
        return month_start(today, 1), month_start(today) - dt.timedelta(days=1)
    if name == "本季度":
        return dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1), today
    if name == "本年":
        return dt.date(today.year, 1, 1), today
    if name == "近12个月":
        return month_start(today, 11), today
    return None, None


def _qdate(day: dt.date) -> QtCore.QDate:
    return QtCore.QDate(day.year, day.month, day.day)


class ActivitiesView(ListScreen):
    title = "活动"
    entity = "activity"
    paste_kind = "activities"
    export_name = "志愿服务活动"
    sum_labels = (
        ("sessions", "场次"),
        ("participants", "参与人次"),
        ("hours", "服务时长"),
        ("beneficiaries", "受益人次"),
    )

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, ActivityTableModel(ctx.services.activities), parent)
        self.quick = QuickEntry(ctx)
        self.layout().insertWidget(0, self.quick)  # type: ignore[union-attr]
        self.quick.recorded.connect(lambda aid: self.reload(select_id=aid))
        today = ctx.services.ctx.today()
        self.search.setPlaceholderText("搜索活动名称或服务队名称")
        self.period = QtWidgets.QComboBox()
        self.period.addItems(PERIODS)
        self.period.setToolTip("活动日期范围")
        self.date_from, self.date_to = QtWidgets.QDateEdit(), QtWidgets.QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(_qdate(today))
            edit.dateChanged.connect(self._dates_edited)
        self.unit = UnitCombo(blank="全部单位")
        self.unit.set_units(ctx.services.units.tree())
        self.unit.setToolTip("组织单位（含下级单位）")
        self.category = LookupCombo(blank="全部领域")
        self.category.set_lookups(ctx.services.lookups.items("activity_category"))
        self.team = IdCombo(blank="全部服务队")
        self.team.set_items(
            [
                (int(t["id"]), str(t["name"]), str(t["unit"]))  # type: ignore[call-overload]
                for t in ctx.services.teams.list(include_retired=True)
            ]
        )
        self.theme = IdCombo(blank="全部主题")
        self.theme.setToolTip("月度主题")
        self.place = IdCombo(blank="全部阵地")
        self.place.setToolTip("活动所在的阵地")
        self._fill_theme_place()
        self.filters.addWidget(self.search, 3)
        for label, widget in (
            ("日期", self.period),
            ("", self.date_from),
            ("至", self.date_to),
            ("单位", self.unit),
            ("领域", self.category),
            ("服务队", self.team),
            ("", self.theme),  # its blank item says what it is: 全部主题
            ("", self.place),
        ):
            if label:
                caption = QtWidgets.QLabel(label)
                caption.setBuddy(widget)
                self.filters.addWidget(caption)
            self.filters.addWidget(widget, 1 if isinstance(widget, IdCombo) else 0)
        self.period.currentTextChanged.connect(self._period_chosen)
        for combo in (self.unit, self.category, self.team, self.theme, self.place):
            combo.idChanged.connect(lambda _v: self.reload())
        self._period_chosen("本月")
        self.add_button(
            "详细登记", "用完整表单登记一项活动：多个服务队、参与人员、附件（Ctrl+N）", self.new_record
        )
        self.add_button("修改", "修改选中的活动（Enter 或双击）", self._edit_current)
        self.add_button("粘贴行", "粘贴从 Excel/WPS 复制的活动行，先检查再写入（Ctrl+Shift+V）", self.paste)
        self.add_button("导出 Excel", "把当前列表导出为 Excel", self.export)
        ctx.events.changed.connect(self._lists_changed)

    def current_filter(self) -> ActivityFilter:
        custom = self.period.currentText() != "全部"
        return ActivityFilter(
            query=self.search.text(),
            unit_id=self.unit.value(),
            category_id=self.category.value(),
            team_id=self.team.value(),
            theme_id=self.theme.value(),
            place_id=self.place.value(),
            date_from=self.date_from.date().toPython() if custom else None,  # type: ignore[arg-type]
            date_to=self.date_to.date().toPython() if custom else None,  # type: ignore[arg-type]
        )

    def fetch_ids(self, flt: Any, sort: str, descending: bool) -> list[int]:
        return self.ctx.services.activities.search_ids(flt, sort=sort, descending=descending)

    def fetch_records(self, ids: Sequence[int]) -> Sequence[Any]:
        return self.ctx.services.activities.rows_by_ids(ids)

    def fetch_sums(self, flt: Any) -> ListSums:
        return self.ctx.services.activities.list_sums(flt)

    def count_text(self, n: int) -> str:
        return f"共 {count_text(n)} 项活动"

    def open_record(self, record_id: int) -> None:
        from silverdesk.ui.activities.form import ActivityDialog

        ActivityDialog(self.ctx, record_id, self).exec()

    def new_record(self) -> None:
        from silverdesk.ui.activities.form import ActivityDialog

        dialog = ActivityDialog(self.ctx, None, self)
        dialog.saved.connect(lambda aid: self.reload(select_id=aid))
        dialog.exec()

    def show_record(self, kind: str, record_id: int) -> None:
        """From the dashboard: ``unit`` shows that unit's activities this month (none yet, usually)."""
        if kind != "unit":
            return
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        combos = (self.unit, self.category, self.team, self.theme, self.place)
        for combo in combos:
            combo.blockSignals(True)
        self.unit.set_value(record_id)
        for combo in combos[1:]:
            combo.set_value(None)
        for combo in combos:
            combo.blockSignals(False)
        self.period.blockSignals(True)
        self.period.setCurrentText("本月")
        self.period.blockSignals(False)
        self._period_chosen("本月")  # reloads once

    def focus_quick_entry(self) -> None:
        self.quick.title_edit.setFocus()

    # --- private -------------------------------------------------------------------------------
    def _edit_current(self) -> None:
        record_id = self.table.current_id()
        if record_id is not None:
            self.open_record(record_id)

    def _period_chosen(self, name: str) -> None:
        start, end = period_range(name, self.ctx.services.ctx.today())
        self._setting_dates = True
        if start is not None and end is not None:
            self.date_from.setDate(_qdate(start))
            self.date_to.setDate(_qdate(end))
        self._setting_dates = False
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(name != "全部")
        self.reload()

    def _dates_edited(self) -> None:
        if getattr(self, "_setting_dates", False):
            return
        if self.period.currentText() != "自定义":
            self.period.blockSignals(True)
            self.period.setCurrentText("自定义")
            self.period.blockSignals(False)
        self.reload()

    def _lists_changed(self, entity: str) -> None:
        if entity in ("team", "place", "monthly_theme", "lookup"):
            self.quick.refresh_lists()
        if entity in ("place", "monthly_theme", "lookup"):
            self._fill_theme_place()

    def _fill_theme_place(self) -> None:
        """The 主题 and 阵地 filters: every theme (newest year first) and every place, closed ones too."""
        services = self.ctx.services
        themes = [
            (t.id, f"{t.year}年{t.month}月·{t.name}", "")
            for year in services.themes.years()
            for t in sorted(services.themes.year(year).values(), key=lambda t: t.month)
        ]
        for combo, items in (
            (self.theme, themes),
            (self.place, [(i, n, "") for i, n in services.places.names().items()]),
        ):
            combo.blockSignals(True)
            combo.set_items(items)
            combo.blockSignals(False)
