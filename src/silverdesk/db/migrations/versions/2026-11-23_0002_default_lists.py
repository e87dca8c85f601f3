"""default configurable lists (服务领域, 资源/需求类别 10大类25小项, 社区任职, 人才库类别, 职级) and settings

The lists are frozen here as they shipped; later changes to defaults come as new migrations,
and a bureau's own edits are made through the program and never overwritten.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ACTIVITY_CATEGORIES = [
    ("理论宣讲", "政策宣讲|宣讲"),
    ("助推产业发展", "产业发展|助力产业"),
    ("促进乡村振兴", "乡村振兴"),
    ("参与社区治理", "社区治理|基层治理"),
    ("矛盾纠纷调解", "矛盾调解|纠纷调解|调解"),
    ("关心下一代", "关爱下一代|青少年教育"),
    ("为老服务", "助老服务|敬老助老"),
    ("文明创建", "文明城市创建|移风易俗"),
    ("健康义诊", "义诊|医疗服务"),
    ("法治宣传", "普法宣传|法律服务"),
    ("生态环保", "环境保护|环保"),
    ("建言献策", "调研咨政|咨政建言"),
]

RESOURCE_CATEGORIES = [
    ("政策理论宣讲", ["党的理论宣讲", "政策法规解读", "红色故事讲述"]),
    ("社区治理参与", ["楼院网格服务", "议事协商", "社区志愿服务"]),
    ("矛盾纠纷调解", ["邻里纠纷调解", "信访化解"]),
    ("法律咨询服务", ["法律咨询", "普法宣传"]),
    ("医疗健康服务", ["健康义诊", "健康讲座", "心理疏导"]),
    ("教育关爱下一代", ["课业辅导", "红色教育"]),
    ("文化体育活动", ["文艺演出", "书画摄影", "健身指导"]),
    ("产业发展助力", ["农技指导", "招商引资咨询", "电商助农"]),
    ("为老助老服务", ["智慧助老", "探访慰问"]),
    ("文明创建与生态环保", ["文明劝导", "环境整治"]),
]

COMMUNITY_ROLES = [
    "社区党委委员",
    "业委会成员",
    "楼长",
    "网格员",
    "网格长",
    "调解员",
    "第一书记",
    "党建指导员",
]
TALENT_CATEGORIES = [
    "政治理论",
    "历史人文",
    "文化艺术",
    "医疗卫生",
    "法律服务",
    "农业科技",
    "教育培训",
    "经济管理",
]
RANKS = [
    "省部级",
    "厅局级正职",
    "厅局级副职",
    "县处级正职",
    "县处级副职",
    "乡科级正职",
    "乡科级副职",
    "科员及以下",
]

SETTINGS = {
    "bureau_name": "中共XX县委老干部局",
    "county_name": "XX县",
    "report_title": "离退休干部志愿服务工作统计月报",
    "report_leader": "",
    "report_reviewer": "",
    "report_preparer": "",
    "report_phone": "",
}


def upgrade() -> None:
    lookup = sa.table(
        "lookup",
        sa.column("id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("name", sa.String),
        sa.column("parent_id", sa.Integer),
        sa.column("aliases", sa.Text),
        sa.column("sort_order", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.Text))
    rows: list[dict] = []
    next_id = 1

    def add(kind: str, name: str, order: int, parent: int | None = None, aliases: str = "") -> int:
        nonlocal next_id
        rows.append(
            {
                "id": next_id,
                "kind": kind,
                "name": name,
                "parent_id": parent,
                "aliases": aliases,
                "sort_order": order,
                "active": True,
            }
        )
        next_id += 1
        return next_id - 1

    for i, (name, aliases) in enumerate(ACTIVITY_CATEGORIES):
        add("activity_category", name, i, aliases=aliases)
    for i, (major, minors) in enumerate(RESOURCE_CATEGORIES):
        parent = add("resource_category", major, i)
        for j, minor in enumerate(minors):
            add("resource_category", minor, j, parent=parent)
    for kind, names in (
        ("community_role", COMMUNITY_ROLES),
        ("talent_category", TALENT_CATEGORIES),
        ("rank", RANKS),
    ):
        for i, name in enumerate(names):
            add(kind, name, i)
    op.bulk_insert(lookup, rows)
    op.bulk_insert(setting, [{"key": k, "value": v} for k, v in SETTINGS.items()])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('lookup', 'id'), (SELECT max(id) FROM lookup))")


def downgrade() -> None:
    op.execute("DELETE FROM setting")
    op.execute("DELETE FROM lookup")
