"""What the clerk sees in name order: the roster, its export, the teams and party organisations."""

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from silverdesk.ui.org.party_orgs import PartyOrgsView
from silverdesk.ui.org.teams import TeamsView
from silverdesk.ui.people.screen import PeopleView

ROSTER = [
    "曹宝山",
    "程爱民",
    "崔爱民",
    "单田芳",
    "曾国藩",
    "张三",
    "章三",
]  # 单 shàn, 曾 zēng: surname readings


def _column(model, key):
    column = next(i for i, c in enumerate(model.columns) if c.key == key)
    return column, [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_the_roster_and_its_export_in_phone_book_order(qtbot, ui_ctx, tmp_path):
    for name in reversed(ROSTER):
        ui_ctx.services.people.create({"name": name})
    view = PeopleView(ui_ctx)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == len(ROSTER), timeout=5000)
    assert _column(view.model, "name")[1] == ROSTER
    ui_ctx.ask_save_path = lambda *_args: str(tmp_path / "名单.xlsx")
    view.export()
    qtbot.waitUntil(lambda: (tmp_path / "名单.xlsx").exists(), timeout=5000)
    book = load_workbook(tmp_path / "名单.xlsx", read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert [r[0] for r in rows[1:]] == ROSTER
    column = _column(view.model, "name")[0]
    view.table.horizontalHeader().setSortIndicator(column, Qt.SortOrder.DescendingOrder)  # a header click
    qtbot.waitUntil(lambda: _column(view.model, "name")[1] == ROSTER[::-1], timeout=5000)


def test_teams_and_party_orgs_sort_by_pinyin_on_screen(qtbot, ui_ctx, county):
    services = ui_ctx.services
    secretaries = {n: services.people.create({"name": n}) for n in ("张三", "曾国藩", "程爱民")}
    teams = ["阿姨帮帮团", "服务队3", "服务队12", "夕阳红服务队"]
    for name in reversed(teams):
        services.teams.create({"name": name, "unit_id": county["street"]})
    orgs = {
        "白马社区离退休党支部": "张三",
        "城关街道老干部党支部": "曾国藩",
        "中共青山县离退休干部第二支部": "程爱民",
    }
    for name, secretary in orgs.items():
        services.party_orgs.create(
            {"name": name, "org_type": "党支部", "members": [(secretaries[secretary], "书记")]}
        )
    view = TeamsView(ui_ctx)
    qtbot.addWidget(view)
    assert _column(view.model, "name")[1] == teams
    column = _column(view.model, "name")[0]
    view.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    assert _column(view.model, "name")[1] == teams[::-1]
    view.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    assert _column(view.model, "name")[1] == teams
    orgs_view = PartyOrgsView(ui_ctx)
    qtbot.addWidget(orgs_view)
    assert _column(orgs_view.model, "name")[1] == list(orgs)
    column = _column(orgs_view.model, "secretary")[0]
    orgs_view.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    assert _column(orgs_view.model, "secretary")[1] == [
        "程爱民",
        "曾国藩",
        "张三",
    ]  # 曾 zēng: between cheng and zhang
