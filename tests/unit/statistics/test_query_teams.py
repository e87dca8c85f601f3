"""The 服务队 fact by hand: 队伍数 at the period's end by 队伍品牌, 服务领域 (a team of two fields in each, once
in the total), 星级 (the rating of the period's year) and 单位; a team founded later or 撤销 is not counted;
activities by their teams' brand."""

from __future__ import annotations

import datetime as dt

from silverdesk.services.hub import Services
from tests.unit.statistics.query_helpers import ask, drill, small_county, table


def _teams(s: Services) -> dict[str, int]:
    u = small_county(s)
    lecture = s.lookups.resolve("activity_category", "理论宣讲").id
    elderly = s.lookups.resolve("activity_category", "为老服务").id
    t1 = s.teams.create(
        {"name": "光明社区银发管家服务队", "brand": "榴花红", "unit_id": u["community"],
         "founded_on": "2025-01-01", "categories": [lecture, elderly]}
    )  # fmt: skip
    t2 = s.teams.create(
        {"name": "龙山镇理论宣讲队", "brand": "榴花红", "unit_id": u["town"], "categories": [lecture]}
    )
    t3 = s.teams.create({"name": "石桥村生态环保队", "unit_id": u["village"], "founded_on": "2026-11-05"})
    t4 = s.teams.create({"name": "城关街道文艺队", "brand": "6020红色集结号", "unit_id": u["street"]})
    s.teams.update(t4, {"status": "撤销", "dissolved_on": "2026-09-30"})
    s.stars.set_manual("team", t1, 2026, 3, "年度评定")
    s.stars.set_manual("team", t2, 2025, 1, "上年评定")
    for title, teams in (("联合宣讲", [t1, t2]), ("文艺汇演", [t4]), ("独自走访", [])):
        s.activities.create(
            {"occurred_on": "2026-10-10", "title": title, "unit_id": u["street"], "team_ids": teams}
        )
    return {**u, "t1": t1, "t2": t2, "t3": t3, "t4": t4}


def test_teams_by_brand_field_star_and_unit(both: Services) -> None:
    r = _teams(both)
    assert ask(both, "队伍数").total == (2,)  # t3 founded in November, t4 撤销 in September
    assert table(ask(both, "队伍数", "队伍品牌")) == {"榴花红": (2,)}
    by_field = ask(both, "队伍数", "服务领域")
    assert table(by_field) == {"理论宣讲": (2,), "为老服务": (1,)} and by_field.total == (2,)
    assert table(ask(both, "队伍数", "星级")) == {"三星": (1,), "未评星": (1,)}  # t2's star is of 2025
    assert table(ask(both, "队伍数", "单位")) == {"城关街道": (1,), "龙山镇": (1,)}
    assert ask(both, "队伍数", where=("服务领域=为老服务",)).total == (1,)
    assert ask(both, "队伍数", unit=r["street"]).total == (1,)
    december = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert table(ask(both, "队伍数", "队伍品牌", period=december)) == {"榴花红": (2,), "未注明品牌": (1,)}
    assert sorted(drill(both, "队伍数", "队伍品牌", keys=("榴花红",))) == sorted([r["t1"], r["t2"]])


def test_activities_by_their_teams_brand(both: Services) -> None:
    _teams(both)
    result = ask(both, "场次", "队伍品牌")
    # the joint activity of two 榴花红 teams once; the retired team's activity keeps its brand
    assert table(result) == {"榴花红": (1,), "6020红色集结号": (1,), "未注明品牌": (1,)}
    assert result.total == (3,)
    assert ask(both, "场次", where=("队伍品牌=榴花红",)).total == (1,)
