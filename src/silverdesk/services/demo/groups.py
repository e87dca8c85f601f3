"""The demo's groups: a party branch per unit with its members and co-building partners, volunteer teams,
places (阵地) and honours."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from silverdesk.db import models as m
from silverdesk.services.demo.fill import Fill

BRANDS = ("榴花红", "银龄先锋", "夕阳红", "6020红色集结号", "银发管家", "老兵宣讲", "")
TEAM_WORDS = (
    "理论宣讲",
    "文明劝导",
    "健康义诊",
    "法律服务",
    "关爱下一代",
    "矛盾调解",
    "银发管家",
    "文艺宣传",
    "环境整治",
    "助老服务",
    "农技服务",
    "书画交流",
)


def make_groups(fill: Fill) -> None:
    fill.steps.at(fill.done, "组建服务队和党组织")
    rng = fill.rng
    by_unit: dict[int, list[tuple[int, bool]]] = {}
    for pid, unit, party in fill.person_unit:
        by_unit.setdefault(unit, []).append((pid, party))
    org_rows, org_members, agreements, team_rows, team_members, team_cats, places = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    cats = [v for (k, _), v in fill.lookups.items() if k == "activity_category"]
    team_id = 0
    if not fill.person_unit:
        return  # no fictional people: no branches, teams, places or honours of them either
    for org_id, unit in enumerate(fill.subunits, start=1):
        unit_name = fill.conn.scalar(select(m.Unit.name).where(m.Unit.id == unit))
        members = [p for p, party in by_unit.get(unit, []) if party]
        secretary = members[0] if members else None
        org_rows.append(
            {
                "id": org_id,
                "name": f"{unit_name}离退休干部党支部",
                "org_type": "党支部",
                "unit_id": unit,
                "secretary_id": secretary,
                "founded_on": dt.date(rng.randint(2005, 2020), 7, 1),
                "notes": "",
            }
        )
        fill.org_ids.append(org_id)
        for i, pid in enumerate(members):
            org_members.append(
                {
                    "org_id": org_id,
                    "person_id": pid,
                    "role": "书记" if i == 0 else ("委员" if i < 4 else "党员"),
                }
            )
        for community in fill.communities.get(unit, []):
            if rng.random() < 0.8:
                agreements.append(
                    {
                        "org_id": org_id,
                        "partner_name": f"{_unit_name(fill, community)}党委",
                        "partner_unit_id": community,
                        "content": "结对共建",
                        "signed_on": fill.today - dt.timedelta(days=rng.randint(30, 900)),
                    }
                )
        people = [p for p, _ in by_unit.get(unit, [])]
        rng.shuffle(people)
        n_teams = max(1, min(len(people) // 25, 12)) if people else 0
        for t in range(n_teams):
            team_id += 1
            word = TEAM_WORDS[(team_id + t) % len(TEAM_WORDS)]
            team_rows.append(
                {
                    "id": team_id,
                    "name": f"{unit_name}{word}志愿服务队{t + 1 if t else ''}",
                    "brand": rng.choice(BRANDS),
                    "unit_id": unit,
                    "party_org_id": org_id,
                    "founded_on": dt.date(rng.randint(2015, 2024), rng.randint(1, 12), 1),
                    "status": "活跃",
                    "star_level": rng.choice((0, 0, 1, 2, 3, 4, 5)),
                    "notes": "",
                }
            )
            size = rng.randint(8, 30)
            chosen = people[t * 10 : t * 10 + size] or rng.sample(people, min(size, len(people)))
            fill.team_members[team_id] = chosen
            for i, pid in enumerate(dict.fromkeys(chosen)):
                team_members.append(
                    {
                        "team_id": team_id,
                        "person_id": pid,
                        "role": "队长"
                        if i == 0
                        else ("副队长" if i == 1 else ("联络员" if i == 2 else "队员")),
                    }
                )
            for c in rng.sample(cats, 2):
                team_cats.append({"team_id": team_id, "category_id": c})
            fill.team_units.append((team_id, unit))
        if rng.random() < 0.6:
            places.append(
                {
                    "name": f"{unit_name}{rng.choice(('银龄驿站', '老干部工作室', '志愿服务站', '银领之家'))}",
                    "kind": rng.choice(("驿站", "工作室", "服务站", "银领之家")),
                    "unit_id": unit,
                    "address": "",
                    "opened_on": dt.date(rng.randint(2018, 2024), 6, 1),
                }
            )
    honours: list[dict[str, Any]] = [
        {
            "title": rng.choice(("全国最美志愿者", "省级优秀志愿者", "市级优秀共产党员", "县级最美老干部")),
            "level": "县级",
            "issuer": "",
            "awarded_on": fill.today - dt.timedelta(days=rng.randint(30, 900)),
            "person_id": pid,
            "team_id": None,
        }
        for pid, _, _ in rng.sample(fill.person_unit, min(len(fill.person_unit) // 100, 200))
    ]
    for h in honours:
        h["level"] = {"全": "全国", "省": "省级", "市": "市级"}.get(h["title"][0], "县级")
    honours += [
        {
            "title": "优秀志愿服务队",
            "level": "市级",
            "issuer": "",
            "awarded_on": fill.today.replace(day=1),
            "person_id": None,
            "team_id": tid,
        }
        for tid, _ in fill.team_units[:: max(1, len(fill.team_units) // 5)]
    ]
    for model, rows in (
        (m.PartyOrg, org_rows),
        (m.PartyOrgMember, org_members),
        (m.CoBuildingAgreement, agreements),
        (m.Team, team_rows),
        (m.TeamMember, team_members),
        (m.TeamCategory, team_cats),
        (m.Place, places),
        (m.Honour, honours),
    ):
        fill.insert(model, rows)
    fill.result.party_orgs, fill.result.teams = len(org_rows), len(team_rows)


def _unit_name(fill: Fill, unit_id: int) -> str:
    return fill.conn.scalar(select(m.Unit.name).where(m.Unit.id == unit_id)) or ""
