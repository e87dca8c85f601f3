"""The demo county's unit tree: the county, its 街道/乡镇 and 部门, and the communities and villages below."""

from __future__ import annotations

from sqlalchemy import text

from silverdesk.db import models as m
from silverdesk.services.demo.fill import Fill

STREETS = ("城关街道", "东城街道", "西城街道", "龙山镇", "青河镇", "柳林镇", "石桥乡", "杏花乡")
DEPARTMENTS = ("县直机关工委", "县教育局", "县卫生健康局", "县农业农村局", "县财政局", "县人民医院")
COMMUNITY_SUFFIX = ("社区", "社区", "社区", "村")
COMMUNITY_WORDS = (
    "龙头路",
    "光明",
    "和平",
    "幸福",
    "文化路",
    "新华",
    "青年路",
    "东关",
    "西关",
    "南街",
    "北苑",
    "翠屏",
    "榴园",
    "银杏",
    "桃源",
    "安居",
    "平安",
    "民主",
    "建设",
    "振兴",
    "前进",
    "红旗",
)


def make_units(fill: Fill, county: str) -> None:
    fill.steps.at(0, "建立单位")
    rows = [
        {
            "id": 1,
            "name": county,
            "kind": "县",
            "parent_id": None,
            "sort_order": 0,
            "active": True,
            "notes": "",
        }
    ]
    next_id = 2
    words = list(COMMUNITY_WORDS)
    fill.rng.shuffle(words)
    for i, name in enumerate(STREETS + DEPARTMENTS):
        kind = "部门" if name in DEPARTMENTS else ("街道" if name.endswith("街道") else "乡镇")
        rows.append(
            {
                "id": next_id,
                "name": name,
                "kind": kind,
                "parent_id": 1,
                "sort_order": i,
                "active": True,
                "notes": "",
            }
        )
        unit_id = next_id
        fill.subunits.append(unit_id)
        next_id += 1
        if kind != "部门":
            fill.communities[unit_id] = []
            for j in range(fill.rng.randint(2, 4)):
                word = words[(i * 4 + j) % len(words)]
                suffix = "社区" if kind == "街道" else fill.rng.choice(COMMUNITY_SUFFIX)
                rows.append(
                    {
                        "id": next_id,
                        "name": f"{word}{suffix}",
                        "kind": "社区" if suffix == "社区" else "村",
                        "parent_id": unit_id,
                        "sort_order": j,
                        "active": True,
                        "notes": "",
                    }
                )
                fill.communities[unit_id].append(next_id)
                next_id += 1
    fill.insert(m.Unit, rows)
    fill.result.units = len(rows)


def write_settings(fill: Fill, county: str) -> None:
    fill.conn.execute(text("UPDATE setting SET value = :v WHERE key = 'county_name'"), {"v": county})
    fill.conn.execute(
        text("UPDATE setting SET value = :v WHERE key = 'bureau_name'"), {"v": f"中共{county}委老干部局"}
    )
