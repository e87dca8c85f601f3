"""The statistics query model: measures × dimensions × filters for a period and a scope, in SQL.

Vocabulary in :mod:`.model`, the registry in :mod:`.registry`, the engine in :mod:`.engine`; facts,
measures and dimensions in the modules :data:`.registry.MODULES` lists. Services and the CLI use
:class:`QueryService`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from silverdesk.progress import NEVER, CancelToken
from silverdesk.services.base import Context
from silverdesk.services.statistics.query.model import DimRef, Filter, Question, Result, Row

if TYPE_CHECKING:
    from silverdesk.services.statistics.periods import ReportPeriod
    from silverdesk.services.statistics.query.compare import Comparison

__all__ = ["Catalogue", "DimRef", "Filter", "QueryService", "Question", "Result", "Row"]


@dataclass(frozen=True)
class Entry:
    key: str
    name: str
    rule: str
    unit: str = ""
    levels: tuple[str, ...] = ()
    applies_to: tuple[str, ...] = ()  # measures: the dimensions it can be broken down by


@dataclass(frozen=True)
class Catalogue:
    measures: tuple[Entry, ...]
    dimensions: tuple[Entry, ...]


class QueryService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def ask(self, question: Question, cancel: CancelToken = NEVER) -> Result:
        from silverdesk.services.statistics.query.engine import run

        with self.ctx.db.reader() as s:
            return run(s, question, cancel)

    def compare(
        self, question: Question, kind: str, period: ReportPeriod | None = None, cancel: CancelToken = NEVER
    ) -> Comparison:
        """The question with its 环比 or 同比 (``kind``): the base period's result and each figure's change;
        a 同比 that does not apply (累计, a span over a year) says why (see :mod:`.compare`)."""
        from silverdesk.services.statistics.query.compare import compare

        with self.ctx.db.reader() as s:
            return compare(s, question, kind, period, cancel)

    def records(
        self,
        question: Question,
        measure: str,
        keys: Sequence[Any],
        positions: Sequence[int] | None = None,
    ) -> tuple[str, list[int]]:
        """The record kind and ids behind one figure (drill-down); see :func:`.engine.records`."""
        from silverdesk.services.statistics.query.engine import records

        with self.ctx.db.reader() as s:
            return records(s, question, measure, keys, positions)

    def catalogue(self) -> Catalogue:
        """Every measure and dimension with its counting rule (``silverdesk stats --list``, 编报说明)."""
        from silverdesk.services.statistics.query.registry import registry

        reg = registry()
        measures = tuple(
            Entry(
                m.key,
                m.name,
                f"{m.rule}{reg.facts[m.fact].rule}",
                m.unit,
                applies_to=tuple(d.name for d in reg.dimensions_of(m)),
            )
            for m in reg.measures.values()
        )
        dimensions = tuple(
            Entry(d.key, d.name, d.rule, levels=tuple(lv.name for lv in d.levels))
            for d in reg.dimensions.values()
        )
        return Catalogue(measures, dimensions)
