"""Members of a team or a party organisation with their dates: ending a membership keeps the row (issue #17).

A membership row holds a role from ``joined_on`` to ``left_on`` (his last day; unknown dates: always).
Saving a group's member list compares it with the rows still open:

* a person no longer listed leaves today (``left_on`` = today);
* a person whose role changed (队员 → 队长) leaves the old row today and opens a new one from today, so a
  past month counts him in the role he had then;
* a person added opens a row from today — except on a group being created, whose first members are the
  ones it had (unknown since when: counted while the group exists);
* a row opened today and changed again today is corrected in place (it has no past to keep), and a row
  closed today is reopened if the person is listed again.

Rows never leave the database here, so removing a member changes no past period's 志愿者.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, MutableSequence
from typing import Protocol, TypeVar


class Membership(Protocol):
    person_id: int
    role: str
    joined_on: dt.date | None
    left_on: dt.date | None


M = TypeVar("M", bound=Membership)


def is_current(row: Membership, today: dt.date) -> bool:
    """Still a member after today (shown in the form as a current member)."""
    return row.left_on is None or row.left_on > today


def current(rows: Iterable[M], today: dt.date) -> list[M]:
    return [r for r in rows if is_current(r, today)]


def sync_members(
    rows: MutableSequence[M],
    wanted: dict[int, str],
    today: dt.date,
    make: Callable[[int, str, dt.date | None], M],
    *,
    new_group: bool = False,
) -> dict[str, int]:
    """Bring ``rows`` (a group's membership collection) to ``wanted`` (person id → role) as of ``today``.

    Returns how many joined, left and changed role (for the audit entry)."""
    counts = {"joined": 0, "left": 0, "role_changed": 0}
    open_rows = {r.person_id: r for r in rows if r.left_on is None}
    closed_today = {r.person_id: r for r in rows if r.left_on == today}
    for pid, row in open_rows.items():
        if pid in wanted:
            continue
        counts["left"] += 1
        if row.joined_on is not None and row.joined_on >= today:
            rows.remove(row)  # joined today, removed today: a correction, nothing to keep
        else:
            row.left_on = today
    for pid, role in wanted.items():
        found = open_rows.get(pid)
        if found is None and pid in closed_today and closed_today[pid].role == role:
            closed_today[pid].left_on = None  # removed by mistake earlier today
            continue
        if found is None:
            counts["joined"] += 1
            rows.append(make(pid, role, None if new_group else today))
        elif found.role != role:
            counts["role_changed"] += 1
            if new_group or (found.joined_on is not None and found.joined_on >= today):
                found.role = role
            else:
                found.left_on = today
                rows.append(make(pid, role, today))
    return counts
