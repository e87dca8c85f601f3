"""The unit tree (县 → 乡镇/街道/部门 → 社区/村) and its editing: add, rename, move, reorder, retire.

Merging two units is :mod:`silverdesk.services.org.unit_merge`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import Unit
from silverdesk.domain import enums
from silverdesk.domain import fields as f
from silverdesk.domain.names import aliases_of
from silverdesk.domain.text import clean
from silverdesk.domain.unit_kinds import TOP_KINDS, child_kinds, kind_by_name
from silverdesk.errors import Conflict, FieldError, NotFound, UserError, ValidationError
from silverdesk.services.base import CrudService, audit
from silverdesk.services.org.unit_merge import MergeResult, merge_units


@dataclass(frozen=True)
class UnitNode:
    id: int
    name: str
    kind: str
    parent_id: int | None
    depth: int
    active: bool
    code: str = ""


UNIT_SPECS = (
    f.FieldSpec("name", "单位名称", f.text, required=True, max_length=100),
    f.FieldSpec("kind", "单位类型", f.choice, required=True, choices=enums.UNIT_KINDS),
    f.FieldSpec("parent_id", "上级单位", f.passthrough),
    f.FieldSpec("code", "区划代码", f.text, max_length=20),
    f.FieldSpec("sort_order", "排序", f.count),
    f.FieldSpec("notes", "备注", f.multiline),
)


class UnitService(CrudService[Unit]):
    model = Unit
    entity = "unit"
    label = "单位"
    specs = UNIT_SPECS
    retire_field = ("active", False)

    def check(self, session: Session, values: dict[str, object], current: Unit | None) -> None:
        parent_id = values.get("parent_id", current.parent_id if current else None)
        name = values.get("name", current.name if current else None)
        if parent_id is not None:
            if session.get(Unit, parent_id) is None:
                raise ValidationError([FieldError("parent_id", "上级单位不存在，请重新选择")])
            if current is not None and parent_id in self._subtree(session, current.id):
                raise ValidationError([FieldError("parent_id", "不能把单位移到它自己或它的下级单位之下")])
        elif session.scalar(
            select(Unit.id).where(Unit.parent_id.is_(None), Unit.id != (current.id if current else -1))
        ):
            raise ValidationError([FieldError("parent_id", "请选择上级单位（只能有一个顶级单位，即本县）")])
        dup = session.scalar(
            select(Unit.id).where(
                Unit.name == name,
                Unit.parent_id.is_(parent_id) if parent_id is None else Unit.parent_id == parent_id,
            )
        )
        if dup and (current is None or dup != current.id):
            raise Conflict(f"同一上级单位下已有“{name}”")

    def _subtree(self, session: Session, root: int) -> set[int]:
        ids, frontier = {root}, [root]
        while frontier:
            children = list(session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))))
            frontier = [c for c in children if c not in ids]
            ids.update(frontier)
        return ids

    def tree(self, *, include_inactive: bool = False) -> list[UnitNode]:
        """Depth-first list (parents before children), for tree views and pickers."""
        with self.ctx.db.reader() as session:
            rows = session.execute(
                select(Unit.id, Unit.name, Unit.kind, Unit.parent_id, Unit.active, Unit.code).order_by(
                    Unit.sort_order, Unit.id
                )
            ).all()
        children: dict[int | None, list[Row[int, str, str, int | None, bool, str | None]]] = {}
        for r in rows:
            if include_inactive or r.active:
                children.setdefault(r.parent_id, []).append(r)
        out: list[UnitNode] = []

        def walk(parent: int | None, depth: int) -> None:
            for r in children.get(parent, []):
                out.append(UnitNode(r.id, r.name, r.kind, r.parent_id, depth, r.active, r.code or ""))
                walk(r.id, depth + 1)

        walk(None, 0)
        return out

    def root(self) -> UnitNode | None:
        nodes = self.tree()
        return nodes[0] if nodes else None

    def find(self, name: str, kinds: tuple[str, ...] = ()) -> int | None:
        """A unit by exact name (after cleaning), else by a remembered alias; optionally of some kinds only."""
        name = clean(name)
        if not name:
            return None
        with self.ctx.db.reader() as session:
            stmt = select(Unit.id).where(Unit.name == name)
            if kinds:
                stmt = stmt.where(Unit.kind.in_(kinds))
            found = session.scalars(stmt.order_by(Unit.id)).first()
            if found is not None:
                return found
            near = select(Unit.id, Unit.aliases).where(Unit.aliases.contains(name, autoescape=True))
            if kinds:
                near = near.where(Unit.kind.in_(kinds))
            return next(
                (i for i, a in session.execute(near.order_by(Unit.id)) if name in aliases_of(a)), None
            )

    def whole_label(self) -> str:
        """What the whole tree is called as a report's scope: 全县 / 全市 / 全区 by the top unit's kind."""
        from silverdesk.services.statistics.query.units import whole_label

        root = self.root()
        return whole_label(root.kind, root.name) if root else "全县"

    def ensure_root(self, name: str, kind: str = "县") -> int:
        """The bureau's own unit (县/市/区), created if the database has none yet."""
        if kind not in TOP_KINDS:
            raise UserError("本级单位的类型只能是县、市或区")
        with self.ctx.db.session() as session:
            existing = session.scalar(select(Unit.id).where(Unit.parent_id.is_(None)))
            if existing:
                return existing
            if not clean(name):
                raise UserError("请填写本级单位名称，如 青山县")
            unit = Unit(name=clean(name), kind=kind)
            session.add(unit)
            session.flush()
            audit(session, self.ctx, "新增", self.entity, unit.id, f"新增单位：{unit.name}")
            return unit.id

    # editing the tree (设置 › 单位) ------------------------------------------------------------
    def add_child(self, parent_id: int, name: str, kind: str = "", code: str = "") -> int:
        """A new unit at the end of ``parent_id``'s children; ``kind`` by the name's ending when not given."""
        with self.ctx.db.reader() as session:
            parent = self.load(session, parent_id)
            parent_kind, parent_name = parent.kind, parent.name
            last = session.scalar(select(func.max(Unit.sort_order)).where(Unit.parent_id == parent_id))
        allowed = child_kinds(parent_kind)
        if not allowed:
            raise UserError(f"“{parent_name}”是{parent_kind}，其下不能再建单位")
        kind = kind or kind_by_name(name, allowed[0])
        if kind not in allowed:
            raise ValidationError(
                [FieldError("kind", f"{parent_kind}之下的单位只能是{'、'.join(allowed)}，请重新选择类型")]
            )
        return self.create(
            {"name": name, "kind": kind, "parent_id": parent_id, "code": code,
             "sort_order": (last if last is not None else -1) + 1}
        )  # fmt: skip

    def add_children(self, parent_id: int, names: list[str]) -> list[int]:
        """Several units under ``parent_id`` at once (a pasted list), each kind by its name's ending."""
        return [self.add_child(parent_id, name) for name in names]

    def rename(self, unit_id: int, name: str) -> dict[str, list[object]]:
        """A new name; the old one is kept as an alias, so files and past figures still find the unit."""
        return self.update(unit_id, {"name": name})

    def move(self, unit_id: int, parent_id: int) -> dict[str, list[object]]:
        """Under another parent (at the end of its children); never under itself or its own subtree."""
        with self.ctx.db.reader() as session:
            unit = self.load(session, unit_id)
            parent = session.get(Unit, parent_id)
            if parent is None:
                raise NotFound("找不到要移到的上级单位，可能已被删除")
            if unit.parent_id is None:
                raise UserError(f"“{unit.name}”是本级单位，不能移动")
            if parent_id in self._subtree(session, unit_id):
                raise UserError(f"不能把“{unit.name}”移到它自己或它的下级单位“{parent.name}”之下")
            if unit.kind not in child_kinds(parent.kind):
                raise UserError(f"{unit.kind}“{unit.name}”不能放在{parent.kind}“{parent.name}”之下")
            if not parent.active:
                raise UserError(f"“{parent.name}”已停用，请先恢复它再把单位移过去")
            last = session.scalar(select(func.max(Unit.sort_order)).where(Unit.parent_id == parent_id))
        return self.update(
            unit_id, {"parent_id": parent_id, "sort_order": (last if last is not None else -1) + 1}
        )

    def reorder(self, unit_id: int, step: int) -> bool:
        """Move a unit up (-1) or down (+1) among its siblings (``sort_order``); False at either end."""
        with self.ctx.db.session() as session:
            unit = self.load(session, unit_id)
            siblings = list(
                session.scalars(
                    select(Unit).where(Unit.parent_id == unit.parent_id).order_by(Unit.sort_order, Unit.id)
                )
            )
            i = siblings.index(unit)
            j = i + step
            if unit.parent_id is None or not 0 <= j < len(siblings):
                return False
            siblings[i], siblings[j] = siblings[j], siblings[i]
            for n, sibling in enumerate(siblings):
                sibling.sort_order = n
            audit(session, self.ctx, "修改", self.entity, unit.id,
                  f"调整单位顺序：{unit.name}{'上移' if step < 0 else '下移'}", {"sort_order": [i, j]})  # fmt: skip
            return True

    def retire(self, obj_id: int, note: str = "") -> None:
        """停用: kept for history (past periods still count it), hidden from pick lists."""
        with self.ctx.db.reader() as session:
            unit = self.load(session, obj_id)
            if unit.parent_id is None:
                raise UserError("本级单位不能停用")
            if not unit.active:
                raise UserError(f"“{unit.name}”已经停用")
            busy = session.scalar(
                select(func.count()).select_from(Unit).where(Unit.parent_id == obj_id, Unit.active.is_(True))
            )
            if busy:
                raise UserError(f"“{unit.name}”下还有 {busy} 个在用的下级单位，请先停用、移走或合并它们")
        with self.ctx.db.session() as session:
            unit = self.load(session, obj_id)
            unit.active = False
            audit(session, self.ctx, "停用", self.entity, unit.id,
                  f"单位“{unit.name}”停用{('：' + note) if note else ''}", {"active": [True, False]})  # fmt: skip

    def reactivate(self, unit_id: int) -> None:
        """Back in use after 停用 (its parent must be in use)."""
        with self.ctx.db.session() as session:
            unit = self.load(session, unit_id)
            if unit.active:
                return
            if unit.parent is not None and not unit.parent.active:
                raise UserError(f"上级单位“{unit.parent.name}”已停用，请先恢复它")
            unit.active = True
            audit(session, self.ctx, "恢复", self.entity, unit.id, f"单位“{unit.name}”恢复使用",
                  {"active": [False, True]})  # fmt: skip

    def details(self, unit_id: int) -> dict[str, object]:
        """A unit's fields with its parent's kind and its other names, for the editor's side panel."""
        with self.ctx.db.reader() as session:
            unit = self.load(session, unit_id)
            return {
                "id": unit.id, "name": unit.name, "kind": unit.kind, "code": unit.code or "",
                "parent_id": unit.parent_id, "active": unit.active, "notes": unit.notes,
                "aliases": list(aliases_of(unit.aliases)),
                "parent_kind": unit.parent.kind if unit.parent is not None else "",
            }  # fmt: skip

    def merge(self, merged_id: int, kept_id: int) -> MergeResult:
        """``merged_id`` into ``kept_id``: its records follow, its names become aliases (see ``unit_merge``)."""
        return merge_units(self.ctx, merged_id, kept_id)
