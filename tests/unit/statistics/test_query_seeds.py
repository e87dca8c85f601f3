"""The seeds' figure families, entered through the services as a clerk would and read back through the
query model: the talent pool by category (seed 003: 6类323名), stars by level (376 星级志愿者, 55 星级服务队),
阵地 by kind, teams by brand and field, 场次 by monthly theme, place and team, and the four-level breakdown
city → district → street → community (四级联动, seed 004)."""

from __future__ import annotations

import datetime as dt

from silverdesk.services.hub import Services
from silverdesk.services.statistics.query import DimRef, QueryService, Question
from tests.unit.statistics.query_helpers import ask, small_county, table

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
NAMES = [f"{a}{b}" for a in "张王李赵刘陈杨黄" for b in "建国桂兰德明秀英"]
SIX = {"政治理论": 4, "历史人文": 3, "文化艺术": 3, "医疗卫生": 2, "法律服务": 1, "农业科技": 1}


def test_talent_pool_six_categories(both: Services) -> None:
    u = small_county(both)
    n = 0
    for category, count in SIX.items():
        for _ in range(count):
            n += 1
            both.people.create({"name": NAMES[n], "unit_id": u["street"], "talents": [category]})
    both.people.create({"name": "周志强", "unit_id": u["town"], "talents": ["政治理论", "法律服务"]})
    pool = ask(both, "人才数", "人才库类别", period=YEAR)
    assert len(pool.rows) == 6  # 6类
    assert pool.total == (15,)  # 15名: the person of two categories once
    assert table(pool) == {k: (v + (1 if k in ("政治理论", "法律服务") else 0),) for k, v in SIX.items()}


def test_star_volunteers_and_teams_by_level(both: Services) -> None:
    u = small_county(both)
    levels = (5, 4, 4, 3, 3, 3, 1)
    for i, level in enumerate(levels):
        pid = both.people.create({"name": NAMES[i], "unit_id": u["community"]})
        both.stars.set_manual("volunteer", pid, 2026, level, "年度评定")
    for i, level in enumerate((5, 3)):
        tid = both.teams.create({"name": f"服务队{i}", "unit_id": u["town"]})
        both.stars.set_manual("team", tid, 2026, level, "年度评定")
    result = ask(both, "星级志愿者数,星级服务队数", "星级", period=YEAR)
    assert result.total == (7, 2)
    assert table(result) == {"五星": (1, 1), "四星": (2, 0), "三星": (3, 1), "一星": (1, 0)}


def test_places_by_kind(both: Services) -> None:
    u = small_county(both)
    kinds = ("驿站", "驿站", "驿站", "工作室", "银领之家", "老年大学教学点")
    for i, kind in enumerate(kinds):
        both.places.create({"name": f"阵地{i}", "kind": kind, "unit_id": u["community"]})
    assert table(ask(both, "阵地数", "阵地类型", period=YEAR)) == {
        "驿站": (3,), "工作室": (1,), "银领之家": (1,), "老年大学教学点": (1,)
    }  # fmt: skip


def test_teams_by_brand_and_field(both: Services) -> None:
    u = small_county(both)
    lecture = both.lookups.resolve("activity_category", "理论宣讲").id
    village = both.lookups.resolve("activity_category", "促进乡村振兴").id
    for i, (brand, fields) in enumerate(
        (
            ("榴花红", [lecture]),
            ("榴花红", [village]),
            ("榴花红", [lecture, village]),
            ("6020红色集结号", [lecture]),
        )
    ):
        both.teams.create({"name": f"队伍{i}", "brand": brand, "unit_id": u["street"], "categories": fields})
    assert table(ask(both, "队伍数", "队伍品牌", period=YEAR)) == {"榴花红": (3,), "6020红色集结号": (1,)}
    assert table(ask(both, "队伍数", "服务领域", where=("队伍品牌=榴花红",), period=YEAR)) == {
        "理论宣讲": (2,), "促进乡村振兴": (2,)
    }  # fmt: skip


def test_sessions_by_monthly_theme_place_and_team(both: Services) -> None:
    u = small_county(both)
    both.lookups.set_theme(2026, 9, "金秋助学")
    both.lookups.set_theme(2026, 10, "敬老月")
    place = both.places.create({"name": "光明社区银龄驿站", "kind": "驿站", "unit_id": u["community"]})
    team = both.teams.create({"name": "银发管家服务队", "brand": "榴花红", "unit_id": u["community"]})
    for day, sessions, where, teams in (
        ("2026-09-10", 2, place, [team]), ("2026-10-09", 3, place, []), ("2026-10-20", 1, None, [team])
    ):  # fmt: skip
        both.activities.create({"occurred_on": day, "title": "活动", "unit_id": u["community"],
                                    "sessions": sessions, "place_id": where, "team_ids": teams})  # fmt: skip
    assert table(ask(both, "场次", "月度主题", period=YEAR)) == {
        "9月·金秋助学": (2,),
        "10月·敬老月": (4,),
    }
    assert table(ask(both, "场次", "阵地", period=YEAR)) == {"光明社区银龄驿站": (5,), "未注明阵地": (1,)}
    assert table(ask(both, "场次", "服务队", period=YEAR)) == {
        "银发管家服务队": (3,),
        "未注明服务队": (3,),
    }


def test_four_levels_city_district_street_community(both: Services) -> None:
    units = both.units
    city = units.ensure_root("青山市")
    units.update(city, {"kind": "市"})
    d1 = units.create({"name": "市南区", "kind": "区", "parent_id": city})
    d2 = units.create({"name": "北山县", "kind": "县", "parent_id": city})
    s1 = units.create({"name": "八大关街道", "kind": "街道", "parent_id": d1})
    c1 = units.create({"name": "湛山社区", "kind": "社区", "parent_id": s1})
    c2 = units.create({"name": "太平角社区", "kind": "社区", "parent_id": s1})
    t2 = units.create({"name": "北山镇", "kind": "乡镇", "parent_id": d2})
    for unit, sessions in ((c1, 2), (c2, 3), (s1, 1), (d1, 4), (t2, 5), (city, 6)):
        both.activities.create(
            {"occurred_on": "2026-10-08", "title": "活动", "unit_id": unit, "sessions": sessions}
        )
    both.activities.create({"occurred_on": "2026-10-09", "title": "未填单位", "sessions": 7})
    county_level = ask(both, "场次", "单位:区县", period=YEAR)
    assert county_level.scope_name == "全市"
    assert table(county_level) == {"市南区": (10,), "北山县": (5,), "青山市（本级）": (13,)}
    # each figure's records: the district's four activities, the city's own with the one without a unit
    question = Question(("场次",), *YEAR, rows=(DimRef("单位", "区县"),))
    by_row = {
        r.labels[0]: len(QueryService(both.ctx).records(question, "场次", r.keys)[1])
        for r in county_level.rows
    }
    assert by_row == {"市南区": 4, "北山县": 1, "青山市（本级）": 2}
    assert table(ask(both, "场次", "单位:乡镇街道", unit=d1, period=YEAR)) == {
        "八大关街道": (6,), "市南区（本级）": (4,)
    }  # fmt: skip
    assert table(ask(both, "场次", "单位:社区村", unit=s1, period=YEAR)) == {
        "湛山社区": (2,), "太平角社区": (3,), "八大关街道（本级）": (1,)
    }  # fmt: skip
