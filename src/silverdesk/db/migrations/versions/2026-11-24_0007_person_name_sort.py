"""person.name_sort: the roster sorts by full pinyin, tones, then code point, as a phone book does

Until now the list sorted by the pinyin search keys, whose first part is the initials: 程爱民 and
崔爱民 (cam) came before 曹宝山 (cbs).  The new column holds ``domain.pinyin.name_sort_key`` of
the name, filled here for every person; the index (status, name_sort) replaces
(status, name_pinyin) as the one the list's default order reads its first rows from.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CHUNK = 5000


def upgrade() -> None:
    from silverdesk.domain.pinyin import name_sort_key

    key_type = sa.String(500).with_variant(sa.String(500, collation="C"), "postgresql")
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("name_sort", key_type, nullable=False, server_default=""))
    conn = op.get_bind()
    person = sa.table(
        "person", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("name_sort", sa.String)
    )
    update = person.update().where(person.c.id == sa.bindparam("pk")).values(name_sort=sa.bindparam("key"))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(person.c.id, person.c.name).where(person.c.id > last).order_by(person.c.id).limit(CHUNK)
        ).all()
        if not rows:
            break
        conn.execute(update, [{"pk": pk, "key": name_sort_key(name or "")} for pk, name in rows])
        last = rows[-1][0]
    op.drop_index("ix_person_status_name_pinyin", table_name="person")
    op.create_index("ix_person_status_name_sort", "person", ["status", "name_sort"])


def downgrade() -> None:
    op.drop_index("ix_person_status_name_sort", table_name="person")
    op.create_index("ix_person_status_name_pinyin", "person", ["status", "name_pinyin"])
    with op.batch_alter_table("person") as batch:
        batch.drop_column("name_sort")
