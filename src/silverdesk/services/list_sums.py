"""The line under a list: how many records its filter finds and the sums of its numeric columns.

Computed in SQL over the very query the list takes its ids from (the same FROM and WHERE, with the
aggregates in place of the ids), never by walking the rows: the activity log holds up to a million.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, func
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ListSums:
    """``count`` records found; ``values``: a column's key → its sum over them (its mean over the
    records that have a value, for the keys in ``means``: an average score, not a sum of scores)."""

    count: int
    values: Mapping[str, float] = field(default_factory=dict)
    means: frozenset[str] = frozenset()


def list_sums(
    session: Session,
    filtered: Select[Any],
    sums: Mapping[str, SQLColumnExpression[Any]],
    means: Mapping[str, SQLColumnExpression[Any]] | None = None,
) -> ListSums:
    """COUNT, SUM (and AVG) over ``filtered`` — the list's own id query — in one statement."""
    means = means or {}
    stmt = filtered.with_only_columns(
        func.count(),
        *(func.coalesce(func.sum(c), 0) for c in sums.values()),
        *(func.avg(c) for c in means.values()),
        maintain_column_froms=True,
    ).order_by(None)
    row = session.execute(stmt).one()
    values = {key: float(row[i]) for i, key in enumerate(sums, start=1)}
    for i, key in enumerate(means, start=1 + len(sums)):
        if row[i] is not None:  # no record with a value: no mean to show
            values[key] = float(row[i])
    return ListSums(int(row[0]), values, frozenset(means))
