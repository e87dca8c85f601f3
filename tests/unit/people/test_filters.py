"""The people list's filters (issue #18): 人才库类别, 社区任职, 服务队, 居住社区, 党组织 — each as of today,
combinable with the search box; ended roles and memberships do not match."""

import datetime as dt

import pytest
from sqlalchemy import select

from silverdesk.db.models import Lookup, PartyOrg, PartyOrgMember, PersonCommunityRole, Team, TeamMember
from silverdesk.services.people.roster import PersonFilter

TODAY = dt.date(2026, 11, 20)  # the tests' clock


def lookup_id(services, kind, name):
    with services.ctx.db.reader() as s:
        return s.scalar(select(Lookup.id).where(Lookup.kind == kind, Lookup.name == name))


@pytest.fixture
def roster(services, county):
    """张一 (书画 talent, 楼长 now, in 夕阳红服务队, in 光明社区 party branch, lives in 光明社区);
    李二 (楼长 until last month, left the team yesterday, left the branch last year, lives elsewhere);
    王三 (nothing of it); 张四 (joins the team and the branch next month)."""
    people = services.people
    ids = {
        "张一": people.create(
            {
                "name": "张一",
                "unit_id": county["street"],
                "community_id": county["community"],
                "talents": "文化艺术",
            }
        ),
        "李二": people.create({"name": "李二", "unit_id": county["street"], "community_id": county["town"]}),
        "王三": people.create({"name": "王三", "unit_id": county["town"]}),
        "张四": people.create({"name": "张四", "unit_id": county["town"]}),
    }
    role = lookup_id(services, "community_role", "楼长")
    with services.ctx.db.session() as s:
        team = Team(name="夕阳红服务队", unit_id=county["street"])
        org = PartyOrg(name="光明社区离退休干部党支部", org_type="党支部", unit_id=county["community"])
        s.add_all([team, org])
        s.flush()
        s.add_all(
            [
                PersonCommunityRole(
                    person_id=ids["张一"],
                    role_id=role,
                    community_id=county["community"],
                    since=dt.date(2025, 1, 1),
                ),
                PersonCommunityRole(
                    person_id=ids["李二"],
                    role_id=role,
                    community_id=county["community"],
                    since=dt.date(2024, 1, 1),
                    until=dt.date(2026, 10, 31),
                ),
                TeamMember(
                    team_id=team.id, person_id=ids["张一"], role="队员", joined_on=dt.date(2025, 3, 1)
                ),
                TeamMember(
                    team_id=team.id, person_id=ids["李二"], role="队员", left_on=TODAY - dt.timedelta(1)
                ),
                TeamMember(
                    team_id=team.id, person_id=ids["张四"], role="队员", joined_on=dt.date(2026, 12, 1)
                ),
                PartyOrgMember(org_id=org.id, person_id=ids["张一"], joined_on=dt.date(2020, 1, 1)),
                PartyOrgMember(org_id=org.id, person_id=ids["李二"], left_on=dt.date(2025, 6, 30)),
                PartyOrgMember(org_id=org.id, person_id=ids["张四"], joined_on=dt.date(2026, 12, 1)),
            ]
        )
        s.flush()
        ids["team"], ids["org"], ids["role"] = team.id, org.id, role
    return ids


def names(services, flt):
    found = services.people.rows_by_ids(services.people.search_ids(flt))
    return sorted(r.name for r in found)


def test_talent_category_keeps_the_people_of_that_category(services, roster):
    talent = lookup_id(services, "talent_category", "文化艺术")
    assert names(services, PersonFilter(talent_category_id=talent)) == ["张一"]
    other = lookup_id(services, "talent_category", "医疗卫生")
    assert names(services, PersonFilter(talent_category_id=other)) == []


def test_role_counts_only_roles_held_today(services, roster):
    assert names(services, PersonFilter(role_id=roster["role"])) == ["张一"]  # 李二's ended in October


def test_team_counts_only_members_today(services, roster):
    # 李二 left yesterday, 张四 joins next month
    assert names(services, PersonFilter(team_id=roster["team"])) == ["张一"]


def test_party_org_counts_only_members_today(services, roster):
    assert names(services, PersonFilter(party_org_id=roster["org"])) == ["张一"]


def test_community_is_where_the_person_lives(services, roster, county):
    assert names(services, PersonFilter(community_id=county["community"])) == ["张一"]
    assert names(services, PersonFilter(community_id=county["town"])) == ["李二"]


def test_filters_combine_with_each_other_with_the_search_and_the_count(services, roster, county):
    assert names(services, PersonFilter(query="张")) == ["张一", "张四"]
    both = PersonFilter(query="张", team_id=roster["team"], role_id=roster["role"])
    assert names(services, both) == ["张一"]
    assert services.people.count(both) == 1
    assert names(services, PersonFilter(query="李", team_id=roster["team"])) == []
    assert names(services, PersonFilter(query="zy", community_id=county["community"])) == ["张一"]
    # sorted by another column too
    assert services.people.search_ids(PersonFilter(team_id=roster["team"]), sort="phone") == [roster["张一"]]
