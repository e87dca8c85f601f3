"""The volunteer team form: name, brand, unit, party org, service fields, members with roles."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtWidgets

from silverdesk.domain import enums
from silverdesk.ui.context import UiContext
from silverdesk.ui.org.group_form import GroupDialog, line
from silverdesk.ui.widgets.members import MembersEditor
from silverdesk.ui.widgets.pickers import ChoiceCombo, IdCombo, UnitCombo


class TeamDialog(GroupDialog):
    noun = "服务队"

    def __init__(
        self, ctx: UiContext, team_id: int | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(ctx, ctx.services.teams, team_id, parent)
        services = ctx.services
        f, e = self.form, self.edits
        e["name"] = f.add("name", "服务队名称", line("如 光明社区理论宣讲志愿服务队"), required=True)
        e["brand"] = f.add("brand", "品牌", line("如 榴花红"), tip="志愿服务品牌名称，可不填")
        unit = UnitCombo(blank="（未选择）")
        unit.set_units(services.units.tree(include_inactive=True))
        e["unit_id"] = f.add("unit_id", "所属单位", unit)
        org = IdCombo(blank="（无）")
        org.set_items([(int(o["id"]), str(o["name"]), "") for o in services.party_orgs.list()])
        e["party_org_id"] = f.add("party_org_id", "所属党组织", org)
        e["founded_on"] = f.add("founded_on", "成立时间", line("如 2019-06-01"))
        status = ChoiceCombo(enums.TEAM_STATUSES, blank=None)
        e["status"] = f.add("status", "状态", status, tip="撤销的服务队保留历史活动，不再出现在登记提示中")
        e["dissolved_on"] = f.add(
            "dissolved_on",
            "撤销时间",
            line("状态改为撤销时不填即为当天"),
            tip="撤销当天起不再计入服务队数；以往各期报表照旧计入",
        )
        status.currentTextChanged.connect(self._status_changed)
        self._status_changed(status.currentText())
        self.categories = QtWidgets.QListWidget()
        self.categories.setToolTip("服务领域，可多选（空格键勾选）")
        for item in services.lookups.items("activity_category"):
            entry = QtWidgets.QListWidgetItem(item.name)
            entry.setData(QtCore.Qt.ItemDataRole.UserRole, item.id)
            entry.setFlags(entry.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(QtCore.Qt.CheckState.Unchecked)
            self.categories.addItem(entry)
        self.categories.setMaximumHeight(self.fontMetrics().height() * 7)
        f.add("categories", "服务领域", self.categories)
        notes = QtWidgets.QPlainTextEdit()
        notes.setTabChangesFocus(True)
        notes.setMaximumHeight(self.fontMetrics().height() * 3 + 16)
        e["notes"] = f.add("notes", "备注", notes)
        self.members = MembersEditor(services.people, enums.TEAM_ROLES, "队员")
        self.members.table.setToolTip("选中成员后按 Delete 移出：记为今天离队，以往各期报表照旧计入")
        self.past_members = QtWidgets.QLabel()
        self.past_members.setWordWrap(True)
        self.past_members.setVisible(False)
        self.extra.addWidget(self.past_members)
        self.finish_layout("现有队员（队长只能一名）")
        if team_id is not None:
            data = services.teams.detail(team_id)
            self.fill(data)
            self.members.set_members(data["members"])  # type: ignore[arg-type]
            past = int(data.get("past_members") or 0)
            if past:
                self.past_members.setText(f"另有已离队或调整角色的记录 {past} 条，保留在以往各期的统计中")
                self.past_members.setVisible(True)
            chosen = set(data["categories"])  # type: ignore[call-overload]
            for i in range(self.categories.count() - 1, -1, -1):  # the chosen ones move to the top, in view
                if self.categories.item(i).data(QtCore.Qt.ItemDataRole.UserRole) in chosen:
                    item = self.categories.takeItem(i)
                    item.setCheckState(QtCore.Qt.CheckState.Checked)
                    self.categories.insertItem(0, item)

    def _status_changed(self, status: str) -> None:
        """撤销时间 only means something for a team being or already 撤销."""
        self.edits["dissolved_on"].setEnabled(status == "撤销")

    def values(self) -> dict[str, Any]:
        raw = super().values()
        raw["categories"] = [
            self.categories.item(i).data(QtCore.Qt.ItemDataRole.UserRole)
            for i in range(self.categories.count())
            if self.categories.item(i).checkState() == QtCore.Qt.CheckState.Checked
        ]
        return raw
