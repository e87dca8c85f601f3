"""The demo's 银龄超市: resources, demands and the orders that matched them, with their events."""

from __future__ import annotations

import datetime as dt
import random

from silverdesk.db import models as m
from silverdesk.services.demo.fill import Fill
from silverdesk.services.demo.people import GIVEN, SURNAMES


def resource_title(category: str) -> str:
    """A resource named after its category (心理疏导 → 心理疏导服务; 法律咨询 stays as it is)."""
    return category if category.endswith(("服务", "咨询", "指导", "讲座", "培训")) else f"{category}服务"


DEMAND_TITLES = (
    ("{}进社区", "社区", ""),
    ("开展{}活动", "活动", "开展{}"),
    ("请求{}志愿者支持", "志愿", "请求{}支持"),
)
"""How a demand is named after its category: (pattern, the word it adds, the pattern for a category that
already has the word — "" when there is none)."""


def demand_title(category: str, rng: random.Random) -> str:
    """A demand named after its category without doubling a word: 文化体育活动 → 开展文化体育活动 (not
    “开展文化体育活动活动”); 社区志愿服务 never gets “…进社区”."""
    fitting = [pattern if word not in category else instead for pattern, word, instead in DEMAND_TITLES]
    return rng.choice([p for p in fitting if p]).format(category)


def make_market(fill: Fill) -> None:
    fill.steps.at(fill.done, "生成资源、需求和订单")
    rng = fill.rng
    minor = [(name, v) for (k, name), v in fill.lookups.items() if k == "resource_category"]
    n_res = max(len(fill.team_units) * 2, 10) if fill.person_unit else 0
    resources, demands, orders, events = [], [], [], []
    for rid in range(1, n_res + 1):
        team, unit = rng.choice(fill.team_units) if fill.team_units else (None, rng.choice(fill.subunits))
        category, category_id = rng.choice(minor)
        resources.append(
            {
                "id": rid,
                "category_id": category_id,
                "title": resource_title(category),
                "content": "可提供上门服务",
                "team_id": team,
                "area_unit_id": unit,
                "available_text": rng.choice(("每周三下午", "每月第一周", "预约服务", "节假日")),
                "capacity": rng.randint(20, 200),
                "status": "可用",
                "provider_text": "",
                "contact_phone": "",
                "listed_on": fill.today - dt.timedelta(days=rng.randint(0, 700)),
            }
        )
    communities = [c for cs in fill.communities.values() for c in cs]
    n_dem = int(n_res * 0.8)
    order_id = 0
    for did in range(1, n_dem + 1):
        raised = fill.today - dt.timedelta(days=rng.randint(0, 700))
        status = "待对接"
        category, category_id = rng.choice(minor)
        demand = {
            "id": did,
            "category_id": category_id,
            "title": demand_title(category, rng),
            "content": "",
            "requester_unit_id": rng.choice(communities) if communities else None,
            "requester_text": "",
            "contact_name": rng.choice(SURNAMES) + rng.choice(GIVEN[:20]),
            "contact_phone": f"13{rng.randint(100000000, 999999999)}",
            "urgency": rng.choice(("一般", "一般", "较急", "紧急")),
            "raised_on": raised,
        }
        if resources and rng.random() < 0.65:
            order_id += 1
            res = rng.choice(resources)
            steps = ["发布", "认领", "签约", "实施", "完成", "评价"][: rng.randint(2, 6)]
            day = raised
            dates = {}
            for s in steps:
                dates[s] = day
                day = min(day + dt.timedelta(days=rng.randint(1, 20)), fill.today)
            final = steps[-1]
            status = "已完成" if final in ("完成", "评价") else "已对接"
            orders.append(
                {
                    "id": order_id,
                    "code": f"DD{raised.year}-{order_id:04d}",
                    "demand_id": did,
                    "resource_id": res["id"],
                    "team_id": res["team_id"],
                    "title": demand["title"],
                    "status": final,
                    "published_on": dates["发布"],
                    "claimed_on": dates.get("认领"),
                    "signed_on": dates.get("签约"),
                    "completed_on": dates.get("完成"),
                    "due_on": dates["发布"] + dt.timedelta(days=60),
                    "score": rng.randint(3, 5) if final == "评价" else None,
                    "evaluation": "",
                }
            )
            prev = None
            for s in steps:
                events.append(
                    {
                        "order_id": order_id,
                        "from_status": prev,
                        "to_status": s,
                        "happened_on": dates[s],
                        "operator": "演示",
                        "note": "",
                    }
                )
                prev = s
        demand["status"] = status
        demands.append(demand)
    fill.insert(m.Resource, resources)
    fill.insert(m.Demand, demands)
    fill.insert(m.ServiceOrder, orders)
    fill.insert(m.OrderEvent, events)
    fill.result.resources, fill.result.demands, fill.result.orders = (
        len(resources),
        len(demands),
        len(orders),
    )
