import datetime as dt

from PySide6.QtCore import Qt

from silverdesk.services.activities.log import ActivityFilter
from silverdesk.services.people.roster import PersonFilter
from silverdesk.ui.activities.model import ActivityTableModel
from silverdesk.ui.models import id_table
from silverdesk.ui.models.record_table import RecordTableModel
from silverdesk.ui.org.teams import TEAM_COLUMNS
from silverdesk.ui.people.model import PEOPLE_COLUMNS, PeopleTableModel


def _people(services, n=25):
    return [
        services.people.create(
            {"name": f"张建{'国华军民'[i % 4]}{chr(0x4E00 + i)}", "phone": f"1380000{i:04d}"}
        )
        for i in range(n)
    ]


def test_people_model_passes_the_model_test_and_pages_rows(qtmodeltester, services, monkeypatch):
    monkeypatch.setattr(id_table, "PAGE", 10)
    ids = _people(services)
    model = PeopleTableModel(services.people)
    model.set_ids(services.people.search_ids(PersonFilter()))
    qtmodeltester.check(model)
    assert model.rowCount() == len(ids) and model.columnCount() == len(PEOPLE_COLUMNS)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "姓名"
    first = model.index(0, 0)
    assert model.data(first).startswith("张建") and model.data(first, id_table.IdRole) in ids
    assert len(model._pages) <= 3  # only the pages looked at were fetched


def test_people_model_sorts_through_the_service(qtbot, services):
    _people(services, 5)
    model = PeopleTableModel(services.people)
    asked = []
    model.sortRequested.connect(lambda: asked.append((model.sort_key, model.descending)))
    model.sort(2, Qt.SortOrder.DescendingOrder)  # 出生日期
    model.sort(8, Qt.SortOrder.AscendingOrder)  # 所属单位 has no SQL sort: ignored
    assert asked == [("birth_date", True)]


def test_activity_model_passes_the_model_test(qtmodeltester, services):
    for i in range(12):
        services.activities.create(
            {"occurred_on": dt.date(2026, 11, 1 + i), "title": f"活动{i}", "hours": 1.5}
        )
    model = ActivityTableModel(services.activities)
    model.set_ids(services.activities.search_ids(ActivityFilter()))
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) == "2026-11-12"
    assert model.data(model.index(0, 7)) == "1.5"
    assert model.data(model.index(0, 7), Qt.ItemDataRole.TextAlignmentRole) & int(
        Qt.AlignmentFlag.AlignRight.value
    )


def test_record_model_passes_the_model_test_and_sorts_in_memory(qtmodeltester):
    model = RecordTableModel(TEAM_COLUMNS)
    model.set_rows(
        [
            {"id": 1, "name": "乙队", "members": 3, "founded_on": None},
            {"id": 2, "name": "甲队", "members": 12, "founded_on": dt.date(2020, 1, 1)},
        ]
    )
    qtmodeltester.check(model)
    model.sort(3, Qt.SortOrder.DescendingOrder)
    assert [model.id_at(r) for r in range(2)] == [2, 1]
    model.sort(5, Qt.SortOrder.AscendingOrder)  # blanks last
    assert [model.id_at(r) for r in range(2)] == [2, 1]
    assert model.row_of(1) == 1


def test_lists_start_in_the_order_their_header_shows(qtbot, ui_ctx):
    from silverdesk.ui.org.teams import TeamsView

    for name in ("乙队", "甲队", "丙队"):
        ui_ctx.services.teams.create({"name": name})
    view = TeamsView(ui_ctx)
    qtbot.addWidget(view)
    header = view.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (0, Qt.SortOrder.AscendingOrder)
    names = [view.model.record(r)["name"] for r in range(3)]
    assert names == ["丙队", "甲队", "乙队"]  # bǐng, jiǎ, yǐ: by pinyin, as the header says
