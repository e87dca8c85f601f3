"""The activity log list: ``ActivityRow``s of ``ActivityService`` by id."""

from __future__ import annotations

from PySide6 import QtCore

from silverdesk.services.activities.log import ActivityService
from silverdesk.ui.models.columns import Column
from silverdesk.ui.models.id_table import IdTableModel

ACTIVITY_COLUMNS = (
    Column("occurred_on", "活动日期", 9, sort="occurred_on"),
    Column("title", "活动名称", 14, sort="title"),
    Column("unit", "组织单位", 7, sort="unit"),
    Column("category", "服务领域", 7, sort="category"),
    Column("teams", "服务队", 14),
    Column("sessions", "场次", 4, sort="sessions", numeric=True),
    Column("participants", "参与人次", 5, sort="participants", numeric=True),
    Column("hours", "服务时长", 5, sort="hours", numeric=True),
    Column("beneficiaries", "受益人次", 5, sort="beneficiaries", numeric=True),
    Column("theme", "月度主题", 8, hidden=True),
    Column("place", "阵地", 8, hidden=True),
)


class ActivityTableModel(IdTableModel):
    def __init__(self, activities: ActivityService, parent: QtCore.QObject | None = None) -> None:
        super().__init__(
            ACTIVITY_COLUMNS,
            activities.rows_by_ids,
            default_sort="occurred_on",
            default_descending=True,
            parent=parent,
        )
