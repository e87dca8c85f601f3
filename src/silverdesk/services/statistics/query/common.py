"""What the fact modules share: an attribute that is a column, COUNT(DISTINCT …), a unit read by subquery,
and dimensions over plain values with a fixed order (星级, 阵地类型 …)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select, true
from sqlalchemy.orm import Session

from silverdesk.db.models import Person
from silverdesk.errors import UserError
from silverdesk.services.statistics.query.model import Aggregate, Attribute, Dimension, Window
from silverdesk.services.statistics.query.registry import REGISTRY


def nearest(text: str, names: Sequence[str]) -> str:
    """The valid values closest to what a clerk typed, as a sentence's end."""
    import difflib

    close = difflib.get_close_matches(text, list(names), n=5, cutoff=0.2)
    shown = close or list(names)[:12]
    return f"{'最接近的有' if close else '可选'}：{'、'.join(shown)}" if shown else "（目前没有任何值）"


def column(col: Any) -> Attribute:
    """An attribute that is a column of the fact's own rows (no join)."""

    def build(stmt: Select[Any], w: Window) -> tuple[Select[Any], ColumnElement[Any]]:
        return stmt, col

    return Attribute(build)


def computed(expr: Callable[[Window], ColumnElement[Any]], *, multi: bool = False) -> Attribute:
    """An attribute computed from the window (a correlated subquery, a CASE …), no join."""

    def build(stmt: Select[Any], w: Window) -> tuple[Select[Any], ColumnElement[Any]]:
        return stmt, expr(w)

    return Attribute(build, multi=multi)


def count_distinct(col: Any) -> Aggregate:
    return lambda w: func.count(func.distinct(col))


def person_column(person_id: Any, col: Any) -> ColumnElement[Any]:
    """A column of the person ``person_id`` points at, as a correlated scalar subquery."""
    return select(col).where(Person.id == person_id).correlate_except(Person).scalar_subquery()


def person_attributes(person_id: Any) -> dict[str, Attribute]:
    """性别, 政治面貌 and 年龄段 of a fact whose rows name a person (subqueries: the fact keeps its rows)."""
    return {
        "gender": column(person_column(person_id, Person.gender)),
        "political_status": column(person_column(person_id, Person.political_status)),
        "birth_date": column(person_column(person_id, Person.birth_date)),
    }


def scoped_unit(w: Window, *candidates: Any) -> ColumnElement[Any]:
    """The first of ``candidates`` (unit columns, in order of precedence) that lies in the scope; for the
    whole tree the first that is filled."""
    if w.scope.whole:
        return func.coalesce(*candidates)
    whens = [(c.in_(w.scope.ids), c) for c in candidates]
    return case(*whens, else_=None)


def in_scope_any(w: Window, *candidates: Any) -> ColumnElement[bool]:
    """Some of ``candidates`` lies in the scope (everything for the whole tree)."""
    if w.scope.whole:
        return true()
    return or_(*(c.in_(w.scope.ids) for c in candidates))


def _same(
    stmt: Select[Any], attr: ColumnElement[Any], w: Window, level: str
) -> tuple[Select[Any], ColumnElement[Any]]:
    return stmt, attr


def coded_dimension(
    key: str,
    name: str,
    attribute: str,
    codes: Sequence[tuple[Any, str]],
    rule: str,
    *,
    missing: str = "未填",
    aliases: tuple[str, ...] = (),
) -> Dimension:
    """A dimension over a fixed set of values, each with its label, in the order given (星级 1–5, 阵地类型)."""
    rank = {code: (i, label) for i, (code, label) in enumerate(codes)}

    def labels(s: Session, w: Window, level: str, keys: Sequence[Any]) -> Mapping[Any, tuple[Any, str]]:
        return {
            k: ((0, rank[k][0], ""), rank[k][1]) if k in rank else ((1, 0, str(k)), str(k) or missing)
            for k in keys
        }

    def resolve(s: Session, w: Window, level: str, text: str) -> list[Any]:
        t = text.strip()
        hits = [code for code, label in codes if t in (label, str(code))]
        if not hits:
            raise UserError(f"“{name}”里没有“{t}”。可选：{'、'.join(label for _, label in codes)}")
        return hits

    return REGISTRY.dimension(
        Dimension(key, name, attribute, rule, _same, labels, resolve, missing=missing, aliases=aliases)
    )
