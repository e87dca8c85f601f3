"""index points_entry (entry_date): 积分 of a period reads that period's ledger lines only

The statistics count 积分 by the day a line was entered (``silverdesk stats 积分 --period 2026-10``);
without an index every question read the whole ledger (1.5 million lines in the benchmark's county).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 02:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_points_entry_entry_date", "points_entry", ["entry_date"])


def downgrade() -> None:
    op.drop_index("ix_points_entry_entry_date", table_name="points_entry")
