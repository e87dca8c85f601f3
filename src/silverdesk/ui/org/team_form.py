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
        unit.set_units(services.units.tree())
        e["unit_id"] = f.add("unit_id", "所属单位", unit)
        org = IdCombo(blank="（无）")
        org.set_items([(int(o["id"]), str(o["name"]), "") for o in services.party_orgs.list()])
        e["party_org_id"] = f.add("party_org_id", "所属党组织", org)
        e["founded_on"] = f.add("founded_on", "成立时间", line("如 2019-06-01"))
        status = ChoiceCombo(enums.TEAM_STATUSES, blank=None)
        e["status"] = f.add("status", "状态", status, tip="撤销的服务队保留历史活动，不再出现在登记提示中")
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
        self.finish_layout("队员（队长只能一名）")
        if team_id is not None:
            data = services.teams.detail(team_id)
            self.fill(data)
            self.members.set_members(data["members"])  # type: ignore[arg-type]
            chosen = set(data["categories"])  # type: ignore[call-overload]
            for i in range(self.categories.count() - 1, -1, -1):  # the chosen ones move to the top, in view
                if self.categories.item(i).data(QtCore.Qt.ItemDataRole.UserRole) in chosen:
                    item = self.categories.takeItem(i)
                    item.setCheckState(QtCore.Qt.CheckState.Checked)
                    self.categories.insertItem(0, item)

    def values(self) -> dict[str, Any]:
        raw = super().values()
        raw["categories"] = [
            self.categories.item(i).data(QtCore.Qt.ItemDataRole.UserRole)
            for i in range(self.categories.count())
            if self.categories.item(i).checkState() == QtCore.Qt.CheckState.Checked
        ]
        return raw
