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
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import Person
from silverdesk.services.importing.plan import FieldConflict

T = TypeVar("T")

IN_CHUNK = 900
"""Ids (or names, ID numbers) per ``IN (…)`` list (well under SQLite's bound-parameter limit)."""


def chunks(ids: list[T], size: int = IN_CHUNK) -> Iterable[list[T]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


WHOLE_ROSTER_PER_ROW = 4
"""Read the whole stored roster when it holds at most this many people per row of the file: a
scan costs ~4.5 µs a stored person, looking a row's name and ID number up ~14 µs a row."""

_COLUMNS = (
    Person.id,
    Person.id_number,
    Person.name,
    Person.birth_date,
    Person.unit_id,
    Person.import_batch_id,
)


class PersonIndex:
    """The stored people who could match the file's rows, indexed for the matching rules above.

    A file about as big as the stored roster (or bigger) reads the whole roster once.  A small
    file into a big roster reads, a chunk of rows at a time (:meth:`load`, before the chunk is
    matched), every stored person bearing a name of the chunk and the holder of each of its ID
    numbers: a name's people are read all together, so the name + birth date and name + unit
    rules see every candidate (and call two of them ambiguous) exactly as with the whole roster.
    A 2,000-row update into 100,000 people reads ~2,000 of them instead of all (0.25 s of CPU).
    """

    def __init__(self, session: Session, file_rows: int) -> None:
        self.session = session
        self.by_id_number: dict[str, int] = {}
        self.by_name_birth: dict[tuple[str, dt.date], list[int]] = {}
        self.by_name_unit: dict[tuple[str, int | None], list[int]] = {}
        self.without_id: set[int] = set()
        self.batch_of: dict[int, int] = {}
        self._names: set[str] = set()
        self._numbers: set[str] = set()
        stored = session.scalar(select(func.count()).select_from(Person)) or 0
        self.whole = stored <= WHOLE_ROSTER_PER_ROW * file_rows
        if self.whole:
            self._add(session.execute(select(*_COLUMNS)))

    def load(self, rows: Iterable[dict[str, Any]]) -> None:
        """Read the stored people the rows (normalised values) may match, unless read already."""
        if self.whole:
            return
        names: set[str] = set()
        numbers: set[str] = set()
        for values in rows:
            name, number = values.get("name"), values.get("id_number")
            if name and name not in self._names:
                names.add(name)
            if number and number not in self._numbers:
                numbers.add(number)
        self._names |= names
        self._numbers |= numbers
        for part in chunks(sorted(names)):
            self._add(self.session.execute(select(*_COLUMNS).where(Person.name.in_(part))))
        for part in chunks(sorted(numbers - self.by_id_number.keys())):  # held by someone of another name
            held = select(Person.id, Person.id_number, Person.import_batch_id).where(
                Person.id_number.in_(part)
            )
            for pid, number, batch in self.session.execute(held):
                self.by_id_number[str(number)] = pid
                if batch:
                    self.batch_of[pid] = batch

    def _add(self, rows: Iterable[Any]) -> None:
        """Index stored people (all of each of their names: see the class docstring)."""
        by_name_birth, by_name_unit = self.by_name_birth.setdefault, self.by_name_unit.setdefault
        for pid, number, name, birth, unit_id, batch in rows:
            if number:
                self.by_id_number[number] = pid
            else:
                self.without_id.add(pid)
            if birth is not None:
                by_name_birth((name, birth), []).append(pid)
            by_name_unit((name, unit_id), []).append(pid)
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
