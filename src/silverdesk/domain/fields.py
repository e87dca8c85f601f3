"""Declarative field rules: turn raw input (typed, pasted or imported) into clean values.

A form, a paste and an import all go through the same rules, so a value refused in one is
refused in the others with the same Chinese message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from silverdesk.domain.codes import code_table
from silverdesk.domain.dates import DateError, parse_date
from silverdesk.domain.idcard import IdNumberError, parse_id_number
from silverdesk.domain.numbers import NumberError, hours_text, parse_count
from silverdesk.domain.phone import PhoneError, normalize_phone
from silverdesk.domain.text import clean, clean_name, name_problem
from silverdesk.errors import FieldError, ValidationError

Parser = Callable[[object, "FieldSpec"], object]


class FieldProblem(ValueError):
    """Raised by a parser; the message is shown to the clerk."""


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    parse: Parser
    required: bool = False
    choices: Sequence[str] = ()
    max_length: int = 0
    code: str = ""  # the code table (:mod:`silverdesk.domain.codes`) a :func:`coded` field is read with


@dataclass
class Cleaned:
    values: dict[str, object]
    warnings: list[FieldError] = field(default_factory=list)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not clean(value))


# --- parsers -----------------------------------------------------------------------------------


def text(value: object, spec: FieldSpec) -> str:
    out = clean(value)
    if spec.max_length and len(out) > spec.max_length:
        raise FieldProblem(f"{spec.label}太长（{len(out)}字），最多{spec.max_length}字")
    return out


def multiline(value: object, spec: FieldSpec) -> str:
    if value is None:
        return ""
    out = str(value).replace("\r\n", "\n").strip()
    if spec.max_length and len(out) > spec.max_length:
        raise FieldProblem(f"{spec.label}太长（{len(out)}字），最多{spec.max_length}字")
    return out


def name(value: object, spec: FieldSpec) -> str:
    out = clean_name(value)
    problem = name_problem(out)
    if problem:
        raise FieldProblem(f"{spec.label}{problem}")
    if out and (len(out) < 2 and not out.isascii()):
        raise FieldProblem(f"{spec.label}“{out}”只有一个字，请填写全名")
    if any(ch.isdigit() for ch in out):
        raise FieldProblem(f"{spec.label}“{out}”含有数字，请检查是否填错列")
    if spec.max_length and len(out) > spec.max_length:
        raise FieldProblem(f"{spec.label}太长，最多{spec.max_length}字")
    return out


def choice(value: object, spec: FieldSpec) -> str | None:
    out = clean(value)
    if not out:
        return None
    if out in spec.choices:
        return out
    for option in spec.choices:  # "男性" → "男", "离休干部" → "离休"
        if out.startswith(option) or option.startswith(out):
            return option
    raise FieldProblem(f"{spec.label}“{out}”不在可选范围内，请填写：{'、'.join(spec.choices)}")


def coded(value: object, spec: FieldSpec) -> str | None:
    """The normal form from the field's code table (汉 → 汉族, 党员 → 中共党员, 男性 → 男).

    A value the table does not know is refused for a strict table (性别) and kept as written,
    within ``max_length``, for an open one (民族, 政治面貌 are free text with a suggested list).
    Blank is ``None`` for a strict table (a choice left open) and ``""`` for an open one (a text).
    """
    table = code_table(spec.code or spec.key)
    written = clean(value)
    if not written:
        return None if table.strict else ""
    form = table.normal(written)
    if form is not None:
        return form
    if table.strict:
        raise FieldProblem(table.unknown_reason(written))
    return text(written, spec)


def date(value: object, spec: FieldSpec) -> dt.date | None:
    try:
        parsed = parse_date(value, field_label=spec.label)
    except DateError as exc:
        raise FieldProblem(str(exc)) from None
    return parsed.value if parsed else None


def count(value: object, spec: FieldSpec) -> int | None:
    try:
        parsed = parse_count(value, field_label=spec.label)
    except NumberError as exc:
        raise FieldProblem(str(exc)) from None
    return int(parsed.value) if parsed else None


def hours(value: object, spec: FieldSpec) -> float | None:
    try:
        parsed = parse_count(value, field_label=spec.label, allow_fraction=True)
    except NumberError as exc:
        raise FieldProblem(str(exc)) from None
    if parsed and parsed.value > 100000:
        raise FieldProblem(f"{spec.label}{hours_text(parsed.value)}小时过大，请核对")
    return round(parsed.value, 2) if parsed else None


def phone(value: object, spec: FieldSpec) -> str:
    try:
        return normalize_phone(value)
    except PhoneError as exc:
        raise FieldProblem(str(exc)) from None


def id_number(value: object, spec: FieldSpec) -> str | None:
    if is_blank(value):
        return None
    try:
        return parse_id_number(value).number
    except IdNumberError as exc:
        raise FieldProblem(str(exc)) from None


def passthrough(value: object, spec: FieldSpec) -> object:
    return value


# --- applying the rules ------------------------------------------------------------------------


def clean_fields(specs: Sequence[FieldSpec], raw: Mapping[str, object], *, partial: bool = False) -> Cleaned:
    """Clean every field in ``specs`` found in ``raw``; raise :class:`ValidationError` listing all problems.

    With ``partial`` only the keys present in ``raw`` are checked (an update of some fields);
    otherwise required fields must be present and not blank.
    """
    errors: list[FieldError] = []
    values: dict[str, object] = {}
    for spec in specs:
        if spec.key not in raw:
            if spec.required and not partial:
                errors.append(FieldError(spec.key, f"请填写{spec.label}"))
            continue
        value = raw[spec.key]
        if spec.required and is_blank(value):
            errors.append(FieldError(spec.key, f"请填写{spec.label}"))
            continue
        try:
            values[spec.key] = spec.parse(value, spec)
        except FieldProblem as exc:
            errors.append(FieldError(spec.key, str(exc)))
    if errors:
        raise ValidationError(errors)
    return Cleaned(values)
