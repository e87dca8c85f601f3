"""队伍: the volunteer teams."""

from __future__ import annotations

from PySide6 import QtWidgets

from silverdesk.ui.context import UiContext
from silverdesk.ui.models.columns import Column
from silverdesk.ui.org.group_screen import GroupScreen

TEAM_COLUMNS = (
    Column("name", "服务队名称", 20),
    Column("brand", "品牌", 8),
    Column("unit", "所属单位", 9),
    Column("members", "队员数", 4, numeric=True),
    Column("star_level", "星级", 3, numeric=True),
    Column("founded_on", "成立时间", 8),
    Column("status", "状态", 4),
)


class TeamsView(GroupScreen):
    entity = "team"
    noun = "服务队"
    sum_labels = (("members", "队员数"),)

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            ctx,
            TEAM_COLUMNS,
            lambda: ctx.services.teams.list(include_retired=self.include_closed.isChecked()),
            parent,
        )

    def open_record(self, record_id: int) -> None:
        from silverdesk.ui.org.team_form import TeamDialog

        TeamDialog(self.ctx, record_id, self).exec()

    def new_record(self) -> None:
        from silverdesk.ui.org.team_form import TeamDialog

        dialog = TeamDialog(self.ctx, None, self)
        dialog.saved.connect(lambda tid: self.reload(tid))
        dialog.exec()
