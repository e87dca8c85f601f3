"""阵地 (places), 典型 (honours), 积分存折 (points) and 星级 (star rules and ratings)."""

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from silverdesk.db.base import Base, Timestamps


class Place(Timestamps, Base):
    __tablename__ = "place"
    __table_args__ = (
        CheckConstraint("kind IN ('驿站','工作室','服务站','银领之家','老年大学教学点','其他')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class Honour(Base):
    """典型: an honour given to a person, a team or a party organisation."""

    __tablename__ = "honour"
    __table_args__ = (
        CheckConstraint("level IN ('全国','省级','市级','县级','其他')", name="level"),
        CheckConstraint(
            "(CASE WHEN person_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN team_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN party_org_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_holder",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))  # "全国最美志愿者"
    level: Mapped[str] = mapped_column(String(4))
    issuer: Mapped[str] = mapped_column(String(200), default="")
    awarded_on: Mapped[dt.date | None] = mapped_column(Date)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    party_org_id: Mapped[int | None] = mapped_column(ForeignKey("party_org.id"), index=True)


class PointsEntry(Base):
    """积分存折 / 时间银行 ledger line: positive when earned, negative when redeemed."""

    __tablename__ = "points_entry"
    __table_args__ = (CheckConstraint("kind IN ('获得','兑换','调整')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    entry_date: Mapped[dt.date] = mapped_column(Date, index=True)  # 积分 of a period (migration 0011)
    points: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(4))
    reason: Mapped[str] = mapped_column(String(300), default="")
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id", ondelete="SET NULL"))
    operator: Mapped[str] = mapped_column(String(50), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class StarRule(Timestamps, Base):
    """A star level's thresholds for a subject, valid from a date (history kept when rules change)."""

    __tablename__ = "star_rule"
    __table_args__ = (
        UniqueConstraint("subject", "level", "valid_from"),
        CheckConstraint("subject IN ('volunteer','team')", name="subject"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(10))
    level: Mapped[int] = mapped_column(Integer)
    min_hours: Mapped[float] = mapped_column(Float, default=0)
    min_activities: Mapped[int] = mapped_column(Integer, default=0)
    min_score: Mapped[float] = mapped_column(Float, default=0)  # mean evaluation of linked orders
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)


class StarRating(Base):
    """A computed (or manually set) star level for a year."""

    __tablename__ = "star_rating"
    __table_args__ = (
        UniqueConstraint("subject", "subject_id", "year"),
        CheckConstraint("subject IN ('volunteer','team')", name="subject"),
        CheckConstraint("level BETWEEN 0 AND 5", name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    year: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(Text, default="")  # hours/activities/score the level came from
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    manual: Mapped[bool] = mapped_column(default=False)
