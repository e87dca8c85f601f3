"""离退休干部: the roster, their community roles and talent-pool entries."""

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from silverdesk.db.base import Base, Timestamps

SORT_KEY = String(500).with_variant(String(500, collation="C"), "postgresql")
"""A sort key compares byte by byte (PostgreSQL would otherwise compare it by the server's locale)."""


class Person(Timestamps, Base):
    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("gender IS NULL OR gender IN ('男','女')", name="gender"),
        CheckConstraint("status IN ('在册','去世','迁出')", name="status"),
        CheckConstraint(
            "retirement_type IS NULL OR retirement_type IN ('离休','退休')", name="retirement_type"
        ),
        CheckConstraint("id_number IS NULL OR length(id_number) = 18", name="id_number_length"),
        Index("ix_person_unit_status", "unit_id", "status"),
        Index("ix_person_status_name_sort", "status", "name_sort"),  # the list's default order
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    # pinyin search keys, computed on save: "|zjg|zhangjianguo|" (alternatives for polyphonic names)
    name_pinyin: Mapped[str] = mapped_column(String(400), default="", index=True)
    # the name's phone-book order (domain/pinyin.py name_sort_key): "zhang jian guo !142!张建国"
    name_sort: Mapped[str] = mapped_column(SORT_KEY, default="", server_default="")
    gender: Mapped[str | None] = mapped_column(String(2))
    ethnicity: Mapped[str] = mapped_column(String(20), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    political_status: Mapped[str] = mapped_column(String(20), default="")
    education: Mapped[str] = mapped_column(String(20), default="", server_default="")  # 文化程度, normal form
    retirement_type: Mapped[str | None] = mapped_column(String(4))
    retired_on: Mapped[dt.date | None] = mapped_column(Date)
    former_employer: Mapped[str] = mapped_column(String(200), default="")
    former_post: Mapped[str] = mapped_column(String(100), default="")
    rank: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(60), default="", index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)  # 居住社区
    address: Mapped[str] = mapped_column(String(300), default="")
    registered_on: Mapped[dt.date | None] = mapped_column(
        Date
    )  # 社区报到 (the current one; past: PersonRegistration)
    health: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(4), default="在册")
    status_changed_on: Mapped[dt.date | None] = mapped_column(Date)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # 所属单位 (who reports this person)
    notes: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

    unit = relationship("Unit", foreign_keys=[unit_id])
    community = relationship("Unit", foreign_keys=[community_id])
    community_roles: Mapped[list["PersonCommunityRole"]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )
    talents: Mapped[list["PersonTalent"]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )
    past_registrations: Mapped[list["PersonRegistration"]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonRegistration.id"
    )


class PersonCommunityRole(Base):
    """社区任职: 社区党委委员, 楼长, 网格员 … in a community, from ``since`` to ``until`` (the last day held).

    Removing a role ends it (``until``) and keeps the row; a role may be held again later (a new row), but
    only one row of a role is open at a time."""

    __tablename__ = "person_community_role"
    __table_args__ = (
        Index(
            "ux_person_community_role_open",
            "person_id",
            "role_id",
            "community_id",
            unique=True,
            sqlite_where=text("until IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("lookup.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    since: Mapped[dt.date | None] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="community_roles")
    role = relationship("Lookup")


class PersonRegistration(Base):
    """A past 社区报到: the community a person reported to, from ``since`` to ``until`` (the last day).

    The current registration is on the person (``community_id``, ``registered_on``: the form and imports
    write it there); moving to another community or clearing 报到时间 ends it here, so past periods keep
    counting it."""

    __tablename__ = "person_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    since: Mapped[dt.date | None] = mapped_column(Date)
    until: Mapped[dt.date] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="past_registrations")


class PersonTalent(Base):
    """银发人才库: a person's specialty category and free-text specialty."""

    __tablename__ = "person_talent"
    __table_args__ = (UniqueConstraint("person_id", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("lookup.id"), index=True)
    specialty: Mapped[str] = mapped_column(String(200), default="")

    person: Mapped[Person] = relationship(back_populates="talents")
    category = relationship("Lookup")
