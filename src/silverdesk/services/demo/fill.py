"""What the demo's generators share: the connection, the one random stream, the progress of the whole
fill, and what the earlier steps made (ids that later rows refer to)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert, text

from silverdesk.db.base import Base
from silverdesk.progress import CancelToken, Progress


@dataclass
class DemoResult:
    units: int = 0
    people: int = 0
    teams: int = 0
    party_orgs: int = 0
    activities: int = 0
    resources: int = 0
    demands: int = 0
    orders: int = 0
    counts: dict[str, int] = field(default_factory=dict)


PERSON_WORK = 4
"""A person costs about as much as four activities to make and write (ID number, pinyin keys,
links): 0.42 vs 0.12 ms each, measured on the first-start demo (2,000 people, 20,000 activities)."""


class Steps:
    """Progress of the whole fill, and the cancel check that goes with each report."""

    def __init__(self, progress: Progress, cancel: CancelToken, total: int) -> None:
        self.progress, self.cancel, self.total = progress, cancel, total

    def at(self, done: int, step: str) -> None:
        self.cancel.raise_if_set()
        self.progress(done, self.total, step)

    @staticmethod
    def every(n: int) -> int:
        """Report a loop of ``n`` rows twenty times."""
        return max(1, n // 20)


class Fill:
    """One fill of the database: shared by the generators, each adding to what the ones before made."""

    def __init__(
        self,
        conn: Connection,
        rng: random.Random,
        today: dt.date,
        lookups: dict[tuple[str, str], int],
        steps: Steps,
    ) -> None:
        self.conn, self.rng, self.today, self.lookups = conn, rng, today, lookups
        self.steps, self.cancel = steps, steps.cancel
        self.done = 0  # units of work done (see PERSON_WORK)
        self.result = DemoResult()
        self.subunits: list[int] = []  # 乡镇/街道/部门: the rows of 表1
        self.communities: dict[int, list[int]] = {}
        self.person_unit: list[tuple[int, int, bool]] = []  # (person id, unit id, party member)
        self.team_units: list[tuple[int, int]] = []
        self.team_members: dict[int, list[int]] = {}
        self.org_ids: list[int] = []
        self.theme_ids: dict[tuple[int, int], int] = {}  # (year, month) → monthly theme id

    def insert(self, model: type[Base], rows: Sequence[dict[str, Any]], chunk: int = 20000) -> None:
        for start in range(0, len(rows), chunk):
            self.cancel.raise_if_set()
            self.conn.execute(insert(model), list(rows[start : start + chunk]))


def fix_sequences(conn: Connection) -> None:
    """Explicit ids bypass PostgreSQL's sequences: move them past the largest id."""
    if conn.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                )
            )
