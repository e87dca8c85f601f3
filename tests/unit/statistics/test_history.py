"""Past periods stay true (issue #17): what a clerk changes today records a date and leaves the months
already reported as they were.  Every expected figure is worked out by hand in the comments.

The services' clock stands at 2026-11-20 (tests/conftest.py ``FIXED_NOW``) unless a test moves it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from silverdesk.db.models import PersonCommunityRole, PersonRegistration, ResourceEvent, TeamMember
from silverdesk.services.statistics import asof
from silverdesk.services.statistics.periods import ReportPeriod, month, parse_period, quarter, year
from silverdesk.services.statistics.tables import StatisticsService

NOV20 = dt.date(2026, 11, 20)


def report(services, period: ReportPeriod, unit_id: int | None = None):
    return StatisticsService(services.ctx).report(period, unit_id)


def volunteers(services, period: ReportPeriod) -> int:
    return report(services, period).table1_total.volunteers


def teams(services, period: ReportPeriod) -> int:
    return report(services, period).table1_total.teams


def at(services, day: dt.date) -> None:
    """Move the clerk's clock to ``day`` (10 o'clock)."""
    services.ctx.clock = lambda: dt.datetime(day.year, day.month, day.day, 10, 0)


@pytest.fixture
def four(services, county):
    """A team founded 2026-01-01 with four members entered when it was (joined: unknown → counted from
    its founding); one more person, 钱学文, on no team."""
    names = ("张建国", "李桂兰", "王德明", "赵秀英", "钱学文")
    ids = [services.people.create({"name": n, "unit_id": county["street"]}) for n in names]
    team = services.teams.create(
        {
            "name": "光明社区银发管家服务队",
            "unit_id": county["street"],
            "founded_on": "2026-01-01",
            "members": [(pid, "队员") for pid in ids[:4]],
        }
    )
    return {"team": team, "people": ids, **county}


def test_removing_a_member_in_november_leaves_october_at_four(services, four):
    team, (zhang, li, wang, zhao, _) = four["team"], four["people"]
    assert volunteers(services, month(2026, 10)) == 4
    services.teams.update(team, {"members": [(zhang, "队员"), (li, "队员"), (wang, "队员")]})
    assert volunteers(services, month(2026, 10)) == 4  # 4 stays 4
    assert volunteers(services, month(2026, 11)) == 4  # 赵秀英 served until 11-20
    assert volunteers(services, month(2026, 12)) == 3
    assert volunteers(services, quarter(2026, 4)) == 4  # the quarter says what its months said
    assert volunteers(services, year(2026)) == 4
    assert [name for _, name, _ in services.teams.members(team)] == ["李桂兰", "王德明", "张建国"]
    assert services.teams.detail(team)["past_members"] == 1
    assert services.teams.list()[0]["members"] == 3
    with services.ctx.db.reader() as s:
        rows = s.execute(select(TeamMember.person_id, TeamMember.left_on).where(TeamMember.team_id == team))
        assert dict(rows.all())[zhao] == NOV20  # kept, with his last day


def test_a_role_change_ends_the_old_row_and_counts_the_person_once(services, four):
    team, (zhang, li, wang, zhao, _) = four["team"], four["people"]
    services.teams.update(team, {"members": [(zhang, "队长"), (li, "队员"), (wang, "队员"), (zhao, "队员")]})
    with services.ctx.db.reader() as s:
        rows = s.execute(
            select(TeamMember.role, TeamMember.joined_on, TeamMember.left_on)
            .where(TeamMember.person_id == zhang)
            .order_by(TeamMember.id)
        ).all()
    assert [tuple(r) for r in rows] == [("队员", None, NOV20), ("队长", NOV20, None)]
    assert services.teams.members(team)[0][1:] == ("张建国", "队长")
    assert volunteers(services, month(2026, 10)) == 4
    assert volunteers(services, month(2026, 11)) == 4  # 张建国 once, in either role
    at(services, dt.date(2026, 12, 5))
    services.teams.update(team, {"members": [(zhang, "队长"), (wang, "队员"), (zhao, "队员")]})
    assert volunteers(services, month(2026, 12)) == 4  # 李桂兰 served until 12-05
    assert volunteers(services, month(2027, 1)) == 3


def test_a_member_added_today_counts_from_today_and_a_same_day_mistake_leaves_nothing(services, four):
    team, (zhang, li, wang, zhao, qian) = four["team"], four["people"]
    everyone = [(zhang, "队员"), (li, "队员"), (wang, "队员"), (zhao, "队员")]
    services.teams.update(team, {"members": [*everyone, (qian, "队员")]})
    assert volunteers(services, month(2026, 10)) == 4  # 钱学文 joined on 11-20
    assert volunteers(services, month(2026, 11)) == 5
    services.teams.update(team, {"members": everyone})  # added by mistake, taken out the same day
    with services.ctx.db.reader() as s:
        assert s.scalar(select(TeamMember.id).where(TeamMember.person_id == qian)) is None
    assert volunteers(services, month(2026, 11)) == 4
    services.teams.update(team, {"members": everyone[:3]})
    services.teams.update(team, {"members": everyone})  # 赵秀英 removed by mistake: the row reopens
    with services.ctx.db.reader() as s:
        assert s.execute(select(TeamMember.left_on).where(TeamMember.person_id == zhao)).scalars().all() == [
            None
        ]


def test_a_report_of_2024_does_not_count_the_volunteers_of_a_team_founded_in_2025(services, county):
    people = [
        services.people.create({"name": n, "unit_id": county["town"]}) for n in ("孙立", "周梅", "吴强")
    ]
    services.teams.create(
        {
            "name": "龙山镇理论宣讲队",
            "unit_id": county["town"],
            "founded_on": "2025-03-01",
            "members": [(p, "队员") for p in people],
        }
    )
    assert (teams(services, year(2024)), volunteers(services, year(2024))) == (0, 0)  # was 0 and 3
    assert (teams(services, year(2025)), volunteers(services, year(2025))) == (1, 3)
    assert (teams(services, month(2025, 2)), volunteers(services, month(2025, 2))) == (0, 0)
    assert (teams(services, month(2025, 3)), volunteers(services, month(2025, 3))) == (1, 3)


def test_dissolving_a_team_keeps_the_months_it_existed(services, four):
    team = four["team"]
    services.teams.retire(team)  # 撤销 today, 2026-11-20
    assert services.teams.detail(team)["dissolved_on"] == NOV20
    assert (teams(services, month(2026, 10)), volunteers(services, month(2026, 10))) == (1, 4)
    # November: no team at its end, but the four served in it until 11-20
    assert (teams(services, month(2026, 11)), volunteers(services, month(2026, 11))) == (0, 4)
    assert (teams(services, month(2026, 12)), volunteers(services, month(2026, 12))) == (0, 0)
    services.teams.update(team, {"status": "活跃"})  # set back: no date of 撤销
    assert services.teams.detail(team)["dissolved_on"] is None
    services.teams.update(team, {"status": "撤销", "dissolved_on": "2026-10-15"})  # a date typed
    assert (teams(services, month(2026, 9)), teams(services, month(2026, 10))) == (1, 0)
    assert volunteers(services, month(2026, 10)) == 4 and volunteers(services, month(2026, 11)) == 0


def test_dissolving_a_party_organisation_keeps_the_months_it_existed(services, county):
    org = services.party_orgs.create(
        {
            "name": "城关街道离退休干部党支部",
            "org_type": "党支部",
            "unit_id": county["street"],
            "founded_on": "2020-07-01",
        }
    )
    services.party_orgs.add_agreement(org, "光明社区党委", dt.date(2026, 3, 1), county["community"])
    assert report(services, month(2026, 10)).table3.party_orgs == 1
    services.party_orgs.dissolve(org)
    assert report(services, month(2026, 10)).table3.party_orgs == 1
    assert report(services, month(2026, 12)).table3.party_orgs == 0
    assert report(services, month(2020, 6)).table3.party_orgs == 0


def test_ending_a_community_role_keeps_the_months_it_was_held(services, county):
    person = services.people.create(
        {
            "name": "张建国",
            "unit_id": county["street"],
            "community_roles": [("楼长", "2025-05-01"), ("网格员", "2025-05-01")],
        }
    )

    def roles(period: ReportPeriod) -> tuple[int, int, int]:
        t3 = report(services, period).table3
        held = dict(t3.community_roles)
        return held["楼长"], held["网格员"], t3.community_role_people

    assert roles(month(2026, 10)) == (1, 1, 1)
    services.people.update(person, {"community_roles": ["楼长"]})  # 网格员 ends today, 11-20
    assert services.people.detail(person)["community_roles"] == ["楼长"]
    assert roles(month(2026, 10)) == (1, 1, 1)  # unchanged
    assert roles(month(2026, 11)) == (1, 0, 1)
    services.people.update(person, {"community_roles": []})
    assert roles(month(2026, 10)) == (1, 1, 1) and roles(month(2026, 12)) == (0, 0, 0)
    at(services, dt.date(2026, 12, 10))
    services.people.update(person, {"community_roles": ["网格员"]})  # held again, from 12-10
    assert roles(month(2026, 12)) == (0, 1, 1)
    assert roles(month(2026, 11)) == (0, 0, 0)
    with services.ctx.db.reader() as s:
        rows = s.execute(
            select(PersonCommunityRole.since, PersonCommunityRole.until).order_by(PersonCommunityRole.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        (dt.date(2025, 5, 1), NOV20),
        (dt.date(2025, 5, 1), NOV20),
        (dt.date(2026, 12, 10), None),
    ]


def test_a_role_entered_today_is_not_counted_in_the_months_before(services, county):
    services.people.create({"name": "李桂兰", "unit_id": county["street"], "community_roles": ["调解员"]})
    assert dict(report(services, month(2026, 10)).table3.community_roles)["调解员"] == 0  # was 1
    assert dict(report(services, month(2026, 11)).table3.community_roles)["调解员"] == 1


def test_moving_community_ends_the_old_registration(services, county):
    other = services.units.create({"name": "幸福社区", "kind": "社区", "parent_id": county["street"]})
    person = services.people.create(
        {
            "name": "王德明",
            "unit_id": county["street"],
            "community_id": county["community"],
            "registered_on": "2025-05-01",
        }
    )

    def registered(period: ReportPeriod) -> int:
        return report(services, period).table3.registered

    services.people.update(person, {"community_id": other})
    assert services.people.detail(person)["registered_on"] == NOV20  # registered where he lives now
    with services.ctx.db.reader() as s:
        past = s.execute(
            select(PersonRegistration.community_id, PersonRegistration.since, PersonRegistration.until)
        )
        assert [tuple(r) for r in past] == [(county["community"], dt.date(2025, 5, 1), dt.date(2026, 11, 19))]
        rows = s.execute(select(asof.registrations())).all()
        assert sorted((r.community_id, r.until) for r in rows) == sorted(
            [(county["community"], dt.date(2026, 11, 19)), (other, None)]
        )
    assert [registered(month(2026, m)) for m in (10, 11, 12)] == [1, 1, 1]  # always registered somewhere
    assert registered(month(2025, 4)) == 0
    at(services, dt.date(2026, 12, 10))
    services.people.update(person, {"registered_on": None})  # no longer registered, from 12-10
    assert [registered(month(2026, m)) for m in (10, 11, 12)] == [1, 1, 0]
    assert registered(parse_period("2026-12-01..2026-12-10")) == 1  # 12-10 is his last day


def test_a_resource_withdrawn_after_the_period_still_counts_in_its_table4(services, county):
    base = {"area_unit_id": county["street"], "listed_on": "2026-09-01"}
    withdrawn = services.resources.create({**base, "title": "健康讲座"})
    paused = services.resources.create({**base, "title": "法律咨询"})

    def resources(period: ReportPeriod) -> int:
        return report(services, period).table4.resources

    assert resources(month(2026, 10)) == 2
    services.resources.retire(withdrawn)  # 撤销 on 11-20
    services.resources.update(paused, {"status": "暂停"})  # 11-20
    assert resources(month(2026, 10)) == 2  # was 0
    assert resources(month(2026, 11)) == 0
    at(services, dt.date(2026, 12, 10))
    services.resources.update(paused, {"status": "可用"})
    assert resources(parse_period("2026-12-01..2026-12-09")) == 0
    assert resources(month(2026, 12)) == 1
    assert resources(month(2026, 10)) == 2
    with services.ctx.db.reader() as s:
        events = s.execute(
            select(
                ResourceEvent.resource_id,
                ResourceEvent.from_status,
                ResourceEvent.to_status,
                ResourceEvent.happened_on,
            ).order_by(ResourceEvent.id)
        ).all()
    assert [tuple(e) for e in events] == [
        (withdrawn, "可用", "撤销", NOV20),
        (paused, "可用", "暂停", NOV20),
        (paused, "暂停", "可用", dt.date(2026, 12, 10)),
    ]
    assert report(services, month(2026, 10), county["street"]).table4.resources == 2  # a unit's 表4 too


def test_an_order_withdrawn_after_the_period_still_counts_as_a_match(services, county):
    orders = services.orders
    later = orders.create(title="防诈骗宣传", published_on=dt.date(2026, 10, 6))
    orders.cancel(later, "需求方取消", on=dt.date(2026, 11, 3))
    same = orders.create(title="健康讲座", published_on=dt.date(2026, 10, 8))
    orders.cancel(same, "重复登记", on=dt.date(2026, 10, 25))
    assert report(services, month(2026, 10)).table4.matches == 1  # was 0: withdrawn in November
    assert report(services, month(2026, 11)).table4.matches == 0  # published in October


def test_every_predicate_of_the_contract_has_its_rule():
    names = [
        "team_exists",
        "team_existed_during",
        "membership_during",
        "membership_at",
        "party_org_exists",
        "agreement_active",
        "place_open",
        "role_held",
        "registered_at",
        "on_roster_during",
        "on_roster_at",
        "resource_available_at",
        "order_status_at",
        "order_live_at",
        "role_held_during",
    ]
    for name in names:
        assert callable(getattr(asof, name))
        rule = asof.RULES[name]
        assert rule.endswith("。") and "日" in rule, name
    assert "一直" in asof.RULES["membership_during"]  # unknown dates count as "always", said
