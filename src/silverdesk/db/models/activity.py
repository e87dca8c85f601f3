"""志愿服务活动, their teams and named participants, and attachments."""

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from silverdesk.db.base import Base, Timestamps


class Activity(Timestamps, Base):
    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("sessions >= 0", name="sessions"),
        CheckConstraint("participants >= 0", name="participants"),
        CheckConstraint("hours >= 0", name="hours"),
        CheckConstraint("beneficiaries >= 0", name="beneficiaries"),
        CheckConstraint("source IN ('录入','导入','粘贴')", name="source"),
        Index("ix_activity_unit_date", "unit_id", "occurred_on"),
        Index("ix_activity_date_category", "occurred_on", "category_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_on: Mapped[dt.date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(300))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # organising unit
    category_id: Mapped[int | None] = mapped_column(ForeignKey("lookup.id"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("monthly_theme.id"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    place_text: Mapped[str] = mapped_column(String(200), default="")
    community_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # community served
    sessions: Mapped[int] = mapped_column(Integer, default=1)  # 场次
    participants: Mapped[int] = mapped_column(Integer, default=0)  # 参与人次
    hours: Mapped[float] = mapped_column(Float, default=0.0)  # 服务时长 (person-hours)
    beneficiaries: Mapped[int] = mapped_column(Integer, default=0)  # 受益人次
    description: Mapped[str] = mapped_column(Text, default="")
    order_id: Mapped[int | None] = mapped_column(ForeignKey("service_order.id"), index=True)
    source: Mapped[str] = mapped_column(String(4), default="录入")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

    teams: Mapped[list["ActivityTeam"]] = relationship(cascade="all, delete-orphan")
    participant_links: Mapped[list["ActivityParticipant"]] = relationship(cascade="all, delete-orphan")
    attachments: Mapped[list["Attachment"]] = relationship(cascade="all, delete-orphan")


class ActivityTeam(Base):
    __tablename__ = "activity_team"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), primary_key=True, index=True)


class ActivityParticipant(Base):
    __tablename__ = "activity_participant"
    __table_args__ = (CheckConstraint("hours IS NULL OR hours >= 0", name="hours"),)

    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    hours: Mapped[float | None] = mapped_column(Float)


class Attachment(Base):
    """Photos and files attached to an activity, kept inside the database so backups hold them."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class ActivityMonth(Base):
    """Roll-up of activities by month × unit × category (see migration 0004); rebuilt on demand."""

    __tablename__ = "activity_month"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-10"
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: no unit
    category_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: uncategorised
    activities: Mapped[int] = mapped_column(Integer)
    participations: Mapped[int] = mapped_column(Integer)
    hours: Mapped[float] = mapped_column(Float)
    beneficiaries: Mapped[int] = mapped_column(Integer)


class ActivityMonthState(Base):
    """A month whose roll-up is missing or stale (marked by triggers on ``activity``)."""

    __tablename__ = "activity_month_state"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    stale: Mapped[bool] = mapped_column(default=True)
