"""Activity figures over a date range, from the month × unit × category roll-up.

Whole months come from ``activity_month`` (recomputed first when a trigger marked them stale);
the partial months at the edges of a custom range are aggregated from ``activity`` directly.
Either way the caller gets the same rows: (month, unit_id, category_id, 场次, 人次, 时长, 受益).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, literal, select, update

from silverdesk.db.engine import Database
from silverdesk.db.models import Activity, ActivityMonth, ActivityMonthState
from silverdesk.errors import StorageError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Agg:
    month: str
    unit_id: int | None
    category_id: int | None
    activities: int
    participations: int
    hours: float
    beneficiaries: int


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_bounds(key: str) -> tuple[dt.date, dt.date]:
    year, month = int(key[:4]), int(key[5:7])
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def split_range(start: dt.date, end: dt.date) -> tuple[list[str], list[tuple[dt.date, dt.date]]]:
    """Whole months inside [start, end], and the leftover partial ranges."""
    whole: list[str] = []
    partial: list[tuple[dt.date, dt.date]] = []
    day = start
    while day <= end:
        first, last = month_bounds(month_key(day))
        if day == first and last <= end:
            whole.append(month_key(day))
        else:
            partial.append((day, min(last, end)))
        day = last + dt.timedelta(days=1)
    return whole, partial


class Rollup:
    def __init__(self, db: Database) -> None:
        self.db = db

    def rows(self, start: dt.date, end: dt.date) -> list[Agg]:
        whole, partial = split_range(start, end)
        out: list[Agg] = []
        if whole:
            out.extend(self._whole_months(whole))
        for a, b in partial:
            out.extend(self._aggregate(a, b, month_key(a)))
        return out

    def refresh(self, months: list[str] | None = None) -> int:
        """Recompute stale months (all stale ones when ``months`` is None); returns how many."""
        with self.db.session() as s:
            stmt = select(ActivityMonthState.month).where(ActivityMonthState.stale.is_(True))
            if months is not None:
                stmt = stmt.where(ActivityMonthState.month.in_(months))
            stale = list(s.scalars(stmt))
            for key in stale:
                # the UPDATE comes first: it takes the write lock, so no writer can slip a row in
                # between the aggregation and marking the month fresh
                s.execute(
                    update(ActivityMonthState).where(ActivityMonthState.month == key).values(stale=False)
                )
                s.execute(delete(ActivityMonth).where(ActivityMonth.month == key))
                first, last = month_bounds(key)
                s.execute(
                    insert(ActivityMonth).from_select(
                        [
                            "month",
                            "unit_id",
                            "category_id",
                            "activities",
                            "participations",
                            "hours",
                            "beneficiaries",
                        ],
                        self._aggregate_stmt(first, last, key),
                    )
                )
        return len(stale)

    def _whole_months(self, months: list[str]) -> list[Agg]:
        try:
            self.refresh(months)
        except StorageError:
            # read-only or locked database: compute without caching
            log.warning("roll-up not refreshed (database not writable); aggregating directly")
            out: list[Agg] = []
            for key in months:
                out.extend(self._aggregate(*month_bounds(key), key))
            return out
        with self.db.reader() as s:
            result = s.execute(select(ActivityMonth).where(ActivityMonth.month.in_(months))).scalars()
            return [
                Agg(
                    r.month,
                    r.unit_id or None,
                    r.category_id or None,
                    r.activities,
                    r.participations,
                    r.hours,
                    r.beneficiaries,
                )
                for r in result
            ]

    @staticmethod
    def _aggregate_stmt(start: dt.date, end: dt.date, key: str):  # type: ignore[no-untyped-def]
        unit = func.coalesce(Activity.unit_id, 0)
        category = func.coalesce(Activity.category_id, 0)
        return (
            select(
                literal(key),
                unit,
                category,
                func.sum(Activity.sessions),
                func.sum(Activity.participants),
                func.sum(Activity.hours),
                func.sum(Activity.beneficiaries),
            )
            .where(Activity.occurred_on.between(start, end))
            .group_by(unit, category)
        )

    def _aggregate(self, start: dt.date, end: dt.date, key: str) -> list[Agg]:
        with self.db.reader() as s:
            return [
                Agg(key, u or None, c or None, int(a or 0), int(p or 0), float(h or 0), int(b or 0))
                for _, u, c, a, p, h, b in s.execute(self._aggregate_stmt(start, end, key))
            ]
