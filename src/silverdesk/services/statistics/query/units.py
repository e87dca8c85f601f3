"""The unit tree as the statistics see it: a scope (a unit and everything below it) and the levels of
the 单位 dimension (下一级, 区县, 乡镇街道, 社区村, 本单位).

The tree is small (a county has some hundreds of units); it is read once per question and the
grouping of units into the values of a level is worked out here, then handed to SQL as a table of
(unit, group) pairs, so the GROUP BY happens in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, case, func, literal, null, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import SQLCoreOperations

from silverdesk.db.models import Unit
from silverdesk.errors import UserError

OWN = "本级"

#: The 单位 dimension's levels: key → (name, unit kinds that make a group at that level)
LEVELS: dict[str, tuple[str, frozenset[str]]] = {
    "下一级": ("下一级单位", frozenset()),
    "区县": ("区县", frozenset({"区", "县"})),
    "乡镇街道": ("乡镇街道和部门", frozenset({"乡镇", "街道", "部门"})),
    "社区村": ("社区村", frozenset({"社区", "村"})),
    "本单位": ("各单位（不汇总）", frozenset()),
}

_WHOLE = {"市": "全市", "区": "全区", "县": "全县"}
#: every label a whole tree's scope may have
WHOLE_LABELS = frozenset(_WHOLE.values())


def whole_label(kind: str, name: str) -> str:
    """What 统计范围 says for the top of the tree: 全市 / 全区 / 全县 by its kind, else its name."""
    return _WHOLE.get(kind, name)


@dataclass(frozen=True)
class UnitNode:
    id: int
    name: str
    kind: str
    parent_id: int | None
    sort_order: int


@dataclass
class UnitTree:
    nodes: dict[int, UnitNode]
    children: dict[int | None, list[int]]

    @classmethod
    def load(cls, s: Session) -> UnitTree:
        rows = s.execute(select(Unit.id, Unit.name, Unit.kind, Unit.parent_id, Unit.sort_order)).all()
        if not rows:
            raise UserError("还没有单位：请先在“设置 › 单位”中建立本县（市、区）及下级单位")
        nodes = {r.id: UnitNode(r.id, r.name, r.kind, r.parent_id, r.sort_order or 0) for r in rows}
        children: dict[int | None, list[int]] = {}
        for n in sorted(nodes.values(), key=lambda n: (n.sort_order, n.id)):
            parent = n.parent_id if n.parent_id in nodes else None
            children.setdefault(parent, []).append(n.id)
        return cls(nodes, children)

    def root(self) -> int:
        return self.children[None][0]

    def subtree(self, unit_id: int) -> list[int]:
        """``unit_id`` and every unit below it, parents before children."""
        out, stack = [], [unit_id]
        while stack:
            uid = stack.pop()
            out.append(uid)
            stack.extend(reversed(self.children.get(uid, [])))
        return out

    def path(self, unit_id: int) -> list[int]:
        """From the tree's root down to ``unit_id``."""
        out: list[int] = []
        uid: int | None = unit_id
        while uid is not None and uid in self.nodes and uid not in out:
            out.append(uid)
            uid = self.nodes[uid].parent_id
        return out[::-1]

    def order(self) -> dict[int, int]:
        """Each unit's place in the tree's display order (depth first, by sort order)."""
        out: dict[int, int] = {}
        for root in self.children.get(None, []):
            for uid in self.subtree(root):
                out[uid] = len(out)
        return out


@dataclass
class UnitScope:
    """A scope: ``root`` and everything below it. ``whole`` when root is the top of the tree: then records
    with no unit (or a unit not on the tree) count, as 本级."""

    tree: UnitTree
    root: int
    whole: bool
    ids: list[int] = field(default_factory=list)

    @classmethod
    def load(cls, s: Session, unit_id: int | None) -> UnitScope:
        # the tree is read once per session: the questions of one report share it
        tree = s.info.get("silverdesk.unit_tree")
        if tree is None:
            tree = s.info["silverdesk.unit_tree"] = UnitTree.load(s)
        if unit_id is None:
            root = tree.root()
        elif unit_id in tree.nodes:
            root = unit_id
        else:
            raise UserError("所选单位不存在，请在单位列表里重新选择")
        return cls(tree, root, tree.nodes[root].parent_id is None, tree.subtree(root))

    @property
    def name(self) -> str:
        return self.tree.nodes[self.root].name

    @property
    def label(self) -> str:
        """What 统计范围 says: 全县 / 全市 / 全区 for the top of the tree, else the unit's name."""
        node = self.tree.nodes[self.root]
        return whole_label(node.kind, node.name) if self.whole else node.name

    def contains(self, expr: SQLCoreOperations[Any]) -> ColumnElement[bool]:
        """A filter on a unit column: everything for the whole tree, the subtree otherwise."""
        if self.whole:
            return true()
        return expr.in_(self.ids)

    def groups(self, level: str) -> dict[int, int]:
        """Each unit of the scope → the unit whose row it counts in at ``level`` (see :data:`LEVELS`)."""
        if level not in LEVELS:
            raise UserError(f"单位的层级“{level}”无法识别：可选 {'、'.join(LEVELS)}")
        out: dict[int, int] = {}
        if level == "本单位":
            return {uid: uid for uid in self.ids}
        if level == "下一级":
            out[self.root] = self.root
            for child in self.tree.children.get(self.root, []):
                for uid in self.tree.subtree(child):
                    out[uid] = child
            return out
        kinds = LEVELS[level][1]
        for uid in self.ids:
            path = self.tree.path(uid)
            path = path[path.index(self.root) :]
            hit = next((u for u in path if self.tree.nodes[u].kind in kinds), None)
            out[uid] = hit if hit is not None else uid
        return out

    def group_label(self, level: str, group: int) -> tuple[Any, str]:
        """(sort key, label) of a group of :meth:`groups`: units in tree order; a unit above the level
        (or the scope itself at 下一级) shows as its own 本级 row, after its subordinates."""
        order = self.tree.order()
        node = self.tree.nodes[group]
        if level == "下一级" and group == self.root:
            return ((1, 0), OWN)
        kinds = LEVELS[level][1]
        above = bool(kinds) and node.kind not in kinds
        if above:
            return ((1, order.get(group, 0)), f"{node.name}（{OWN}）")
        return ((0, order.get(group, 0)), node.name)

    def group_expr(
        self, stmt: Select[Any], unit: ColumnElement[Any], level: str
    ) -> tuple[Select[Any], ColumnElement[Any]]:
        """Each record's group at ``level``: a CASE over the (unit, group) pairs on ``unit`` (a join of the
        pairs as a VALUES table was scanned once per record: 4× slower with 440 units); records with no
        unit (whole tree only) go to the root's 本级 row."""
        pairs = self.groups(level)
        grp: ColumnElement[Any] = (
            case({u: literal(g, Integer) for u, g in sorted(pairs.items())}, value=unit) if pairs else null()
        )
        if self.whole:
            return stmt, func.coalesce(grp, self.root)
        return stmt, grp

    def resolve(self, text: str) -> list[int]:
        """Units a clerk named (by name or alias) within the scope."""
        hits = [uid for uid in self.ids if self.tree.nodes[uid].name == text.strip()]
        if not hits:
            names = [self.tree.nodes[u].name for u in self.ids]
            raise UserError(f"统计范围内没有单位“{text}”。{_nearest(text, names)}")
        return hits


def _nearest(text: str, names: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(text, list(names), n=5, cutoff=0.3)
    return f"最接近的有：{'、'.join(close)}" if close else ""
