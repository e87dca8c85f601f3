"""Duplicates: is this row a person, activity, resource or demand already on record (or earlier in the file)?

People (roster):

* the same ID number is the same person;
* a row without an ID number is matched by name + birth date (any stored person), and without
  a birth date by name within the same unit;
* a row with an ID number that is not on record still matches a stored person with the same name
  and birth date who has no ID number yet (the import fills it in);
* two stored people answering the same description make the row ambiguous: it is refused with a
  reason, never attached to one of them at random.

A match is then compared field by field (:func:`compare`): blank stored fields are filled, equal
ones are left, differing ones become :class:`~silverdesk.services.importing.plan.FieldConflict` —
reported, never overwritten unless the clerk chooses the file's value.

Activities are the same when date + title + organising unit agree; resources when title +
category + provider agree; demands when title + requester agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import Person
from silverdesk.services.importing.plan import FieldConflict

IN_CHUNK = 900
"""Ids per ``IN (…)`` list (well under SQLite's bound-parameter limit)."""


def chunks(ids: list[int], size: int = IN_CHUNK) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


class PersonIndex:
    """The stored people's identifying columns, indexed for the matching rules above."""

    def __init__(self, session: Session) -> None:
        self.by_id_number: dict[str, int] = {}
        self.by_name_birth: dict[tuple[str, dt.date], list[int]] = {}
        self.by_name_unit: dict[tuple[str, int | None], list[int]] = {}
        self.without_id: set[int] = set()
        self.batch_of: dict[int, int] = {}
        rows = session.execute(
            select(
                Person.id,
                Person.id_number,
                Person.name,
                Person.birth_date,
                Person.unit_id,
                Person.import_batch_id,
            )
        )
        for pid, number, name, birth, unit_id, batch in rows:
            if number:
                self.by_id_number[number] = pid
            else:
                self.without_id.add(pid)
            if birth is not None:
                self.by_name_birth.setdefault((name, birth), []).append(pid)
            self.by_name_unit.setdefault((name, unit_id), []).append(pid)
            if batch:
                self.batch_of[pid] = batch

    def match(self, values: dict[str, Any]) -> tuple[int | None, str, str]:
        """(person id or None, how it matched, refusal reason)."""
        number, name, birth = values.get("id_number"), values["name"], values.get("birth_date")
        if number:
            hit = self.by_id_number.get(number)
            if hit is not None:
                return hit, "身份证号相同", ""
            if birth is not None:
                same = [p for p in self.by_name_birth.get((name, birth), ()) if p in self.without_id]
                if len(same) == 1:
                    return same[0], "姓名和出生日期相同（库中尚无身份证号）", ""
                if len(same) > 1:
                    return (
                        None,
                        "",
                        (
                            f"库中有 {len(same)} 位“{name}”出生日期相同且没有身份证号，无法确定是哪一位；"
                            "请先在花名册中补全他们的身份证号后重新导入"
                        ),
                    )
            return None, "", ""
        if birth is not None:
            same = self.by_name_birth.get((name, birth), [])
            if len(same) == 1:
                return same[0], "姓名和出生日期相同", ""
            if len(same) > 1:
                return (
                    None,
                    "",
                    f"库中有 {len(same)} 位“{name}”出生日期也相同，无法确定是哪一位；请填写身份证号以区分",
                )
            return None, "", ""
        unit_id = values.get("unit_id")
        same = self.by_name_unit.get((name, unit_id), []) if unit_id is None or unit_id > 0 else []
        if len(same) == 1:
            return same[0], "同一单位中姓名相同", ""
        if len(same) > 1:
            return (
                None,
                "",
                f"本单位在库中有 {len(same)} 位“{name}”，无法确定是哪一位；请填写身份证号或出生日期以区分",
            )
        return None, "", ""


def display(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def compare(
    stored: dict[str, Any],
    incoming: dict[str, Any],
    labels: dict[str, str],
    shown: dict[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, Any], list[FieldConflict]]:
    """(fills, before, conflicts) for the columns present in ``incoming``.

    Args:
        stored: the record's current column values.
        incoming: the file's values (only the columns the file filled).
        labels: column → Chinese label for conflict messages.
        shown: column → text to show for ``incoming`` (a unit's name instead of its id).
    """
    fills: dict[str, Any] = {}
    before: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for key, new in incoming.items():
        if new is None or new == "":
            continue
        old = stored.get(key)
        if old is None or old == "":
            fills[key] = new
            before[key] = old
        elif old != new:
            conflicts.append(FieldConflict(key, labels.get(key, key), old, new,
                                           display(stored.get(f"{key}:text", old)),
                                           (shown or {}).get(key) or display(new)))  # fmt: skip
    return fills, before, conflicts
