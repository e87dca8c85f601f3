"""What the query model's tests share: a small county, a question asked the way a clerk asks it, the answer
as {row labels: figures}."""

from __future__ import annotations

import datetime as dt
from typing import Any

from silverdesk.services.hub import Services
from silverdesk.services.statistics.query import DimRef, Filter, QueryService, Question, Result

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def small_county(s: Services) -> dict[str, int]:
    """青山县 › 城关街道 › 光明社区, 青山县 › 龙山镇 › 石桥村."""
    units = s.units
    root = units.ensure_root("青山县")
    street = units.create({"name": "城关街道", "kind": "街道", "parent_id": root})
    community = units.create({"name": "光明社区", "kind": "社区", "parent_id": street})
    town = units.create({"name": "龙山镇", "kind": "乡镇", "parent_id": root})
    village = units.create({"name": "石桥村", "kind": "村", "parent_id": town})
    return {"root": root, "street": street, "community": community, "town": town, "village": village}


def ask(
    s: Services,
    measures: str,
    *rows: str,
    columns: tuple[str, ...] = (),
    where: tuple[str, ...] = (),
    unit: int | None = None,
    period: tuple[dt.date, dt.date] = OCT,
) -> Result:
    return QueryService(s.ctx).ask(
        Question(
            tuple(measures.split(",")),
            *period,
            unit_id=unit,
            rows=tuple(DimRef.parse(r) for r in rows),
            columns=tuple(DimRef.parse(c) for c in columns),
            filters=tuple(Filter.parse(f) for f in where),
        )
    )


def table(result: Result) -> dict[Any, tuple[Any, ...]]:
    """{labels: figures}; a single row dimension's label alone."""
    return {(r.labels[0] if len(r.labels) == 1 else r.labels): r.values for r in result.rows}


def drill(
    s: Services, measures: str, *rows: str, keys: tuple[Any, ...] = (), unit: int | None = None
) -> list[int]:
    q = Question(tuple(measures.split(",")), *OCT, unit_id=unit, rows=tuple(DimRef.parse(r) for r in rows))
    return QueryService(s.ctx).records(q, measures.split(",")[0], list(keys))[1]
