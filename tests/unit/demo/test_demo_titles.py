"""The demo data reads like a clerk wrote it: no title doubles a word (“开展文化体育活动活动”, issue 14)."""

from __future__ import annotations

import random
import re
import sqlite3
from pathlib import Path

from silverdesk.services import demo
from silverdesk.services.demo.market import DEMAND_TITLES, demand_title
from silverdesk.services.hub import Services

DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,})\1")


def test_no_demand_title_doubles_the_word_its_pattern_adds(services: Services) -> None:
    categories = [item.name for item in services.lookups.items("resource_category")]
    assert "文化体育活动" in categories and "社区志愿服务" in categories
    rng = random.Random(1)
    titles = {demand_title(name, rng) for name in categories for _ in range(30)}
    assert {"开展文化体育活动", "文化体育活动进社区", "请求社区志愿服务支持"} <= titles
    for title in titles:
        assert not DOUBLED.search(title), title
        for _pattern, word, _instead in DEMAND_TITLES:
            assert title.count(word) <= 1, title  # 社区志愿服务进社区 reads as badly


def test_the_generated_titles_and_names_double_no_word(services: Services, db_path: Path) -> None:
    demo.generate(services.ctx, people=600, activities=3000, seed=7)
    with sqlite3.connect(db_path) as conn:
        texts = [
            row[0]
            for table, column in (
                ("activity", "title"),
                ("demand", "title"),
                ("service_order", "title"),
                ("resource", "title"),
                ("team", "name"),
                ("place", "name"),
                ("party_org", "name"),
                ("unit", "name"),
                ("honour", "title"),
            )
            for row in conn.execute(f"SELECT DISTINCT {column} FROM {table}")
        ]
    assert len(texts) > 100
    assert [t for t in texts if DOUBLED.search(t)] == []
