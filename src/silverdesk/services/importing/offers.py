"""What an import adds to the reference tables: the units, teams and list entries it creates, and the
names it learns (aliases), both undone with the batch.

- :func:`create_offers` (commit): every :class:`~silverdesk.services.importing.refs.Offer` of the plan
  becomes a unit, a team or a list entry (a new 小项 under its 大类), in the order offered.
- :func:`remember_aliases` (commit): every 近似匹配 the rows to be stored use (县卫健局 taken as
  县卫生健康局, by default or by the clerk's choice) is kept as an alias of the unit, team or list
  entry, so the next import of the same file finds the name with no decision; each one is audited
  and recorded as an :class:`ImportRow` of row 0 (fate 更新, ``before_json`` {"alias": …}).
- :func:`forget_aliases` (undo): removes the aliases the batch added, where they are still there.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from silverdesk.db.models import ImportRow, Lookup, Team, Unit
from silverdesk.domain.enums import LOOKUP_KINDS
from silverdesk.domain.names import aliases_of, with_alias, without_alias
from silverdesk.services.base import Context, audit
from silverdesk.services.importing.plan import UPDATED, ImportPlan

REFERENCE_MODELS: dict[str, type[Any]] = {"unit": Unit, "team": Team, "lookup": Lookup}
_WHAT = {"unit": "单位", "team": "志愿服务队"}


def _ref(value: int | None, refs: dict[int, int]) -> int | None:
    return refs[value] if value is not None and value < 0 else value


def create_offers(session: Session, plan: ImportPlan, batch_id: int) -> dict[int, int]:
    """Create the plan's offers; placeholder → new id (a unit's parent, a 小项's 大类 is offered before it)."""
    refs: dict[int, int] = {}
    for offer in plan.offers:
        parent = _ref(offer.parent_ref, refs)
        obj: Any
        if offer.entity == "unit":
            obj = Unit(name=offer.name[:100], kind=offer.kind, parent_id=parent)
        elif offer.entity == "team":
            obj = Team(name=offer.name[:200], unit_id=parent, import_batch_id=batch_id)
        else:
            order = session.scalar(
                select(func.coalesce(func.max(Lookup.sort_order), -1) + 1).where(
                    Lookup.kind == offer.kind,
                    Lookup.parent_id.is_(None) if parent is None else Lookup.parent_id == parent,
                )
            )
            obj = Lookup(kind=offer.kind, name=offer.name[:100], parent_id=parent, aliases="",
                         sort_order=order, active=True)  # fmt: skip
        session.add(obj)
        session.flush()
        refs[offer.ref] = obj.id
    return refs


def _label(entity: str, obj: Any) -> str:
    what = _WHAT.get(entity) or LOOKUP_KINDS.get(getattr(obj, "kind", ""), "列表")
    return f"{what}“{obj.name}”"


def remember_aliases(session: Session, ctx: Context, plan: ImportPlan, batch_id: int) -> list[str]:
    """Keep every learned name as an alias (see the module docstring); returns what was added, for the audit."""
    added: list[str] = []
    rows: list[dict[str, Any]] = []
    for entity, ref, alias in plan.learned:
        model = REFERENCE_MODELS[entity]
        obj = session.get(model, ref)
        if obj is None or alias == obj.name or alias in aliases_of(obj.aliases):
            continue
        old = obj.aliases
        obj.aliases = with_alias(old, alias)
        text = f"导入（第 {batch_id} 批）时把“{alias}”记为{_label(entity, obj)}的别名"
        audit(session, ctx, "修改", entity, ref, text, {"aliases": [old, obj.aliases]})
        added.append(f"“{alias}”→“{obj.name}”")
        rows.append({"batch_id": batch_id, "row_number": 0, "fate": UPDATED, "entity": entity, "entity_id": ref,
                     "reason": text, "before_json": json.dumps({"alias": alias}, ensure_ascii=False)})  # fmt: skip
    if rows:
        session.execute(insert(ImportRow), rows)
    return added


def forget_aliases(session: Session, ctx: Context, batch_id: int, rows: list[Any]) -> int:
    """Remove the aliases batch ``batch_id`` added (its row-0 更新 rows); the number removed."""
    removed = 0
    for r in rows:
        alias = json.loads(r.before_json or "{}").get("alias")
        model = REFERENCE_MODELS.get(r.entity)
        obj = session.get(model, r.entity_id) if model is not None and alias else None
        if obj is None or alias not in aliases_of(obj.aliases):
            continue
        old = obj.aliases
        obj.aliases = without_alias(old, alias)
        audit(session, ctx, "修改", r.entity, r.entity_id,
              f"撤销第 {batch_id} 批导入：不再把“{alias}”记为{_label(r.entity, obj)}的别名",
              {"aliases": [old, obj.aliases]})  # fmt: skip
        removed += 1
    return removed
