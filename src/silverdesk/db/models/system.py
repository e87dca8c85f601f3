"""Import batches (reviewable, undoable), the audit log and figures reported by subordinate units."""

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from silverdesk.db.base import Base


class ImportBatch(Base):
    __tablename__ = "import_batch"
    __table_args__ = (CheckConstraint("status IN ('已导入','已撤销')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # roster | activities | resources | demands | report
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    sheet: Mapped[str] = mapped_column(String(100), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    operator: Mapped[str] = mapped_column(String(50), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(4), default="已导入")
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    mapping_json: Mapped[str] = mapped_column(Text, default="")
    # {"counts": {kind: n}, "decisions": [Decision.as_dict()]}: what the import worked out, as stored
    decisions_json: Mapped[str] = mapped_column(Text, default="", server_default="")


class ImportRow(Base):
    """The fate of one row of an import batch; ``before_json`` holds what an update replaced."""

    __tablename__ = "import_row"
    __table_args__ = (
        CheckConstraint("fate IN ('新增','更新','未变','拒绝')", name="fate"),
        Index("ix_import_row_batch_entity", "batch_id", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    row_number: Mapped[int] = mapped_column(Integer)
    fate: Mapped[str] = mapped_column(String(4))
    entity: Mapped[str] = mapped_column(String(30), default="")
    entity_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    before_json: Mapped[str] = mapped_column(Text, default="")


class AuditLog(Base):
    """操作日志: who changed what and when, with old and new values."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    operator: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(20))  # 新增 | 修改 | 注销 | 删除 | 导入 | 撤销导入 | 恢复 …
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(300), default="")
    changes_json: Mapped[str] = mapped_column(Text, default="")  # {"field": [old, new], …}


class SubmittedReport(Base):
    """A subordinate unit's report for a period, imported at the level above (汇总)."""

    __tablename__ = "submitted_report"
    __table_args__ = (UniqueConstraint("unit_id", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    figures_json: Mapped[str] = mapped_column(Text)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
