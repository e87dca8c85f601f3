"""Form placeholders and layout tables answered by the statistics query model, for a report's period and scope.

The form filler (:mod:`silverdesk.reports.form_fill`) knows the report's own placeholders (``{{活动场次}}``,
``{{表1.合计.活动}}``, ``{{表2.理论宣讲.活动}}`` …). Every other placeholder is handed here
(:class:`FormFigures`), read by this grammar (resources/layouts/PLACEHOLDERS.md):

* ``{{指标}}`` — a measure's total, by its name or an alias: ``{{星级志愿者人数}}``, ``{{场次}}``;
* ``{{指标.值}}`` — the measure for one value of one of its dimensions: ``{{阵地数.驿站}}``,
  ``{{场次.理论宣讲}}``, ``{{志愿者数.女}}``; the value is looked up in the dimensions the measure can be
  broken down by (a list's entry, a team, a unit, a theme … or a value that occurs, such as 女);
* ``{{月度主题}}`` — the name of the period's monthly theme (several months: each, joined by “、”).

What it cannot answer is left out: the filler then refuses the placeholder, naming the nearest valid ones
from :meth:`FormFigures.vocabulary`. A layout's measure × dimension tables are answered by :func:`pivots`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from silverdesk.db.models import MonthlyTheme
from silverdesk.errors import UserError
from silverdesk.reports.layout import Layout, model_tables
from silverdesk.reports.pivot import PivotTable
from silverdesk.services.statistics.query.batch import Asker
from silverdesk.services.statistics.query.model import Dimension, DimRef, Filter, Measure, Question, Window
from silverdesk.services.statistics.query.registry import Registry, registry
from silverdesk.services.statistics.query.units import UnitScope

THEME = "月度主题"
_NO_SUCH_VALUE = "\x00没有这个值\x00"


class FormFigures:
    """The figures of a form's query-model placeholders, asked in one session ``s``."""

    def __init__(self, s: Session, start: dt.date, end: dt.date, unit_id: int | None) -> None:
        self.s, self.start, self.end, self.unit_id = s, start, end, unit_id
        self.ask = Asker(s)
        self.reg = registry()

    def __call__(self, keys: Sequence[str]) -> tuple[dict[str, Any], list[str]]:
        out: dict[str, Any] = {}
        for key in keys:
            value = self.value(key)
            if value is not None:
                out[key] = value
        return out, self.vocabulary()

    def vocabulary(self) -> list[str]:
        """What may be written: each measure (name and aliases), ``指标.值`` for the values found, 月度主题."""
        words = [THEME]
        for m in self.reg.measures.values():
            words += [m.name, *m.aliases]
        return words

    def value(self, key: str) -> Any:
        """The figure of one placeholder; None when it is not of this grammar or names nothing."""
        key = key.strip()
        if key == THEME:
            return self.theme()
        measure = _measure(self.reg, key)
        if measure is not None:
            return self._ask(Question((measure.key,), self.start, self.end, self.unit_id)).total[0]
        name, dot, value = key.partition(".")
        measure = _measure(self.reg, name) if dot and value else None
        if measure is None:
            return None
        return self.breakdown(measure, value)

    def theme(self) -> str:
        months: list[tuple[int, int]] = []
        day = self.start.replace(day=1)
        while day <= self.end:
            months.append((day.year, day.month))
            day = (day + dt.timedelta(days=32)).replace(day=1)
        rows = self.s.execute(
            select(MonthlyTheme.name)
            .where(tuple_(MonthlyTheme.year, MonthlyTheme.month).in_(months))
            .order_by(MonthlyTheme.year, MonthlyTheme.month)
        ).all()
        return "、".join(dict.fromkeys(r[0] for r in rows))

    def breakdown(self, measure: Measure, value: str) -> Any:
        """``measure`` for the records whose value of one of its dimensions is ``value`` (None: no
        dimension of the measure has that value)."""
        dims = [d for d in self.reg.dimensions_of(measure) if not d.everywhere]
        # a value a dimension knows by name (a list entry, a team, a unit, a theme): asked as a filter,
        # so a record with several values counts once and a name not shown as a row label still counts
        for d in dims:
            if self._names(d, value):
                where = (Filter(DimRef(d.key), (value,)),)
                return self._ask(
                    Question((measure.key,), self.start, self.end, self.unit_id, filters=where)
                ).total[0]
        # values found in the records (性别 女, 年龄段 …): any dimension
        for d in dims:
            found = self._ask(Question((measure.key,), self.start, self.end, self.unit_id, (DimRef(d.key),)))
            for row in found.rows:
                if row.labels[0] == value:
                    return row.values[0]
        return None

    def _names(self, d: Dimension, value: str) -> bool:
        """Whether ``d`` knows ``value`` as one of its values (dimensions that accept any text do not)."""
        window = Window(self.start, self.end, UnitScope.load(self.s, self.unit_id))
        level = d.filter_level or (d.levels[0].key if d.levels else "")
        try:
            d.resolve(self.s, window, level, _NO_SUCH_VALUE)
            return False  # takes anything: knows nothing
        except UserError:
            pass
        try:
            return bool(d.resolve(self.s, window, level, value))
        except UserError:
            return False

    def _ask(self, question: Question) -> Any:
        return self.ask(question)


def _measure(reg: Registry, text: str) -> Measure | None:
    t = text.strip()
    for m in reg.measures.values():
        if t in (m.key, m.name) or t in m.aliases:
            return m
    return None


def pivots(
    s: Session, layout: Layout | None, start: dt.date, end: dt.date, unit_id: int | None, period: str
) -> Mapping[str, PivotTable]:
    """The layout's measure × dimension tables answered for the report's period and scope, by table id
    (a measure or dimension it names that does not exist: :class:`UserError` with the nearest ones)."""
    from silverdesk.services.statistics.query.pivot import to_pivot

    if layout is None:
        return {}
    ask = Asker(s)
    reg = registry()
    out: dict[str, PivotTable] = {}
    for table in model_tables(layout):
        measures = tuple(reg.find_measure(m).key for m in table.measures)
        question = Question(
            measures,
            start,
            end,
            unit_id,
            tuple(DimRef.parse(r) for r in table.rows),
            tuple(DimRef.parse(c) for c in table.across),
        )
        try:
            result = ask(question)
        except UserError as exc:
            raise UserError(f"报表版式中的分组统计表“{table.caption}”：{exc}", code="bad_layout") from exc
        notes = tuple(f"{m.name}：{m.rule}" for m in result.measures)
        out[table.id] = to_pivot(result, table.caption, period, notes)
    return out
