"""The 资源/需求类别 tree (大类 → 小项) and its links to 服务领域 / 人才库类别.

Two levels only, as the bureaus' lists are (seed 000: "10大类25小项"): a 小项 always has a 大类
parent, a 大类 has none.  Renaming and switching entries on/off go through
:class:`~silverdesk.services.org.lookups.LookupService`; this module adds what a tree needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import CategoryLink, Demand, Lookup, Resource
from silverdesk.domain.text import clean
from silverdesk.errors import Conflict, NotFound, UserError
from silverdesk.services.base import Context, audit

KIND = "resource_category"
RELATED_KINDS = ("activity_category", "talent_category")


@dataclass(frozen=True)
class CategoryNode:
    id: int
    name: str
    parent_id: int | None
    active: bool
    children: tuple[CategoryNode, ...] = ()
    related: tuple[str, ...] = ()  # names of linked 服务领域 / 人才库类别 (大类 only)


class CategoryService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def tree(self, *, include_inactive: bool = False) -> list[CategoryNode]:
        """大类 in their order, each with its 小项 in order."""
        with self.ctx.db.reader() as session:
            rows = session.execute(
                select(Lookup.id, Lookup.name, Lookup.parent_id, Lookup.active)
                .where(Lookup.kind == KIND)
                .order_by(Lookup.sort_order, Lookup.id)
            ).all()
            related: dict[int, list[str]] = {}
            for cat, name in session.execute(
                select(CategoryLink.category_id, Lookup.name)
                .join(Lookup, Lookup.id == CategoryLink.related_id)
                .order_by(Lookup.kind, Lookup.sort_order)
            ):
                related.setdefault(cat, []).append(name)
        kept = [r for r in rows if include_inactive or r.active]
        children: dict[int, list[CategoryNode]] = {}
        for r in kept:
            if r.parent_id is not None:
                children.setdefault(r.parent_id, []).append(CategoryNode(r.id, r.name, r.parent_id, r.active))
        return [
            CategoryNode(
                r.id, r.name, None, r.active, tuple(children.get(r.id, [])), tuple(related.get(r.id, []))
            )
            for r in kept
            if r.parent_id is None
        ]

    def add(self, name: str, parent_id: int | None = None) -> int:
        """A new 大类 (no parent) or a 小项 under the 大类 ``parent_id``, placed last."""
        name = clean(name)
        if not name:
            raise UserError("请填写类别名称")
        with self.ctx.db.session() as session:
            if parent_id is not None:
                self._major(session, parent_id)
            if session.scalar(select(Lookup.id).where(Lookup.kind == KIND, Lookup.name == name)):
                raise Conflict(f"资源/需求类别中已有“{name}”，请换一个名称")
            order = session.scalar(
                select(func.coalesce(func.max(Lookup.sort_order), -1) + 1).where(
                    Lookup.kind == KIND,
                    Lookup.parent_id.is_(parent_id) if parent_id is None else Lookup.parent_id == parent_id,
                )
            )
            item = Lookup(
                kind=KIND, name=name, parent_id=parent_id, aliases="", sort_order=order, active=True
            )
            session.add(item)
            session.flush()
            where = "大类" if parent_id is None else "小项"
            audit(session, self.ctx, "新增", "lookup", item.id, f"资源/需求类别新增{where}：{name}")
            return item.id

    def move(self, item_id: int, parent_id: int) -> None:
        """Put a 小项 under another 大类 (resources and demands filed under it move with it)."""
        with self.ctx.db.session() as session:
            item = self._item(session, item_id)
            if item.parent_id is None:
                raise UserError(f"“{item.name}”是大类，只能移动小项；如要合并大类，请逐个移动其下的小项")
            new_parent = self._major(session, parent_id)
            if item.parent_id == parent_id:
                return
            old = item.parent.name if item.parent else ""
            item.parent_id = parent_id
            item.sort_order = (
                session.scalar(
                    select(func.coalesce(func.max(Lookup.sort_order), -1) + 1).where(
                        Lookup.parent_id == parent_id
                    )
                )
                or 0
            )
            audit(
                session,
                self.ctx,
                "修改",
                "lookup",
                item.id,
                f"小项“{item.name}”从“{old}”移到“{new_parent.name}”",
                {"parent_id": [old, new_parent.name]},
            )

    def reorder(self, ids: Sequence[int]) -> None:
        """Set the order of siblings (all 大类, or the 小项 of one 大类) to the order given."""
        with self.ctx.db.session() as session:
            items = [self._item(session, i) for i in ids]
            if len({i.parent_id for i in items}) > 1:
                raise UserError("只能调整同一级类别的顺序")
            for order, item in enumerate(items):
                item.sort_order = order
            audit(
                session,
                self.ctx,
                "修改",
                "lookup",
                None,
                "调整资源/需求类别顺序：" + "、".join(i.name for i in items),
            )

    def delete(self, item_id: int) -> None:
        """Remove an unused entry; one that resources or demands use can only be switched off."""
        with self.ctx.db.session() as session:
            item = self._item(session, item_id)
            ids = [item_id, *session.scalars(select(Lookup.id).where(Lookup.parent_id == item_id))]
            used = (session.scalar(select(func.count()).where(Resource.category_id.in_(ids))) or 0) + (
                session.scalar(select(func.count()).where(Demand.category_id.in_(ids))) or 0
            )
            if used:
                raise Conflict(f"“{item.name}”已被{used}条资源或需求使用，不能删除；可以改为停用")
            if len(ids) > 1:
                raise Conflict(f"大类“{item.name}”下还有小项，请先移走或删除这些小项")
            name = item.name
            session.execute(delete(CategoryLink).where(CategoryLink.category_id == item_id))
            session.delete(item)
            audit(session, self.ctx, "删除", "lookup", item_id, f"删除资源/需求类别：{name}")

    def related_ids(self, category_id: int) -> list[int]:
        with self.ctx.db.reader() as session:
            return list(
                session.scalars(
                    select(CategoryLink.related_id)
                    .where(CategoryLink.category_id == category_id)
                    .order_by(CategoryLink.related_id)
                )
            )

    def set_related(self, category_id: int, related_ids: Sequence[int]) -> None:
        """Which 服务领域 and 人才库类别 a 资源/需求类别 relates to (used by matching)."""
        wanted = list(dict.fromkeys(related_ids))
        with self.ctx.db.session() as session:
            item = self._item(session, category_id)
            found = dict(
                session.execute(
                    select(Lookup.id, Lookup.name).where(
                        Lookup.id.in_(wanted), Lookup.kind.in_(RELATED_KINDS)
                    )
                ).all()
            )
            if len(found) != len(wanted):
                raise UserError("相关类别只能选择服务领域或人才库类别中的条目，请重新选择")
            session.execute(delete(CategoryLink).where(CategoryLink.category_id == category_id))
            session.add_all(CategoryLink(category_id=category_id, related_id=r) for r in wanted)
            audit(
                session,
                self.ctx,
                "修改",
                "category_link",
                category_id,
                f"“{item.name}”的相关类别：{'、'.join(found[r] for r in wanted) or '无'}",
            )

    @staticmethod
    def _item(session: Session, item_id: int) -> Lookup:
        item = session.get(Lookup, item_id)
        if item is None or item.kind != KIND:
            raise NotFound("该资源/需求类别已不存在，请刷新后重试")
        return item

    def _major(self, session: Session, item_id: int) -> Lookup:
        item = self._item(session, item_id)
        if item.parent_id is not None:
            raise UserError(f"“{item.name}”是小项，小项下不能再分；请选择一个大类")
        return item
