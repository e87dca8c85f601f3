"""unit.aliases, team.aliases and person.education

Units and teams are written many ways in the files units send (县卫健局 for 县卫生健康局, 榆山街道办 for
榆山街道, a team with or without 志愿服务队); a name the clerk once matched is kept as an alias, so the
next import resolves it without asking.  ``aliases`` holds the other names separated by "|", as
``lookup.aliases`` already does.  ``person.education`` is 文化程度, stored in its normal form (the code
table in ``resources/codes``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("unit", "team"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("aliases", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("education", sa.String(20), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("education")
    for table in ("team", "unit"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("aliases")
