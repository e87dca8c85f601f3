"""import_batch.decisions_json: what the import worked out for the clerk, kept with the batch

The counts per kind (合并单元格, 规范写法, 近似匹配, 推导, 超出常见范围) and the distinct decisions a batch
stored, as its preview showed them, so the import history says what each file needed (issue #16).
Batches imported before this revision have none ("").

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 23:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_batch") as batch:
        batch.add_column(sa.Column("decisions_json", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("import_batch") as batch:
        batch.drop_column("decisions_json")
