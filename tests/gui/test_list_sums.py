"""The line under the other lists (issue #17): 订单 sums the service of the orders found and averages their
评价 (in SQL, through the window's task runner); 队伍 and 党组织 sum their member columns over the rows shown."""

from __future__ import annotations

import datetime as dt

from silverdesk.ui.market.orders import OrdersTab
from silverdesk.ui.org.party_orgs import PartyOrgsView
from silverdesk.ui.org.teams import TeamsView

WAIT = 10000


def test_orders_line_sums_the_service_of_the_orders_found(qtbot, type_text, ui_ctx, county):
    services, day = ui_ctx.services, dt.date(2026, 11, 2)
    team = services.teams.create({"name": "城关街道义诊队", "unit_id": county["street"]})
    done = services.orders.create(title="上门义诊", team_id=team, published_on=day)
    for step in (
        services.orders.claim,
        services.orders.sign,
        services.orders.start,
        services.orders.complete,
    ):
        step(done, day)
    services.orders.evaluate(done, 5, "满意", day)
    services.orders.create(title="上门理发", team_id=team, published_on=day)
    for title, sessions, hours in (("义诊一", 2, 1250.5), ("义诊二", 1, 3)):
        aid = services.activities.create(
            {"occurred_on": "2026-11-05", "title": title, "sessions": sessions, "hours": hours}
        )
        services.orders.link_activity(done, aid)
    tab = OrdersTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.status.setCurrentIndex(0)  # 全部订单
    qtbot.waitUntil(
        lambda: tab.sums_label.text() == "共 2 张；服务场次 3，服务时长 1,253.5 小时，平均评价 5",
        timeout=WAIT,
    )
    tab.search.setFocus()
    type_text(tab.search, "理发")
    qtbot.waitUntil(lambda: tab.sums_label.text() == "共 1 张；服务场次 0，服务时长 0 小时", timeout=WAIT)


def test_team_and_party_org_lines_sum_their_member_columns(qtbot, type_text, ui_ctx, county):
    services = ui_ctx.services
    people = [services.people.create({"name": name}) for name in ("张建国", "李桂兰", "王德明", "赵秀英")]
    services.teams.create(
        {"name": "光明社区宣讲队", "members": [(people[0], "队长"), (people[1], "队员"), (people[2], "队员")]}
    )
    services.teams.create({"name": "龙山镇义诊队", "members": [(people[3], "队长"), (people[0], "队员")]})
    org = services.party_orgs.create(
        {"name": "城关街道离退休干部党支部", "org_type": "党支部", "members": [(people[0], "书记")]}
    )
    services.party_orgs.add_agreement(org, "光明社区党委", dt.date(2026, 3, 1), county["community"])
    services.party_orgs.add_agreement(org, "和平社区党委", dt.date(2026, 4, 1), county["community"])
    teams = TeamsView(ui_ctx)
    qtbot.addWidget(teams)
    assert teams.count_label.text() == "共 2 个服务队；队员数 5"
    type_text(teams.search, "宣讲")
    assert teams.count_label.text() == "共 1 个服务队；队员数 3"
    orgs = PartyOrgsView(ui_ctx)
    qtbot.addWidget(orgs)
    assert orgs.count_label.text() == "共 1 个党组织；党员数 1，共建协议 2"
