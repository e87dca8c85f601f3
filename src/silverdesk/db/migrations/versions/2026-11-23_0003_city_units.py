"""unit kinds 市 and 区, so a city bureau (and a 市辖区) can keep its own unit tree for 汇总

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OLD = "kind IN ('县','乡镇','街道','部门','社区','村','其他')"
NEW = "kind IN ('市','区','县','乡镇','街道','部门','社区','村','其他')"


def upgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.drop_constraint(op.f("ck_unit_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_unit_kind"), NEW)


def downgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.drop_constraint(op.f("ck_unit_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_unit_kind"), OLD)
