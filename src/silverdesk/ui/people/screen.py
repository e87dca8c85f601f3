"""人员: the roster of retired cadres, searchable as you type, filtered, sorted in SQL."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from PySide6 import QtGui, QtWidgets

from silverdesk.domain import enums
from silverdesk.domain.numbers import count_text
from silverdesk.progress import CancelToken, Progress
from silverdesk.services.people.roster import PersonFilter
from silverdesk.ui.context import UiContext
from silverdesk.ui.people.model import PeopleTableModel
from silverdesk.ui.widgets.list_screen import ListScreen
from silverdesk.ui.widgets.pickers import ChoiceCombo, IdCombo, LookupCombo, UnitCombo

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
        # the second row: the bureau's own organisation (issue #18), each as of today
        self.talent = LookupCombo(blank="全部人才库类别")
        self.talent.setToolTip("只看人才库中该类别的人员")
        self.role = LookupCombo(blank="全部社区任职")
        self.role.setToolTip("只看现任该社区职务的人员（已卸任的不算）")
        self.team = IdCombo(blank="全部服务队")
        self.team.setToolTip("只看该服务队的现有队员（已离队的不算）")
        self.community = UnitCombo(blank="全部居住社区")
        self.community.setToolTip("只看居住在该社区（村）的人员")
        self.party_org = IdCombo(blank="全部党组织")
        self.party_org.setToolTip("只看该党组织的现有党员（已转出的不算）")
        self._fill_lists()
        self.more_filters = QtWidgets.QHBoxLayout()
        self.more_filters.setSpacing(8)
        for label, widget in (
            ("人才库", self.talent),
            ("社区任职", self.role),
            ("服务队", self.team),
            ("居住社区", self.community),
            ("党组织", self.party_org),
        ):
            caption = QtWidgets.QLabel(label)
            caption.setBuddy(widget)
            self.more_filters.addWidget(caption)
            self.more_filters.addWidget(widget, 1)
        self.layout().insertLayout(1, self.more_filters)  # type: ignore[union-attr]
        self.unit.idChanged.connect(lambda _v: self.reload())
        for combo in (self.status, self.party, self.kind):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        for id_combo in (self.talent, self.role, self.team, self.community, self.party_org):
            id_combo.idChanged.connect(lambda _v: self.reload())
        ctx.events.changed.connect(self._lists_changed)
        self.add_button("新增人员", "新增一名离退休干部（Ctrl+N）", self.new_record)
        self.add_button("修改", "修改选中的人员（Enter 或双击）", self._edit_current)
        self.add_button("粘贴行", "粘贴从 Excel/WPS 复制的人员行，先检查再写入（Ctrl+Shift+V）", self.paste)
        self.add_button("导出 Excel", "把当前列表（当前筛选和排序、显示的列）导出为 Excel", self.export)
        self.profile_button = self.add_button(
            "一人一档…",
            "打印选中人员的一人一档：身份、任职、活动、荣誉与积分（Ctrl+Shift+P）",
            self.print_profile,
        )
        self.profile_button.setShortcut(QtGui.QKeySequence("Ctrl+Shift+P"))
        chain = (self.search, self.unit, self.status, self.party, self.kind)
        chain += (self.talent, self.role, self.team, self.community, self.party_org, self.table)
        for first, second in itertools.pairwise(chain):
            self.setTabOrder(first, second)

    def current_filter(self) -> PersonFilter:
        return PersonFilter(
            query=self.search.text(),
            unit_id=self.unit.value(),
            status=self.status.value(),
            party_member=PARTY_CHOICES.get(self.party.currentText()),
            retirement_type=self.kind.value(),
            talent_category_id=self.talent.value(),
            role_id=self.role.value(),
            team_id=self.team.value(),
            community_id=self.community.value(),
            party_org_id=self.party_org.value(),
        )

    def filter_widgets(self) -> list[QtWidgets.QWidget]:
        more = (self.more_filters.itemAt(i).widget() for i in range(self.more_filters.count()))
        return super().filter_widgets() + [w for w in more if w is not None]

    def print_profile(self) -> None:
        """一人一档 of the selected person: the span, then the print preview."""
        person_id = self.table.current_id()
        if person_id is None:
            self.ctx.notify(self, "请先在列表中选中一名人员，再打印一人一档")
            return
        from silverdesk.ui.people.profile import open_profile

        open_profile(self.ctx, person_id, self)

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

    def _fill_lists(self) -> None:
        """The pick lists; 服务队 and 党组织 come from a worker (phone-book order costs a moment on the
        first start), each keeping what was chosen."""
        services = self.ctx.services
        self.talent.set_lookups(services.lookups.items("talent_category"))
        self.role.set_lookups(services.lookups.items("community_role"))
        self.community.set_units(services.units.tree(), kinds=("社区", "村"))

        def work(_progress: Progress, _cancel: CancelToken) -> dict[str, list[tuple[int, str, str]]]:
            return services.people.filter_choices()

        def done(choices: dict[str, list[tuple[int, str, str]]]) -> None:
            for combo, key in ((self.team, "teams"), (self.party_org, "party_orgs")):
                chosen = combo.value()
                combo.blockSignals(True)
                combo.set_items(choices[key])
                combo.set_value(chosen)
                combo.blockSignals(False)

        self.ctx.runner.run(work, done)

    def _lists_changed(self, entity: str) -> None:
        if entity not in ("team", "party_org", "lookup", "unit"):
            return
        combos = (self.talent, self.role, self.team, self.community, self.party_org)
        chosen = [c.value() for c in combos]
        for combo in combos:
            combo.blockSignals(True)
        self._fill_lists()
        for combo, value in zip(combos, chosen, strict=True):
            combo.set_value(value)
            combo.blockSignals(False)

    def _edit_current(self) -> None:
        record_id = self.table.current_id()
        if record_id is not None:
            self.open_record(record_id)
