"""silver supermarket rules: category links for matching, default star rules, points per hour

- ``category_link``: which 服务领域 and 人才库类别 each 资源/需求 大类 is related to, so matching
  can suggest volunteer teams (filed under 服务领域) and talent-pool people (人才库类别).
- ``star_rule``: default thresholds for 星级志愿者 and 星级服务队, valid from 2020-01-01; the bureau
  edits them in the program (an edit closes the old rule and adds a new one).
- ``setting`` ``points_per_hour``: 积分存折 points earned per service hour.

Links are made by name, so a list entry the bureau has renamed or removed is simply skipped.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:00:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# 资源/需求 大类 → (related 服务领域, related 人才库类别)
CATEGORY_LINKS = {
    "政策理论宣讲": (["理论宣讲", "建言献策"], ["政治理论", "历史人文"]),
    "社区治理参与": (["参与社区治理", "文明创建"], ["经济管理"]),
    "矛盾纠纷调解": (["矛盾纠纷调解", "参与社区治理"], ["法律服务"]),
    "法律咨询服务": (["法治宣传", "矛盾纠纷调解"], ["法律服务"]),
    "医疗健康服务": (["健康义诊", "为老服务"], ["医疗卫生"]),
    "教育关爱下一代": (["关心下一代"], ["教育培训", "历史人文"]),
    "文化体育活动": (["文明创建"], ["文化艺术"]),
    "产业发展助力": (["助推产业发展", "促进乡村振兴"], ["农业科技", "经济管理"]),
    "为老助老服务": (["为老服务"], ["医疗卫生"]),
    "文明创建与生态环保": (["文明创建", "生态环保"], []),
}

# (subject, level, min_hours, min_activities, min_score): a year's record needed for each star
STAR_RULES = [
    ("volunteer", 1, 10, 3, 0),
    ("volunteer", 2, 30, 6, 0),
    ("volunteer", 3, 60, 12, 0),
    ("volunteer", 4, 100, 20, 4.0),
    ("volunteer", 5, 150, 30, 4.5),
    ("team", 1, 50, 6, 0),
    ("team", 2, 150, 12, 0),
    ("team", 3, 300, 24, 0),
    ("team", 4, 500, 36, 4.0),
    ("team", 5, 800, 48, 4.5),
]
RULES_FROM = dt.date(2020, 1, 1)


def upgrade() -> None:
    op.create_table(
        "category_link",
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("related_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["lookup.id"],
            name=op.f("fk_category_link_category_id_lookup"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["related_id"], ["lookup.id"], name=op.f("fk_category_link_related_id_lookup"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("category_id", "related_id", name=op.f("pk_category_link")),
    )
    with op.batch_alter_table("category_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_category_link_related_id"), ["related_id"], unique=False)

    bind = op.get_bind()
    ids = {(r.kind, r.name): r.id for r in bind.execute(sa.text("SELECT id, kind, name FROM lookup"))}
    links = []
    for major, (activity_names, talent_names) in CATEGORY_LINKS.items():
        major_id = ids.get(("resource_category", major))
        if major_id is None:
            continue
        related = [ids.get(("activity_category", n)) for n in activity_names]
        related += [ids.get(("talent_category", n)) for n in talent_names]
        links += [{"category_id": major_id, "related_id": r} for r in related if r is not None]
    link_table = sa.table(
        "category_link", sa.column("category_id", sa.Integer), sa.column("related_id", sa.Integer)
    )
    if links:
        op.bulk_insert(link_table, links)

    rule_table = sa.table(
        "star_rule",
        sa.column("subject", sa.String),
        sa.column("level", sa.Integer),
        sa.column("min_hours", sa.Float),
        sa.column("min_activities", sa.Integer),
        sa.column("min_score", sa.Float),
        sa.column("valid_from", sa.Date),
        sa.column("valid_to", sa.Date),
    )
    have_rules = bind.execute(sa.text("SELECT count(*) FROM star_rule")).scalar()
    if not have_rules:  # a bureau's own rules (entered before this upgrade) are kept as they are
        op.bulk_insert(
            rule_table,
            [
                {
                    "subject": s,
                    "level": lv,
                    "min_hours": h,
                    "min_activities": a,
                    "min_score": sc,
                    "valid_from": RULES_FROM,
                    "valid_to": None,
                }
                for s, lv, h, a, sc in STAR_RULES
            ],
        )

    if not bind.execute(sa.text("SELECT count(*) FROM setting WHERE key = 'points_per_hour'")).scalar():
        setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.Text))
        op.bulk_insert(setting, [{"key": "points_per_hour", "value": "1"}])


def downgrade() -> None:
    op.execute("DELETE FROM setting WHERE key = 'points_per_hour'")
    op.execute(
        sa.text("DELETE FROM star_rule WHERE valid_from = :d AND valid_to IS NULL").bindparams(d=RULES_FROM)
    )
    with op.batch_alter_table("category_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_category_link_related_id"))
    op.drop_table("category_link")
