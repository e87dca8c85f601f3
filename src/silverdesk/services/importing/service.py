"""Importing spreadsheets from subordinate units: the service the CLI and the import wizard call.

The wizard's steps, each with ``progress``/``cancel`` and nothing written before :meth:`commit`::

    svc = services.imports
    opened = svc.open_file(path)                          # safety checks, sheets, sha256
    prepared = svc.read(opened, sheet, kind=None, unit_name="龙山镇")   # table, detected kind, mapping
    prepared = svc.remap(prepared, {3: "phone", 7: IGNORE})            # the clerk's corrections
    plan = svc.plan(prepared)                             # preview: every row's fate, conflicts, offers
    plan.choose(12, "phone", use_file=True)               # settle a conflict
    batch_id = svc.commit(plan)                           # one transaction (backup first)
    svc.write_errors(plan, out)                           # refused rows back to the unit
    svc.undo(batch_id)                                    # the whole batch, if it is still safe

:meth:`run` does all of it in one call for the command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select

from silverdesk.db.models import ImportBatch, Setting, Unit
from silverdesk.domain.names import NameEntry, NameIndex, aliases_of, unit_key
from silverdesk.errors import UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.base import Context
from silverdesk.services.importing import (
    IGNORE,
    Mapping,
    SheetInfo,
    Table,
    detect_kind,
    find_table,
    kind_spec,
    list_sheets,
    match_columns,
    read_sheet,
)
from silverdesk.services.importing.commit import commit_plan, mapping_key
from silverdesk.services.importing.fields import FROM_SECTIONS, KINDS
from silverdesk.services.importing.grid import cap_columns
from silverdesk.services.importing.mapping import ColumnLike, label_key
from silverdesk.services.importing.pipeline import plan_table
from silverdesk.services.importing.plan import MERGED, ImportPlan, PlanOptions
from silverdesk.services.importing.safety import refuse_no_rows
from silverdesk.services.importing.undo import UndoResult, undo_batch

DETECT_MIN_SCORE = 0.4
"""Below this :func:`detect_kind` score the kind is not guessed: the clerk (or ``--kind``) says it."""
DETECT_MARGIN = 0.1
"""Two kinds scoring closer than this are too close to call."""


class KindUnknown(UserError):
    code = "unknown_kind"


@dataclass(frozen=True)
class OpenedFile:
    path: Path
    name: str
    sha256: str
    size: int
    sheets: tuple[SheetInfo, ...]


@dataclass(frozen=True)
class PreparedSheet:
    """One sheet read and laid out, with the kind and the column mapping the wizard shows."""

    file: OpenedFile
    sheet: str
    table: Table
    kind: str
    detected: tuple[str, float] | None  # (kind, score) when the kind was guessed
    mapping: Mapping
    unit_name: str
    remembered: dict[str, str]  # the mapping remembered for this unit + form ({} if none)


@dataclass(frozen=True)
class BatchSummary:
    id: int
    kind: str
    file_name: str
    sheet: str
    unit: str
    operator: str
    imported_at: dt.datetime
    rows_read: int
    imported: int
    updated: int
    unchanged: int
    rejected: int
    status: str
    decisions: str = (
        ""  # "规范写法 5 处，近似匹配 2 处": what the import worked out (import_batch.decisions_json)
    )


def decisions_summary(decisions_json: str) -> str:
    """One line of a batch's decision counts for the history (``""`` for none, or a batch from before)."""
    try:
        counts = json.loads(decisions_json or "{}").get("counts", {})
    except (ValueError, AttributeError):
        return ""
    return "，".join(
        f"{kind} {n} {'个单元格' if kind == MERGED else '处'}" for kind, n in counts.items() if n
    )


@dataclass(frozen=True)
class ImportOutcome:
    plan: ImportPlan
    batch_id: int | None  # None for a dry run
    detected: tuple[str, float] | None  # (kind, score) when the kind was told from the header


class ImportService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # ---- steps -----------------------------------------------------------------------------
    def open_file(self, path: str | Path, *, cancel: CancelToken = NEVER) -> OpenedFile:
        """Check the file (refuses corrupt/encrypted/hostile files with :class:`FileRefused`) and list its sheets.

        ``cancel`` is checked while the file is scanned and hashed."""
        path = Path(path)
        sheets = tuple(list_sheets(path, cancel=cancel))
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                cancel.raise_if_set()
                digest.update(block)
        return OpenedFile(path, path.name, digest.hexdigest(), path.stat().st_size, sheets)

    def close_file(self) -> None:
        """Free what :meth:`open_file` keeps for the read that usually follows (when none will)."""
        from silverdesk.services.importing.files import release_kept

        release_kept()

    def read(self, opened: OpenedFile, sheet: int | str | None = None, *, kind: str | None = None,
             unit_name: str | None = None, header_row: int | None = None, progress: Progress = null_progress,
             cancel: CancelToken = NEVER) -> PreparedSheet:  # fmt: skip
        """Read one sheet, find its table, decide the kind (``None``: detect) and map its columns.

        Raises :class:`KindUnknown` when the kind is not given and cannot be told from the header,
        :class:`FileRefused` (``no_rows``) when the header has no record rows under it.
        """
        if kind is not None and kind not in KINDS:
            raise KindUnknown(
                f"不支持的导入内容“{kind}”；可选：{'、'.join(spec.label for spec in KINDS.values())}"
            )
        meanwhile: Callable[[], None] | None = None
        if kind in (
            None,
            "roster",
        ):  # a roster's names need pinyin keys: load pypinyin while the sheet is parsed
            from silverdesk.domain.pinyin import preload as meanwhile
        grid = read_sheet(opened.path, sheet, progress=progress, cancel=cancel, meanwhile=meanwhile)
        grid = cap_columns(grid)  # a 20,000-column header would take minutes to map
        table = find_table(grid, kind, header_row=header_row)
        if not table.rows:
            raise refuse_no_rows(table.sheet_name)
        detected = None
        if kind is None:
            detected = self.detect(table)
            kind = detected[0]
        name = (unit_name or "").strip()
        if not name and table.meta.get("unit"):
            meta_unit = str(table.meta["unit"]).strip()
            if self._unit_id(meta_unit, near=True) is not None:
                name = meta_unit  # the sheet's 填报单位 names a unit on record (榆山街道办: a 近似匹配 of the plan)
        remembered = self.remembered_mapping(self._unit_id(name, near=True), table.columns, kind)
        mapping = match_columns(table.columns, kind, remembered, given=given_by(table))
        return PreparedSheet(opened, table.sheet_name, table, kind, detected, mapping, name, remembered)

    def detect(self, table: Table) -> tuple[str, float]:
        """The kind of a table's header, or :class:`KindUnknown` when unsure."""
        best, score = detect_kind(table.columns)
        runner_up = max((detect_kind_score(table, k) for k in KINDS if k != best), default=0.0)
        if score < DETECT_MIN_SCORE or score - runner_up < DETECT_MARGIN:
            names = "、".join(spec.label for spec in KINDS.values())
            raise KindUnknown(f"无法从表头判断这是哪一类表格，请指定导入的内容：{names}")
        return best, score

    def remap(self, prepared: PreparedSheet, overrides: dict[int, str]) -> PreparedSheet:
        """Apply the clerk's choices (sheet column index → field key, or ``IGNORE``)."""
        valid = {f.key for f in kind_spec(prepared.kind).fields}
        by_index = {c.index: c for c in prepared.table.columns}
        remembered = dict(prepared.remembered)
        for index, key in overrides.items():
            if key != IGNORE and key not in valid:
                raise UserError(f"“{key}”不是{kind_spec(prepared.kind).label}的字段")
            if index not in by_index:
                raise UserError(f"表中没有第 {index + 1} 列")
            remembered[label_key(by_index[index])] = key
        mapping = match_columns(
            prepared.table.columns, prepared.kind, remembered, given=given_by(prepared.table)
        )
        return replace(prepared, mapping=mapping, remembered=remembered)

    def plan(self, prepared: PreparedSheet, *, options: PlanOptions | None = None,
             progress: Progress = null_progress, cancel: CancelToken = NEVER) -> ImportPlan:  # fmt: skip
        """The preview: every row's fate, computed without writing anything."""
        return plan_table(self.ctx, prepared.table, prepared.mapping, kind=prepared.kind,
                          unit_name=prepared.unit_name, file_name=prepared.file.name,
                          file_sha256=prepared.file.sha256, options=options, progress=progress, cancel=cancel)  # fmt: skip

    def commit(
        self, plan: ImportPlan, *, progress: Progress = null_progress, cancel: CancelToken = NEVER
    ) -> int:
        """Write the plan in one transaction (after a backup); returns the batch id."""
        return commit_plan(self.ctx, plan, progress=progress, cancel=cancel)

    def undo(
        self, batch_id: int, *, progress: Progress = null_progress, cancel: CancelToken = NEVER
    ) -> UndoResult:
        return undo_batch(self.ctx, batch_id, progress=progress, cancel=cancel)

    def write_errors(self, plan: ImportPlan, out: str | Path, *, mask: bool = True) -> Path:
        """The refused rows as a workbook to send back to the unit (see :mod:`silverdesk.services.importing.errors_book`)."""
        from silverdesk.services.importing.errors_book import write_errors_book

        return write_errors_book(plan, Path(out), mask=mask)

    def write_template(self, kind: str, out: str | Path) -> Path:
        """An empty form for ``kind`` with the database's lists as drop-downs."""
        from silverdesk.services.importing.templates import TemplateLists, write_template

        return write_template(kind, Path(out), TemplateLists.from_services(self.ctx))

    def run(self, path: str | Path, *, kind: str | None = None, unit_name: str | None = None,
            sheet: int | str | None = None, dry_run: bool = False, options: PlanOptions | None = None,
            progress: Progress = null_progress, cancel: CancelToken = NEVER) -> ImportOutcome:  # fmt: skip
        """Open, read, plan and (unless ``dry_run``) commit in one go, as the command line does.

        Raises :class:`UserError` (nothing written) when the file is refused, the kind cannot be
        told, or a required column is missing from the header.
        """
        opened = self.open_file(path)
        prepared = self.read(opened, sheet, kind=kind, unit_name=unit_name, progress=progress, cancel=cancel)
        missing = prepared.mapping.missing_required
        if missing:
            spec = kind_spec(prepared.kind)
            labels = "、".join(f"“{spec.field(k).label}”" for k in missing)
            raise UserError(f"表中找不到必填列{labels}（{spec.label}）；请在表头中写明这些列，"
                            "或在图形界面的导入向导中指定哪一列是它们", code="missing_columns")  # fmt: skip
        plan = self.plan(prepared, options=options, progress=progress, cancel=cancel)
        detected = prepared.detected
        del prepared  # the sheet's cells (~150 MB for 100,000 rows) are not needed by the commit
        batch_id = None if dry_run else self.commit(plan, progress=progress, cancel=cancel)
        return ImportOutcome(plan, batch_id, detected)

    # ---- mapping memory --------------------------------------------------------------------
    def remembered_mapping(
        self, unit_id: int | None, columns: Sequence[ColumnLike], kind: str
    ) -> dict[str, str]:
        """The mapping the clerk confirmed last time for this unit and this form (same column labels)."""
        from silverdesk.services.importing import mapping_signature

        key = mapping_key(unit_id, mapping_signature(columns))
        with self.ctx.db.reader() as session:
            value = session.scalar(select(Setting.value).where(Setting.key == key))
        if not value:
            return {}
        try:
            data = json.loads(value)
        except ValueError:
            return {}
        if not isinstance(data, dict) or data.get("kind") != kind:
            return {}
        return {str(k): str(v) for k, v in dict(data.get("columns", {})).items()}

    # ---- history ---------------------------------------------------------------------------
    def batches(self, limit: int = 100) -> list[BatchSummary]:
        """The newest import batches first (for the import history screen)."""
        with self.ctx.db.reader() as session:
            rows = session.execute(
                select(ImportBatch, Unit.name).outerjoin(Unit, Unit.id == ImportBatch.unit_id)
                .order_by(ImportBatch.id.desc()).limit(limit)
            ).all()  # fmt: skip
            return [
                BatchSummary(b.id, b.kind, b.file_name, b.sheet, unit or "", b.operator, b.imported_at, b.rows_read,
                             b.imported, b.updated, b.unchanged, b.rejected, b.status,
                             decisions_summary(b.decisions_json))
                for b, unit in rows
            ]  # fmt: skip

    def _unit_id(self, name: str, *, near: bool = False) -> int | None:
        """The unit called ``name``; ``near``: or by an alias, its folded key or the one strong candidate
        (榆山街道办 → 榆山街道), as the plan's resolver finds the sending unit."""
        if not name:
            return None
        with self.ctx.db.reader() as session:
            found = session.scalar(select(Unit.id).where(Unit.name == name).order_by(Unit.id).limit(1))
            if found is not None or not near:
                return found
            rows = session.execute(select(Unit.id, Unit.name, Unit.kind, Unit.parent_id, Unit.aliases)).all()
        units = NameIndex([NameEntry(i, n, aliases_of(a), p, k) for i, n, k, p, a in rows], unit_key)
        match = units.match(name)
        return match.entries[0].id if len(match.entries) == 1 else None


def given_by(table: Table) -> tuple[str, ...]:
    """What a sheet gives besides its columns (section rows name a 大类): see ``KindSpec.missing``."""
    return (FROM_SECTIONS,) if table.sections else ()


def detect_kind_score(table: Table, kind: str) -> float:
    """:func:`detect_kind`'s score for one given kind (to see how close the runner-up is)."""
    from silverdesk.services.importing.fields import IGNORED_LABELS
    from silverdesk.services.importing.mapping import normalize_label

    labelled = [
        c
        for c in table.columns
        if normalize_label(c.label) and normalize_label(c.label) not in IGNORED_LABELS
    ]
    m = match_columns(labelled, kind)
    score = sum(m.confidence[c] for c in m.assigned) / max(3, len(labelled))
    spec = kind_spec(kind)
    required = len(spec.required)
    return score * (1 - 0.6 * len(spec.missing(m.assigned.values())) / required) if required else score
