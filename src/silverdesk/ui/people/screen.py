"""人员: the roster of retired cadres, searchable as you type, filtered, sorted in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6 import QtWidgets

from silverdesk.domain import enums
from silverdesk.domain.numbers import count_text
from silverdesk.services.people.roster import PersonFilter
from silverdesk.ui.context import UiContext
from silverdesk.ui.people.model import PeopleTableModel
from silverdesk.ui.widgets.list_screen import ListScreen
from silverdesk.ui.widgets.pickers import ChoiceCombo, UnitCombo

PARTY_CHOICES = {"全部": None, "党员": True, "非党员": False}


class PeopleView(ListScreen):
    title = "人员"
    entity = "person"
    paste_kind = "people"
    export_name = "人员名单"

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, PeopleTableModel(ctx.services.people), parent)
        self.search.setPlaceholderText("搜索：姓名、拼音首字母（如 zjg）、身份证号或电话的几位")
        self.search.setToolTip("边输边查；按 Enter 跳到列表")
        self.unit = UnitCombo(blank="全部单位")
        self.unit.set_units(ctx.services.units.tree())
        self.unit.setToolTip("只看该单位及其下级单位的人员")
        self.status = ChoiceCombo(enums.PERSON_STATUSES, blank="全部状态")
        self.status.set_value("在册")
        self.party = ChoiceCombo(list(PARTY_CHOICES)[1:], blank="党员与非党员")
        self.kind = ChoiceCombo(enums.RETIREMENT_TYPES, blank="离休与退休")
        self.filters.addWidget(self.search, 3)
        for label, widget in (
            ("单位", self.unit),
            ("状态", self.status),
            ("政治面貌", self.party),
            ("类别", self.kind),
        ):
            caption = QtWidgets.QLabel(label)
            caption.setBuddy(widget)
            self.filters.addWidget(caption)
            self.filters.addWidget(widget, 1)
        self.unit.idChanged.connect(lambda _v: self.reload())
        for combo in (self.status, self.party, self.kind):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.add_button("新增人员", "新增一名离退休干部（Ctrl+N）", self.new_record)
        self.add_button("修改", "修改选中的人员（Enter 或双击）", self._edit_current)
        self.add_button("粘贴行", "粘贴从 Excel/WPS 复制的人员行，先检查再写入（Ctrl+Shift+V）", self.paste)
        self.add_button("导出 Excel", "把当前列表（当前筛选和排序、显示的列）导出为 Excel", self.export)
        self.setTabOrder(self.search, self.unit)

    def current_filter(self) -> PersonFilter:
        return PersonFilter(
            query=self.search.text(),
            unit_id=self.unit.value(),
            status=self.status.value(),
            party_member=PARTY_CHOICES.get(self.party.currentText()),
            retirement_type=self.kind.value(),
        )

    def fetch_ids(self, flt: Any, sort: str, descending: bool) -> list[int]:
        return self.ctx.services.people.search_ids(flt, sort=sort, descending=descending)

    def fetch_records(self, ids: Sequence[int]) -> Sequence[Any]:
        return self.ctx.services.people.rows_by_ids(ids)

    def count_text(self, n: int) -> str:
        return f"共 {count_text(n)} 人"

    def open_record(self, record_id: int) -> None:
        from silverdesk.ui.people.form import PersonDialog

        PersonDialog(self.ctx, record_id, self).exec()

    def new_record(self) -> None:
        from silverdesk.ui.people.form import PersonDialog

        dialog = PersonDialog(self.ctx, None, self)
        dialog.saved.connect(self._show_new)
        dialog.exec()

    def _show_new(self, person_id: int) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.reload(select_id=person_id)

    def _edit_current(self) -> None:
        record_id = self.table.current_id()
        if record_id is not None:
            self.open_record(record_id)
