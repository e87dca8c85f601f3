"""The roster list: ``PersonRow``s of ``PeopleService`` by id."""

from __future__ import annotations

from PySide6 import QtCore

from silverdesk.services.people.roster import PeopleService
from silverdesk.ui.models.columns import Column, mask_id_number
from silverdesk.ui.models.id_table import IdTableModel

PEOPLE_COLUMNS = (
    Column("name", "姓名", 7, sort="name"),
    Column("gender", "性别", 3, sort="gender"),
    Column("birth_date", "出生日期", 7, sort="birth_date"),
    Column("id_number", "身份证号", 11, sort="id_number", fmt=mask_id_number),
    Column("phone", "联系电话", 8, sort="phone"),
    Column("political_status", "政治面貌", 5, sort="political_status"),
    Column("retirement_type", "离休/退休", 5, sort="retirement_type"),
    Column("former_employer", "原工作单位", 9, sort="former_employer"),
    Column("unit", "所属单位", 7),
    Column("community", "居住社区", 7),
    Column("status", "状态", 4, sort="status"),
)


class PeopleTableModel(IdTableModel):
    def __init__(self, people: PeopleService, parent: QtCore.QObject | None = None) -> None:
        super().__init__(PEOPLE_COLUMNS, people.rows_by_ids, default_sort="name", parent=parent)
