"""Rows pasted from Excel / WPS (tab-separated text) into the roster or the activity log.

Each pasted row goes through the same rules as a form or an import (the services' ``clean``,
``check`` and related-row checks).  :func:`plan_paste` tries every row inside a transaction
that is rolled back, so the clerk sees exactly which rows would be refused and why, and
:func:`commit_paste` writes the accepted rows in one transaction: all of them or none.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.orm import Session

from silverdesk.db.engine import translate_errors
from silverdesk.domain.text import clean
from silverdesk.errors import SilverdeskError, UserError, ValidationError
from silverdesk.services.base import CrudService, audit
from silverdesk.services.hub import Services

PasteKind = Literal["people", "activities"]

# field key → header labels that mean it (first one is what the list views copy)
PEOPLE_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字"),
    "gender": ("性别",),
    "birth_date": ("出生日期", "出生年月", "出生年月日"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证"),
    "phone": ("联系电话", "电话", "手机", "手机号码", "手机号", "联系方式"),
    "political_status": ("政治面貌",),
    "retirement_type": ("离休/退休", "离退休", "离退休类别", "类别"),
    "former_employer": ("原工作单位", "原单位", "退休前单位", "工作单位"),
    "unit": ("所属单位", "管理单位", "填报单位"),
    "community": ("居住社区", "社区", "所在社区"),
    "ethnicity": ("民族",),
    "education": ("文化程度", "学历", "文化"),
    "retired_on": ("离退休时间", "退休时间", "离休时间"),
    "former_post": ("原职务", "职务"),
    "rank": ("职级",),
    "address": ("家庭住址", "住址", "地址"),
    "health": ("健康状况",),
    "notes": ("备注",),
}
PEOPLE_DEFAULT_ORDER = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "political_status",
    "retirement_type",
    "former_employer",
    "unit",
    "community",
)

ACTIVITY_HEADERS: dict[str, tuple[str, ...]] = {
    "occurred_on": ("活动日期", "日期", "时间", "活动时间"),
    "title": ("活动名称", "活动主题", "名称", "活动内容摘要"),
    "unit": ("组织单位", "单位", "所属单位", "填报单位"),
    "category": ("服务领域", "类别", "活动类别"),
    "teams": ("服务队", "志愿服务队", "队伍"),
    "sessions": ("场次",),
    "participants": ("参与人次", "参与人数", "参加人数", "人数"),
    "hours": ("服务时长", "时长", "服务时长(小时)", "服务时长（小时）", "小时"),
    "beneficiaries": ("受益人次", "受益群众", "受益人数"),
    "place_text": ("活动地点", "地点"),
    "description": ("活动内容", "内容", "备注"),
}
ACTIVITY_DEFAULT_ORDER = (
    "occurred_on",
    "title",
    "unit",
    "category",
    "teams",
    "sessions",
    "participants",
    "hours",
    "beneficiaries",
)

_SPLIT = re.compile(r"[、,，;；/]+")


@dataclass(frozen=True)
class RefusedRow:
    line: int  # 1-based line of the pasted text
    cells: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class PastePlan:
    kind: PasteKind
    columns: tuple[str, ...]  # the header of each pasted column as understood ("" = ignored)
    accepted: tuple[tuple[int, Mapping[str, Any]], ...]  # (line, raw values for the service)
    refused: tuple[RefusedRow, ...]
    ignored_columns: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.accepted) + len(self.refused)


def parse_tsv(text: str) -> list[list[str]]:
    """Cells of tab-separated text as Excel and WPS put it on the clipboard.

    Cells holding a tab, a line break or quotes arrive quoted with doubled inner quotes; the
    csv module reads that dialect.  Empty rows are dropped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    rows = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"')
    return [[c.strip() for c in row] for row in rows if any(c.strip() for c in row)]


def _header_map(first: Sequence[str], headers: Mapping[str, tuple[str, ...]]) -> list[str | None] | None:
    """Field keys for a header row, or ``None`` when the row is data (too few cells look like labels)."""
    lookup = {clean(label).replace(" ", ""): key for key, labels in headers.items() for label in labels}
    keys = [lookup.get(clean(c).replace(" ", "")) for c in first]
    known = [k for k in keys if k]
    return keys if len(known) >= max(2, len(first) // 2) else None


def _labels(headers: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {k: v[0] for k, v in headers.items()}


class _Resolver:
    """Names typed in cells (units, teams, categories) to ids, cached for one paste."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._units: dict[str, int | None] = {}
        self._teams: dict[str, int | None] = {}

    def unit(self, name: str, label: str, kinds: tuple[str, ...] = ()) -> int:
        if name not in self._units:
            self._units[name] = self.services.units.find(name, kinds)
        found = self._units[name]
        if found is None:
            raise UserError(f"{label}“{name}”不在单位列表中，请改成已有的单位名称，或先在设置里添加该单位")
        return found

    def team(self, name: str) -> int:
        if name not in self._teams:
            self._teams[name] = self.services.teams.find(name)
        found = self._teams[name]
        if found is None:
            raise UserError(f"服务队“{name}”不存在，请改成已有的服务队名称，或先在“队伍”里新建")
        return found

    def category(self, name: str) -> int:
        resolved = self.services.lookups.resolve("activity_category", name)
        if resolved is None:
            names = "、".join(self.services.lookups.names("activity_category"))
            raise UserError(f"服务领域“{name}”不在列表中，请填写：{names}")
        return resolved.id


def _people_raw(cells: Mapping[str, str], resolve: _Resolver) -> dict[str, Any]:
    raw: dict[str, Any] = {k: v for k, v in cells.items() if k not in ("unit", "community") and v != ""}
    if cells.get("unit"):
        raw["unit_id"] = resolve.unit(cells["unit"], "所属单位")
    if cells.get("community"):
        raw["community_id"] = resolve.unit(cells["community"], "居住社区", ("社区", "村"))
    return raw


def _activity_raw(cells: Mapping[str, str], resolve: _Resolver) -> dict[str, Any]:
    raw: dict[str, Any] = {
        k: v for k, v in cells.items() if k not in ("unit", "category", "teams") and v != ""
    }
    if cells.get("unit"):
        raw["unit_id"] = resolve.unit(cells["unit"], "组织单位")
    if cells.get("category"):
        raw["category_id"] = resolve.category(cells["category"])
    if cells.get("teams"):
        raw["team_ids"] = [resolve.team(clean(n)) for n in _SPLIT.split(cells["teams"]) if clean(n)]
    return raw


def _service(services: Services, kind: PasteKind) -> CrudService[Any]:
    return services.people if kind == "people" else services.activities


def _reason(exc: SilverdeskError) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(e.message for e in exc.errors)
    return exc.message


def _begin(session: Session) -> None:
    """Open the outer transaction explicitly before any savepoint.

    pysqlite (Python < 3.12) opens no transaction for ``SAVEPOINT``, so SQLite treats the
    first savepoint as the outer transaction and its ``RELEASE`` commits: the dry run would
    write and a failed commit would keep earlier rows.  An explicit ``BEGIN`` keeps every
    savepoint nested.  See https://docs.sqlalchemy.org/en/20/dialects/sqlite.html#serializable-isolation-savepoints-transactional-ddl
    """
    conn = session.connection()
    if conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        conn.exec_driver_sql("BEGIN")


def _try_rows(
    services: Services, session: Session, kind: PasteKind, rows: Sequence[tuple[int, Mapping[str, Any]]]
) -> tuple[list[tuple[int, Mapping[str, Any]]], dict[int, str]]:
    """Create each row under a savepoint; return the rows that went in and the reasons of the others."""
    service = _service(services, kind)
    ok: list[tuple[int, Mapping[str, Any]]] = []
    refused: dict[int, str] = {}
    for line, raw in rows:
        try:
            values = service.clean(raw)
            if kind == "activities":
                values["source"] = "粘贴"
            with session.begin_nested():
                service.create_in(session, values, raw)
            ok.append((line, raw))
        except SilverdeskError as exc:
            refused[line] = _reason(exc)
    return ok, refused


def plan_paste(services: Services, kind: PasteKind, text: str) -> PastePlan:
    """Read pasted text and try every row; nothing is written.

    A first row made of known column titles (姓名, 身份证号 … or 活动日期, 活动名称 …, with the
    usual synonyms) says which column is which; without it the columns are taken in the order
    the list views copy them.
    """
    headers = PEOPLE_HEADERS if kind == "people" else ACTIVITY_HEADERS
    default = PEOPLE_DEFAULT_ORDER if kind == "people" else ACTIVITY_DEFAULT_ORDER
    table = parse_tsv(text)
    if not table:
        raise UserError("剪贴板里没有可粘贴的表格行；请在 Excel 或 WPS 中选中若干行后复制（Ctrl+C）再粘贴")
    header = table[0]
    found = _header_map(header, headers)
    ignored: tuple[str, ...]
    if found is None:
        keys: list[str | None] = list(default[: max(len(r) for r in table)])
        first_line, ignored = 1, ()
    else:
        keys, table, first_line = found, table[1:], 2
        ignored = tuple(h for h, k in zip(header, keys, strict=True) if k is None and h)
    labels = _labels(headers)
    resolver = _Resolver(services)
    build: Callable[[Mapping[str, str], _Resolver], dict[str, Any]] = (
        _people_raw if kind == "people" else _activity_raw
    )
    candidates: list[tuple[int, Mapping[str, Any]]] = []
    refused: list[RefusedRow] = []
    cells_by_line: dict[int, tuple[str, ...]] = {}
    for offset, row in enumerate(table):
        line = first_line + offset
        cells_by_line[line] = tuple(row)
        named = {k: v for k, v in zip(keys, row, strict=False) if k}
        try:
            candidates.append((line, build(named, resolver)))
        except SilverdeskError as exc:
            refused.append(RefusedRow(line, tuple(row), _reason(exc)))
    with services.ctx.db.sessions() as session, translate_errors():
        _begin(session)
        ok, reasons = _try_rows(services, session, kind, candidates)
        session.rollback()
    refused.extend(RefusedRow(line, cells_by_line[line], reason) for line, reason in reasons.items())
    refused.sort(key=lambda r: r.line)
    return PastePlan(
        kind, tuple(labels.get(k, "") if k else "" for k in keys), tuple(ok), tuple(refused), ignored
    )


def commit_paste(services: Services, plan: PastePlan) -> int:
    """Write the accepted rows of ``plan`` in one transaction; returns how many were written.

    If any row is refused now (someone else changed the data meanwhile), nothing is written and
    the reason is raised as a :class:`UserError`.
    """
    if not plan.accepted:
        return 0
    with services.ctx.db.session() as session:
        _begin(session)
        ok, refused = _try_rows(services, session, plan.kind, plan.accepted)
        if refused:
            line, reason = next(iter(refused.items()))
            raise UserError(f"第{line}行现在无法保存：{reason}。没有写入任何行，请重新粘贴")
        what = "人员" if plan.kind == "people" else "活动"
        audit(
            session,
            services.ctx,
            "粘贴",
            "person" if plan.kind == "people" else "activity",
            None,
            f"粘贴新增{what} {len(ok)} 条",
        )
        return len(ok)
