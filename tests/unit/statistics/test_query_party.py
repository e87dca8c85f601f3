"""党组织数, 共建协议数 and 党员数 by hand: stocks at the period's end — an organisation founded later or
dissolved before it, an agreement signed later, a member who died in the month are not counted."""

from __future__ import annotations

import datetime as dt

from silverdesk.services.hub import Services
from tests.unit.statistics.query_helpers import ask, small_county, table

AUG = (dt.date(2026, 8, 1), dt.date(2026, 8, 31))


def _orgs(s: Services) -> dict[str, int]:
    u = small_county(s)
    org = s.party_orgs.create
    o1 = org(
        {
            "name": "光明社区离退休干部党支部",
            "org_type": "党支部",
            "unit_id": u["community"],
            "founded_on": "2020-05-01",
        }
    )
    o2 = org({"name": "龙山镇离退休干部党委", "org_type": "党委", "unit_id": u["town"]})
    org(
        {
            "name": "城关街道老干部党支部",
            "org_type": "党支部",
            "unit_id": u["street"],
            "founded_on": "2026-11-01",
        }
    )
    o4 = org({"name": "石桥村临时党支部", "org_type": "临时党支部", "unit_id": u["village"]})
    s.party_orgs.dissolve(o4, dt.date(2026, 9, 30))
    s.party_orgs.add_agreement(o1, "光明社区党委", dt.date(2025, 6, 1))
    s.party_orgs.add_agreement(o2, "石桥村党支部", dt.date(2026, 10, 15))
    s.party_orgs.add_agreement(o2, "龙山镇机关党支部", dt.date(2026, 11, 2))
    person = s.people.create
    person({"name": "张建国", "political_status": "中共党员", "unit_id": u["street"]})
    b = person({"name": "李桂兰", "political_status": "中共党员", "unit_id": u["community"]})
    s.people.set_status(b, "去世", dt.date(2026, 10, 20))
    person({"name": "王德明", "political_status": "群众", "unit_id": u["town"]})
    person({"name": "赵秀英", "political_status": "中共预备党员", "unit_id": u["village"]})
    return u


def test_party_orgs_at_the_period_end(both: Services) -> None:
    u = _orgs(both)
    assert ask(both, "党组织数").total == (2,)
    assert table(ask(both, "党组织数", "党组织类型")) == {"党委": (1,), "党支部": (1,)}
    assert table(ask(both, "党组织数", "单位")) == {"城关街道": (1,), "龙山镇": (1,)}
    assert ask(both, "党组织数", period=AUG).total == (3,)  # the 临时党支部 still there
    assert ask(both, "党组织数", unit=u["community"]).total == (1,)


def test_agreements_at_the_period_end(both: Services) -> None:
    u = _orgs(both)
    assert table(ask(both, "共建协议数", "单位")) == {"城关街道": (1,), "龙山镇": (1,)}
    assert ask(both, "共建协议数", period=AUG).total == (1,)
    assert ask(both, "共建协议数", unit=u["town"]).total == (1,)


def test_party_members_on_the_roster_at_the_period_end(both: Services) -> None:
    _orgs(both)
    by_status = ask(both, "党员数", "政治面貌")
    assert table(by_status) == {"中共党员": (1,), "中共预备党员": (1,)}  # 李桂兰 died in October
    assert ask(both, "党员数", period=(dt.date(2026, 9, 1), dt.date(2026, 9, 30))).total == (3,)
