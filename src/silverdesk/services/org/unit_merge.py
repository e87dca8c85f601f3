"""Merging two units (设置 › 单位 › 合并): everything recorded under the merged one follows to the kept one.

People (所属单位 and 居住社区), their community roles and 社区报到, teams, party organisations and the
共建协议 partners, 阵地, activities (organising unit and community served), resources and demands,
submitted returns and import batches, and the merged unit's own sub-units move; the merged unit stays,
停用 and renamed "旧名（已并入 新名）", and its names become aliases of the kept one, so files that still
use the old name are read into the kept unit.  Refused with a sentence when both sent a return for the
same period (which one would count?).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from silverdesk.db.models import (
    Activity,
    CoBuildingAgreement,
    Demand,
    ImportBatch,
    PartyOrg,
    Person,
    PersonCommunityRole,
    PersonRegistration,
    Place,
    Resource,
    SubmittedReport,
    Team,
    Unit,
)
from silverdesk.domain.names import aliases_of, with_alias
from silverdesk.errors import Conflict, NotFound, UserError
from silverdesk.services.base import Context, audit

MOVED: tuple[tuple[str, InstrumentedAttribute[int | None] | InstrumentedAttribute[int]], ...] = (
    ("人员（所属单位）", Person.unit_id),
    ("人员（居住社区）", Person.community_id),
    ("社区任职", PersonCommunityRole.community_id),
    ("社区报到", PersonRegistration.community_id),
    ("服务队", Team.unit_id),
    ("党组织", PartyOrg.unit_id),
    ("共建协议", CoBuildingAgreement.partner_unit_id),
    ("阵地", Place.unit_id),
    ("活动（组织单位）", Activity.unit_id),
    ("活动（服务社区）", Activity.community_id),
    ("资源", Resource.area_unit_id),
    ("需求", Demand.requester_unit_id),
    ("报送的报表", SubmittedReport.unit_id),
    ("导入批次", ImportBatch.unit_id),
    ("下级单位", Unit.parent_id),
)
"""What follows a merged unit: (what the audit entry calls it, the column holding the unit)."""


@dataclass
class MergeResult:
    """What a merge moved: the counts by :data:`MOVED` label (only those above zero)."""

    kept: str
    merged: str
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        moved = "，".join(f"{label} {n}" for label, n in self.counts.items()) or "无记录需要转移"
        return f"“{self.merged}”并入“{self.kept}”：{moved}"


def merge_units(ctx: Context, merged_id: int, kept_id: int) -> MergeResult:
    """Move everything of ``merged_id`` to ``kept_id`` in one transaction, audited with the counts moved."""
    if merged_id == kept_id:
        raise UserError("请选择另一个单位作为合并后保留的单位")
    with ctx.db.session() as session:
        merged, kept = session.get(Unit, merged_id), session.get(Unit, kept_id)
        if merged is None or kept is None:
            raise NotFound("找不到要合并的单位，可能已被删除")
        if merged.parent_id is None:
            raise UserError("本级单位不能并入其他单位")
        ancestor: Unit | None = kept
        while ancestor is not None:
            if ancestor.id == merged_id:
                raise UserError(f"“{kept.name}”是“{merged.name}”的下级单位，不能把上级并入下级")
            ancestor = ancestor.parent
        if not kept.active:
            raise UserError(f"“{kept.name}”已停用，请先恢复它再合并")
        clash = _clashing_return(session, merged_id, kept_id)
        if clash is not None:
            raise Conflict(
                f"“{merged.name}”和“{kept.name}”都报送了 {clash} 的报表，合并后无法确定以哪一份为准；"
                "请先在“报表 › 汇总”中删除其中一份，再合并"
            )
        result = MergeResult(kept.name, merged.name)
        try:
            for label, column in MOVED:
                where: ColumnElement[bool] = column == merged_id
                n = session.scalar(select(func.count()).select_from(column.class_).where(where)) or 0
                if n:
                    session.execute(update(column.class_).where(where).values({column.key: kept_id}))
                    result.counts[label] = n
            session.flush()
        except IntegrityError as exc:
            raise Conflict(
                f"合并失败：“{merged.name}”和“{kept.name}”有相同的记录（如同名的下级单位或同一人的同一任职），"
                "请先处理后再合并"
            ) from exc
        old_name = merged.name
        for name in (old_name, *aliases_of(merged.aliases)):
            if name != kept.name:
                kept.aliases = with_alias(kept.aliases, name)
        merged.aliases = ""
        merged.name = f"{old_name}（已并入{kept.name}）"[:100]
        merged.active = False
        session.flush()
        audit(session, ctx, "合并", "unit", kept.id, result.summary(),
              {"merged_id": merged_id, "kept_id": kept_id, "counts": result.counts,
               "aliases": [None, kept.aliases]})  # fmt: skip
        session.expire_all()
        return result


def _clashing_return(session: Session, merged_id: int, kept_id: int) -> str | None:
    """A period both units sent a return for ("2026-10-01 至 2026-10-31"), or None."""
    theirs = {
        (r.period_start, r.period_end)
        for r in session.execute(
            select(SubmittedReport.period_start, SubmittedReport.period_end).where(
                SubmittedReport.unit_id == kept_id
            )
        )
    }
    for r in session.execute(
        select(SubmittedReport.period_start, SubmittedReport.period_end).where(
            SubmittedReport.unit_id == merged_id
        )
    ):
        if (r.period_start, r.period_end) in theirs:
            return f"{r.period_start:%Y年%m月%d日}至{r.period_end:%Y年%m月%d日}"
    return None
