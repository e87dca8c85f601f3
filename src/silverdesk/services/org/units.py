"""The unit tree (县 → 乡镇/街道/部门 → 社区/村)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from silverdesk.db.models import Unit
from silverdesk.domain import enums
from silverdesk.domain import fields as f
from silverdesk.domain.names import aliases_of
from silverdesk.domain.text import clean
from silverdesk.errors import Conflict, FieldError, UserError, ValidationError
from silverdesk.services.base import CrudService, audit


@dataclass(frozen=True)
class UnitNode:
    id: int
    name: str
    kind: str
    parent_id: int | None
    depth: int
    active: bool


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
                select(Unit.id, Unit.name, Unit.kind, Unit.parent_id, Unit.active).order_by(
                    Unit.sort_order, Unit.id
                )
            ).all()
        children: dict[int | None, list[Row[int, str, str, int | None, bool]]] = {}
        for r in rows:
            if include_inactive or r.active:
                children.setdefault(r.parent_id, []).append(r)
        out: list[UnitNode] = []

        def walk(parent: int | None, depth: int) -> None:
            for r in children.get(parent, []):
                out.append(UnitNode(r.id, r.name, r.kind, r.parent_id, depth, r.active))
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

    def ensure_root(self, name: str) -> int:
        """The county unit, created if the database has none yet."""
        with self.ctx.db.session() as session:
            existing = session.scalar(select(Unit.id).where(Unit.parent_id.is_(None)))
            if existing:
                return existing
            if not clean(name):
                raise UserError("请填写本县名称")
            unit = Unit(name=clean(name), kind="县")
            session.add(unit)
            session.flush()
            audit(session, self.ctx, "新增", self.entity, unit.id, f"新增单位：{unit.name}")
            return unit.id
