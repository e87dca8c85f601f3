"""报到人数, 任职人数 and 任职人次 by hand: stocks at the period's end, and a community's scope that counts the
people who report to it and the roles held in it whatever unit they belong to (光明社区 showed 0)."""

from __future__ import annotations

import datetime as dt

from silverdesk.services.hub import Services
from tests.unit.statistics.query_helpers import ask, drill, small_county, table


def _people(s: Services) -> dict[str, int]:
    u = small_county(s)
    person = s.people.create
    a = person({"name": "张建国", "unit_id": u["street"], "community_id": u["community"],
                "registered_on": "2026-03-01", "community_roles": [("楼长", "2025-01-01"), ("网格员", "2025-01-01")]})  # fmt: skip
    b = person({"name": "李桂兰", "unit_id": u["town"], "community_id": u["community"],
                "registered_on": "2026-10-10", "community_roles": [("调解员", "2026-10-01")]})  # fmt: skip
    c = person({"name": "王德明", "unit_id": u["community"], "community_roles": [("楼长", "2024-05-01")]})
    d = person({"name": "赵秀英", "unit_id": u["village"], "community_id": u["village"],
                "registered_on": "2026-11-03", "community_roles": [("网格长", "2026-11-01")]})  # fmt: skip
    e = person(
        {
            "name": "孙玉珍",
            "unit_id": u["street"],
            "community_id": u["community"],
            "registered_on": "2026-01-01",
        }
    )
    s.people.set_status(e, "去世", dt.date(2026, 10, 5))
    # 张建国 gives up 网格员 today (20 November): October keeps it
    s.people.update(a, {"community_roles": [("楼长", "2025-01-01")]})
    return {**u, "a": a, "b": b, "c": c, "d": d, "e": e}


def test_registered_people_at_the_period_end_and_by_scope(both: Services) -> None:
    r = _people(both)
    assert table(ask(both, "报到人数", "单位")) == {"城关街道": (2,)}  # 张 and 李 report to 光明社区
    assert ask(both, "报到人数", unit=r["community"]).total == (2,)  # 李 belongs to 龙山镇 yet reports here
    assert ask(both, "报到人数", unit=r["town"]).total == (1,)  # 李 belongs to the town
    assert ask(both, "报到人数", period=(dt.date(2026, 9, 1), dt.date(2026, 9, 30))).total == (2,)  # 张, 孙
    assert sorted(drill(both, "报到人数", unit=r["community"])) == sorted([r["a"], r["b"]])


def test_a_move_keeps_october_where_it_was(both: Services) -> None:
    r = _people(both)
    f = both.people.create(
        {
            "name": "周志强",
            "unit_id": r["village"],
            "community_id": r["community"],
            "registered_on": "2026-01-01",
        }
    )
    both.people.update(
        f, {"community_id": r["village"]}
    )  # moved today (20 November), reports there from today
    assert ask(both, "报到人数", unit=r["community"]).total == (3,)  # October: 张, 李 and 周 in 光明社区
    december = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert ask(both, "报到人数", unit=r["community"], period=december).total == (2,)
    # 赵 and 周 report to 石桥村; 李 belongs to the town and reports elsewhere: the town's own row
    town = table(ask(both, "报到人数", "单位:社区村", unit=r["town"], period=december))
    assert town == {"石桥村": (2,), "龙山镇（本级）": (1,)}


def test_community_roles_by_kind_and_where_they_are_held(both: Services) -> None:
    r = _people(both)
    roles = ask(both, "任职人数,任职人次", "任职类别")
    assert table(roles) == {"楼长": (2, 2), "网格员": (1, 1), "调解员": (1, 1)}
    assert roles.total == (3, 4)  # 张建国 holds two roles: one person, two roles
    assert ask(both, "任职人数", unit=r["community"]).total == (3,)  # 李's role is held in 光明社区
    assert ask(both, "任职人数", unit=r["town"]).total == (0,)
    december = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    later = table(ask(both, "任职人数", "任职类别", period=december))
    assert later["网格长"] == (1,) and "网格员" not in later  # 赵 from November; 张's 网格员 ended


def test_people_who_reported_to_a_community_count_in_its_scope_for_that_time(both: Services) -> None:
    """人员数 of 光明社区 counts who reported there during the period: 周志强 (所属 石桥村) moved to 石桥村 today
    (20 November) and still counts in October; 报到人数 (at the period's end) agrees for October."""
    r = _people(both)
    f = both.people.create(
        {
            "name": "周志强",
            "unit_id": r["village"],
            "community_id": r["community"],
            "registered_on": "2026-01-01",
        }
    )
    both.people.update(f, {"community_id": r["village"]})  # moved today, 光明社区's 报到 ends 19 November
    # October in 光明社区: 张 and 李 report there, 王 belongs to it, 孙 (died 5 October) reported there, and 周
    assert ask(both, "人员数,报到人数", unit=r["community"]).total == (5, 3)  # 报到: 张, 李, 周
    assert sorted(drill(both, "人员数", unit=r["community"])) == sorted([r["a"], r["b"], r["c"], r["e"], f])
    # within 城关街道: 张 and 孙 belong to the street itself; 李 and 周 count where they reported
    street = table(ask(both, "人员数", "单位:社区村", unit=r["street"]))
    assert street == {"光明社区": (3,), "城关街道（本级）": (2,)}
    # November: 周 reported to 光明社区 until the 19th (人员数, during the month), not at its end (报到人数)
    november = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert ask(both, "人员数,报到人数", unit=r["community"], period=november).total == (4, 2)
    december = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert ask(both, "人员数,报到人数", unit=r["community"], period=december).total == (3, 2)
    # 石桥村: 赵 belongs there; 周 belongs there too — and reports there only from today
    assert ask(both, "人员数", unit=r["village"]).total == (2,)
