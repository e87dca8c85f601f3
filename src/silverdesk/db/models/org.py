"""Units (a tree), configurable lists, monthly themes and key/value settings."""

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from silverdesk.db.base import Base, Timestamps


class Unit(Timestamps, Base):
    """单位: the county, its 乡镇/街道 and 部门, and the 社区/村 under them."""

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        CheckConstraint("kind IN ('市','区','县','乡镇','街道','部门','社区','村','其他')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str | None] = mapped_column(String(20))  # 行政区划代码, optional
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[str] = mapped_column(Text, default="", server_default="")  # other names, separated by "|"

    parent: Mapped["Unit | None"] = relationship(remote_side="Unit.id", back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent")


class Lookup(Base):
    """An entry of a configurable list (服务领域, 资源类别 大类/小项, 社区任职, 人才库类别, 职级)."""

    __tablename__ = "lookup"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("lookup.id", ondelete="RESTRICT"))
    aliases: Mapped[str] = mapped_column(Text, default="")  # other names, separated by "|"
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped["Lookup | None"] = relationship(remote_side="Lookup.id")


class MonthlyTheme(Base):
    """月度主题: one theme per month, configurable per year (seed 000: 榴花红·月月飘香)."""

    __tablename__ = "monthly_theme"
    __table_args__ = (
        UniqueConstraint("year", "month"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))


class Setting(Base):
    """Bureau-wide settings kept with the data (bureau name, report signatories …)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
