"""表4 on the model by hand: 资源条目 at the period's end (a resource paused, listed later or no longer
available not counted; one offered by a street's own person counted in the street), 需求条目 raised in the
period, 对接次数 / 签约订单 / 完成订单 by the day of each step, an order withdrawn not counted."""

from __future__ import annotations

import datetime as dt

from silverdesk.services.hub import Services
from tests.unit.statistics.query_helpers import ask, drill, small_county, table

D = dt.date


def _market(s: Services) -> dict[str, int]:
    u = small_county(s)
    a = s.people.create({"name": "张建国", "unit_id": u["street"]})
    team = s.teams.create({"name": "龙山镇理论宣讲队", "unit_id": u["town"]})
    res = s.resources.create
    r1 = res({"title": "法律咨询", "area_unit_id": u["community"], "listed_on": "2026-09-01"})
    r2 = res(
        {"title": "书法教学", "person_id": a, "listed_on": "2026-10-05"}
    )  # no 服务区域: the person's unit
    res({"title": "政策宣讲", "team_id": team, "listed_on": "2026-10-01", "status": "暂停"})
    res({"title": "健康讲座", "area_unit_id": u["town"], "listed_on": "2026-11-01"})
    res(
        {
            "title": "秋季义诊",
            "area_unit_id": u["town"],
            "listed_on": "2026-09-01",
            "available_to": "2026-10-20",
        }
    )
    dem = s.demands.create
    d1 = dem({"title": "老旧小区议事", "requester_unit_id": u["community"], "raised_on": "2026-10-03"})
    d2 = dem({"title": "错录的需求", "requester_unit_id": u["town"], "raised_on": "2026-10-20"})
    s.demands.retire(d2)
    d3 = dem({"title": "村史编写", "requester_unit_id": u["village"], "raised_on": "2026-09-10"})
    orders = s.orders
    o1 = orders.create(d1, published_on=D(2026, 10, 4))
    orders.claim(o1, D(2026, 10, 5), team_id=team)
    orders.sign(o1, D(2026, 10, 6))
    orders.start(o1, D(2026, 10, 7))
    orders.complete(o1, D(2026, 10, 25))
    o2 = orders.create(d3, published_on=D(2026, 9, 12))
    orders.claim(o2, D(2026, 9, 20), team_id=team)
    orders.sign(o2, D(2026, 10, 2))
    o3 = orders.create(None, "临时帮办", team_id=team, published_on=D(2026, 10, 15))
    orders.cancel(o3, "重复发布", D(2026, 10, 16))
    return {**u, "a": a, "team": team, "r1": r1, "r2": r2, "o1": o1, "o2": o2}


FIVE = "资源条目,需求条目,对接次数,签约订单,完成订单"


def test_table4_by_hand(both: Services) -> None:
    r = _market(both)
    assert ask(both, FIVE).total == (2, 1, 1, 2, 1)
    assert both.market_stats.table4(D(2026, 10, 1), D(2026, 10, 31)).as_row() == (2, 1, 1, 2, 1)
    assert table(ask(both, FIVE, "单位")) == {
        "城关街道": (2, 1, 1, 1, 1),
        "龙山镇": (0, 0, 0, 1, 0),
    }
    # a street's own person's resource counts for the street (the old 表4 path dropped it: 1)
    assert ask(both, "资源条目", unit=r["street"]).total == (2,)
    assert both.market_stats.table4(D(2026, 10, 1), D(2026, 10, 31), r["street"]).resources == 2
    assert sorted(drill(both, "资源条目", unit=r["street"])) == sorted([r["r1"], r["r2"]])
    assert ask(both, FIVE, unit=r["town"]).total == (0, 0, 0, 1, 0)
    assert ask(both, "资源条目", period=(D(2026, 9, 1), D(2026, 9, 30))).total == (2,)  # 法律咨询, 秋季义诊
    assert table(ask(both, "签约订单", "服务队")) == {"龙山镇理论宣讲队": (2,)}
    assert drill(both, "完成订单") == [r["o1"]]
