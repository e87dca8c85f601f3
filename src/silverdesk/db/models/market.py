"""资源清单, 需求清单 and the 银龄共治订单 that match them."""

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from silverdesk.db.base import Base, Timestamps


class Resource(Timestamps, Base):
    __tablename__ = "resource"
    __table_args__ = (
        CheckConstraint("status IN ('可用','暂停','撤销')", name="status"),
        CheckConstraint("capacity >= 0", name="capacity"),
        CheckConstraint(
            "(CASE WHEN person_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN team_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN party_org_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name="one_provider",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("lookup.id"), index=True)  # 小项 (or 大类)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    party_org_id: Mapped[int | None] = mapped_column(ForeignKey("party_org.id"))
    provider_text: Mapped[str] = mapped_column(String(200), default="")  # when not on record
    area_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    available_from: Mapped[dt.date | None] = mapped_column(Date)
    available_to: Mapped[dt.date | None] = mapped_column(Date)
    available_text: Mapped[str] = mapped_column(String(200), default="")  # "每周三下午"
    capacity: Mapped[int] = mapped_column(Integer, default=0)
    contact_phone: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(4), default="可用")
    listed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

    events: Mapped[list["ResourceEvent"]] = relationship(
        cascade="all, delete-orphan", order_by="ResourceEvent.id", passive_deletes=True
    )


class ResourceEvent(Base):
    """A change of a resource's status (可用 ⇄ 暂停, 撤销), dated: 表4 of a past period reads the status then."""

    __tablename__ = "resource_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(4))
    to_status: Mapped[str] = mapped_column(String(4))
    happened_on: Mapped[dt.date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(50), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class Demand(Timestamps, Base):
    __tablename__ = "demand"
    __table_args__ = (
        CheckConstraint("status IN ('待对接','已对接','已完成','撤销')", name="status"),
        CheckConstraint("urgency IN ('一般','较急','紧急')", name="urgency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("lookup.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    requester_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    requester_text: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(60), default="")
    wanted_by: Mapped[dt.date | None] = mapped_column(Date)
    urgency: Mapped[str] = mapped_column(String(4), default="一般")
    status: Mapped[str] = mapped_column(String(4), default="待对接")
    raised_on: Mapped[dt.date] = mapped_column(Date, index=True)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class ServiceOrder(Timestamps, Base):
    """银龄共治订单: 发布 → 认领 → 签约 → 实施 → 完成 → 评价 (or 撤销)."""

    __tablename__ = "service_order"
    __table_args__ = (
        CheckConstraint("status IN ('发布','认领','签约','实施','完成','评价','撤销')", name="status"),
        CheckConstraint("score IS NULL OR score BETWEEN 1 AND 5", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)  # "DD2026-0001"
    demand_id: Mapped[int | None] = mapped_column(ForeignKey("demand.id"), index=True)
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resource.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)  # claimed by
    party_org_id: Mapped[int | None] = mapped_column(ForeignKey("party_org.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(4), default="发布")
    published_on: Mapped[dt.date] = mapped_column(Date, index=True)
    claimed_on: Mapped[dt.date | None] = mapped_column(Date)
    signed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    completed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    score: Mapped[int | None] = mapped_column(Integer)  # 评价 1–5
    evaluation: Mapped[str] = mapped_column(Text, default="")

    events: Mapped[list["OrderEvent"]] = relationship(cascade="all, delete-orphan", order_by="OrderEvent.id")


class OrderEvent(Base):
    """Each step of an order: dated and attributed."""

    __tablename__ = "order_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_order.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(4))
    to_status: Mapped[str] = mapped_column(String(4))
    happened_on: Mapped[dt.date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class CategoryLink(Base):
    """A 资源/需求类别 (大类 or 小项) related to a 服务领域 or 人才库类别.

    Teams are filed under 服务领域 and talent-pool people under 人才库类别, not under the
    资源/需求 tree; these links let matching suggest them for a demand (issue #6).  The
    bureau edits them with the category tree; defaults come with migration 0003.
    """

    __tablename__ = "category_link"

    category_id: Mapped[int] = mapped_column(ForeignKey("lookup.id", ondelete="CASCADE"), primary_key=True)
    related_id: Mapped[int] = mapped_column(
        ForeignKey("lookup.id", ondelete="CASCADE"), primary_key=True, index=True
    )
