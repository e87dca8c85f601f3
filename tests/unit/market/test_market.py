"""银龄超市 (issue #6): lists, matching, the order flow and 表4."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from silverdesk.db.models import AuditLog
from silverdesk.errors import Conflict, UserError, ValidationError
from silverdesk.services.market.lists import DemandFilter, ResourceFilter
from silverdesk.services.market.orders import OrderFilter

D = dt.date


def cat(services, name: str) -> int:
    return next(i.id for i in services.lookups.items("resource_category") if i.name == name)


def act(services, name: str) -> int:
    return services.lookups.resolve("activity_category", name).id


def finish_order(services, team_id: int, score: int, day: dt.date) -> int:
    """A hand-made order taken through the whole flow (a past record for matching)."""
    oid = services.orders.create(title="既往服务", team_id=team_id, published_on=day)
    services.orders.claim(oid, day)
    services.orders.sign(oid, day)
    services.orders.start(oid, day)
    services.orders.complete(oid, day + dt.timedelta(days=5))
    services.orders.evaluate(oid, score, "满意", day + dt.timedelta(days=6))
    return oid


@pytest.fixture
def market(services, county):
    """The obvious case: a 健康义诊 demand from 光明社区 and candidates nearer and further from it."""
    units = services.units
    heping = units.create({"name": "和平社区", "kind": "社区", "parent_id": county["street"]})
    village = units.create({"name": "龙山村", "kind": "村", "parent_id": county["town"]})
    clinic, talk, law = cat(services, "健康义诊"), cat(services, "健康讲座"), cat(services, "法律咨询")
    r = services.resources.create
    ids = {
        "near": r(
            {
                "title": "社区义诊",
                "category_id": clinic,
                "area_unit_id": county["community"],
                "provider_text": "县医院退休医生组",
            }
        ),
        "far": r({"title": "下乡义诊", "category_id": clinic, "area_unit_id": county["town"]}),
        "major": r({"title": "健康知识讲座", "category_id": talk, "area_unit_id": heping}),
        "other": r({"title": "法律咨询", "category_id": law, "area_unit_id": county["community"]}),
        "paused": r(
            {
                "title": "暂停的义诊",
                "category_id": clinic,
                "area_unit_id": county["community"],
                "status": "暂停",
            }
        ),
        "expired": r(
            {
                "title": "过期的义诊",
                "category_id": clinic,
                "area_unit_id": county["community"],
                "available_from": "2025-01-01",
                "available_to": "2025-12-31",
            }
        ),
    }
    doctor = services.people.create(
        {"name": "𠮷祥", "community_id": county["community"], "talents": ["医疗卫生"]}
    )
    team = services.teams.create(
        {
            "name": "光明社区健康义诊志愿服务队",
            "unit_id": county["community"],
            "categories": [act(services, "健康义诊")],
        }
    )
    for day, score in ((D(2026, 3, 1), 5), (D(2026, 5, 1), 5), (D(2026, 7, 1), 4)):
        finish_order(services, team, score, day)
    demand = services.demands.create(
        {
            "title": "老年人健康义诊",
            "category_id": clinic,
            "requester_unit_id": county["community"],
            "wanted_by": "2026-12-31",
        }
    )
    law_demand = services.demands.create(
        {"title": "法律咨询进社区", "category_id": law, "requester_unit_id": county["community"]}
    )
    village_demand = services.demands.create(
        {"title": "健康讲座进村", "category_id": talk, "requester_unit_id": village, "urgency": "紧急"}
    )
    return {
        **ids,
        "doctor": doctor,
        "team": team,
        "demand": demand,
        "law_demand": law_demand,
        "village_demand": village_demand,
        "heping": heping,
        "village": village,
        **county,
    }


# --- matching -----------------------------------------------------------------------------------


def test_matching_ranks_the_obvious_case_with_reasons(services, market):
    found = services.matching.suggest_for_demand(market["demand"])
    assert [(s.kind, s.id) for s in found] == [
        ("resource", market["near"]),
        ("team", market["team"]),
        ("resource", market["far"]),
        ("resource", market["major"]),
        ("person", market["doctor"]),
    ]
    reasons = {(s.kind, s.id): s.reason for s in found}
    assert reasons[("resource", market["near"])] == "同属‘健康义诊’小项；同在光明社区；近一年暂无完成订单"
    assert (
        reasons[("team", market["team"])]
        == "服务领域‘健康义诊’与需求相关；同在光明社区；近一年完成订单3单，平均评价4.7分"
    )
    assert reasons[("resource", market["far"])].startswith("同属‘健康义诊’小项；同在青山县")
    assert reasons[("resource", market["major"])].startswith("同属‘医疗健康服务’大类；同在城关街道")
    assert reasons[("person", market["doctor"])].startswith("人才库类别‘医疗卫生’与需求相关；同在光明社区")
    # scores follow the documented weights: 小项 40 + 同社区 25 + offered 5
    assert found[0].score == 70
    # related 15 + 同社区 25 + three completed orders 3×2 + mean 4.67 → 5×1.67
    assert found[1].score == pytest.approx(15 + 25 + 3 * 2 + 5 * (14 / 3 - 3), abs=0.01)


def test_matching_follows_load_and_skips_candidates_already_ordered(services, market):
    first = services.matching.suggest_for_demand(market["demand"])[0]
    services.orders.create_from_suggestion(market["demand"], first)
    again = services.matching.suggest_for_demand(market["demand"])
    assert ("resource", market["near"]) not in [(s.kind, s.id) for s in again]
    other = services.demands.create(
        {
            "title": "义诊二",
            "category_id": cat(services, "健康义诊"),
            "requester_unit_id": market["community"],
        }
    )
    top = services.matching.suggest_for_demand(other)[0]
    assert (top.id, top.score) == (market["near"], 66)  # one open order costs 4
    assert "在办订单1单" in top.reason


def test_bulk_matching_agrees_with_single_demand_matching(services, market):
    bulk = services.matching.match_open_demands(limit=3)
    assert set(bulk) == {market["demand"], market["law_demand"], market["village_demand"]}
    assert bulk[market["demand"]] == services.matching.suggest_for_demand(market["demand"], limit=3)
    assert [s.id for s in bulk[market["law_demand"]]] == [market["other"]]


def test_demands_a_resource_could_serve(services, market):
    found = services.matching.demands_for_resource(market["major"])
    # the same 小项 and 紧急 (40 + 5 + 10) outweigh the same 大类 nearby (25 + 15)
    assert [(d.demand_id, d.score) for d in found] == [(market["village_demand"], 55), (market["demand"], 40)]
    assert found[0].reason == "同属‘健康讲座’小项；同在青山县；需求紧急"
    assert found[1].reason == "同属‘医疗健康服务’大类；同在城关街道；期望2026年12月31日前完成"
    assert services.matching.demands_for_resource(market["paused"]) == []


# --- lists --------------------------------------------------------------------------------------


def test_resource_and_demand_lists_filter_and_sort_in_sql(services, market):
    res = services.resources
    all_ids = res.search_ids(ResourceFilter(status=None), sort="title", descending=False)
    assert len(all_ids) == 6
    medical = res.search_ids(
        ResourceFilter(category_id=cat(services, "医疗健康服务")), sort="id", descending=False
    )
    assert medical == [market["near"], market["far"], market["major"], market["expired"]]  # 可用 only
    street = res.search_ids(
        ResourceFilter(unit_id=market["street"], available_on=D(2026, 11, 20)), sort="id", descending=False
    )
    assert street == [market["near"], market["major"], market["other"]]
    assert res.search_ids(ResourceFilter(query="退休医生")) == [market["near"]]
    row = res.rows_by_ids([market["near"]])[0]
    assert (row.major, row.category, row.provider, row.area) == (
        "医疗健康服务",
        "健康义诊",
        "县医院退休医生组",
        "光明社区",
    )
    dem = services.demands
    assert dem.search_ids(DemandFilter(unit_id=market["town"])) == [market["village_demand"]]
    assert dem.search_ids(DemandFilter(), sort="urgency")[0] == market["village_demand"]
    assert dem.rows_by_ids([market["village_demand"]])[0].requester == "龙山村"


def test_resource_and_demand_references_are_checked(services, market):
    with pytest.raises(ValidationError, match="资源类别不存在"):
        services.resources.create({"title": "x", "category_id": act(services, "理论宣讲")})
    with pytest.raises(ValidationError, match="截止日期早于起始日期"):
        services.resources.create(
            {"title": "x", "available_from": "2026-05-01", "available_to": "2026-04-01"}
        )
    with pytest.raises(ValidationError, match="所选单位不存在"):
        services.demands.create({"title": "x", "requester_unit_id": 9999})


def test_category_tree_editing(services, market):
    tree = services.categories.tree()
    assert len(tree) == 10 and sum(len(n.children) for n in tree) == 25
    health = next(n for n in tree if n.name == "医疗健康服务")
    assert "健康义诊" in health.related and "医疗卫生" in health.related
    new = services.categories.add("康复护理", parent_id=health.id)
    with pytest.raises(UserError, match="小项下不能再分"):
        services.categories.add("再下一级", parent_id=new)
    with pytest.raises(Conflict, match="已有“康复护理”"):
        services.categories.add("康复护理")
    elderly = next(n for n in tree if n.name == "为老助老服务")
    services.categories.move(new, elderly.id)
    assert "康复护理" in [
        c.name for c in next(n for n in services.categories.tree() if n.id == elderly.id).children
    ]
    with pytest.raises(Conflict, match="已被2条资源或需求使用"):
        services.categories.delete(cat(services, "法律咨询"))
    services.categories.delete(new)
    services.categories.set_related(elderly.id, [act(services, "为老服务")])
    assert services.categories.related_ids(elderly.id) == [act(services, "为老服务")]
    with pytest.raises(UserError, match="服务领域或人才库类别"):
        services.categories.set_related(elderly.id, [cat(services, "法律咨询")])


# --- orders -------------------------------------------------------------------------------------


def demand_status(services, demand_id: int) -> str:
    return services.demands.get(demand_id)["status"]


def test_order_flow_dates_steps_and_follows_the_demand(services, market):
    orders = services.orders
    oid = orders.create(market["demand"], resource_id=market["near"], published_on=D(2026, 10, 1))
    assert orders.get(oid)["code"].startswith("DD2026-")
    assert demand_status(services, market["demand"]) == "待对接"  # published, nobody has taken it yet
    with pytest.raises(UserError, match="还没有认领方"):
        orders.claim(oid, D(2026, 10, 2))
    with pytest.raises(UserError, match="早于订单上一步的日期"):
        orders.claim(oid, D(2026, 9, 1), team_id=market["team"])
    orders.claim(oid, D(2026, 10, 2), team_id=market["team"])
    assert demand_status(services, market["demand"]) == "已对接"
    with pytest.raises(UserError, match="当前为“认领”，不能直接改为“完成”；下一步只能是：签约、撤销"):
        orders.complete(oid, D(2026, 10, 3))
    orders.sign(oid, D(2026, 10, 5), due_on=D(2026, 11, 30))
    orders.start(oid, D(2026, 10, 6))
    with pytest.raises(UserError, match="在未来"):
        orders.complete(oid, D(2026, 12, 1))
    orders.complete(oid, D(2026, 10, 20))
    assert demand_status(services, market["demand"]) == "已完成"
    with pytest.raises(UserError, match="已完成，不能撤销；下一步只能是：评价"):
        orders.cancel(oid, "不需要了")
    with pytest.raises(UserError, match="1到5分"):
        orders.evaluate(oid, 6)
    with pytest.raises(UserError, match="评价需要填写1到5分的评分"):
        orders.advance(oid, "评价")
    orders.evaluate(oid, 5, "老人们很满意", D(2026, 10, 21))
    with pytest.raises(UserError, match="已评价，流程已结束"):
        orders.advance(oid, "完成")
    saved = orders.get(oid)
    assert (
        saved["status"],
        saved["claimed_on"],
        saved["signed_on"],
        saved["completed_on"],
        saved["score"],
    ) == ("评价", D(2026, 10, 2), D(2026, 10, 5), D(2026, 10, 20), 5)
    events = orders.events(oid)
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, "发布"),
        ("发布", "认领"),
        ("认领", "签约"),
        ("签约", "实施"),
        ("实施", "完成"),
        ("完成", "评价"),
    ]
    assert {e.operator for e in events} == {"测试员"}
    with services.ctx.db.reader() as s:
        audited = s.scalars(
            select(AuditLog.summary).where(AuditLog.entity == "service_order", AuditLog.entity_id == oid)
        ).all()
    assert len(audited) == 6 and "实施 → 完成" in audited[4]
    with pytest.raises(UserError, match="已完成，不能再发布订单"):
        orders.create(market["demand"])


def test_cancel_gives_the_demand_back_unless_another_order_serves_it(services, market):
    orders, demand = services.orders, market["demand"]
    first = orders.create(demand, team_id=market["team"], published_on=D(2026, 11, 1))
    second = orders.create(demand, person_id=market["doctor"], published_on=D(2026, 11, 1))
    orders.claim(first, D(2026, 11, 2))
    orders.claim(second, D(2026, 11, 2))
    with pytest.raises(UserError, match="请填写撤销原因"):
        orders.cancel(first, " ")
    orders.cancel(first, "服务队人手不足，改由他队", D(2026, 11, 3))
    assert demand_status(services, demand) == "已对接"  # the second order still serves it
    orders.advance(second, "签约", D(2026, 11, 4))
    orders.cancel(second, "社区改期", D(2026, 11, 5))
    assert demand_status(services, demand) == "待对接"
    with pytest.raises(UserError, match="已撤销，流程已结束"):
        orders.advance(second, "实施")
    assert orders.events(first)[-1].note == "服务队人手不足，改由他队"  # Chinese punctuation kept
    services.demands.retire(market["law_demand"])
    with pytest.raises(UserError, match="撤销，不能再发布订单"):
        orders.create(market["law_demand"])


def test_a_step_recorded_by_mistake_is_withdrawn_and_the_demand_follows(services, market):
    orders, demand = services.orders, market["demand"]
    oid = orders.create(demand, team_id=market["team"], published_on=D(2026, 10, 1))
    with pytest.raises(UserError, match="还在“发布”状态，没有可以撤回的步骤"):
        orders.withdraw_last_step(oid, "点错了")
    orders.claim(oid, D(2026, 10, 2))
    orders.sign(oid, D(2026, 10, 5), due_on=D(2026, 11, 30))
    orders.start(oid, D(2026, 10, 6))
    orders.complete(oid, D(2026, 10, 20))
    orders.evaluate(oid, 2, "点错了分数", D(2026, 10, 21))
    assert demand_status(services, demand) == "已完成"
    with pytest.raises(UserError, match="请填写撤回原因"):
        orders.withdraw_last_step(oid, "  ")
    assert orders.withdraw_last_step(oid, "评分填错") == "完成"
    saved = orders.get(oid)
    assert (saved["status"], saved["score"], saved["evaluation"]) == ("完成", None, "")
    orders.evaluate(oid, 5, "老人们很满意", D(2026, 10, 21))  # scored again, properly
    assert (
        orders.withdraw_last_step(oid, "x") == "完成"
        and orders.withdraw_last_step(oid, "其实还没做完") == "实施"
    )
    saved = orders.get(oid)
    assert (saved["status"], saved["completed_on"], saved["signed_on"]) == ("实施", None, D(2026, 10, 5))
    assert demand_status(services, demand) == "已对接"  # no longer done
    assert [(e.from_status, e.to_status) for e in orders.events(oid)] == [
        (None, "发布"),
        ("发布", "认领"),
        ("认领", "签约"),
        ("签约", "实施"),
    ]
    orders.cancel(oid, "社区改期", D(2026, 10, 22))
    assert demand_status(services, demand) == "待对接"
    assert orders.withdraw_last_step(oid, "撤销错了订单") == "实施"
    assert demand_status(services, demand) == "已对接"
    for _ in range(3):
        orders.withdraw_last_step(oid, "从头再来")
    saved = orders.get(oid)
    assert (saved["status"], saved["claimed_on"], saved["team_id"]) == ("发布", None, market["team"])
    assert demand_status(services, demand) == "待对接"
    with services.ctx.db.reader() as s:
        withdrawn = s.scalars(
            select(AuditLog.summary).where(AuditLog.action == "撤回", AuditLog.entity_id == oid)
        ).all()
    assert len(withdrawn) == 7 and "撤回“评价”，回到“完成”（评分填错）" in withdrawn[0]


def test_order_codes_are_numbered_per_year(services, market):
    a = services.orders.create(title="年末服务", published_on=D(2025, 12, 30))
    b = services.orders.create(title="新年服务", published_on=D(2026, 1, 2))
    codes = [services.orders.get(i)["code"] for i in (a, b)]
    assert codes == ["DD2025-0001", "DD2026-0004"]  # three 2026 orders exist in the fixture


def test_overdue_orders_and_totals_from_linked_activities(services, market):
    orders = services.orders
    late = orders.create(
        market["demand"], team_id=market["team"], published_on=D(2026, 9, 1), due_on=D(2026, 11, 1)
    )
    orders.claim(late, D(2026, 9, 2))
    on_time = orders.create(
        market["village_demand"], team_id=market["team"], published_on=D(2026, 9, 1), due_on=D(2026, 12, 1)
    )
    assert orders.overdue_ids() == [late]
    assert orders.search_ids(OrderFilter(overdue_only=True)) == [late]
    for day, n in ((D(2026, 9, 10), 12), (D(2026, 9, 20), 8)):
        aid = services.activities.create(
            {
                "occurred_on": day,
                "title": "义诊",
                "participants": n,
                "hours": n * 2,
                "beneficiaries": 100,
                "sessions": 1,
            }
        )
        orders.link_activity(late, aid)
    row = orders.rows_by_ids([late, on_time])
    assert (row[0].overdue, row[1].overdue) == (True, False)
    assert row[0].totals == orders.totals(late)
    t = row[0].totals
    assert (t.activities, t.sessions, t.participants, t.hours, t.beneficiaries) == (2, 2, 20, 40.0, 200)
    orders.unlink_activity(orders.activity_ids(late)[0])
    assert orders.totals(late).participants == 8
    assert orders.search_ids(OrderFilter(unit_id=market["town"])) == [on_time]


# --- 表4 ----------------------------------------------------------------------------------------


def test_table4_counts_by_the_documented_rules(services, market):
    orders = services.orders
    # in October: one order published, claimed, signed and completed; one published and cancelled
    done = orders.create(market["demand"], team_id=market["team"], published_on=D(2026, 10, 3))
    orders.claim(done, D(2026, 10, 4))
    orders.sign(done, D(2026, 10, 5))
    orders.start(done, D(2026, 10, 6))
    orders.complete(done, D(2026, 10, 30))
    dropped = orders.create(market["law_demand"], team_id=market["team"], published_on=D(2026, 10, 8))
    orders.cancel(dropped, "重复录入", D(2026, 10, 9))
    # signed in November from an order published in October
    later = orders.create(market["village_demand"], team_id=market["team"], published_on=D(2026, 10, 20))
    orders.claim(later, D(2026, 10, 21))
    orders.sign(later, D(2026, 11, 2))
    # demands: raised in October (one withdrawn), one in September
    for title, day in (("十月需求", "2026-10-15"), ("十月撤销", "2026-10-16"), ("九月需求", "2026-09-15")):
        did = services.demands.create(
            {"title": title, "raised_on": day, "requester_unit_id": market["community"]}
        )
        if title == "十月撤销":
            services.demands.retire(did)
    # resources: the fixture's were listed today (2026-11-20), so October sees only this one
    services.resources.create(
        {"title": "九月资源", "listed_on": "2026-09-01", "area_unit_id": market["heping"]}
    )
    services.resources.create({"title": "九月暂停", "listed_on": "2026-09-01", "status": "暂停"})
    services.resources.create(
        {"title": "十月前到期", "listed_on": "2026-09-01", "available_to": "2026-10-15"}
    )

    october = services.market_stats.table4(D(2026, 10, 1), D(2026, 10, 31))
    assert october.as_row() == (1, 1, 2, 1, 1)  # demands: 十月撤销 is not counted
    november = services.market_stats.table4(D(2026, 11, 1), D(2026, 11, 30))
    # resources: 6 fixture ones minus paused and expired + 九月资源; demands: the fixture's three
    assert november.as_row() == (5, 3, 0, 1, 0)
    town = services.market_stats.table4(D(2026, 10, 1), D(2026, 10, 31), unit_id=market["town"])
    assert town.as_row() == (0, 0, 1, 0, 0)  # the village demand's order
    street = services.market_stats.table4(D(2026, 10, 1), D(2026, 10, 31), unit_id=market["street"])
    assert street.as_row() == (1, 1, 1, 1, 1)
    with pytest.raises(UserError, match="截止日期早于起始日期"):
        services.market_stats.table4(D(2026, 10, 31), D(2026, 10, 1))


def test_lists_export_to_excel(services, market, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "资源清单.xlsx"
    assert (
        services.market_export.resources(path, ResourceFilter(status=None), sort="id", descending=False) == 6
    )
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]][:4] == ["资源名称", "大类", "小项", "提供者"]
    assert [c.value for c in ws[2]][:3] == ["社区义诊", "医疗健康服务", "健康义诊"]
    assert ws.freeze_panes == "A2"
    assert services.market_export.demands(tmp_path / "d.xlsx") == 3
    assert services.market_export.orders(tmp_path / "o.xlsx") == 3
    o = load_workbook(tmp_path / "o.xlsx").active
    assert o.cell(2, 1).value.startswith("DD2026-") and isinstance(o.cell(2, 6).value, dt.datetime)


def test_list_exports_mask_phones_unless_told_not_to(services, market, tmp_path):
    from openpyxl import load_workbook

    from silverdesk.domain.privacy import MaskPolicy

    services.demands.update(market["demand"], {"contact_phone": "13812345678"})

    def phones(path):
        ws = load_workbook(path).active
        column = [c.value for c in ws[1]].index("联系电话") + 1
        return {ws.cell(r, column).value for r in range(2, ws.max_row + 1)}

    services.market_export.demands(tmp_path / "外发.xlsx")
    assert "138****5678" in phones(tmp_path / "外发.xlsx") and "13812345678" not in phones(
        tmp_path / "外发.xlsx"
    )
    services.market_export.demands(tmp_path / "内部.xlsx", mask=MaskPolicy.off())
    assert "13812345678" in phones(tmp_path / "内部.xlsx")
