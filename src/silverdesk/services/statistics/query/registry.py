"""Every fact, measure and dimension of the statistics, registered once and found by key or Chinese name.

A module that defines measures registers them at import (``REGISTRY.measure(Measure(...))``); the
modules are listed in :data:`MODULES` and imported on first use, so start-up does not pay for them.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable
from typing import TypeVar

from silverdesk.errors import UserError
from silverdesk.services.statistics.query.model import Dimension, Fact, Measure

_T = TypeVar("_T", Measure, Dimension)
_V = TypeVar("_V", Fact, Measure, Dimension)

#: The modules that register facts, measures and dimensions (imported by :func:`registry`).
MODULES = (
    "silverdesk.services.statistics.query.dimensions",
    "silverdesk.services.statistics.query.activity",
    "silverdesk.services.statistics.query.people",
    "silverdesk.services.statistics.query.teams",
    "silverdesk.services.statistics.query.party",
    "silverdesk.services.statistics.query.community",
    "silverdesk.services.statistics.query.places",
    "silverdesk.services.statistics.query.talent",
    "silverdesk.services.statistics.query.supply",
    "silverdesk.services.statistics.query.ratings",
    "silverdesk.services.statistics.query.team_activity",
)


class Registry:
    def __init__(self) -> None:
        self.facts: dict[str, Fact] = {}
        self.measures: dict[str, Measure] = {}
        self.dimensions: dict[str, Dimension] = {}

    # -- registration ---------------------------------------------------------------------------
    def fact(self, fact: Fact) -> Fact:
        _unique(self.facts, fact.key, fact)
        return fact

    def measure(self, measure: Measure) -> Measure:
        if measure.fact not in self.facts:
            raise ValueError(f"measure {measure.key}: unknown fact {measure.fact}")
        _unique(self.measures, measure.key, measure)
        return measure

    def dimension(self, dimension: Dimension) -> Dimension:
        _unique(self.dimensions, dimension.key, dimension)
        return dimension

    # -- lookup ---------------------------------------------------------------------------------
    def find_measure(self, text: str) -> Measure:
        hit = _find(self.measures.values(), text)
        if hit is None:
            raise UserError(f"没有统计指标“{text}”。{_suggest(text, self.measures.values())}")
        return hit

    def find_dimension(self, text: str) -> Dimension:
        hit = _find(self.dimensions.values(), text)
        if hit is None:
            raise UserError(f"没有分组维度“{text}”。{_suggest(text, self.dimensions.values())}")
        return hit

    def applies(self, dimension: Dimension, measure: Measure) -> bool:
        return dimension.everywhere or dimension.attribute in self.facts[measure.fact].attributes

    def dimensions_of(self, measure: Measure) -> list[Dimension]:
        return [d for d in self.dimensions.values() if self.applies(d, measure)]


def _unique(table: dict[str, _V], key: str, value: _V) -> None:
    if key in table and table[key] is not value:
        raise ValueError(f"registered twice: {key}")
    table[key] = value


def _find(items: Iterable[_T], text: str) -> _T | None:
    t = text.strip()
    for item in items:
        if t in (item.key, item.name) or t in item.aliases:
            return item
    return None


def _suggest(text: str, items: Iterable[Measure | Dimension]) -> str:
    names = [i.name for i in items]
    close = difflib.get_close_matches(text.strip(), names, n=5, cutoff=0.2)
    listed = close or names[:12]
    return f"{'最接近的有' if close else '可用的有'}：{'、'.join(listed)}（silverdesk stats --list 列出全部及其统计口径）"


_REGISTRY = Registry()
_loaded = False


def registry() -> Registry:
    """The registry with every module of :data:`MODULES` loaded."""
    global _loaded
    if not _loaded:
        for name in MODULES:
            importlib.import_module(name)
        _loaded = True
    return _REGISTRY


#: For the defining modules: they register into this (importing them through :func:`registry`).
REGISTRY = _REGISTRY
