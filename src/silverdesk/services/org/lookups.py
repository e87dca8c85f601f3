"""Configurable lists: 服务领域, 资源/需求类别 (大类/小项), 社区任职, 人才库类别, 职级; monthly themes; settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import Lookup, MonthlyTheme, Setting
from silverdesk.domain.codes import ListReader, code_table
from silverdesk.domain.enums import LOOKUP_KINDS
from silverdesk.domain.names import NameEntry, NameIndex, aliases_of, fold
from silverdesk.domain.text import clean
from silverdesk.errors import Conflict, UserError
from silverdesk.services.base import Context, audit


def list_reader(session: Session, kind: str, table: str) -> ListReader:
    """The active entries of the list ``kind`` read with the code table ``table`` (职级: ``rank``)."""
    rows = session.execute(
        select(Lookup.name, Lookup.aliases).where(Lookup.kind == kind, Lookup.active.is_(True))
    )
    return ListReader(
        code_table(table), [(name, [a for a in aliases.split("|") if a]) for name, aliases in rows]
    )


@dataclass(frozen=True)
class LookupItem:
    id: int
    kind: str
    name: str
    parent_id: int | None
    aliases: tuple[str, ...]
    active: bool


@dataclass(frozen=True)
class Resolved:
    id: int
    name: str
    how: str  # "exact" | "alias" | "folded" | "similar" (silverdesk.domain.names)


class LookupService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def items(self, kind: str, *, include_inactive: bool = False) -> list[LookupItem]:
        self._check_kind(kind)
        with self.ctx.db.reader() as session:
            stmt = (
                select(Lookup)
                .where(Lookup.kind == kind)
                .order_by(Lookup.parent_id.is_not(None), Lookup.sort_order)
            )
            rows = session.scalars(stmt).all()
            return [
                LookupItem(r.id, r.kind, r.name, r.parent_id, aliases_of(r.aliases), r.active)
                for r in rows
                if include_inactive or r.active
            ]

    def names(self, kind: str) -> list[str]:
        return [i.name for i in self.items(kind)]

    def add(self, kind: str, name: str, *, parent_id: int | None = None, aliases: str = "") -> int:
        self._check_kind(kind)
        name = clean(name)
        if not name:
            raise UserError("名称不能为空")
        with self.ctx.db.session() as session:
            if session.scalar(select(Lookup.id).where(Lookup.kind == kind, Lookup.name == name)):
                raise Conflict(f"{LOOKUP_KINDS[kind]}中已有“{name}”")
            order = len(session.scalars(select(Lookup.id).where(Lookup.kind == kind)).all())
            item = Lookup(kind=kind, name=name, parent_id=parent_id, aliases=aliases, sort_order=order)
            session.add(item)
            session.flush()
            audit(session, self.ctx, "新增", "lookup", item.id, f"{LOOKUP_KINDS[kind]}新增：{name}")
            return item.id

    def rename(self, item_id: int, name: str) -> None:
        name = clean(name)
        with self.ctx.db.session() as session:
            item = session.get(Lookup, item_id)
            if item is None:
                raise UserError("该条目已不存在")
            if session.scalar(
                select(Lookup.id).where(Lookup.kind == item.kind, Lookup.name == name, Lookup.id != item_id)
            ):
                raise Conflict(f"已有“{name}”")
            old = item.name
            item.name = name
            # the old name keeps matching imported files
            item.aliases = "|".join(dict.fromkeys([*item.aliases.split("|"), old]).keys()).strip("|")
            audit(
                session, self.ctx, "修改", "lookup", item.id, f"“{old}”改名为“{name}”", {"name": [old, name]}
            )

    def set_active(self, item_id: int, active: bool) -> None:
        with self.ctx.db.session() as session:
            item = session.get(Lookup, item_id)
            if item is None:
                raise UserError("该条目已不存在")
            item.active = active
            audit(
                session, self.ctx, "修改", "lookup", item.id, f"{'启用' if active else '停用'}：{item.name}"
            )

    def index(self, kind: str) -> NameIndex:
        """The active entries of a list as a :class:`~silverdesk.domain.names.NameIndex` (how names are found)."""
        entries = [NameEntry(i.id, i.name, i.aliases, i.parent_id, i.kind) for i in self.items(kind)]
        return NameIndex(entries, fold, reverse=True)

    def resolve(self, kind: str, text: str) -> Resolved | None:
        """Match what a file or a clerk wrote to a list entry: exact, alias, folded key, then a strong candidate.

        ``how`` says which (:mod:`silverdesk.domain.names`: "exact", "alias", "folded", "similar");
        ``None`` when nothing fits well enough to be taken without asking (the import then offers
        the closest entries, see ``services/importing/resolve.py``).
        """
        wanted = clean(text)
        if not wanted:
            return None
        found = self.index(kind).match(wanted, limit=0)
        if not found.entries:
            return None
        item = found.entries[0]
        return Resolved(item.id, item.name, found.how)

    # monthly themes ------------------------------------------------------------------------------
    def themes(self, year: int) -> dict[int, str]:
        with self.ctx.db.reader() as session:
            return dict(
                session.execute(
                    select(MonthlyTheme.month, MonthlyTheme.name).where(MonthlyTheme.year == year)
                ).all()
            )

    def set_theme(self, year: int, month: int, name: str) -> int:
        if not 1 <= month <= 12:
            raise UserError("月份应为1到12")
        with self.ctx.db.session() as session:
            theme = session.scalar(
                select(MonthlyTheme).where(MonthlyTheme.year == year, MonthlyTheme.month == month)
            )
            if theme is None:
                theme = MonthlyTheme(year=year, month=month, name=clean(name))
                session.add(theme)
            else:
                theme.name = clean(name)
            session.flush()
            audit(
                session, self.ctx, "修改", "monthly_theme", theme.id, f"{year}年{month}月主题：{theme.name}"
            )
            return theme.id

    @staticmethod
    def _check_kind(kind: str) -> None:
        if kind not in LOOKUP_KINDS:
            raise UserError(f"未知的列表类型：{kind}")


SETTING_NAMES = {
    "bureau_name": "单位名称", "county_name": "县名", "report_title": "报表标题", "report_leader": "单位负责人",
    "report_reviewer": "审核人", "report_preparer": "填表人", "report_phone": "联系电话", "points_per_hour": "每小时积分",
    "backup_dir": "备份文件夹", "backup_keep_daily": "自动备份保留（按天）", "backup_keep_weekly": "自动备份保留（按周）",
    "backup_keep_monthly": "自动备份保留（按月）", "backup_keep_last": "自动备份保留（最新）",
}  # fmt: skip
"""The settings' names as 设置 and 操作日志 show them."""


class SettingsService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def all(self) -> dict[str, str]:
        with self.ctx.db.reader() as session:
            return dict(session.execute(select(Setting.key, Setting.value)).all())

    def get(self, key: str, default: str = "") -> str:
        with self.ctx.db.reader() as session:
            value = session.scalar(select(Setting.value).where(Setting.key == key))
            return default if value is None else value

    def update(self, values: dict[str, str]) -> None:
        """Save settings (key → text); the points rate must be a number of at least 0 (empty: 1 point)."""
        rate = values.get("points_per_hour")
        if rate is not None and rate.strip():
            try:
                number = float(rate)
            except ValueError:
                raise UserError(f"“每小时积分”应填写数字，如 1 或 0.5；“{rate}”不是数字") from None
            if not 0 <= number <= 1000:
                raise UserError("“每小时积分”应在 0 到 1000 之间")
        with self.ctx.db.session() as session:
            changes = {}
            for key, value in values.items():
                row = session.get(Setting, key)
                old = row.value if row else None
                if row is None:
                    session.add(Setting(key=key, value=value))
                else:
                    row.value = value
                if old != value:
                    changes[key] = [old, value]
            if changes:
                audit(session, self.ctx, "修改", "setting", None, "修改设置", changes)
