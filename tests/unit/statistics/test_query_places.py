"""阵地数 by hand: places open at the period's end by 阵地类型 and 单位 (one opened later, one closed); activities
by their place and its kind."""

from __future__ import annotations

from silverdesk.services.hub import Services
from tests.unit.statistics.query_helpers import ask, small_county, table


def test_places_by_kind_and_unit(both: Services) -> None:
    u = small_county(both)
    place = both.places.create
    p1 = place(
        {"name": "光明社区银龄驿站", "kind": "驿站", "unit_id": u["community"], "opened_on": "2025-03-01"}
    )
    p2 = place({"name": "龙山镇老干部工作室", "kind": "工作室", "unit_id": u["town"]})
    place({"name": "石桥村银龄驿站", "kind": "驿站", "unit_id": u["village"], "opened_on": "2026-11-10"})
    place({"name": "城关街道服务站", "kind": "服务站", "unit_id": u["street"], "closed_on": "2026-10-01"})
    assert ask(both, "阵地数").total == (2,)
    assert table(ask(both, "阵地数", "阵地类型")) == {"驿站": (1,), "工作室": (1,)}
    assert table(ask(both, "阵地数", "单位")) == {"城关街道": (1,), "龙山镇": (1,)}
    assert ask(both, "阵地数", where=("阵地类型=驿站",), unit=u["street"]).total == (1,)
    for title, where, sessions in (("读书会", p1, 2), ("义诊", p1, 1), ("宣讲", p2, 3), ("走访", None, 1)):
        both.activities.create(
            {
                "occurred_on": "2026-10-12",
                "title": title,
                "unit_id": u["street"],
                "place_id": where,
                "sessions": sessions,
            }
        )
    assert table(ask(both, "场次", "阵地")) == {
        "光明社区银龄驿站": (3,),
        "龙山镇老干部工作室": (3,),
        "未注明阵地": (1,),
    }
    assert table(ask(both, "场次", "阵地类型")) == {"驿站": (3,), "工作室": (3,), "未注明阵地": (1,)}
    assert ask(both, "场次", where=("阵地=光明社区银龄驿站",)).total == (3,)
