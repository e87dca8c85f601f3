"""The plan of an import: every row's fate (新增 / 更新 / 未变 / 拒绝) before anything is written.

:class:`ImportPlan` holds everything the commit needs (insert rows with placeholder ids for units
and teams still to be created, the values an update replaces, link rows) and everything the
preview shows (reasons, warnings, conflicts, offers).  :func:`~.pipeline.plan_table` fills it.
"""

from __future__ import annotations

import datetime as dt
from collections import abc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from silverdesk.errors import UserError
from silverdesk.services.importing.fields import kind_spec
from silverdesk.services.importing.layout import Column, Table
from silverdesk.services.importing.mapping import Mapping
from silverdesk.services.importing.refs import NEW_ENTRY as NEW_ENTRY  # the clerk's choice: create it
from silverdesk.services.importing.refs import Offer
from silverdesk.services.importing.rows import CellIssue, HeldIssue

NEW, UPDATED, UNCHANGED, REJECTED = "新增", "更新", "未变", "拒绝"
FATES = (NEW, UPDATED, UNCHANGED, REJECTED)

ENTITY_OF_KIND = {"roster": "person", "activities": "activity", "resources": "resource", "demands": "demand",
                  "themes": "monthly_theme"}  # fmt: skip
CHANGED_BY_KIND = {**ENTITY_OF_KIND, "report": "activity"}
"""What an import (or its undo) of each kind changes (a 汇总 of a report writes activity figures)."""


class UnitRequired(UserError):
    """A roster or activity sheet with no sending unit and no column naming each row's unit.

    ``ask`` says how to give the unit where the message is read (the command line names ``--unit``).
    """

    code = "unit_required"

    def __init__(
        self, kind_label: str, unit_label: str, written: str = "", ask: str = "请选择报送单位"
    ) -> None:
        self.parts = (kind_label, unit_label, written)
        heading = f"表头写的填报单位“{written}”不在单位列表中，" if written else ""
        super().__init__(
            f"没有报送单位：{heading}{kind_label}的每一条都要记在一个单位名下，但导入时没有选择报送单位，"
            f"表中也没有“{unit_label}”列。{ask}，或在表中加一列“{unit_label}”逐行填写后重新导入"
        )

    def asking(self, ask: str) -> UnitRequired:
        return UnitRequired(*self.parts, ask=ask)


def check_unit_given(kind: str, unit_name: str | None, mapping: Mapping, table: Table | None = None) -> None:
    """Refuse (:class:`UnitRequired`) to plan a kind whose records belong to a unit when nothing names one.

    Without it every person or activity of the file would be stored under no unit (missing from
    every unit's figures) and their new 社区 created directly under the county.
    """
    spec = kind_spec(kind)
    if not spec.unit_required or (unit_name or "").strip() or "unit" in mapping.assigned.values():
        return
    written = str((table.meta if table is not None else {}).get("unit") or "").strip()
    raise UnitRequired(spec.label, spec.field("unit").label, written)


@dataclass(slots=True)
class FieldConflict:
    """A field where the file and the database disagree; never overwritten unless the clerk says so."""

    field: str  # model column
    label: str  # Chinese field label
    stored: Any
    incoming: Any
    stored_text: str
    incoming_text: str
    use_file: bool = False

    @property
    def text(self) -> str:
        return f"{self.label}：库中为 {self.stored_text}，文件中为 {self.incoming_text}"


@dataclass(frozen=True, slots=True)
class Normalised:
    """One distinct normalisation of a plan: ``count`` stored rows had ``before`` in ``label``, stored ``after``."""

    field: str
    label: str
    before: str
    after: str
    count: int

    @property
    def text(self) -> str:
        return f"{self.label}：{self.before} → {self.after}（{self.count} 行）"

    def as_dict(self) -> dict[str, Any]:
        """The pair as the command line's ``--json`` and the batch's audit entry give it."""
        return {"field": self.label, "before": self.before, "after": self.after, "rows": self.count}


MERGED, NORMALISED, MATCHED, DERIVED, OVER_LIMIT = (
    "合并单元格",
    "规范写法",
    "近似匹配",
    "推导",
    "超出常见范围",
)
DECISION_KINDS = (MERGED, NORMALISED, MATCHED, DERIVED, OVER_LIMIT)
"""What the import works out for the clerk, in the order the preview lists them.

- 合并单元格: a cell's value taken from the merged cell above it (``Table.merged_filled``);
- 规范写法: a value stored in its normal form (汉 → 汉族, 是否党员 是 → 中共党员);
- 近似匹配: a name resolved to the closest unit, team or list entry (县卫健局 → 县卫生健康局);
- 推导: a value the file does not give but implies (a title from 需求内容, the requester from 填报单位);
- 超出常见范围: a figure above its plausible limit (参与人次 20261015), stored only once the clerk confirms.
"""


@dataclass(frozen=True, slots=True)
class Decision:
    """One distinct thing the import decided for the clerk (see :data:`DECISION_KINDS`), with its row count.

    The preview, ``silverdesk import --json`` and the batch's audit entry list these; the clerk may
    change ``after`` to one of ``options`` (or to empty) through :attr:`PlanOptions.chosen` and plan again.

    超出常见范围 is the one kind listed for rows not stored: until the clerk confirms
    (:attr:`PlanOptions.confirm_over_limit`), a row whose only problem is a figure above its limit is
    *held* — refused (拒绝 in :attr:`ImportPlan.counts`, a reason saying how to confirm) but listed here,
    ``after`` being the figure confirmation stores, so the preview can ask for the confirmation.
    :meth:`ImportPlan.decision_counts` counts these rows, held or stored, under 超出常见范围;
    :attr:`ImportPlan.held_count` says how many of them are held (0 once confirmed). A row refused for
    another reason as well is not listed (confirming would not store it). The audit entry of a commit
    lists only what was stored (``decisions(include_held=False)``).
    """

    kind: str  # one of DECISION_KINDS
    field: str  # field key ("" for a whole-file decision)
    label: str  # the column's Chinese label
    before: str  # as written ("" where nothing was written: merged and derived values)
    after: str  # what is stored ("" = left empty / not linked)
    count: int  # rows
    options: tuple[str, ...] = ()  # what else the clerk may choose (closest entries, other normal forms)

    @property
    def text(self) -> str:
        before = f"{self.before} → " if self.before else ""
        return f"{self.label}：{before}{self.after or '（空）'}（{self.count} 行）"

    def as_dict(self) -> dict[str, Any]:
        """The decision as ``--json`` and the batch's audit entry give it."""
        return {"kind": self.kind, "field": self.label, "before": self.before, "after": self.after,
                "rows": self.count, "options": list(self.options)}  # fmt: skip


class Columns:
    """The column order :class:`Record` values share (one object for every row of a plan)."""

    __slots__ = ("names", "position", "take")

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(names)
        self.position = {name: i for i, name in enumerate(self.names)}
        if len(self.names) < 2:
            raise ValueError("at least two columns")
        self.take = itemgetter(*self.names)  # a row's values of these columns, as a tuple


class Record(abc.Mapping[str, Any]):
    """A new record's column values (:attr:`RowPlan.insert`): a read-only mapping, column → value.

    Read like the dict it replaces (``insert["unit_id"]``, ``.get``, ``dict(insert)``), but the values
    are one tuple (:attr:`data`) in the order of a :class:`Columns` every row shares: ~280 bytes a person instead of
    a 24-key dict's ~830, 55 MB less for a 100,000-row roster (the commit reads the tuples directly).
    """

    __slots__ = ("columns", "data")

    def __init__(self, columns: Columns, data: tuple[Any, ...]) -> None:
        if len(data) != len(columns.names):
            raise ValueError("a value for every column")
        self.columns = columns
        self.data = data  # the values, in the order of ``columns.names``

    @classmethod
    def of(cls, columns: Columns, row: abc.Mapping[str, Any]) -> Record:
        """``row``'s values of ``columns`` (every one must be there; any other key is left out)."""
        return cls(columns, columns.take(row))

    def __getitem__(self, key: str) -> Any:
        return self.data[self.columns.position[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns.names)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"Record({dict(self)!r})"


@dataclass(slots=True)
class RowPlan:
    """The fate of one sheet row.  Lists are ``None`` until needed (100,000 rows stay small)."""

    row_number: int  # Excel row number
    fate: str
    entity: str = ""
    entity_id: int | None = None  # matched record (更新/未变); for 新增 set by the commit
    issues: list[CellIssue] | None = None  # why the row is refused
    notes: list[str] | None = None  # warnings and remarks shown in the preview
    insert: abc.Mapping[str, Any] | None = (
        None  # 新增: the model row (placeholder ids < 0 for offers): a dict
    )
    # or a :class:`Record`
    fills: dict[str, Any] | None = None  # 更新: column → new value
    before: dict[str, Any] | None = None  # 更新: column → value replaced
    conflicts: list[FieldConflict] | None = None
    links: dict[str, list[dict[str, Any]]] | None = None  # link table → rows to add
    normalised: list[tuple[str, str, str]] | None = None  # (field key, as written, stored form): 汉 → 汉族
    decided: list[tuple[str, str, str, str]] | None = (
        None  # (kind, field key, as written, stored) but 规范写法
    )

    def decide(self, kind: str, key: str, before: str, after: str) -> None:
        """Record a 近似匹配 / 推导 / 超出常见范围 decision of this row (规范写法 goes to ``normalised``)."""
        if self.decided is None:
            self.decided = []
        self.decided.append((kind, key, before, after))

    @property
    def held(self) -> bool:
        """Refused only because of figures above their limit: stored once the clerk confirms them."""
        return (
            self.fate == REJECTED
            and bool(self.issues)
            and all(type(i) is HeldIssue for i in self.issues or ())
        )

    @property
    def reason(self) -> str:
        """One line for the preview and ``import_row.reason``."""
        if self.fate == REJECTED:
            return "；".join(dict.fromkeys(i.reason for i in self.issues or ()))
        if not self.conflicts:  # nearly every row: its notes alone
            return "；".join(self.notes) if self.notes else ""
        parts = list(self.notes or ())
        parts += [
            c.text + ("（按文件更新）" if c.use_file else "（未覆盖，请核对）") for c in self.conflicts or ()
        ]
        return "；".join(parts)

    def note(self, text: str) -> None:
        if text:
            if self.notes is None:
                self.notes = []
            self.notes.append(text)

    def refuse(self, issue: CellIssue) -> None:
        self.fate = REJECTED
        if self.issues is None:
            self.issues = []
        self.issues.append(issue)


@dataclass
class PlanOptions:
    """Choices the wizard offers before the preview (the CLI uses the defaults)."""

    create_units: bool = True  # unknown units/communities are created (else left unlinked, with a warning)
    create_teams: bool = True  # unknown 志愿服务队 are created under the sending unit
    chosen: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """The clerk's changes to the plan's decisions: (kind, field key, as written) → what to store instead
    ("" = leave empty / do not link).  Planning again with them gives the plan the commit writes."""
    fill_merged: bool = True  # 合并单元格: fill the cells a merge spans (else they stay empty)
    confirm_over_limit: bool = False  # 超出常见范围: the clerk confirmed the figures above their limits

    def choice(self, kind: str, key: str, before: str, default: str) -> str:
        """What to store for ``before`` in ``key``: the clerk's choice if any, else ``default``."""
        return self.chosen.get((kind, key, before), default)

    def chosen_for(self, kind: str) -> dict[tuple[str, str], str]:
        """The clerk's choices of one kind: (field key, as written) → what to store instead."""
        return {(key, before): value for (k, key, before), value in self.chosen.items() if k == kind}


@dataclass
class ImportPlan:
    """Everything the preview shows and the commit writes; see the module docstring."""

    kind: str
    file_name: str
    file_sha256: str
    sheet: str
    unit_name: str
    unit_ref: int | None  # sending unit id, or a placeholder of an offer, or None
    columns: list[Column]
    mapping: Mapping
    remember: dict[str, str]  # label key → field key: stored per unit + signature at commit
    rows: list[RowPlan] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    rows_read: int = 0
    warnings: list[str] = field(default_factory=list)  # file-level remarks (skipped rows, hidden rows …)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    rejected_raw: dict[int, list[Any]] = field(default_factory=dict)  # Excel row → cells as read
    created: dt.datetime | None = None
    merged_filled: dict[str, int] = field(default_factory=dict)  # column label → cells filled from merges
    choice_options: dict[tuple[str, str, str], tuple[str, ...]] = field(default_factory=dict)
    """(kind, field key, as written) → what else the clerk may choose for it (closest entries first)."""
    learned: list[tuple[str, int, str]] = field(default_factory=list)
    """(entity "unit"/"team"/"lookup", id, name as written): 近似匹配 names the commit keeps as aliases."""

    @property
    def merged_filled_total(self) -> int:
        """Cells whose value came from a merged cell above them (see ``layout._fill_merged``)."""
        return sum(self.merged_filled.values())

    @property
    def merged_note(self) -> str:
        """The line the preview and the command line show for cells filled from merges (``""``: none)."""
        if not (total := self.merged_filled_total):
            return ""
        parts = "、".join(f"{label} {n} 个" for label, n in self.merged_filled.items())
        return f"合并单元格：已为 {total} 个单元格填入合并区域的值（{parts}）"

    @property
    def entity(self) -> str:
        return ENTITY_OF_KIND[self.kind]

    def count(self, fate: str) -> int:
        return sum(1 for r in self.rows if r.fate == fate)

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(FATES, 0)
        for r in self.rows:
            out[r.fate] += 1
        return out

    def row(self, row_number: int) -> RowPlan:
        for r in self.rows:
            if r.row_number == row_number:
                return r
        raise KeyError(row_number)

    def conflicts(self) -> Iterator[tuple[RowPlan, FieldConflict]]:
        for r in self.rows:
            for c in r.conflicts or ():
                yield r, c

    def choose(self, row_number: int, field_key: str, *, use_file: bool) -> None:
        """Settle a conflict: ``use_file`` replaces the stored value with the file's at commit."""
        row = self.row(row_number)
        for c in row.conflicts or ():
            if c.field == field_key:
                c.use_file = use_file
                break
        else:
            raise KeyError(f"row {row_number} has no conflict on {field_key}")
        if row.fate in (UPDATED, UNCHANGED):
            wins = any(c.use_file for c in row.conflicts or ())
            row.fate = UPDATED if (row.fills or row.links or wins) else UNCHANGED

    def normalised(self) -> list[Normalised]:
        """The distinct "before → after" changes of the rows to be stored, by field, most frequent first.

        A value written another way than its normal form (汉 → 汉族, 是否党员 是 → 中共党员) is
        stored normal; the preview, the command line's ``--json`` and the batch show these pairs.
        """
        counts: dict[tuple[str, str, str], int] = {}
        for r in self.rows:
            if r.normalised and r.fate != REJECTED:
                for change in r.normalised:
                    counts[change] = counts.get(change, 0) + 1
        spec = kind_spec(self.kind)
        out = [
            Normalised(key, spec.field(key).label, before, after, n)
            for (key, before, after), n in counts.items()
        ]
        order = {f.key: i for i, f in enumerate(spec.fields)}
        out.sort(key=lambda c: (order[c.field], -c.count, c.before))
        return out

    @property
    def held_count(self) -> int:
        """Rows held back for figures above their limit (超出常见范围), stored once the clerk confirms."""
        return sum(1 for r in self.rows if r.held)

    def decisions(self, *, include_held: bool = True) -> list[Decision]:
        """Every distinct decision of the plan, by kind (:data:`DECISION_KINDS`), then field, most rows first.

        Refused rows do not count, except the 超出常见范围 of held rows (see :class:`Decision`) unless
        ``include_held`` is false.  合并单元格 comes per column with ``before`` and ``after`` empty.
        """
        spec = kind_spec(self.kind)
        labels = {f.key: f.label for f in spec.fields}
        key_of_label = {f.label: f.key for f in spec.fields}  # a merged column is named as the file names it
        key_of_label.update({c.label: self.mapping.assigned[c.index] for c in self.columns
                             if c.index in self.mapping.assigned})  # fmt: skip
        out = [Decision(MERGED, key_of_label.get(label, ""), label, "", "", n)
               for label, n in self.merged_filled.items()]  # fmt: skip
        out += [Decision(NORMALISED, c.field, c.label, c.before, c.after, c.count,
                         self.choice_options.get((NORMALISED, c.field, c.before), ()))
                for c in self.normalised()]  # fmt: skip
        counts: dict[tuple[str, str, str, str], int] = {}
        for r in self.rows:
            if r.decided and r.fate != REJECTED:
                for d in r.decided:
                    counts[d] = counts.get(d, 0) + 1
            elif r.decided and include_held and r.held:
                for d in r.decided:
                    if d[0] == OVER_LIMIT:
                        counts[d] = counts.get(d, 0) + 1
        order = {f.key: i for i, f in enumerate(spec.fields)}
        rest = [Decision(kind, key, labels.get(key, key), before, after, n,
                         self.choice_options.get((kind, key, before), ()))
                for (kind, key, before, after), n in counts.items()]  # fmt: skip
        rest.sort(
            key=lambda d: (DECISION_KINDS.index(d.kind), order.get(d.field, len(order)), -d.count, d.before)
        )
        return out + rest

    def decision_counts(self, decisions: list[Decision] | None = None) -> dict[str, int]:
        """Rows (cells, for 合并单元格) per decision kind: the counts the preview's summary and ``--json`` give.

        超出常见范围 counts held rows too (:attr:`held_count` says how many of them are held).
        ``decisions``: :meth:`decisions` when the caller has them already (each call reads every row)."""
        out = dict.fromkeys(DECISION_KINDS, 0)
        for d in self.decisions() if decisions is None else decisions:
            out[d.kind] += d.count
        return out

    def issues(self) -> Iterator[tuple[int, CellIssue]]:
        """(Excel row, issue) for every refused cell, in sheet order."""
        for r in self.rows:
            if r.fate == REJECTED:
                for i in r.issues or ():
                    yield r.row_number, i
