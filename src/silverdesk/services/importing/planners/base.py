"""What every row planner shares: the sheet's column labels, the issues it raises, the length checks, and
the two passes (:meth:`Planner.first` per row, :meth:`Planner.finish` in bulk)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from silverdesk.services.importing.fields import kind_spec
from silverdesk.services.importing.layout import Table
from silverdesk.services.importing.plan import (
    MATCHED,
    NEW,
    OVER_LIMIT,
    REJECTED,
    ImportPlan,
    PlanOptions,
    RowPlan,
)
from silverdesk.services.importing.resolve import Resolver
from silverdesk.services.importing.rows import CellIssue, HeldIssue, NormalizedRow


def _max_lengths(model: type) -> dict[str, int]:
    return {c.name: c.type.length for c in model.__table__.columns if getattr(c.type, "length", None)}  # type: ignore[attr-defined]


_NAME_MAX = 30  # rows.py refuses longer names
_BOUNDED_LENGTH = {"gender": 1, "id_number": 18, "name": _NAME_MAX}


def _fits(spec: Any, limit: int) -> bool:
    """Whether every value the normaliser gives for ``spec`` fits in ``limit`` characters."""
    if spec.type in ("list", "date", "count", "hours"):
        return True  # not text
    if spec.type == "choice":
        return bool(spec.choices) and max(len(canon) for canon, _ in spec.choices) <= limit
    bound = _BOUNDED_LENGTH.get(spec.type)
    return bound is not None and bound <= limit


class Planner:
    kind = ""
    entity = ""

    def __init__(self, ctx: Any, session: Session, resolver: Resolver, plan: ImportPlan,
                 options: PlanOptions | None = None, table: Table | None = None) -> None:  # fmt: skip
        self.ctx = ctx
        self.options = options or PlanOptions()  # the clerk's choices (PlanOptions.chosen)
        self.table = table  # the sheet as laid out: its 填报单位 line, section rows, cells as written
        self.session = session
        self.resolver = resolver
        self.plan = plan
        self.spec = kind_spec(plan.kind)
        self.today: dt.date = ctx.today()
        labels = {c.index: c.label for c in plan.columns}
        self.col_label = {
            key: labels.get(i, self.spec.field(key).label) for i, key in plan.mapping.assigned.items()
        }
        self._current: RowPlan | None = None  # the row being planned: the resolver's 近似匹配 go to it
        resolver.on_match = self.near_match

    def near_match(self, key: str, before: str, after: str) -> None:
        """A name of the current row resolved by similarity (or as the clerk chose): a 近似匹配 decision."""
        if self._current is not None:
            self._current.decide(MATCHED, key, before, after)

    def label(self, key: str) -> str:
        """The sheet's own column label for a field (what the clerk sees), else the field's label."""
        return self.col_label.get(key) or self.spec.field(key).label

    def issue(self, key: str, value: Any, reason: str) -> CellIssue:
        return CellIssue(self.label(key), key, value, reason)

    def no_unit(self, v: dict[str, Any], warning: str) -> CellIssue:
        """Why a new record is refused when neither the sending unit nor its own 所属单位 gives it a unit."""
        label = self.label("unit")
        if warning:
            reason = f"{warning}；新记录要记在一个单位名下，请核对{label}，或在导入时选择报送单位"
        else:
            reason = f"{label}未填写，导入时也没有选择报送单位；请填写{label}，或在导入时选择报送单位"
        return self.issue("unit", v.get("unit"), reason)

    def start(self, n: NormalizedRow) -> RowPlan | None:
        """A RowPlan with the normaliser's warnings; ``None`` returned alongside if the row is refused."""
        rp = RowPlan(n.row_number, NEW, self.entity)
        self._current, self.resolver.row = rp, n.row_number
        rp.normalised = n.normalised
        for w in n.warnings:
            rp.note(w.reason)
        for key, written, figure in n.over_limit or ():  # held (a HeldIssue among the errors) or confirmed
            rp.decide(OVER_LIMIT, key, written, figure)
            if not n.errors:
                rp.note(f"{self.label(key)}“{written}”超出常见范围，已按核对无误保存")
        if any(
            type(e) is not HeldIssue for e in n.errors
        ):  # held figures alone: planned on (see :meth:`hold`)
            rp.fate = REJECTED
            rp.issues = list(n.errors)
        return rp

    @staticmethod
    def hold(n: NormalizedRow, rp: RowPlan) -> RowPlan:
        """After :meth:`first`: a row whose figures above their limit await the clerk's confirmation is
        refused with them (held: confirming stores it), or, refused for something else, names them too."""
        held: list[CellIssue] = [e for e in n.errors if type(e) is HeldIssue]
        if held and rp.fate != REJECTED:
            rp.fate, rp.issues = REJECTED, held
        elif held and not any(type(e) is HeldIssue for e in rp.issues or ()):
            rp.issues = [*(rp.issues or ()), *held]
        return rp

    def check_lengths(self, rp: RowPlan, values: dict[str, Any], limits: list[tuple[str, str, int]]) -> None:
        """Refuse texts longer than their column (``limits``: (column, field key, max length))."""
        for column, key, limit in limits:
            value = values.get(column)
            if value.__class__ is str and len(value) > limit:
                rp.refuse(
                    self.issue(
                        key,
                        value,
                        f"{self.label(key)}有 {len(value)} 个字，超过 {limit} 个字的上限，请精简后重新填写",
                    )
                )

    def limits_for(self, model: type, keys: dict[str, str]) -> list[tuple[str, str, int]]:
        """The (column, field key, max length) checks for the columns this file fills.

        Fields whose normalised value cannot be longer than the column are left out (they run
        on every row): lists and dates are no text, a choice is one of its canonical values, a
        gender one character, an ID number 18, a name at most 30 (longer ones are refused).
        """
        lengths = _max_lengths(model)
        mapped = set(self.plan.mapping.assigned.values())
        return [(column, key, lengths[column]) for column, key in keys.items()
                if column in lengths and key in mapped and not _fits(self.spec.field(key), lengths[column])]  # fmt: skip

    def prefetch(self, chunk: list[NormalizedRow]) -> None:
        """Load what the next :meth:`first` calls look up in the database (a chunk of rows at a time)."""

    def first(self, n: NormalizedRow) -> RowPlan:  # pragma: no cover - abstract
        raise NotImplementedError

    def finish(self) -> None:
        """Settle what needs the database in bulk (after every row has been seen)."""
