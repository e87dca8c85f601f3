"""The scope of a report: the unit it is for (the county, or one unit and everything below it) and the rows
of 表1 — one per unit directly under it, holding that unit's subtree, then "本级" for the scope unit itself."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from silverdesk.db.models import Unit
from silverdesk.errors import UserError

OWN_ROW = "本级"


@dataclass
class Scope:
    root_id: int
    name: str
    is_county: bool
    rows: list[tuple[int | None, str]]  # (unit id or None for 本级, label)
    row_of: dict[int, int]  # unit id → index in rows
    unit_ids: set[int] = field(default_factory=set)

    def in_scope(self, column: InstrumentedAttribute[Any]) -> Any:
        """A filter on a unit column: everything (``True``) for the county, the subtree otherwise."""
        if self.is_county:
            return True
        return column.in_(sorted(self.unit_ids))

    def row_index(self, unit_id: int | None) -> int | None:
        """The row of 表1 a unit's figures go to (None: outside the scope)."""
        if unit_id is None:
            return len(self.rows) - 1 if self.is_county else None
        index = self.row_of.get(unit_id)
        if index is None and self.is_county:
            return len(self.rows) - 1
        return index


def load_scope(s: Session, unit_id: int | None) -> Scope:
    """The scope of ``unit_id`` (None: the county, the root of the unit tree)."""
    units = s.execute(select(Unit.id, Unit.name, Unit.parent_id, Unit.sort_order, Unit.active)).all()
    if not units:
        raise UserError("还没有单位：请先在“设置”里建立本县及下级单位")
    children: dict[int | None, list[Any]] = defaultdict(list)
    for u in sorted(units, key=lambda u: (u.sort_order, u.id)):
        children[u.parent_id].append(u)
    by_id = {u.id: u for u in units}
    if unit_id is None:
        roots = children[None]
        root = roots[0]
    else:
        root = by_id.get(unit_id)
        if root is None:
            raise UserError("所选单位不存在")
    rows: list[tuple[int | None, str]] = [(c.id, c.name) for c in children[root.id]]
    row_of: dict[int, int] = {}
    for index, child in enumerate(children[root.id]):
        stack: list[int] = [child.id]
        while stack:
            uid = stack.pop()
            row_of[uid] = index
            stack.extend(c.id for c in children[uid])
    rows.append((None, OWN_ROW))
    row_of[root.id] = len(rows) - 1
    return Scope(root.id, root.name, root.parent_id is None, rows, row_of, set(row_of))
