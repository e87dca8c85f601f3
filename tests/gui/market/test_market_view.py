"""资源与需求 (银龄超市, issue #6): cards, matching, the order flow through the buttons, certificates."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader
from PySide6 import QtCore

from silverdesk.services.market.orders import OrderFilter
from silverdesk.ui.market.certificates import CertificatesDialog
from silverdesk.ui.market.order_dialogs import NewOrderDialog, StepDialog
from silverdesk.ui.market.screen import ORDERS, MarketView

LEFT = QtCore.Qt.MouseButton.LeftButton
WAIT = 10000  # ms: the lists and matches come from the task runner; generous on a shared machine


def cat(services, name: str) -> int:
    return next(i.id for i in services.lookups.items("resource_category") if i.name == name)


@pytest.fixture
def market(services, county):
    """A 健康义诊 demand of 光明社区, the obvious resource for it, and distractors."""
    clinic, law = cat(services, "健康义诊"), cat(services, "法律咨询")
    r, d = services.resources.create, services.demands.create
    near = r(
        {
            "title": "社区义诊",
            "category_id": clinic,
            "area_unit_id": county["community"],
            "provider_text": "县医院退休医生组",
        }
    )
    far = r({"title": "下乡义诊", "category_id": clinic, "area_unit_id": county["town"]})
    lawyer = r({"title": "法律咨询服务", "category_id": law, "area_unit_id": county["community"]})
    team = services.teams.create({"name": "光明社区健康义诊志愿服务队", "unit_id": county["community"]})
    demand = d(
        {
            "title": "老年人健康义诊",
            "category_id": clinic,
            "requester_unit_id": county["community"],
            "wanted_by": "2026-12-31",
            "urgency": "较急",
        }
    )
    law_demand = d(
        {
            "title": "法律咨询进社区",
            "category_id": law,
            "requester_unit_id": county["town"],
            "wanted_by": "2026-10-01",
        }
    )
    return {
        "near": near,
        "far": far,
        "lawyer": lawyer,
        "team": team,
        "demand": demand,
        "law_demand": law_demand,
        **county,
    }


@pytest.fixture
def view(qtbot, ui_ctx, market):
    """The screen once it shows the open demands and the open orders (none yet)."""
    v = MarketView(ui_ctx)
    qtbot.addWidget(v)
    v.resize(1280, 760)
    v.show()
    qtbot.waitUntil(lambda: len(titles(v)) == 2 and v.orders.count_label.text() == "共 0 张", timeout=WAIT)
    return v


def titles(view) -> list[str]:
    return [c.row.title for c in view.shelf.visible_cards()]


def shown_order(qtbot, orders, order_id: int, status: str | None = None) -> None:
    """Wait until 订单 shows ``order_id`` selected (at ``status``): its row, its details, its buttons."""

    def shown() -> bool:
        current = orders.current
        return (
            orders.table.current_id() == order_id
            and current is not None
            and current.id == order_id
            and status in (None, current.status)
        )

    qtbot.waitUntil(shown, timeout=WAIT)


def test_cards_show_open_demands_with_flags_and_filters_hide_the_rest(
    qtbot, view, market, services, type_text
):
    assert set(titles(view)) == {"老年人健康义诊", "法律咨询进社区"}
    card = view.shelf.card_for(market["law_demand"])
    assert card.flags == ["逾期"]  # wanted by 2026-10-01, today is 2026-11-20
    assert view.shelf.card_for(market["demand"]).flags == ["较急"]
    assert "需求方：龙山镇" in [lbl.text() for lbl in card.findChildren(type(card.title_label))]

    type_text(view.shelf.search, "义诊")
    qtbot.waitUntil(lambda: titles(view) == ["老年人健康义诊"], timeout=WAIT)
    view.shelf.search.clear()
    qtbot.waitUntil(lambda: len(titles(view)) == 2, timeout=WAIT)
    view.shelf.area.set_value(market["town"])  # requester within 龙山镇
    qtbot.waitUntil(lambda: titles(view) == ["法律咨询进社区"], timeout=WAIT)
    view.shelf.area.set_value(None)
    view.shelf.urgency.set_value("较急")
    qtbot.waitUntil(lambda: titles(view) == ["老年人健康义诊"], timeout=WAIT)
    view.shelf.urgency.set_value(None)
    view.shelf.category.set_value(cat(services, "法律咨询"))
    qtbot.waitUntil(lambda: titles(view) == ["法律咨询进社区"], timeout=WAIT)

    view.shelf.category.set_value(None)
    view.shelf.set_kind("resource")  # the resource shelf: 可用 ones
    qtbot.waitUntil(lambda: set(titles(view)) == {"社区义诊", "下乡义诊", "法律咨询服务"}, timeout=WAIT)
    view.shelf.category.set_value(cat(services, "健康义诊"))
    view.shelf.area.set_value(market["town"])
    qtbot.waitUntil(lambda: titles(view) == ["下乡义诊"], timeout=WAIT)


def test_a_resource_card_lists_the_demands_it_could_serve(qtbot, view, market):
    view.shelf.set_kind("resource")
    qtbot.waitUntil(lambda: "社区义诊" in titles(view), timeout=WAIT)
    card = view.shelf.card_for(market["near"])
    qtbot.mouseClick(card, LEFT)
    qtbot.mouseClick(view.shelf.match_button, LEFT)
    qtbot.waitUntil(lambda: view.shelf.hits.count() == 1, timeout=WAIT)
    assert "老年人健康义诊" in view.shelf.hits.item(0).text()
    assert "理由：同属‘健康义诊’小项" in view.shelf.hits.item(0).text()


def test_match_order_and_the_whole_flow_through_the_buttons(qtbot, view, market, services, driver):
    card = view.shelf.card_for(market["demand"])
    qtbot.mouseClick(card, LEFT)
    assert view.shelf.detail_title.text() == "老年人健康义诊"
    qtbot.keyClick(card, QtCore.Qt.Key.Key_Return)  # Enter on a card = 匹配推荐
    qtbot.waitUntil(lambda: view.shelf.hits.count() > 0, timeout=WAIT)
    first = view.shelf.hits.item(0).text()
    assert first.startswith("1.［资源］社区义诊")
    assert "匹配得分 70　理由：同属‘健康义诊’小项；同在光明社区" in first
    assert view.shelf.suggestions[0].resource_id == market["near"]

    def due(dialog):
        assert isinstance(dialog, NewOrderDialog)
        dialog.due.set_value(dt.date(2026, 12, 20))

    driver.fill = due
    qtbot.mouseClick(view.shelf.order_button, LEFT)
    assert view.tabs.currentIndex() == ORDERS
    orders = view.orders
    order_id = services.orders.search_ids(OrderFilter())[0]
    shown_order(qtbot, orders, order_id, "发布")
    row = orders.current
    assert row.title == "老年人健康义诊" and orders.header.text().endswith("老年人健康义诊")
    assert row.provider == "县医院退休医生组" and row.due_on == dt.date(2026, 12, 20)
    assert "已发布订单" in view.ctx.notices[-1]
    enabled = {s for s, b in orders.step_buttons.items() if b.isEnabled()}
    assert enabled == {"认领", "撤销"}  # 签约, 实施, 完成, 评价 are not offered yet

    def status_cell() -> str:
        return orders.model.index(orders.table.currentIndex().row(), 2).data()

    def claim(dialog):
        dialog.note.setPlainText("按推荐认领")

    driver.fill = claim  # the resource names no team: the dialog asks for one
    qtbot.mouseClick(orders.step_buttons["认领"], LEFT)
    assert driver.seen[-1].message.text() == "请从列表中选择认领的服务队"
    assert status_cell() == "发布"

    def claim_by_team(dialog):
        dialog.claimer.team.set_value(market["team"])
        dialog.note.setPlainText("按推荐认领")

    driver.fill = claim_by_team
    qtbot.mouseClick(orders.step_buttons["认领"], LEFT)
    shown_order(qtbot, orders, order_id, "认领")
    assert status_cell() == "认领"
    assert orders.current.provider == "光明社区健康义诊志愿服务队"
    assert services.demands.get(market["demand"])["status"] == "已对接"
    for step in ("签约", "实施", "完成"):
        driver.fill = lambda dialog: None
        qtbot.mouseClick(orders.step_buttons[step], LEFT)
        shown_order(qtbot, orders, order_id, step)  # 完成 leaves 未完成: the list widens to keep it in view
        assert status_cell() == step
    assert {s for s, b in orders.step_buttons.items() if b.isEnabled()} == {"评价"}

    def score(dialog):
        dialog.score.setValue(4)
        dialog.note.setPlainText("服务周到")

    driver.fill = score
    qtbot.mouseClick(orders.step_buttons["评价"], LEFT)
    shown_order(qtbot, orders, order_id, "评价")
    assert status_cell() == "评价"
    assert not any(b.isEnabled() for b in orders.step_buttons.values())
    history = [orders.events.topLevelItem(i).text(1) for i in range(orders.events.topLevelItemCount())]
    assert history == ["发布", "认领", "签约", "实施", "完成", "评价"]
    assert orders.events.topLevelItem(1).text(3) == "按推荐认领"
    assert orders.events.topLevelItem(1).text(2) == "测试员"
    assert "评价 ★★★★（4分）" in orders.facts.text()
    assert services.orders.get(row.id)["evaluation"] == "服务周到"


def test_a_step_no_longer_allowed_is_refused_with_the_services_message(qtbot, view, market, services, driver):
    order_id = services.orders.create(market["demand"], team_id=market["team"])
    view.orders.show_order(order_id)
    shown_order(qtbot, view.orders, order_id)
    assert view.orders.step_buttons["认领"].isEnabled()
    services.orders.cancel(order_id, "需求方已另行安排")  # another window, a moment ago
    qtbot.mouseClick(view.orders.step_buttons["认领"], LEFT)
    dialog = driver.seen[-1]
    assert isinstance(dialog, StepDialog) and dialog.result() == 0
    assert "已撤销，流程已结束，不能再改为“认领”" in dialog.message.text()
    assert view.orders.current.status == "撤销"  # the screen caught up
    assert not view.orders.step_buttons["认领"].isEnabled()


def test_cancel_needs_a_reason(qtbot, view, market, services, driver):
    order_id = services.orders.create(market["demand"], team_id=market["team"])
    services.orders.claim(order_id)
    view.orders.show_order(order_id)
    shown_order(qtbot, view.orders, order_id)
    driver.fill = lambda dialog: dialog.note.setPlainText("   ")
    qtbot.mouseClick(view.orders.step_buttons["撤销"], LEFT)
    dialog = driver.seen[-1]
    assert dialog.result() == 0 and dialog.message.text() == "请填写撤销原因"
    assert services.orders.get(order_id)["status"] == "认领"

    driver.fill = lambda dialog: dialog.note.setPlainText("社区活动取消")
    qtbot.mouseClick(view.orders.step_buttons["撤销"], LEFT)
    assert services.orders.get(order_id)["status"] == "撤销"
    shown_order(qtbot, view.orders, order_id, "撤销")
    assert (
        view.orders.events.topLevelItem(view.orders.events.topLevelItemCount() - 1).text(3) == "社区活动取消"
    )
    assert services.demands.get(market["demand"])["status"] == "待对接"  # back on the shelf


def test_manual_order_and_linked_activity_totals(qtbot, view, market, services, county, driver):
    act = services.lookups.resolve("activity_category", "健康义诊").id
    activity = services.activities.create(
        {
            "occurred_on": "2026-11-10",
            "title": "光明社区义诊活动",
            "unit_id": county["community"],
            "category_id": act,
            "sessions": 2,
            "participants": 8,
            "hours": 24,
            "beneficiaries": 150,
        }
    )
    qtbot.mouseClick(view.shelf.card_for(market["demand"]), LEFT)

    def hand(dialog):
        dialog.claimer.set_kind("服务队")
        dialog.claimer.team.set_value(market["team"])

    driver.fill = hand
    qtbot.mouseClick(view.shelf.manual_button, LEFT)
    orders = view.orders
    shown_order(qtbot, orders, services.orders.search_ids(OrderFilter())[0])
    assert orders.current.provider == "光明社区健康义诊志愿服务队"

    def pick(dialog):
        dialog.query.setText("光明社区义诊")
        dialog.find()

    driver.fill = pick
    qtbot.mouseClick(orders.link_button, LEFT)
    assert services.orders.activity_ids(orders.current.id) == [activity]
    qtbot.waitUntil(lambda: "2 场次" in orders.totals.text(), timeout=WAIT)
    assert "服务 24 小时" in orders.totals.text()
    assert orders.activities.topLevelItem(0).text(1) == "光明社区义诊活动"
    qtbot.mouseClick(orders.unlink_button, LEFT)
    assert services.orders.activity_ids(orders.current.id) == []
    qtbot.waitUntil(lambda: orders.activities.topLevelItemCount() == 0, timeout=WAIT)
    assert "关联活动 0 项" in orders.totals.text()


def test_status_filter_shows_overdue_orders(qtbot, view, market, services):
    late = services.orders.create(
        market["demand"],
        published_on=dt.date(2026, 9, 1),
        due_on=dt.date(2026, 10, 1),
        team_id=market["team"],
    )
    services.orders.create(title="按时的订单", team_id=market["team"])
    view.orders.status.setCurrentIndex(view.orders.status.findText("逾期"))
    qtbot.waitUntil(lambda: view.orders.model.ids() == [late], timeout=WAIT)
    assert view.orders.model.index(0, 3).data() == "逾期"


def test_resource_form_adds_to_the_list_and_the_shelf(qtbot, view, market, services, driver):
    def fill(dialog):
        dialog.edits["title"].setText("书法培训")
        dialog.edits["available_to"].setText("2027-06-30")

    driver.fill = fill
    driver_dialogs = driver.seen
    view.tabs.setCurrentIndex(2)
    view.resource_list.edit(None)
    dialog = driver_dialogs[-1]
    assert dialog.result() == 1, (dialog.message.text(), {k: dialog.form.error_text(k) for k in dialog.edits})
    assert view.tabs.tabText(2) == "资源清单（4）"
    view.tabs.setCurrentIndex(0)
    view.shelf.set_kind("resource")
    qtbot.waitUntil(lambda: "书法培训" in titles(view), timeout=WAIT)


def test_certificate_dialog_writes_a_pdf_with_the_persons_name(qtbot, ui_ctx, services, county, tmp_path):
    services.settings.update({"bureau_name": "中共青山县委老干部局"})
    person = services.people.create({"name": "王𠮷英", "community_id": county["community"]})
    services.activities.create(
        {
            "occurred_on": "2026-06-01",
            "title": "健康讲座",
            "unit_id": county["community"],
            "participants": 1,
            "hours": 3,
            "participant_ids": [person],
        }
    )
    dialog = CertificatesDialog(ui_ctx)
    qtbot.addWidget(dialog)
    opened = []
    dialog.opener = opened.append
    qtbot.mouseClick(dialog.service_button, LEFT)
    assert "请先在“人员”框输入姓名" in dialog.message.text()
    dialog.choose_person(person, "王𠮷英")
    assert "积分余额 0 分" in dialog.person_label.text()
    target = tmp_path / "证明.pdf"
    ui_ctx.ask_save_path = lambda *_: str(target)
    qtbot.mouseClick(dialog.service_button, LEFT)
    assert not dialog.service_button.isEnabled() and not dialog.honour_button.isEnabled()  # one at a time
    qtbot.waitUntil(lambda: dialog.status.text() == f"已保存：{target}", timeout=WAIT)
    assert dialog.service_button.isEnabled() and dialog.honour_button.isEnabled()
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "王𠮷英" in text and "健康讲座" in text
    qtbot.mouseClick(dialog.folder_button, LEFT)
    assert opened == [tmp_path]

    other = services.people.create({"name": "李四海", "community_id": county["community"]})
    dialog.tabs.setCurrentIndex(1)
    dialog.add_honoured(person, "王𠮷英")
    dialog.add_honoured(other, "李四海")
    dialog.add_honoured(other, "李四海")  # once only
    dialog.honour_title.setText("优秀志愿者")
    batch = tmp_path / "荣誉证书.pdf"
    ui_ctx.ask_save_path = lambda *_: str(batch)
    qtbot.mouseClick(dialog.honour_button, LEFT)
    qtbot.waitUntil(lambda: dialog.status.text() == f"已保存：{batch}", timeout=WAIT)
    pages = PdfReader(batch).pages
    assert len(pages) == 2
    assert "王𠮷英" in pages[0].extract_text() and "李四海" in pages[1].extract_text()


def test_a_long_shelf_is_paged_and_walked_with_the_arrow_keys(qtbot, ui_ctx, services, county, monkeypatch):
    from silverdesk.ui.market import shelf as market_shelf

    monkeypatch.setattr(market_shelf, "PAGE", 10)
    for n in range(25):
        services.demands.create({"title": f"需求{n:02d}", "requester_unit_id": county["community"]})
    v = MarketView(ui_ctx)
    qtbot.addWidget(v)
    v.resize(1280, 760)
    v.show()
    shelf = v.shelf
    qtbot.waitUntil(lambda: len(shelf.visible_cards()) == 10, timeout=WAIT)
    assert shelf.more_button.isVisible() and shelf.more_button.text() == "显示更多（还有 15 条）"
    qtbot.mouseClick(shelf.more_button, LEFT)
    qtbot.mouseClick(shelf.more_button, LEFT)  # clicked again before the page came: once is enough
    qtbot.waitUntil(lambda: len(shelf.visible_cards()) == 20, timeout=WAIT)
    assert shelf.more_button.text() == "显示更多（还有 5 条）"
    assert len({c.record_id for c in shelf.visible_cards()}) == 20
    qtbot.mouseClick(shelf.more_button, LEFT)
    qtbot.waitUntil(lambda: len(shelf.visible_cards()) == 25, timeout=WAIT)
    assert not shelf.more_button.isVisible() and shelf.count_label.text() == "共 25 条"

    first = shelf.visible_cards()[0]
    qtbot.mouseClick(first, LEFT)
    qtbot.keyClick(first, QtCore.Qt.Key.Key_Right)
    assert shelf.selected == ("demand", shelf.visible_cards()[1].record_id)
    columns = shelf._columns
    assert columns >= 2
    qtbot.keyClick(shelf.visible_cards()[1], QtCore.Qt.Key.Key_Down)
    assert shelf.selected == ("demand", shelf.visible_cards()[1 + columns].record_id)


def test_lists_and_orders_export_to_excel(qtbot, view, market, services, tmp_path):
    import openpyxl

    services.orders.create(market["demand"], team_id=market["team"])
    view.ctx.events.changed.emit("order")  # as every screen that writes an order does
    paths = iter([tmp_path / "资源", tmp_path / "需求.xlsx", tmp_path / "订单.xlsx"])
    view.ctx.ask_save_path = lambda *_: str(next(paths))
    view.resource_list.export()
    view.demand_list.export()
    view.tabs.setCurrentIndex(ORDERS)
    qtbot.waitUntil(lambda: view.orders.count_label.text() == "共 1 张", timeout=WAIT)
    view.orders.export()
    qtbot.waitUntil(lambda: len(view.ctx.notices) == 3, timeout=WAIT)  # 已导出 … 到 …, three times
    resources = openpyxl.load_workbook(tmp_path / "资源.xlsx").active
    assert resources["A1"].value == "资源名称" and resources.max_row == 4
    demands = openpyxl.load_workbook(tmp_path / "需求.xlsx").active
    assert {demands.cell(r, 1).value for r in range(2, demands.max_row + 1)} == {
        "老年人健康义诊",
        "法律咨询进社区",
    }
    orders = openpyxl.load_workbook(tmp_path / "订单.xlsx").active
    assert orders["B2"].value == "老年人健康义诊" and orders["D2"].value == "光明社区健康义诊志愿服务队"
    assert any("已导出 1 张订单" in n for n in view.ctx.notices)


def test_an_order_by_hand_without_a_demand_needs_a_title(qtbot, view, market, services, driver):
    view.tabs.setCurrentIndex(ORDERS)
    driver.fill = lambda dialog: None
    qtbot.mouseClick(view.orders.new_button, LEFT)
    assert driver.seen[-1].message.text() == "请填写订单名称，或选择一条需求"

    def fill(dialog):
        dialog.title_edit.setText("重阳节走访慰问")
        dialog.claimer.set_kind("服务队")
        dialog.claimer.team.set_value(market["team"])

    driver.fill = fill
    qtbot.mouseClick(view.orders.new_button, LEFT)
    shown_order(qtbot, view.orders, driver.seen[-1].result_id)
    assert view.orders.current.title == "重阳节走访慰问" and view.orders.current.demand == ""
    assert "需求：（手工订单）" in view.orders.facts.text()


def test_a_resource_card_shows_its_team_star_level(qtbot, view, market, services):
    services.resources.update(market["far"], {"team_id": market["team"]})
    services.stars.set_manual("team", market["team"], 2026, 3, "县级评定")
    view.ctx.events.changed.emit("resource")
    view.shelf.set_kind("resource")
    qtbot.waitUntil(lambda: "下乡义诊" in titles(view), timeout=WAIT)
    qtbot.mouseClick(view.shelf.card_for(market["far"]), LEFT)
    assert "服务队星级：2026年度★★★（三星级）" in view.shelf.detail.text()


def test_the_dashboards_lines_open_here(qtbot, view, market, services):
    """首页's 待办订单 and 尚未对接的需求 lines call show_record: the order is selected on 订单, the
    demand is chosen on the shelf with its suggestions listed."""
    order = services.orders.create(market["demand"], "健康义诊进社区")
    view.show_record("order", order)
    assert view.tabs.currentIndex() == ORDERS
    shown_order(qtbot, view.orders, order)
    view.show_record("demand", market["law_demand"])
    assert view.tabs.currentIndex() == 0 and view.shelf.selected == ("demand", market["law_demand"])
    assert view.shelf.detail_title.text() == "法律咨询进社区"
    qtbot.waitUntil(lambda: view.shelf.hits.count() > 0, timeout=WAIT)
    assert "法律咨询服务" in view.shelf.hits.item(0).text()


def test_a_demand_opened_from_the_dashboard_before_the_shelf_came_shows_its_card_facts(qtbot, ui_ctx, market):
    """首页 opens 资源与需求 for the first time: the demand is chosen before its card has arrived."""
    v = MarketView(ui_ctx)
    qtbot.addWidget(v)
    v.show()
    v.show_record("demand", market["law_demand"])
    qtbot.waitUntil(lambda: "需求方：龙山镇" in v.shelf.detail.text(), timeout=WAIT)
    assert v.shelf.detail_title.text() == "法律咨询进社区" and "逾期" in v.shelf.detail.text()
    qtbot.waitUntil(lambda: v.shelf.hits.count() > 0, timeout=WAIT)  # the suggestions stay
    assert "法律咨询服务" in v.shelf.hits.item(0).text()


def test_the_lists_find_by_name_category_and_status_and_export_what_they_show(qtbot, view, market, services,
                                                                              type_text, tmp_path):  # fmt: skip
    import openpyxl

    tab = view.resource_list
    view.tabs.setCurrentIndex(2)

    def shown() -> list[str]:
        return sorted(tab.model.record(r).title for r in range(tab.model.rowCount()))

    assert shown() == ["下乡义诊", "法律咨询服务", "社区义诊"]
    qtbot.keyClick(tab, QtCore.Qt.Key.Key_F, QtCore.Qt.KeyboardModifier.AltModifier)  # 查找(&F)
    assert tab.search.hasFocus()
    type_text(tab.search, "义诊")
    qtbot.waitUntil(lambda: shown() == ["下乡义诊", "社区义诊"], timeout=2000)
    assert "找到 2 条（共 3 条）" in tab.count_label.text()
    assert view.tabs.tabText(2) == "资源清单（3）"  # the tab counts them all
    services.resources.update(market["far"], {"status": "暂停"})
    view.ctx.events.changed.emit("resource")
    tab.status.set_value("可用")
    assert shown() == ["社区义诊"]
    view.ctx.ask_save_path = lambda *_: str(tmp_path / "可用的义诊.xlsx")
    tab.export()
    qtbot.waitUntil(lambda: any("可用的义诊.xlsx" in n for n in view.ctx.notices), timeout=WAIT)
    sheet = openpyxl.load_workbook(tmp_path / "可用的义诊.xlsx").active
    assert [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)] == ["社区义诊"]
    tab.search.clear()
    tab.status.set_value(None)
    tab.category.set_value(cat(services, "法律咨询"))
    assert shown() == ["法律咨询服务"]

    demands = view.demand_list
    view.tabs.setCurrentIndex(3)
    demands.urgency.set_value("较急")
    assert [demands.model.record(r).title for r in range(demands.model.rowCount())] == ["老年人健康义诊"]
    demands.urgency.set_value(None)
    assert demands.model.rowCount() == 2 and "共 2 条" in demands.count_label.text()


def test_signing_an_order_whose_agreed_date_has_passed_proposes_a_new_one(
    qtbot, view, market, services, driver
):
    today = services.ctx.today()
    order_id = services.orders.create(market["demand"], team_id=market["team"],
                                      published_on=today - dt.timedelta(days=60),
                                      due_on=today - dt.timedelta(days=10))  # fmt: skip
    services.orders.claim(order_id, today - dt.timedelta(days=50))
    view.orders.show_order(order_id)
    shown_order(qtbot, view.orders, order_id, "认领")
    qtbot.mouseClick(view.orders.step_buttons["签约"], LEFT)
    dialog = driver.seen[-1]
    assert dialog.result() == 1, (
        dialog.message.text()
    )  # OK as it was offered: no refusal for a date in the past
    order = services.orders.get(order_id)
    assert order["status"] == "签约" and order["due_on"] == today + dt.timedelta(days=30)


def test_a_step_done_by_mistake_is_withdrawn_with_a_reason(qtbot, view, market, services, driver):
    from silverdesk.ui.market.order_dialogs import WithdrawDialog

    order_id = services.orders.create(market["demand"], team_id=market["team"])
    view.orders.show_order(order_id)
    shown_order(qtbot, view.orders, order_id, "发布")
    assert not view.orders.withdraw_button.isEnabled()  # nothing to take back at 发布
    services.orders.claim(order_id)
    services.orders.sign(order_id)
    services.orders.start(order_id)
    view.ctx.events.changed.emit("order")
    view.orders.show_order(order_id)
    shown_order(qtbot, view.orders, order_id, "实施")
    driver.fill = lambda dialog: None
    qtbot.mouseClick(view.orders.step_buttons["完成"], LEFT)  # the wrong button …
    assert services.orders.get(order_id)["status"] == "完成"
    shown_order(qtbot, view.orders, order_id, "完成")
    assert view.orders.withdraw_button.isEnabled()
    qtbot.mouseClick(view.orders.withdraw_button, LEFT)
    dialog = driver.seen[-1]
    assert isinstance(dialog, WithdrawDialog) and dialog.result() == 0  # … a reason is needed to take it back
    assert dialog.message.text() == "请填写撤回原因" and "撤回到：实施" in dialog.intro.text()
    driver.fill = lambda dialog: dialog.note.setPlainText("误点了“完成”")
    qtbot.mouseClick(view.orders.withdraw_button, LEFT)
    assert driver.seen[-1].result() == 1
    assert services.orders.get(order_id)["status"] == "实施"
    shown_order(qtbot, view.orders, order_id, "实施")
    assert [
        view.orders.events.topLevelItem(i).text(1) for i in range(view.orders.events.topLevelItemCount())
    ] == ["发布", "认领", "签约", "实施"]
    assert any("已撤回到“实施”" in n for n in view.ctx.notices)
    assert view.orders.step_buttons["完成"].isEnabled()


def test_the_claim_dialogs_person_field_shows_its_whole_hint(qtbot, view, market, services, driver):
    order_id = services.orders.create(market["demand"])
    view.orders.show_order(order_id)
    shown_order(qtbot, view.orders, order_id, "发布")

    def who(dialog):
        dialog.claimer.set_kind("个人")
        dialog.show()
        search = dialog.claimer.person.search
        qtbot.waitUntil(search.isVisible)
        hint = search.fontMetrics().horizontalAdvance(search.placeholderText())
        seen.append(search.cursorRect().left() + hint <= search.width() - search.fontMetrics().height())

    seen: list[bool] = []
    driver.fill = who
    qtbot.mouseClick(view.orders.step_buttons["认领"], LEFT)
    assert seen == [True]  # "输入姓名或拼音首字母" is not cut off beside the clear button


def test_an_order_completed_under_the_open_filter_stays_in_view_with_the_threaded_runner(
    qtbot, threaded_ctx, market, services, driver
):
    """The step's data-changed signal reloads the list again at once: that reload must still
    show the order that has just left 未完成 (it used to overtake it and leave an empty list)."""
    order_id = services.orders.create(market["demand"], team_id=market["team"])
    services.orders.claim(order_id, team_id=market["team"])
    services.orders.sign(order_id)
    services.orders.start(order_id)
    market_view = MarketView(threaded_ctx)
    qtbot.addWidget(market_view)
    market_view.show()
    market_view.tabs.setCurrentIndex(ORDERS)
    orders = market_view.orders
    qtbot.waitUntil(lambda: orders.current is not None and orders.current.id == order_id)
    assert orders.status.currentText() == "未完成"
    qtbot.mouseClick(orders.step_buttons["完成"], LEFT)
    qtbot.waitUntil(lambda: orders.current is not None and orders.current.status == "完成", timeout=5000)
    assert orders.model.ids() == [order_id] and orders.status.currentText() == "全部订单"
    assert orders.step_buttons["评价"].isEnabled()
