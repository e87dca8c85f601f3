"""Party organisations of retired cadres, co-building agreements, volunteer teams."""

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from silverdesk.db.base import Base, Timestamps


class PartyOrg(Timestamps, Base):
    __tablename__ = "party_org"
    __table_args__ = (
        CheckConstraint(
            "org_type IN ('党委','党总支','党支部','临时党支部','功能型党支部')", name="org_type"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    org_type: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("party_org.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    secretary_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    dissolved_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    unit = relationship("Unit")
    secretary = relationship("Person")
    members: Mapped[list["PartyOrgMember"]] = relationship(back_populates="org", cascade="all, delete-orphan")
    agreements: Mapped[list["CoBuildingAgreement"]] = relationship(
        back_populates="org", cascade="all, delete-orphan"
    )


OPEN_ROW = text("left_on IS NULL")
"""A membership row not ended: one such row per group and person (a partial unique index).

The models declare these partial indexes for SQLite only (``sqlite_where``): migration 0010 makes them on
both SQLite and PostgreSQL (``postgresql_where``), and the schema is only ever made by the migrations.
Declaring ``postgresql_where`` here too would import the PostgreSQL dialect at every start to check the
keyword (~0.09 s of each command and of the window's start-up)."""


class PartyOrgMember(Base):
    """A member of a party organisation with his 职务, from ``joined_on`` to ``left_on`` (his last day).

    Leaving or changing 职务 ends the row (``left_on``) and keeps it: past periods are counted as they were."""

    __tablename__ = "party_org_member"
    __table_args__ = (
        Index(
            "ux_party_org_member_open",
            "org_id",
            "person_id",
            unique=True,
            sqlite_where=OPEN_ROW,
        ),
        CheckConstraint("role IN ('书记','副书记','委员','党员')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("party_org.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(4), default="党员")
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)

    org: Mapped[PartyOrg] = relationship(back_populates="members")
    person = relationship("Person")


class CoBuildingAgreement(Base):
    """共建协议 / 结对共建 between a retired-cadre party org and a community party org."""

    __tablename__ = "co_building_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("party_org.id", ondelete="CASCADE"), index=True)
    partner_name: Mapped[str] = mapped_column(String(200))  # e.g. "龙头路社区党委"
    partner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    signed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text, default="")

    org: Mapped[PartyOrg] = relationship(back_populates="agreements")
    partner_unit = relationship("Unit")


class Team(Timestamps, Base):
    """志愿服务队."""

    __tablename__ = "team"
    __table_args__ = (
        CheckConstraint("status IN ('活跃','暂停','撤销')", name="status"),
        CheckConstraint("star_level BETWEEN 0 AND 5", name="star_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    brand: Mapped[str] = mapped_column(String(100), default="")  # 品牌, e.g. 榴花红
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    party_org_id: Mapped[int | None] = mapped_column(ForeignKey("party_org.id"))
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    dissolved_on: Mapped[dt.date | None] = mapped_column(Date)  # 撤销 on this day (no longer counted from it)
    status: Mapped[str] = mapped_column(String(4), default="活跃")
    star_level: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[str] = mapped_column(Text, default="", server_default="")  # other names, separated by "|"
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))

    unit = relationship("Unit")
    members: Mapped[list["TeamMember"]] = relationship(back_populates="team", cascade="all, delete-orphan")
    categories: Mapped[list["TeamCategory"]] = relationship(cascade="all, delete-orphan")


class TeamCategory(Base):
    __tablename__ = "team_category"

    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("lookup.id"), primary_key=True)


class TeamMember(Base):
    """A team member with his role, from ``joined_on`` to ``left_on`` (his last day; unknown dates: always).

    Leaving the team or changing role (队员 → 队长) ends the row and opens a new one for the new role,
    so a past month counts the members it had."""

    __tablename__ = "team_member"
    __table_args__ = (
        Index(
            "ux_team_member_open",
            "team_id",
            "person_id",
            unique=True,
            sqlite_where=OPEN_ROW,
        ),
        CheckConstraint("role IN ('队长','副队长','队员','联络员')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(4), default="队员")
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)

    team: Mapped[Team] = relationship(back_populates="members")
    person = relationship("Person")
