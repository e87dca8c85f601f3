"""党组织: the retired cadres' party organisations."""

from __future__ import annotations

from PySide6 import QtWidgets

from silverdesk.ui.context import UiContext
from silverdesk.ui.models.columns import Column
from silverdesk.ui.org.group_screen import GroupScreen

ORG_COLUMNS = (
    Column("name", "党组织名称", 20),
    Column("org_type", "类型", 5),
    Column("unit", "所属单位", 9),
    Column("secretary", "书记", 5, person_name=True),
    Column("members", "党员数", 4, numeric=True),
    Column("agreements", "共建协议", 4, numeric=True),
    Column("founded_on", "成立时间", 8),
    Column("status", "状态", 4),
)


class PartyOrgsView(GroupScreen):
    entity = "party_org"
    noun = "党组织"
    sum_labels = (("members", "党员数"), ("agreements", "共建协议"))

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            ctx,
            ORG_COLUMNS,
            lambda: ctx.services.party_orgs.list(include_dissolved=self.include_closed.isChecked()),
            parent,
        )

    def open_record(self, record_id: int) -> None:
        from silverdesk.ui.org.party_org_form import PartyOrgDialog

        PartyOrgDialog(self.ctx, record_id, self).exec()

    def new_record(self) -> None:
        from silverdesk.ui.org.party_org_form import PartyOrgDialog

        dialog = PartyOrgDialog(self.ctx, None, self)
        dialog.saved.connect(lambda oid: self.reload(oid))
        dialog.exec()
