"""星级志愿者数, 星级服务队数 and 积分 by hand: ratings of the period's year by 星级 (a rating of another year or
of no star not counted), points earned and redeemed in the period by the holder's unit."""

from __future__ import annotations

import datetime as dt

from silverdesk.services.hub import Services
from tests.unit.statistics.query_helpers import ask, small_county, table


def test_stars_by_level(both: Services) -> None:
    u = small_county(both)
    people = [both.people.create({"name": n, "unit_id": u[k]}) for n, k in
              (("张建国", "street"), ("李桂兰", "community"), ("王德明", "town"), ("赵秀英", "village"))]  # fmt: skip
    team = both.teams.create({"name": "龙山镇理论宣讲队", "unit_id": u["town"]})
    stars = both.stars
    for pid, level in zip(people, (5, 3, 3, 0), strict=True):
        stars.set_manual("volunteer", pid, 2026, level, "年度评定")
    stars.set_manual("volunteer", people[3], 2025, 4, "上年评定")
    stars.set_manual("team", team, 2026, 2, "年度评定")
    by_level = ask(both, "星级志愿者数", "星级")
    assert table(by_level) == {"五星": (1,), "三星": (2,)} and by_level.total == (3,)
    assert table(ask(both, "星级志愿者数,星级服务队数", "单位")) == {"城关街道": (2, 0), "龙山镇": (1, 1)}
    assert ask(both, "星级志愿者数", period=(dt.date(2025, 1, 1), dt.date(2025, 12, 31))).total == (1,)
    assert ask(both, "星级志愿者数", where=("星级=三星",), unit=u["street"]).total == (1,)


def test_points_in_the_period(both: Services) -> None:
    u = small_county(both)
    a = both.people.create({"name": "张建国", "unit_id": u["street"], "gender": "男"})
    b = both.people.create({"name": "李桂兰", "unit_id": u["town"], "gender": "女"})
    points = both.points
    points.adjust(a, 12.5, "补记服务时长", dt.date(2026, 10, 3))
    points.adjust(b, 8, "补记服务时长", dt.date(2026, 10, 9))
    points.redeem(a, 5, "兑换米面", dt.date(2026, 10, 20))
    points.adjust(b, 30, "补记九月", dt.date(2026, 9, 30))
    assert ask(both, "积分,兑换积分,积分人数").total == (20.5, 5.0, 2)
    assert table(ask(both, "积分,兑换积分", "单位")) == {"城关街道": (12.5, 5.0), "龙山镇": (8.0, 0.0)}
    assert table(ask(both, "积分", "性别")) == {"男": (12.5,), "女": (8.0,)}
