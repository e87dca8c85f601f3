"""The statistics query model's vocabulary: facts, measures, dimensions, questions and results.

After the analytics behind DHIS2's pivot tables (data elements × periods × organisation units ×
categories), done on one file:

* A **fact** is a kind of record the bureau keeps (活动, 人员, 服务队 …): a FROM clause restricted to a
  window (a period and a scope), and the *attributes* of that record a dimension can read (its unit,
  its 服务领域, its team …), each an SQL expression, some adding a join.
* A **measure** is one figure computed over a fact's rows with one SQL aggregate (场次 = SUM(sessions),
  志愿者数 = COUNT(DISTINCT person)); its counting rule is written next to it, in Chinese, and printed in
  编报说明 and by ``silverdesk stats --list``.
* A **dimension** turns one attribute into a grouping value (单位 at a level of the tree, 服务领域 大类,
  性别 …) and names its values. A dimension applies to every fact that has its attribute.
* A **question** asks measures × dimensions (rows, columns) × filters for a period and a scope; the
  engine (:mod:`.engine`) answers it with one GROUP BY per fact, plus the totals.

Registering a measure or a dimension (:mod:`.registry`) is all it takes to add one: the CLI, the
分组统计 screen and the form placeholders read the registry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import SQLCoreOperations

from silverdesk.services.statistics.query.units import UnitScope

Number = int | float


@dataclass(frozen=True)
class Window:
    """What one query counts over: the days ``start`` … ``end`` (both included) and the scope."""

    start: dt.date
    end: dt.date
    scope: UnitScope


#: Adds what an attribute needs to a fact's statement (joins) and returns the statement and the
#: attribute's expression: ``(stmt, window) -> (stmt, expr)``.
AttrBuilder = Callable[[Select[Any], Window], tuple[Select[Any], ColumnElement[Any]]]


@dataclass(frozen=True)
class Attribute:
    """One attribute of a fact. ``multi``: a record may have several values (a join that multiplies
    rows, e.g. an activity's teams): as a filter it is applied as a semi-join, so a record is counted
    once whatever the number of its values that match."""

    build: AttrBuilder
    multi: bool = False


@dataclass(frozen=True)
class Fact:
    """A kind of record. ``base(window)`` selects its rows of the window (period rule, scope rule)
    without columns; ``key`` is the record's id column (drill-down lists these ids, of ``record``
    kind: ``activity``, ``person``, ``team`` …); ``unit`` the attribute that places a record in the
    unit tree (the scope and the 单位 dimension read it)."""

    key: str
    name: str
    record: str
    base: Callable[[Window], Select[Any]]
    id_column: Callable[[], SQLCoreOperations[Any]]
    attributes: Mapping[str, Attribute]
    rule: str  # the period and scope rule, in Chinese: how a record falls into a window


#: The aggregate of a measure over its fact's rows (called with the window, for as-of rules).
Aggregate = Callable[[Window], ColumnElement[Any]]


@dataclass(frozen=True)
class Measure:
    key: str  # ASCII, for code and JSON keys of the API
    name: str  # Chinese, as a clerk and the forms say it: 场次, 志愿者数
    fact: str  # Fact.key
    aggregate: Aggregate
    unit: str  # 场, 人次, 小时, 人, 支 …
    rule: str  # the counting rule, one Chinese sentence
    decimals: int = 0
    aliases: tuple[str, ...] = ()
    #: a narrower base than the fact's (e.g. 其中党员: only party members), applied as a WHERE
    where: Callable[[Window], ColumnElement[bool]] | None = None
    #: the figure of a whole is the sum of its parts': each record the measure counts is one row of its
    #: fact (an activity, a person), so it falls in one group of a single-valued dimension and the 合计 is
    #: the rows' sum (not asked again). Not for 任职人数 (a person of two roles is in two 任职类别).
    additive: bool = False


@dataclass(frozen=True)
class Level:
    """A dimension's level (单位: 下一级 / 街道乡镇 / 社区; 服务领域: 大类 / 小项; 期间: 月 / 季 / 年)."""

    key: str
    name: str


#: Turns an attribute's expression into the dimension's grouping value at a level: may add joins.
GroupBuilder = Callable[
    [Select[Any], ColumnElement[Any], Window, str], tuple[Select[Any], ColumnElement[Any]]
]
#: Names and orders the values a query found: ``(session, window, level, keys) -> {key: (sort, label)}``.
Labeller = Callable[[Session, Window, str, Sequence[Any]], Mapping[Any, tuple[Any, str]]]
#: Reads what a clerk typed as a value (``--where 性别=女``) into the keys it means; raises UserError
#: naming the valid values when it names none.
Resolver = Callable[[Session, Window, str, str], list[Any]]


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    attribute: str  # the Fact attribute it reads
    rule: str
    group: GroupBuilder
    labels: Labeller
    resolve: Resolver
    levels: tuple[Level, ...] = ()
    missing: str = "未填"  # the label of records without a value
    aliases: tuple[str, ...] = ()
    #: the level a filter on this dimension is applied at (单位: 本单位, with the subtree; None: as written)
    filter_level: str | None = None

    @property
    def everywhere(self) -> bool:
        """Applies to every fact (期间)."""
        return self.attribute == "*"

    def level(self, key: str | None) -> Level | None:
        """The level named ``key`` (its key or its Chinese name); the first level when None."""
        if not self.levels:
            return None
        if key is None:
            return self.levels[0]
        for lv in self.levels:
            if key in (lv.key, lv.name):
                return lv
        return None


@dataclass(frozen=True)
class DimRef:
    """A dimension at a level, as a question names it: ``单位``, ``单位:社区``, ``服务领域:大类``."""

    dimension: str
    level: str | None = None

    @classmethod
    def parse(cls, text: str) -> DimRef:
        name, _, level = text.strip().replace("：", ":").partition(":")
        return cls(name.strip(), level.strip() or None)

    def __str__(self) -> str:
        return f"{self.dimension}:{self.level}" if self.level else self.dimension


@dataclass(frozen=True)
class Filter:
    """Only the records whose dimension value is one of ``values`` (as a clerk writes them)."""

    dimension: DimRef
    values: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Filter:
        left, sep, right = text.replace("＝", "=").partition("=")
        if not sep or not left.strip() or not right.strip():
            from silverdesk.errors import UserError

            raise UserError(f"筛选条件“{text}”应写成 维度=值，例如 性别=女 或 服务领域=理论宣讲,文化艺术")
        values = tuple(v.strip() for v in right.replace("，", ",").split(",") if v.strip())
        return cls(DimRef.parse(left), values)


@dataclass(frozen=True)
class Question:
    measures: tuple[str, ...]
    start: dt.date
    end: dt.date
    unit_id: int | None = None  # the scope's root; None: the root of the unit tree
    rows: tuple[DimRef, ...] = ()
    columns: tuple[DimRef, ...] = ()
    filters: tuple[Filter, ...] = ()

    @property
    def dimensions(self) -> tuple[DimRef, ...]:
        return self.rows + self.columns


@dataclass(frozen=True)
class Row:
    keys: tuple[Any, ...]  # the dimension values (ids, codes), in the question's order
    labels: tuple[str, ...]
    values: tuple[Number, ...]  # one per measure


@dataclass(frozen=True)
class Result:
    question: Question
    measures: tuple[Measure, ...]
    dimensions: tuple[tuple[Dimension, Level | None], ...]
    rows: tuple[Row, ...]  # each combination of dimension values that has a record, in display order
    total: tuple[Number, ...]  # 合计: the measures with no dimension (not the sum of the rows: a
    # person on two teams is one 志愿者)
    #: margins by dimension positions: {(0,): {keys: values}} — the totals of a pivot's rows and columns
    margins: Mapping[tuple[int, ...], Mapping[tuple[Any, ...], tuple[Number, ...]]] = field(
        default_factory=dict
    )
    scope_name: str = ""
    #: each dimension's values in display order (rank), for laying the answer out as a pivot
    ranks: tuple[Mapping[Any, int], ...] = ()

    def value(self, measure: str, *labels: str) -> Number:
        """The figure of ``measure`` (key or name) in the row whose labels are ``labels`` (0 if none);
        no labels: the total."""
        index = next(i for i, m in enumerate(self.measures) if measure in (m.key, m.name))
        if not labels:
            return self.total[index]
        for row in self.rows:
            if row.labels == labels:
                return row.values[index]
        return 0
