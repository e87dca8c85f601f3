"""activity roll-up by month × unit × category, kept fresh through tiny triggers

Statistics over whole months read the roll-up (~2 ms a month) instead of scanning activities,
so a monthly report costs the same whether the database holds one year or ten.  Writers pay
one small write per changed row: the triggers only mark the month as stale; the statistics
service recomputes a stale month (one index range scan) the next time it needs it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = [
    """CREATE TRIGGER trg_activity_month_ins AFTER INSERT ON activity BEGIN
         INSERT OR REPLACE INTO activity_month_state (month, stale) VALUES (substr(NEW.occurred_on, 1, 7), 1);
       END""",
    """CREATE TRIGGER trg_activity_month_del AFTER DELETE ON activity BEGIN
         INSERT OR REPLACE INTO activity_month_state (month, stale) VALUES (substr(OLD.occurred_on, 1, 7), 1);
       END""",
    """CREATE TRIGGER trg_activity_month_upd AFTER UPDATE OF occurred_on, unit_id, category_id, sessions,
         participants, hours, beneficiaries ON activity BEGIN
         INSERT OR REPLACE INTO activity_month_state (month, stale) VALUES (substr(OLD.occurred_on, 1, 7), 1);
         INSERT OR REPLACE INTO activity_month_state (month, stale) VALUES (substr(NEW.occurred_on, 1, 7), 1);
       END""",
]

POSTGRES_FUNCTION = """
CREATE FUNCTION activity_month_mark() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO activity_month_state (month, stale) VALUES (to_char(OLD.occurred_on, 'YYYY-MM'), true)
      ON CONFLICT (month) DO UPDATE SET stale = true;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO activity_month_state (month, stale) VALUES (to_char(NEW.occurred_on, 'YYYY-MM'), true)
      ON CONFLICT (month) DO UPDATE SET stale = true;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "activity_month",
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),  # 0 when the activity has no unit
        sa.Column("category_id", sa.Integer(), nullable=False),  # 0 when uncategorised
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("participations", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("beneficiaries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "unit_id", "category_id", name=op.f("pk_activity_month")),
    )
    op.create_table(
        "activity_month_state",
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_activity_month_state")),
    )
    # every month that has activities starts stale: computed on first use
    op.execute(
        "INSERT INTO activity_month_state (month, stale) SELECT DISTINCT "
        + (
            "substr(occurred_on, 1, 7)"
            if op.get_bind().dialect.name == "sqlite"
            else "to_char(occurred_on, 'YYYY-MM')"
        )
        + ", true FROM activity"
    )
    if op.get_bind().dialect.name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
    else:
        op.execute(POSTGRES_FUNCTION)
        op.execute(
            "CREATE TRIGGER trg_activity_month AFTER INSERT OR UPDATE OR DELETE ON activity "
            "FOR EACH ROW EXECUTE FUNCTION activity_month_mark()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("ins", "del", "upd"):
            op.execute(f"DROP TRIGGER trg_activity_month_{name}")
    else:
        op.execute("DROP TRIGGER trg_activity_month ON activity")
        op.execute("DROP FUNCTION activity_month_mark()")
    op.drop_table("activity_month_state")
    op.drop_table("activity_month")
