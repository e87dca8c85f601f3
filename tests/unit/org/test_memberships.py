"""Team and party-organisation members keep their dates (issue #17): the services end rows, never delete them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from silverdesk.db.models import AuditLog, PartyOrgMember, TeamMember
from silverdesk.errors import ValidationError

NOV20 = dt.date(2026, 11, 20)  # the services' clock (tests/conftest.py)


def test_a_party_organisation_member_who_leaves_or_changes_role_keeps_his_past_row(services, county):
    a, b, c = (
        services.people.create({"name": n, "unit_id": county["street"]})
        for n in ("张建国", "李桂兰", "王德明")
    )
    org = services.party_orgs.create(
        {
            "name": "城关街道离退休干部党支部",
            "org_type": "党支部",
            "members": [(a, "书记"), (b, "党员"), (c, "党员")],
        }
    )
    services.party_orgs.update(org, {"members": [(a, "书记"), (b, "委员")]})  # 王德明 leaves, 李桂兰 委员
    detail = services.party_orgs.detail(org)
    assert [(name, role) for _, name, role in detail["members"]] == [("张建国", "书记"), ("李桂兰", "委员")]
    assert services.party_orgs.list()[0]["members"] == 2
    with services.ctx.db.reader() as s:
        rows = s.execute(
            select(
                PartyOrgMember.person_id,
                PartyOrgMember.role,
                PartyOrgMember.joined_on,
                PartyOrgMember.left_on,
            ).order_by(PartyOrgMember.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        (a, "书记", None, None),
        (b, "党员", None, NOV20),
        (c, "党员", None, NOV20),
        (b, "委员", NOV20, None),
    ]


def test_team_status_and_members_say_what_changed_and_when(services, county):
    a, b = (services.people.create({"name": n, "unit_id": county["town"]}) for n in ("孙立", "周梅"))
    team = services.teams.create(
        {"name": "龙山镇理论宣讲队", "founded_on": "2020-05-01", "members": [(a, "队长")]}
    )
    services.teams.update(team, {"members": [(b, "队长")]})
    with services.ctx.db.reader() as s:
        summary = s.scalar(select(AuditLog.summary).where(AuditLog.summary.like("调整队员%")))
        rows = s.execute(select(TeamMember.person_id, TeamMember.joined_on, TeamMember.left_on)).all()
    assert summary == "调整队员：龙山镇理论宣讲队（加入1人，离队1人，调整角色0人，记于2026-11-20）"
    assert sorted(tuple(r) for r in rows) == sorted([(a, None, NOV20), (b, NOV20, None)])
    with pytest.raises(ValidationError) as refused:
        services.teams.update(team, {"status": "撤销", "dissolved_on": "2019-01-01"})
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("dissolved_on", "撤销时间早于成立时间，请核对")
    ]
    services.teams.update(team, {"status": "撤销"})
    assert services.teams.detail(team)["dissolved_on"] == NOV20
    assert services.teams.list() == [] and services.teams.list(include_retired=True)[0]["status"] == "撤销"
