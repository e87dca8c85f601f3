"""Reading the audit log (操作日志): who changed what, when, from which value to which (issue #7).

The GUI shows it like any big table (STYLE A7, Anki's browser): :meth:`AuditQuery.ids` returns
the matching ids sorted in SQL, :meth:`AuditQuery.fetch` loads the rows of the visible page.
:meth:`AuditQuery.export_xlsx` writes the filtered log to a workbook, masked by default and
with every value written as text (values in the log may come from imported files).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from silverdesk.atomic import atomic_target
from silverdesk.db.models import AuditLog
from silverdesk.domain.privacy import MaskPolicy
from silverdesk.domain.safe_cells import set_cell
from silverdesk.errors import UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.base import Context

if TYPE_CHECKING:  # openpyxl itself is imported when the log is exported
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# Entities written by code that is not a CrudService (see ``entity_label``).
EXTRA_ENTITY_LABELS = {
    "database": "数据库",
    "setting": "设置",
    "lookup": "选项列表",
    "monthly_theme": "月度主题",
    "attachment": "附件",
    "co_building_agreement": "共建协议",
    "import_batch": "导入批次",
    "service_order": "订单",
    "team_member": "队员",
    "report": "统计报表",
    "submitted_report": "下级报表",
    "category_link": "相关类别",
    "star_rule": "星级标准",
    "star_rating": "星级评定",
    "points_entry": "积分",
}
# Fields changed by code that is not a CrudService (the CrudServices' fields are labelled by their specs).
EXTRA_FIELD_LABELS = {
    "name": "名称", "status": "状态", "status_changed_on": "状态变更日期", "dissolved_on": "撤销日期",
    "members": "队员人数", "order_id": "订单", "demand_id": "需求", "resource_id": "资源", "team_id": "服务队",
    "person_id": "个人", "party_org_id": "党组织", "claimed_on": "认领日期", "signed_on": "签约日期",
    "completed_on": "完成日期", "score": "评分", "evaluation": "评价", "withdrawn_step": "撤回的步骤",
    "valid_from": "起用日期", "min_hours": "服务时长下限（小时）", "min_activities": "活动次数下限",
    "min_score": "评价分下限", "replaced_rule": "被替换的标准", "level": "星级", "points": "积分",
    "backup": "所用备份", "previous": "原数据库另存为",
}  # fmt: skip
_VALUE_KEYS = {"on": "日期", "operator": "操作人", "note": "备注"}
"""Keys of the small records some changes hold (an order's withdrawn step)."""
EXPORT_HEADERS = ("时间", "操作人", "操作", "对象", "编号", "摘要", "字段", "原值", "新值")
MAX_PAGE = 1000


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show.  Every field is optional; ``end`` is inclusive."""

    start: dt.date | None = None
    end: dt.date | None = None
    operator: str | None = None
    entity: str | None = None  # the table name, e.g. "person"
    action: str | None = None  # 新增 / 修改 / 注销 / 删除 / 导入 / 恢复 …
    text: str | None = None  # searched in the summary, the changed values and the operator


@dataclass(frozen=True)
class FieldChange:
    field: str  # the key, e.g. "phone"
    label: str  # Chinese, e.g. "联系电话"
    old: object
    new: object


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    operator: str
    action: str
    entity: str
    entity_label: str
    entity_id: int | None
    summary: str
    changes: tuple[FieldChange, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class AuditPage:
    total: int
    entries: tuple[AuditEntry, ...]


def _labels() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Chinese names of entities and of their fields, from the services' field specs."""
    from silverdesk.services.activities import log as activities
    from silverdesk.services.base import CrudService
    from silverdesk.services.market import entries
    from silverdesk.services.org import groups, places, units
    from silverdesk.services.org.lookups import SETTING_NAMES
    from silverdesk.services.people import honours, roster

    entities = dict(EXTRA_ENTITY_LABELS)
    fields: dict[tuple[str, str], str] = {("setting", key): name for key, name in SETTING_NAMES.items()}
    for module in (activities, entries, groups, honours, places, roster, units):
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, CrudService) and getattr(obj, "entity", None):
                entities[obj.entity] = obj.label
                for spec in getattr(obj, "specs", ()):
                    fields[(obj.entity, spec.key)] = spec.label
    return entities, fields


def parse_changes(
    entity: str, changes_json: str, field_labels: dict[tuple[str, str], str] | None = None
) -> tuple[FieldChange, ...]:
    """``{"phone": ["138…", "139…"]}`` → field changes; anything malformed is shown as is."""
    if not changes_json:
        return ()
    try:
        data = json.loads(changes_json)
    except ValueError:
        return (FieldChange("", "", None, changes_json),)
    if not isinstance(data, dict):
        return (FieldChange("", "", None, data),)
    labels = field_labels or {}
    out = []
    for key, pair in data.items():
        old, new = (pair[0], pair[1]) if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        label = labels.get((entity, str(key))) or EXTRA_FIELD_LABELS.get(str(key), str(key))
        out.append(FieldChange(str(key), label, old, new))
    return tuple(out)


class AuditQuery:
    """Queries over ``audit_log`` for the GUI's log screen and its export."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._entity_labels, self._field_labels = _labels()

    def entity_label(self, entity: str) -> str:
        return self._entity_labels.get(entity, entity)

    def count(self, flt: AuditFilter = AuditFilter()) -> int:
        stmt = self._where(select(func.count()).select_from(AuditLog), flt)
        with self.ctx.db.reader() as session:
            return int(session.scalar(stmt) or 0)

    def ids(self, flt: AuditFilter = AuditFilter(), *, newest_first: bool = True) -> list[int]:
        """Ids of the matching entries, sorted by time in SQL (ties by id)."""
        order = (AuditLog.at.desc(), AuditLog.id.desc()) if newest_first else (AuditLog.at, AuditLog.id)
        stmt = self._where(select(AuditLog.id), flt).order_by(*order)
        with self.ctx.db.reader() as session:
            return list(session.scalars(stmt))

    def fetch(self, ids: Sequence[int]) -> list[AuditEntry]:
        """The entries with these ids, in the order given (missing ids are skipped)."""
        if not ids:
            return []
        with self.ctx.db.reader() as session:
            rows = {r.id: r for r in session.scalars(select(AuditLog).where(AuditLog.id.in_(list(ids))))}
            return [self._entry(rows[i]) for i in ids if i in rows]

    def page(self, flt: AuditFilter = AuditFilter(), page: int = 0, size: int = 100) -> AuditPage:
        """One page (0-based) of matching entries, newest first."""
        if size < 1 or size > MAX_PAGE or page < 0:
            raise UserError(f"每页条数应在 1–{MAX_PAGE} 之间，页码从 0 开始")
        order = (AuditLog.at.desc(), AuditLog.id.desc())
        stmt = self._where(select(AuditLog.id), flt).order_by(*order).offset(page * size).limit(size)
        with self.ctx.db.reader() as session:
            ids = list(session.scalars(stmt))
        return AuditPage(self.count(flt), tuple(self.fetch(ids)))

    def operators(self) -> list[str]:
        """Every operator name in the log (for the filter's drop-down)."""
        return self._distinct(AuditLog.operator)

    def actions(self) -> list[str]:
        return self._distinct(AuditLog.action)

    def entities(self) -> list[tuple[str, str]]:
        """``(entity, Chinese label)`` of every entity in the log."""
        return [(e, self.entity_label(e)) for e in self._distinct(AuditLog.entity)]

    def export_xlsx(
        self,
        flt: AuditFilter,
        dest: Path,
        *,
        mask: MaskPolicy | None = None,
        progress: Progress = null_progress,
        cancel: CancelToken = NEVER,
    ) -> int:
        """Write the matching entries to ``dest`` (one row per changed field), newest first.

        Args:
            flt: the filter shown on screen.
            dest: the workbook to write (replaced if it exists).
            mask: personal data masked unless ``MaskPolicy.off()`` is passed explicitly.
            progress: called with (entries done, total) after each page.
            cancel: checked between pages; a cancel leaves no file (and ``dest`` as it was).

        Returns:
            The number of entries written.
        """
        mask = mask or MaskPolicy()
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        from silverdesk.services.table_export import discard_sheet

        wb = Workbook(write_only=True)
        ws: WriteOnlyWorksheet = wb.create_sheet("操作日志")
        ws.append(list(EXPORT_HEADERS))
        ids = self.ids(flt)
        try:
            for start in range(0, len(ids), 500):
                cancel.raise_if_set()
                for entry in self.fetch(ids[start : start + 500]):
                    for values in self._export_rows(entry, mask):
                        row = []
                        for value in values:
                            cell = WriteOnlyCell(ws)
                            set_cell(cell, value)
                            row.append(cell)
                        ws.append(row)
                progress(min(start + 500, len(ids)), len(ids), "正在导出操作日志")
            cancel.raise_if_set()
        except BaseException:
            discard_sheet(ws)
            raise
        dest.parent.mkdir(parents=True, exist_ok=True)
        with atomic_target(dest) as partial:
            wb.save(partial)
        return len(ids)

    # -- helpers ----------------------------------------------------------------------------------

    def _export_rows(self, entry: AuditEntry, mask: MaskPolicy) -> Iterable[tuple[object, ...]]:
        head = (
            entry.at.replace(microsecond=0),
            entry.operator,
            entry.action,
            entry.entity_label,
            entry.entity_id,
            mask.value("summary", entry.summary),
        )
        if not entry.changes:
            yield (*head, "", "", "")
            return
        for change in entry.changes:
            yield (
                *head,
                change.label,
                _text(mask.value(change.field, _text(change.old))),
                _text(mask.value(change.field, _text(change.new))),
            )

    def _entry(self, row: AuditLog) -> AuditEntry:
        return AuditEntry(
            row.id,
            row.at,
            row.operator,
            row.action,
            row.entity,
            self.entity_label(row.entity),
            row.entity_id,
            row.summary,
            parse_changes(row.entity, row.changes_json, self._field_labels),
        )

    def _distinct(self, column: InstrumentedAttribute[str]) -> list[str]:
        with self.ctx.db.reader() as session:
            return sorted(str(v) for v in session.scalars(select(column).distinct()) if v)

    @staticmethod
    def _where(stmt: Select, flt: AuditFilter) -> Select:  # type: ignore[type-arg]
        if flt.start and flt.end and flt.start > flt.end:
            raise UserError("开始日期晚于结束日期，请调换")
        if flt.start:
            stmt = stmt.where(AuditLog.at >= dt.datetime.combine(flt.start, dt.time()))
        if flt.end:
            stmt = stmt.where(AuditLog.at < dt.datetime.combine(flt.end + dt.timedelta(days=1), dt.time()))
        if flt.operator:
            stmt = stmt.where(AuditLog.operator == flt.operator)
        if flt.entity:
            stmt = stmt.where(AuditLog.entity == flt.entity)
        if flt.action:
            stmt = stmt.where(AuditLog.action == flt.action)
        if flt.text and flt.text.strip():
            pattern = "%" + _escape_like(flt.text.strip()) + "%"
            stmt = stmt.where(
                or_(
                    AuditLog.summary.ilike(pattern, escape="\\"),
                    AuditLog.changes_json.ilike(pattern, escape="\\"),
                    AuditLog.operator.ilike(pattern, escape="\\"),
                )
            )
        return stmt


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def value_text(value: object) -> str:
    """A value from the log as the clerk reads it on screen (see :func:`_text`)."""
    out = _text(value)
    return out if isinstance(out, str) else str(out)


def _text(value: object) -> object:
    """Values from the JSON log as the clerk reads them (lists joined, records labelled, None blank)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{_VALUE_KEYS.get(str(k), k)}：{_text(v)}" for k, v in value.items())
    return value
