"""Turn raw record rows into field values, with a reason for every cell that is refused.

The converters lean on the domain validators (dates, counts, ID numbers, phones) and never let
an exception out: whatever a cell holds, the row comes back with values, errors and warnings.
Per-column memo tables keep the hot path cheap — a roster column like 性别 or 政治面貌 has a
handful of distinct values over 100,000 rows, and a bad value is parsed (and its exception
raised) once, not once per row.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from silverdesk.domain.codes import NO, YES, YES_NO_COLUMNS, YesNoColumn, code_table
from silverdesk.domain.dates import DateError, ParsedDate, parse_date
from silverdesk.domain.idcard import CHECK_CHARS, WEIGHTS, IdInfo, IdNumberError, parse_id_number
from silverdesk.domain.numbers import NumberError, implausible, parse_count
from silverdesk.domain.phone import PhoneError, normalize_phone
from silverdesk.domain.safe_cells import EXCEL_MAX_CHARS
from silverdesk.domain.text import clean, clean_name, clean_text, name_problem, to_halfwidth
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.importing.fields import FieldSpec, kind_spec
from silverdesk.services.importing.layout import Column, RawRow, Table
from silverdesk.services.importing.mapping import Mapping

MEMO_LIMIT = 20_000
"""Distinct values remembered per column (beyond that, values are converted without memo)."""

_LIST_SPLIT = re.compile(r"[、，,;；/／\s]+")
_HIDDEN_REASON = "该行在原表中被隐藏，仍然读取了；请确认是否需要导入"
_ID_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")  # ASCII only: full-width digits take the domain path
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_ID_WEIGHT_SUM_ZERO = 48 * sum(WEIGHTS)  # ASCII '0' times the weights: subtract instead of int() per digit
_DOMAIN_ERRORS = (DateError, NumberError, IdNumberError, PhoneError)
_NO_MEMO_TYPES = frozenset({"id_number", "phone"})  # unique per person: a memo would only miss
_PLAIN_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]{1,30}$")
_NO_MEMO_KEYS = frozenset({"address", "notes", "description", "content", "participant_names"})


_ID_BIRTHS: dict[str, dt.date] = {}
"""``YYYYMMDD`` of an ID number → its date (valid dates only; people share birthdays)."""


def _fast_id(text: str, today: dt.date) -> IdInfo | None:
    """The GB 11643 checks of :func:`parse_id_number` for an already clean 18-character string.

    Returns ``None`` whenever anything is off, so the domain function produces the reason.
    """
    raw = text.encode("ascii")
    total = sum(map(operator.mul, raw[:17], WEIGHTS)) - _ID_WEIGHT_SUM_ZERO
    if CHECK_CHARS[total % 11] != text[17]:
        return None
    digits = text[6:14]
    birth = _ID_BIRTHS.get(digits)
    if birth is None:
        try:
            birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
        except ValueError:
            return None
        if len(_ID_BIRTHS) < 100_000:
            _ID_BIRTHS[digits] = birth
    if birth.year < 1890 or birth > today:
        return None
    return IdInfo(
        number=text, birth_date=birth, gender="男" if (raw[16] - 48) % 2 else "女", region_code=text[:6]
    )


@dataclass(frozen=True)
class CellIssue:
    column_label: str  # the sheet's column label (or the field's label when no column holds it)
    field_key: str
    value: Any
    reason: str  # a Chinese sentence telling the clerk what to do


@dataclass(frozen=True)
class HeldIssue(CellIssue):
    """A figure above its plausible limit (超出常见范围), refused only until the clerk confirms it."""


@dataclass
class NormalizedRow:
    row_number: int  # Excel row number
    values: dict[str, Any]  # field key → value (str, int, float, date, tuple[str, ...] for lists)
    errors: list[CellIssue] = field(default_factory=list)
    warnings: list[CellIssue] = field(default_factory=list)
    hidden: bool = False
    normalised: list[tuple[str, str, str]] | None = None  # (field key, as written, stored form): 汉 → 汉族
    over_limit: list[tuple[str, str, str]] | None = None  # (field key, as written, figure): 超出常见范围

    @property
    def ok(self) -> bool:
        return not self.errors

    def record_normalised(self, key: str, before: str, after: str) -> None:
        if self.normalised is None:
            self.normalised = []
        self.normalised.append((key, before, after))


class _Warn:
    """A converted value that carries a warning (memoised like any result)."""

    __slots__ = ("reason", "value")

    def __init__(self, value: Any, reason: str) -> None:
        self.value = value
        self.reason = reason


class _Fail:
    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Over:
    """A figure above its plausible limit: stored once confirmed, else a :class:`HeldIssue`."""

    __slots__ = ("reason", "value")

    def __init__(self, value: Any, reason: str) -> None:
        self.value = value
        self.reason = reason


class _Norm:
    """A value written another way than its normal form (汉 → 汉族): stored normal, shown in the preview."""

    __slots__ = ("before", "value")

    def __init__(self, value: str, before: str) -> None:
        self.value = value
        self.before = before


_EMPTY = object()
_MISS = object()


# ---- converters: return a value, _Warn, _Fail or _EMPTY; may raise (caught by caller) ------
def _as_text(v: Any) -> str:
    if isinstance(v, str):
        return clean(v)
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        if not math.isfinite(v):
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else format(v, "g")
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return clean(str(v))


def _make_converter(spec: FieldSpec, label: str, today: dt.date) -> Callable[[Any], Any]:
    t = spec.type
    if t == "text":
        return _text_converter(label, prose=spec.key in PROSE_KEYS)
    if t == "name":

        def name(v: Any) -> Any:
            if isinstance(v, str) and _PLAIN_NAME.match(v):
                return v  # only CJK ideographs: nothing for clean_name to do
            text = clean_name(_as_text(v))
            if not text:
                return _EMPTY
            problem = name_problem(text)  # formula starts, bidi/control characters: the forms' rule
            if problem:
                return _Fail(f"{label}{problem}")
            if any(ch.isdigit() for ch in text) or len(text) > 30:
                return _Fail(f"{label}“{text[:20]}”不像人名（含数字或过长），请检查是否填错了列")
            return text

        return name
    if t in ("gender", "code", "yes_no"):
        return _code_converter(spec, label)
    if t == "date":
        warn_month = spec.key == "date"
        must_be_past = spec.key in {"birth_date", "retired_on", "registered_on"}

        def date(v: Any) -> Any:
            if isinstance(v, dt.time | dt.timedelta):
                return _Fail(f"{label}“{v}”只有时刻没有日期，请填写如 2026-10-01 的日期")
            if isinstance(v, str) and not v.strip():
                return _EMPTY
            parsed = parse_date(v, field_label=label)
            if parsed is None:
                return _EMPTY
            if must_be_past and parsed.value > today:
                return _Fail(f"{label}“{parsed.value:%Y-%m-%d}”晚于今天，请核对")
            if warn_month and parsed.precision != "day":
                return _Warn(
                    parsed,
                    f"{label}只写到{'月' if parsed.precision == 'month' else '年'}，按{parsed.value:%Y-%m-%d}计；如需准确统计请补全日期",
                )
            return parsed

        return date
    if t in ("count", "hours"):
        fraction = t == "hours"

        def count(v: Any) -> Any:
            if isinstance(v, float) and not math.isfinite(v):
                return _Fail(f"{label}“{v}”不是有效数字")
            parsed = parse_count(v, field_label=label, allow_fraction=fraction)
            if parsed is None:
                return _EMPTY
            if not math.isfinite(parsed.value) or parsed.value > 1e9:
                return _Fail(f"{label}“{_as_text(v)}”数值不合理，请核对")
            value: Any = parsed.value if fraction else int(parsed.value)
            too_large = implausible(spec.key, label, value, _as_text(v))  # per field: PLAUSIBLE_MAX
            if too_large:
                return _Over(value, too_large)
            if parsed.approximate:
                return _Warn(value, f"{label}{parsed.note}，请尽量填写准确数字")
            return value

        return count
    if t == "id_number":

        def id_number(v: Any) -> Any:
            if isinstance(v, str):
                if not v.strip():
                    return _EMPTY
                if _ID_SHAPE.match(v):  # the common, clean case: checked here without regex passes
                    info = _fast_id(v, today)
                    if info is not None:
                        return info
            return parse_id_number(v, today=today)  # anything else: the domain rule and its reason

        return id_number
    if t == "phone":

        def phone(v: Any) -> Any:
            if isinstance(v, str) and _MOBILE.match(v):
                return v
            return normalize_phone(v) or _EMPTY

        return phone
    if t == "list":

        def split(v: Any) -> Any:
            parts = [p for p in _LIST_SPLIT.split(_as_text(v)) if p]
            return tuple(dict.fromkeys(parts)) or _EMPTY

        return split
    if t == "choice":
        lookup = {to_halfwidth(alias).lower(): canon for canon, aliases in spec.choices for alias in aliases}
        allowed = "”或“".join(canon for canon, _ in spec.choices)

        def choice(v: Any) -> Any:
            text = _as_text(v).replace(" ", "")
            if not text:
                return _EMPTY
            hit = lookup.get(text.lower())
            if not hit:
                return _Fail(f"{label}“{text}”无法识别，请填写“{allowed}”")
            return hit if hit == text else _Norm(hit, text)  # 退 → 退休 shows in the preview, never silently

        return choice
    raise ValueError(f"unknown field type {t!r}")


def _code_converter(spec: FieldSpec, label: str) -> Callable[[Any], Any]:
    """A field read through its code table: the normal form (a :class:`_Norm` when written otherwise).

    A value the table does not know is refused for a strict table (性别, 是/否) naming the expected
    forms, and kept as written with a warning for an open one (民族, 政治面貌 are free text in the form).
    """
    table = code_table("yes_no" if spec.type == "yes_no" else spec.key)
    # a 是否党员 column holding 党员 / 中共党员 / 群众 says the 政治面貌 itself (kept as a _Norm: the written word shows)
    status = code_table("political_status") if spec.key == "party_member" else None

    def code(v: Any) -> Any:
        text = _as_text(v)
        if not text:
            return _EMPTY
        form = table.normal(text)
        if form is None and status is not None and (stated := status.normal(text)) is not None:
            return _Norm(stated, text)
        if form is None:
            if table.strict:
                return _Fail(table.unknown_reason(text[:20], label))
            return _Warn(
                text,
                f"{label}“{text[:20]}”不在{table.standard}{table.label}表中，按原样保存，请核对",
            )
        return form if form == text else _Norm(form, text)

    return code


def apply_yes_no(out: NormalizedRow, column: YesNoColumn, label: str, target_label: str,
                 chosen: dict[tuple[str, str], str] | None = None) -> None:  # fmt: skip
    """Turn a 是否… answer into its field (:data:`~silverdesk.domain.codes.YES_NO_COLUMNS`: 是否党员 是 →
    中共党员, 否 → 群众; 是否离休 否 → 退休; blank → nothing).

    The field's own column wins where it is filled; an answer contradicting it (是 with 群众, 否 with
    中共党员) refuses the row: nothing is stored that the unit may not have meant.
    ``chosen``: the clerk's 规范写法 choices, (field key, as written) → what to store ("" = nothing).
    """
    key, target = column.key, column.target
    answer = out.values.pop(key, None)
    if answer is None:
        return
    written = answer
    if out.normalised:  # √ → 是 is no change of its own: the preview shows √ → 中共党员
        for i, (k, before, _after) in enumerate(out.normalised):
            if k == key:
                written = before
                del out.normalised[i]
                break
    stated = (
        answer if answer not in (YES, NO) else None
    )  # a 是否党员 column holding a 政治面貌 (党员, 群众 …)
    given = out.values.get(target)
    if given is None:
        if any(e.field_key == target for e in out.errors):
            return
        derived = stated or (column.yes if answer == YES else column.no)
        shown = f"{label}：{written}"
        if derived and chosen is not None and (target, shown) in chosen:
            derived = chosen[(target, shown)]
            if not derived:  # left empty, as the clerk chose
                out.record_normalised(target, shown, "")
                return
        if derived:
            out.values[target] = derived
            out.record_normalised(target, shown, derived)
        elif answer == NO and column.no_unsaid:
            out.errors.append(CellIssue(label, key, written, f"{label}“{written}”{column.no_unsaid}"))
        return
    if (stated != given) if stated else ((answer == YES) != (given in column.yes_forms)):
        out.errors.append(CellIssue(label, key, written,
            f"{label}“{written}”与{target_label}“{given}”不一致，请核对后改正其中一个"))  # fmt: skip
        del out.values[target]


PROSE_KEYS = frozenset({"content", "description", "notes", "address"})
"""Fields of prose: Chinese punctuation written full-width stays as written (“上门理发，每月一次”), as the
forms keep it; only full-width letters, digits and spaces are folded (:func:`clean_text`)."""


def _text_converter(label: str, *, prose: bool = False) -> Callable[[Any], Any]:
    """Text as read; longer than a worksheet cell holds, refused (every export would cut it)."""

    def text(v: Any) -> Any:
        out = clean_text(v) if prose and isinstance(v, str) else _as_text(v)
        if len(out) > EXCEL_MAX_CHARS:
            return _Fail(
                f"{label}有 {len(out):,} 个字，超过表格单元格最多能放的 {EXCEL_MAX_CHARS:,} 个字"
                "（Excel 的上限，导出时会被截断）；请精简或把多余内容另行保存后重新导入"
            )
        return out or _EMPTY

    return text


def _date_value(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A date converter giving the plain date where its precision matters no more (memoised as such)."""

    def date_value(v: Any) -> Any:
        res = convert(v)
        return res.value if type(res) is ParsedDate else res

    return date_value


_DATE = dt.date
_Slot = tuple[int, str, str, Callable[[Any], Any], dict[Any, Any] | None]  # index, key, label, convert, memo
_MEMO_TYPES = frozenset({str, float, dt.date, dt.datetime})


class RowNormalizer:
    """Converts :class:`RawRow` objects for one table and mapping.

    Stateful only in one way: it remembers ID numbers seen, so a duplicate within the same
    file is reported on the later row (naming the earlier one).  ``chosen``: the clerk's changes
    to the 规范写法 decisions, (field key, as written) → the form to store instead ("" = leave empty);
    the row's checks (性别 against the ID number, 是否党员 against 政治面貌) see the chosen value.
    """

    def __init__(self, columns: Sequence[Column], mapping: Mapping, kind: str | None = None,
                 *, today: dt.date | None = None, confirm_over_limit: bool = False,
                 chosen: dict[tuple[str, str], str] | None = None) -> None:  # fmt: skip
        self.chosen = chosen or None
        self.kind = kind or mapping.kind
        self.confirm_over_limit = confirm_over_limit  # figures above their limit stored (else held)
        self.spec = kind_spec(self.kind)
        today = today or dt.date.today()
        labels = {c.index: c.label for c in columns}
        self.slots: list[_Slot] = []
        for i, key in sorted(mapping.assigned.items()):
            spec = self.spec.field(key)
            label = labels.get(i, spec.label)
            memo: dict[Any, Any] | None = None if spec.type in _NO_MEMO_TYPES or key in _NO_MEMO_KEYS else {}
            convert = _make_converter(spec, label, today)
            if (
                spec.type == "date" and key != "birth_date"
            ):  # only the birth date's precision is looked at again
                convert = _date_value(convert)
            self.slots.append((i, key, label, convert, memo))
        mapped = set(mapping.assigned.values())
        self.required = [
            (f.key, f.label, next((s[2] for s in self.slots if s[1] == f.key), ""), f.key in mapped)
            for f in self.spec.cell_required  # the others may be derived (planners/derive.py)
        ]
        self.cross_check = self.kind == "roster"
        self.yes_no = [  # (是否… column, its label, the label of the field it fills) of a roster
            (c, self._slot_label(c.key), self._slot_label(c.target))
            for c in YES_NO_COLUMNS
            if c.key in mapped and self.kind == "roster"
        ]
        self._ids: dict[str, int] = {}
        self._labels: dict[str, str] = {}

    def normalize(self, raw: RawRow) -> NormalizedRow:
        out = NormalizedRow(raw.row_number, {}, hidden=raw.hidden)
        values = out.values
        row = raw.values
        n = len(row)
        dates: dict[str, tuple[Any, ParsedDate]] = {}
        id_info: IdInfo | None = None
        errors = out.errors
        memo_types = _MEMO_TYPES
        for i, key, label, convert, memo in self.slots:
            v = row[i] if i < n else None
            if v is None:
                continue
            if memo is not None and type(v) in memo_types:
                res = memo.get(v, _MISS)
                if res is _MISS:
                    try:
                        res = convert(v)
                    except Exception as exc:
                        res = _failure(label, v, exc)
                    if len(memo) < MEMO_LIMIT:
                        memo[v] = res
            else:
                try:
                    res = convert(v)
                except Exception as exc:
                    res = _failure(label, v, exc)
            tr = type(res)
            if tr is str or tr is int or tr is float or tr is tuple or tr is _DATE:
                values[key] = res
                continue
            if res is _EMPTY:
                continue
            if tr is _Norm:
                value = res.value if self.chosen is None else self.chosen.get((key, res.before), res.value)
                out.record_normalised(key, res.before, value)
                if value:
                    values[key] = value
                continue
            if tr is _Warn:
                out.warnings.append(CellIssue(label, key, v, res.reason))
                res = res.value
                tr = type(res)
            elif tr is _Fail:
                errors.append(CellIssue(label, key, v, res.reason))
                continue
            elif tr is _Over:
                self._over_limit(out, key, label, v, res)
                continue
            if tr is ParsedDate:
                dates[key] = (v, res)
                res = res.value
            elif tr is IdInfo:
                id_info = res
                res = res.number
            values[key] = res
        if id_info is not None:
            self._check_id(out, id_info, dates)
        for column, label, target_label in self.yes_no:
            if column.key in values:
                apply_yes_no(out, column, label, target_label, self.chosen)
        for key, label, col_label, mapped in self.required:
            if key not in values and not any(e.field_key == key for e in out.errors):
                reason = (
                    f"“{label}”未填写，这是必填项；请补填后重新导入"
                    if mapped
                    else f"表中没有“{label}”列（必填），请在列对应中指定哪一列是“{label}”"
                )
                out.errors.append(CellIssue(col_label or label, key, None, reason))
        if raw.hidden:
            out.warnings.append(CellIssue("", "", None, _HIDDEN_REASON))
        return out

    def _over_limit(self, out: NormalizedRow, key: str, label: str, v: Any, res: _Over) -> None:
        """Keep a figure above its limit once confirmed, else hold the row back; either way it is recorded."""
        if out.over_limit is None:
            out.over_limit = []
        out.over_limit.append((key, _as_text(v), _as_text(res.value)))
        out.values[key] = (
            res.value
        )  # planned like any figure: a held row is held only if nothing else refuses it
        if not self.confirm_over_limit:
            out.errors.append(HeldIssue(label, key, v, res.reason))

    def _slot_label(self, key: str) -> str:
        return next((s[2] for s in self.slots if s[1] == key), self.spec.field(key).label)

    def _label(self, key: str) -> str:
        labels = self._labels
        if key not in labels:
            labels[key] = next((s[2] for s in self.slots if s[1] == key), self.spec.field(key).label)
        return labels[key]

    def _check_id(self, out: NormalizedRow, info: IdInfo, dates: dict[str, tuple[Any, ParsedDate]]) -> None:
        values = out.values
        id_label = self._label("id_number")
        earlier = self._ids.setdefault(info.number, out.row_number)
        if earlier != out.row_number:
            out.errors.append(CellIssue(id_label, "id_number", info.number,
                                        f"身份证号与第 {earlier} 行重复，同一人只能出现一次；请删除重复的行"))  # fmt: skip
        if not self.cross_check:
            return
        if "birth_date" in dates:
            raw, parsed = dates["birth_date"]
            given, derived = parsed.value, info.birth_date
            same = (
                given == derived
                if parsed.precision == "day"
                else (given.year, given.month) == (derived.year, derived.month)
                if parsed.precision == "month"
                else given.year == derived.year
            )
            if same:
                values["birth_date"] = derived
            else:
                slot_label = self._label("birth_date")
                shown = {"day": f"{given:%Y-%m-%d}", "month": f"{given:%Y-%m}", "year": f"{given:%Y}"}[
                    parsed.precision
                ]
                out.errors.append(CellIssue(slot_label, "birth_date", raw,
                    f"{slot_label}“{shown}”与身份证号中的出生日期“{derived:%Y-%m-%d}”不一致，请核对原件后改正其中一个"))  # fmt: skip
                values.pop("birth_date", None)
        elif not any(e.field_key == "birth_date" for e in out.errors):
            values["birth_date"] = info.birth_date
        if "gender" in values:
            if values["gender"] != info.gender:
                slot_label = self._label("gender")
                out.errors.append(CellIssue(slot_label, "gender", values["gender"],
                    f"{slot_label}“{values['gender']}”与身份证号显示的性别“{info.gender}”不一致，请核对"))  # fmt: skip
                values.pop("gender")
        elif not any(e.field_key == "gender" for e in out.errors):
            values["gender"] = info.gender


def _failure(label: str, v: Any, exc: Exception) -> _Fail:
    """Every validator's ValueError carries a Chinese reason; anything unforeseen gets a generic one."""
    reason = str(exc).strip() if isinstance(exc, _DOMAIN_ERRORS) else ""
    return _Fail(reason or f"{label}的内容“{_as_text_safe(v)}”无法识别，请检查后重新填写")


def _as_text_safe(v: Any) -> str:
    try:
        return _as_text(v)[:30]
    except Exception:
        return type(v).__name__


def normalize_rows(
    table: Table,
    mapping: Mapping,
    kind: str | None = None,
    *,
    today: dt.date | None = None,
    confirm_over_limit: bool = False,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
    chosen: dict[tuple[str, str], str] | None = None,
) -> Iterator[NormalizedRow]:
    """Yield one :class:`NormalizedRow` per record row of ``table``, in sheet order.

    ``confirm_over_limit``: figures above their plausible limit are kept (else the row is held back);
    ``chosen``: see :class:`RowNormalizer`.
    """
    normalizer = RowNormalizer(
        table.columns, mapping, kind, today=today, confirm_over_limit=confirm_over_limit, chosen=chosen
    )
    total = len(table.rows)
    for done, raw in enumerate(table.rows):
        if done % 5000 == 0:
            cancel.raise_if_set()
            progress(done, total, f"正在检查第 {done + 1} 行")
        yield normalizer.normalize(raw)
    progress(total, total, "检查完成")
