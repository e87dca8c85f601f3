"""Undo an import batch as a whole: its rows and only its rows.

What the batch created is deleted (with the link rows it added), what it overwrote gets its old
values back, and the batch is marked 已撤销.  The undo refuses, naming who and why, when that
would damage later work:

* a created record has since been used by something the batch did not create (a person put in a
  team, named in an activity, made a party secretary …; an activity given attachments or an order);
* a later batch (still in force) updated the same record;
* a value the batch wrote has been changed since (by hand or otherwise), or a created record has
  been edited by hand — undoing would silently throw that work away.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Date, DateTime, delete, select, text, update
from sqlalchemy.orm import Session

from silverdesk.db.models import AuditLog, ImportBatch, ImportRow, SubmittedReport
from silverdesk.domain.enums import LOOKUP_KINDS
from silverdesk.domain.pinyin import NAME_COLUMNS, name_columns
from silverdesk.errors import NotFound, UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.base import Context, audit
from silverdesk.services.importing.bulk import gc_paused
from silverdesk.services.importing.commit import LINK_MODELS, MODELS
from silverdesk.services.importing.dedupe import chunks
from silverdesk.services.importing.offers import REFERENCE_MODELS, forget_aliases
from silverdesk.services.importing.plan import NEW, UPDATED

REFERENCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "person": (
        ("team_member", "person_id", "已加入志愿服务队"),
        ("activity_participant", "person_id", "已被记为活动参与人员"),
        ("party_org_member", "person_id", "已加入党组织"),
        ("party_org", "secretary_id", "已被设为党组织书记"),
        ("resource", "person_id", "已登记为资源提供人"),
        ("honour", "person_id", "已登记了荣誉"),
        ("points_entry", "person_id", "已有积分记录"),
        ("service_order", "person_id", "已关联订单"),
    ),
    "activity": (
        ("attachment", "activity_id", "已添加附件"),
        ("points_entry", "activity_id", "已产生积分记录"),
    ),
    "resource": (("service_order", "resource_id", "已关联订单"),),
    "demand": (("service_order", "demand_id", "已关联订单"),),
    "team": (
        ("team_member", "team_id", "已有队员"),
        ("activity_team", "team_id", "已关联活动"),
        ("resource", "team_id", "已登记为资源提供方"),
        ("service_order", "team_id", "已关联订单"),
        ("honour", "team_id", "已登记了荣誉"),
    ),
    "unit": (
        ("unit", "parent_id", "下面已有单位"),
        ("person", "unit_id", "已有人员"),
        ("person", "community_id", "已有居住人员"),
        ("activity", "unit_id", "已有活动"),
        ("activity", "community_id", "已有服务活动"),
        ("team", "unit_id", "已有服务队"),
        ("demand", "requester_unit_id", "已有需求"),
        ("resource", "area_unit_id", "已有资源"),
        ("import_batch", "unit_id", "有其他导入批次"),
        ("submitted_report", "unit_id", "有报送的报表"),
        ("party_org", "unit_id", "已有党组织"),
        ("place", "unit_id", "已有阵地"),
        ("person_community_role", "community_id", "已有社区任职"),
    ),
    "monthly_theme": (("activity", "theme_id", "已有活动使用"),),
    "lookup": (
        ("lookup", "parent_id", "下面已有小项"),
        ("activity", "category_id", "已有活动"),
        ("resource", "category_id", "已有资源"),
        ("demand", "category_id", "已有需求"),
        ("person_talent", "category_id", "已有人员"),
        ("person_community_role", "role_id", "已有人员"),
        ("category_link", "category_id", "已关联服务领域或人才库类别"),
        ("category_link", "related_id", "已关联资源/需求类别"),
    ),
}
"""entity → (table, column, what it means) of the references that make a created record unsafe to delete.

Table and column names are these constants (never input), so they are formatted into the SQL text."""
ENDED_ROWS = {"team_member": "left_on IS NOT NULL", "party_org_member": "left_on IS NOT NULL"}
"""Memberships a person has left (kept for past periods, issue #17): they do not stop the undo of a person
created by mistake, and go with him."""
NAME_COLUMN = {"person": "name", "activity": "title", "resource": "title", "demand": "title", "team": "name",
               "unit": "name", "monthly_theme": "name"}  # fmt: skip
MAX_NAMED = 5


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    deleted: int
    restored: int
    kept: tuple[str, ...]  # units/teams the batch created that are still in use elsewhere


@gc_paused()
def undo_batch(
    ctx: Context, batch_id: int, *, progress: Progress = null_progress, cancel: CancelToken = NEVER
) -> UndoResult:
    """Undo batch ``batch_id`` in one transaction; raises :class:`UserError` saying why it cannot.

    Cancelling (:class:`~silverdesk.errors.Cancelled` at a chunk boundary) rolls the whole undo
    back: the batch stays in force as it was."""
    with ctx.db.session() as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise NotFound(f"找不到第 {batch_id} 批导入，请用导入记录中的批次号")
        if batch.status == "已撤销":
            when = f"于 {batch.undone_at:%Y-%m-%d %H:%M} " if batch.undone_at else ""
            raise UserError(f"第 {batch_id} 批导入（{batch.file_name}）已{when}撤销，无需再撤销")
        if batch.kind == "report":
            deleted = cast(  # what a DELETE returns; Session.execute is typed for SELECT
                "CursorResult[Any]",
                session.execute(delete(SubmittedReport).where(SubmittedReport.import_batch_id == batch_id)),
            ).rowcount
            result = UndoResult(batch_id, deleted or 0, 0, ())
        else:
            result = _undo_rows(session, ctx, batch, progress, cancel)
        batch.status = "已撤销"
        batch.undone_at = ctx.clock()
        audit(session, ctx, "撤销导入", "import_batch", batch_id,
              f"撤销第 {batch_id} 批导入（{batch.file_name}）：删除 {result.deleted} 条，恢复 {result.restored} 条"
              + (f"；保留仍在使用的{'、'.join(result.kept)}" if result.kept else ""),
              {"deleted": result.deleted, "restored": result.restored, "kept": list(result.kept)})  # fmt: skip
        session.flush()
        cancel.raise_if_set()  # the last safe point: nothing is committed yet
        return result


def _undo_rows(
    session: Session, ctx: Context, batch: ImportBatch, progress: Progress, cancel: CancelToken
) -> UndoResult:
    rows = session.execute(
        select(
            ImportRow.row_number, ImportRow.fate, ImportRow.entity, ImportRow.entity_id, ImportRow.before_json
        ).where(ImportRow.batch_id == batch.id, ImportRow.fate.in_((NEW, UPDATED)))
    ).all()
    offers = [(r.entity, r.entity_id) for r in rows if r.row_number == 0 and r.fate == NEW]
    learned = [r for r in rows if r.row_number == 0 and r.fate == UPDATED]  # aliases the batch remembered
    records = [r for r in rows if r.row_number != 0 and r.entity in MODELS]
    entity = records[0].entity if records else ""
    created = [r.entity_id for r in records if r.fate == NEW]
    updated = [r for r in records if r.fate == UPDATED]
    own_links: dict[str, set[int]] = {}
    for r in records:
        detail = json.loads(r.before_json) if r.before_json else {}
        for table, ids in detail.get("added", {}).items():
            own_links.setdefault(table, set()).update(ids)
    if entity:
        model = MODELS[entity]
        _refuse_later_batches(session, batch, entity, created + [r.entity_id for r in updated])
        _refuse_references(session, entity, created, own_links)
        _refuse_manual_edits(session, batch, entity, created)
        _refuse_changed_since(session, model, entity, updated)
    if entity == "person":  # memberships he has left go with a person created by mistake
        for table, ended in ENDED_ROWS.items():
            for part in chunks(created):
                session.execute(text(f"DELETE FROM {table} WHERE person_id IN ({','.join(str(int(i)) for i in part)})"
                                     f" AND {ended}"))  # fmt: skip
    # delete the link rows this batch added (team memberships of created people, roles of updated ones …)
    for table, ids in own_links.items():
        link_model = LINK_MODELS[table]
        for part in chunks(sorted(ids)):
            session.execute(delete(link_model).where(link_model.id.in_(part)))
    deleted, total = 0, len(created) + len(updated)
    if entity:
        model = MODELS[entity]
        for part in chunks(created):
            cancel.raise_if_set()
            gone = cast("CursorResult[Any]", session.execute(delete(model).where(model.id.in_(part))))
            deleted += gone.rowcount or 0
            progress(deleted, total, "正在撤销导入")
        for i, r in enumerate(updated):
            if i % 1000 == 0:
                cancel.raise_if_set()
                progress(len(created) + i, total, "正在恢复被更新的记录")
            before = json.loads(r.before_json).get("before", {}) if r.before_json else {}
            if before:
                values = {k: _decode(model, k, v) for k, v in before.items()}
                if "name" in values and entity == "person":
                    values.update(name_columns(values["name"]))
                session.execute(update(model).where(model.id == r.entity_id).values(values))
    kept = _drop_offers(session, offers)
    forget_aliases(session, ctx, batch.id, learned)
    return UndoResult(batch.id, deleted, len(updated), tuple(kept))


def _decode(model: type[Any], key: str, value: Any) -> Any:
    """A value from ``before_json`` back to its column's Python type (dates were stored as text)."""
    if value is None:
        return None
    column_type = model.__table__.columns[key].type
    if isinstance(column_type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return dt.date.fromisoformat(value)
    return value


def _names(session: Session, entity: str, ids: Iterable[int]) -> str:
    model = MODELS.get(entity)
    ids = list(ids)[:MAX_NAMED]
    if model is None or not ids:
        return ""
    column = getattr(model, NAME_COLUMN[entity])
    names = list(session.scalars(select(column).where(model.id.in_(ids))))
    return "、".join(f"“{n}”" for n in names)


def _refuse_later_batches(session: Session, batch: ImportBatch, entity: str, ids: list[int]) -> None:
    later: dict[int, set[int]] = {}
    for part in chunks(ids):
        rows = session.execute(
            select(ImportRow.batch_id, ImportRow.entity_id).join(ImportBatch, ImportBatch.id == ImportRow.batch_id)
            .where(ImportRow.batch_id > batch.id, ImportBatch.status == "已导入", ImportRow.entity == entity,
                   ImportRow.fate == UPDATED, ImportRow.entity_id.in_(part))
        )  # fmt: skip
        for other, eid in rows:
            assert eid is not None  # entity_id IN (…) matched it
            later.setdefault(other, set()).add(eid)
    if later:
        other = min(later)
        file_name = session.scalar(select(ImportBatch.file_name).where(ImportBatch.id == other))
        raise UserError(f"不能撤销第 {batch.id} 批：之后的第 {other} 批导入（{file_name}）又更新了其中 "
                        f"{len(later[other])} 条记录（{_names(session, entity, later[other])}）；"
                        f"请先撤销第 {other} 批，再撤销第 {batch.id} 批")  # fmt: skip


def _refuse_references(
    session: Session, entity: str, created: list[int], own_links: dict[str, set[int]]
) -> None:
    for table, column, meaning in REFERENCES.get(entity, ()):
        own = own_links.get(table, set())
        still = f" AND NOT ({ENDED_ROWS[table]})" if entity == "person" and table in ENDED_ROWS else ""
        for part in chunks(created):
            rows = session.execute(
                text(
                    f"SELECT {column}, {'id' if own else 'NULL'} FROM {table} "
                    f"WHERE {column} IN ({','.join(str(int(i)) for i in part)}){still}"
                )
            ).all()
            used = sorted({owner for owner, link_id in rows if link_id is None or link_id not in own})
            if used:
                raise UserError(f"不能撤销：本批新增的 {len(used)} 条记录{meaning}（{_names(session, entity, used)}"
                                f"{'等' if len(used) > MAX_NAMED else ''}）；撤销会丢失这些后来的工作。"
                                "如确需撤销，请先解除这些关联，或只删除个别记录")  # fmt: skip


def _refuse_manual_edits(session: Session, batch: ImportBatch, entity: str, created: list[int]) -> None:
    edited: set[int] = set()
    for part in chunks(created):
        edited.update(session.scalars(select(AuditLog.entity_id).where(
            AuditLog.entity == entity, AuditLog.entity_id.in_(part), AuditLog.at >= batch.imported_at)))  # fmt: skip
    if edited:
        raise UserError(f"不能撤销：本批新增的 {len(edited)} 条记录导入后被修改过（{_names(session, entity, edited)}）；"
                        "撤销会丢失这些修改，请先核对")  # fmt: skip


def _refuse_changed_since(session: Session, model: type[Any], entity: str, updated: list[Any]) -> None:
    changed: list[tuple[int, str]] = []
    for r in updated:
        after = json.loads(r.before_json).get("after", {}) if r.before_json else {}
        if not after:
            continue
        keys = [k for k in after if k not in NAME_COLUMNS]
        current = session.execute(
            select(*(getattr(model, k) for k in keys)).where(model.id == r.entity_id)
        ).first()
        if current is None:
            changed.append((r.entity_id, "已被删除"))
            continue
        for key, now in zip(keys, current, strict=True):
            if _decode(model, key, after[key]) != now:
                changed.append((r.entity_id, key))
                break
    if changed:
        ids = [eid for eid, _ in changed]
        raise UserError(f"不能撤销：本批更新的 {len(changed)} 条记录在导入后又被修改过（{_names(session, entity, ids)}）；"
                        "撤销会覆盖这些后来的修改，请先核对")  # fmt: skip


def _drop_offers(session: Session, offers: list[tuple[str, int]]) -> list[str]:
    """Delete the units, teams and list entries the batch created unless something uses them now (teams,
    then list entries, then units, newest first).

    A sending unit the batch created stays: the batch's own record (kept, marked 已撤销) names it.
    """
    kept: list[str] = []
    order = {"team": 0, "lookup": 1, "unit": 2}
    for entity, oid in sorted(offers, key=lambda o: (order.get(o[0], 3), -o[1])):
        model: Any = REFERENCE_MODELS.get(entity)
        name = session.scalar(select(model.name).where(model.id == oid)) if model is not None else None
        if name is None:
            continue
        in_use = any(
            session.scalar(text(f"SELECT count(*) FROM {table} WHERE {column} = :i"), {"i": oid})
            for table, column, _ in REFERENCES[entity]
        )
        if in_use:
            what = {"team": "服务队", "unit": "单位"}.get(entity) or LOOKUP_KINDS.get(
                session.scalar(select(model.kind).where(model.id == oid)) or "", "列表"
            )
            kept.append(f"{what}“{name}”")
        else:
            session.execute(delete(model).where(model.id == oid))
    return kept


__all__ = ["UndoResult", "undo_batch"]
