"""history-true records: team.dissolved_on, open-row uniqueness, past 社区报到, resource status history

Issue #17: a report re-run later must give what it gave then, so what a count depends on keeps its dates.

- ``team.dissolved_on``: the day a team was 撤销 (no longer counted from it).  Filled for teams already
  撤销 from the audit log (the latest entry that set 撤销), else from the day the team was last changed.
- ``team_member``, ``party_org_member``, ``person_community_role``: leaving or ending records the last
  day (``left_on`` / ``until``) and keeps the row, so the unique constraint becomes a partial unique
  index on the rows still open.
- ``person_registration``: past 社区报到 (community, since, until); the current one stays on the person.
- ``resource_event``: dated status changes of a resource.  A resource not 可用 now gets one event
  (可用 → its status), dated from the audit log, else from the day it was last changed.

What the old records cannot tell (members, roles and teams without dates count as "always"; dates
taken from the last change instead of the log) is counted and written to the audit log as one entry
(操作 “数据迁移”), which 操作日志 shows.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 00:40:00
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

log = logging.getLogger("silverdesk.migrations")

OPEN_MEMBER = sa.text("left_on IS NULL")
OPEN_ROLE = sa.text("until IS NULL")

audit_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("operator", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("summary", sa.String),
    sa.column("changes_json", sa.Text),
)
team = sa.table(
    "team",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("founded_on", sa.Date),
    sa.column("dissolved_on", sa.Date),
    sa.column("updated_at", sa.DateTime),
)
resource = sa.table(
    "resource",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("updated_at", sa.DateTime),
)
resource_event = sa.table(
    "resource_event",
    sa.column("resource_id", sa.Integer),
    sa.column("from_status", sa.String),
    sa.column("to_status", sa.String),
    sa.column("happened_on", sa.Date),
    sa.column("operator", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("team") as batch:
        batch.add_column(sa.Column("dissolved_on", sa.Date(), nullable=True))
    for table, group, name in (
        ("team_member", "team_id", "uq_team_member_team_id_person_id"),
        ("party_org_member", "org_id", "uq_party_org_member_org_id_person_id"),
    ):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(name, type_="unique")
        op.create_index(
            f"ux_{table}_open",
            table,
            [group, "person_id"],
            unique=True,
            sqlite_where=OPEN_MEMBER,
            postgresql_where=OPEN_MEMBER,
        )
    with op.batch_alter_table("person_community_role") as batch:
        batch.drop_constraint("uq_person_community_role_person_id_role_id_community_id", type_="unique")
    op.create_index(
        "ux_person_community_role_open",
        "person_community_role",
        ["person_id", "role_id", "community_id"],
        unique=True,
        sqlite_where=OPEN_ROLE,
        postgresql_where=OPEN_ROLE,
    )
    op.create_table(
        "person_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["unit.id"], name=op.f("fk_person_registration_community_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_registration_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_registration")),
    )
    op.create_index(op.f("ix_person_registration_person_id"), "person_registration", ["person_id"])
    op.create_index(op.f("ix_person_registration_community_id"), "person_registration", ["community_id"])
    op.create_table(
        "resource_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=4), nullable=True),
        sa.Column("to_status", sa.String(length=4), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("operator", sa.String(length=50), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resource.id"],
            name=op.f("fk_resource_event_resource_id_resource"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_event")),
    )
    op.create_index(op.f("ix_resource_event_resource_id"), "resource_event", ["resource_id"])
    _backfill(op.get_bind())


def _status_days(conn: sa.Connection, entity: str) -> dict[tuple[int, str], dt.date]:
    """(record id, status it was set to) → the day of the latest audit entry that set it."""
    rows = conn.execute(
        sa.select(audit_log.c.entity_id, audit_log.c.at, audit_log.c.changes_json)
        .where(audit_log.c.entity == entity, audit_log.c.changes_json.like('%"status"%'))
        .order_by(audit_log.c.at, audit_log.c.id)
    )
    out: dict[tuple[int, str], dt.date] = {}
    for entity_id, at, changes in rows:
        try:
            new = json.loads(changes or "{}").get("status", [None, None])[1]
        except (ValueError, AttributeError, IndexError, TypeError):
            continue
        if entity_id is not None and isinstance(new, str) and at is not None:
            out[(entity_id, new)] = _day(at)
    return out


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _backfill(conn: sa.Connection) -> None:
    today = dt.date.today()
    unknown: dict[str, int] = {}

    days = _status_days(conn, "team")
    guessed = 0
    for team_id, updated in conn.execute(
        sa.select(team.c.id, team.c.updated_at).where(team.c.status == "撤销")
    ):
        day = days.get((team_id, "撤销"))
        if day is None:
            guessed += 1
            day = _day(updated) if updated is not None else today
        conn.execute(sa.update(team).where(team.c.id == team_id).values(dissolved_on=day))
    unknown["撤销日期按最后修改日推定的服务队"] = guessed

    days = _status_days(conn, "resource")
    events, guessed = [], 0
    for res_id, status, updated in conn.execute(
        sa.select(resource.c.id, resource.c.status, resource.c.updated_at).where(resource.c.status != "可用")
    ):
        day = days.get((res_id, status))
        if day is None:
            guessed += 1
            day = _day(updated) if updated is not None else today
        events.append(
            {
                "resource_id": res_id,
                "from_status": "可用",
                "to_status": status,
                "happened_on": day,
                "operator": "数据迁移",
            }
        )
    if events:
        conn.execute(sa.insert(resource_event), events)
    unknown["状态日期按最后修改日推定的资源"] = guessed

    def count(sql: str) -> int:
        return int(conn.execute(sa.text(sql)).scalar() or 0)

    unknown["成立日期不详的服务队"] = count("SELECT count(*) FROM team WHERE founded_on IS NULL")
    unknown["入队日期不详的队员"] = count("SELECT count(*) FROM team_member WHERE joined_on IS NULL")
    unknown["起始日期不详的社区任职"] = count(
        "SELECT count(*) FROM person_community_role WHERE since IS NULL"
    )
    unknown["有居住社区而无报到日期的人员"] = count(
        "SELECT count(*) FROM person WHERE community_id IS NOT NULL AND registered_on IS NULL"
    )
    shown = [f"{k}{v}" for k, v in unknown.items() if v]
    if not shown:
        return
    summary = (
        "统计口径按日期计算（issue #17）。旧记录中无法得知的："
        + "，".join(shown)
        + "；日期不详的入队、任职和成立视为“一直有效”，未报到日期的不计为社区报到"
    )
    conn.execute(
        sa.insert(audit_log).values(
            at=dt.datetime.now().replace(microsecond=0),
            operator="数据迁移",
            action="数据迁移",
            entity="database",
            entity_id=None,
            summary=summary[:300],
            changes_json=json.dumps({"unknown": unknown}, ensure_ascii=False),
        )
    )
    log.info("迁移 0010：%s", summary)


def downgrade() -> None:
    op.drop_index(op.f("ix_resource_event_resource_id"), table_name="resource_event")
    op.drop_table("resource_event")
    op.drop_index(op.f("ix_person_registration_community_id"), table_name="person_registration")
    op.drop_index(op.f("ix_person_registration_person_id"), table_name="person_registration")
    op.drop_table("person_registration")
    # ended rows go: the old unique constraints allow one row per group and person (role)
    op.execute(
        "DELETE FROM person_community_role WHERE until IS NOT NULL AND EXISTS (SELECT 1 FROM"
        " person_community_role o WHERE o.person_id = person_community_role.person_id"
        " AND o.role_id = person_community_role.role_id AND o.id <> person_community_role.id"
        " AND (o.until IS NULL OR o.id > person_community_role.id))"
    )
    op.drop_index("ux_person_community_role_open", table_name="person_community_role")
    with op.batch_alter_table("person_community_role") as batch:
        batch.create_unique_constraint(
            "uq_person_community_role_person_id_role_id_community_id",
            ["person_id", "role_id", "community_id"],
        )
    for table, group, name in (
        ("party_org_member", "org_id", "uq_party_org_member_org_id_person_id"),
        ("team_member", "team_id", "uq_team_member_team_id_person_id"),
    ):
        op.execute(  # keep one row per pair: the open one, else the newest
            f"DELETE FROM {table} WHERE left_on IS NOT NULL AND EXISTS (SELECT 1 FROM {table} o"
            f" WHERE o.{group} = {table}.{group} AND o.person_id = {table}.person_id AND o.id <> {table}.id"
            f" AND (o.left_on IS NULL OR o.id > {table}.id))"
        )
        op.drop_index(f"ux_{table}_open", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.create_unique_constraint(name, [group, "person_id"])
    with op.batch_alter_table("team") as batch:
        batch.drop_column("dissolved_on")
