"""Code tables: GB/T 3304 民族, GB/T 4762 政治面貌, GB/T 4658 文化程度, 职级, 性别 and yes/no words, with the ways
units write them.

The tables are data (``resources/codes/code_tables.json``); this module is the one rule that reads
them. The import, the person form and the domain validators all ask :func:`code_table` for the
normal form of a value, so 汉 is stored as 汉族 whichever way it came in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from silverdesk.domain.text import clean, to_halfwidth
from silverdesk.resources import resource_path

CODE_TABLES_FILE = ("codes", "code_tables.json")

YES, NO = "是", "否"


def fold(value: object) -> str:
    """The key a written value is looked up by: cleaned, half-width, no spaces, lower case."""
    return to_halfwidth(clean(value)).replace(" ", "").lower()


@dataclass(frozen=True)
class CodeTable:
    key: str
    label: str
    standard: str
    strict: bool  # a value outside the table is refused (else kept as written, with a warning at import)
    forms: tuple[str, ...]  # the normal (stored) forms, in the table's order
    lookup: dict[str, str]  # folded spelling → normal form

    def normal(self, value: object) -> str | None:
        """The normal form of ``value``, or ``None`` if the table does not know it (blank included)."""
        return self.lookup.get(fold(value))

    def expected(self, most: int = 8) -> str:
        """The forms to name in a message (the first ``most`` of a long table, then how many there are)."""
        shown = "、".join(self.forms[:most])
        if len(self.forms) > most:
            shown += f" 等 {len(self.forms)} 种"
        where = f"（{self.standard}）" if self.standard else ""
        return f"{shown}{where}"

    def alternatives(self, written: str, stored: str) -> tuple[str, ...]:
        """The other normal forms a clerk may store for ``written`` instead of ``stored``, closest first.

        The table's own reading of ``written`` first (when the clerk chose another), then the forms
        sharing most characters with it (党员: 中共预备党员 before 共青团员), then the table's order.
        """
        own = self.normal(written)
        chars = set(written)
        ranked = sorted(
            (form for form in self.forms if form != stored),
            key=lambda form: (form != own, -len(chars & set(form))),
        )
        return tuple(ranked)

    def unknown_reason(self, written: str, label: str = "") -> str:
        """Why a value of a strict table is refused (``label``: the column's own, else the table's)."""
        return f"{label or self.label}“{written}”无法识别，请填写{self.expected()}"


def _build(key: str, data: dict[str, Any]) -> CodeTable:
    lookup: dict[str, str] = {}
    forms = tuple(data["forms"])
    for form, aliases in data["forms"].items():
        for spelling in (form, *aliases):
            folded = fold(spelling)
            if lookup.setdefault(folded, form) != form:
                raise ValueError(f"code table {key}: {spelling!r} stands for two forms")
    return CodeTable(key, data["label"], data.get("standard", ""), bool(data.get("strict")), forms, lookup)


@cache
def code_tables() -> dict[str, CodeTable]:
    raw = json.loads(resource_path(*CODE_TABLES_FILE).read_text(encoding="utf-8"))
    return {key: _build(key, data) for key, data in raw.items() if not key.startswith("_")}


def code_table(key: str) -> CodeTable:
    """The table ``ethnicity``, ``political_status``, ``education``, ``rank``, ``gender`` or ``yes_no``."""
    return code_tables()[key]


def has_code_table(key: str) -> bool:
    return key in code_tables()


class ListReader:
    """Which entry of a configurable list (职级 …) a written value names, the list as the clerk keeps it.

    An entry's name or alias (folded), else the code table's normal form of the value when an entry
    stands for that form (its name or an alias normalises to it: a list whose 乡科级正职 the clerk
    renamed 正科级 keeps the old name as an alias, so 正科 still finds 正科级). ``None``: no entry.
    """

    def __init__(self, table: CodeTable, entries: Iterable[tuple[str, Iterable[str]]]) -> None:
        self.table = table
        self.names: dict[str, str] = {}
        self.by_form: dict[str, str] = {}
        for name, aliases in entries:
            for spelling in (name, *aliases):
                self.names.setdefault(fold(spelling), name)
                if (form := table.normal(spelling)) is not None:
                    self.by_form.setdefault(form, name)

    def entry(self, written: object) -> str | None:
        key = fold(written)
        if not key:
            return None
        if (name := self.names.get(key)) is not None:
            return name
        form = self.table.lookup.get(key)
        return None if form is None else self.by_form.get(form)


def yes_no(value: object) -> bool | None:
    """``True`` for 是/√/Y/1/有 …, ``False`` for 否/×/N/0/无 …, ``None`` when blank or not a yes/no word.

    The one reading of a yes/no cell: the import's 是否… columns (:data:`YES_NO_COLUMNS`) read the same table.
    """
    form = code_table("yes_no").normal(value)
    return None if form is None else form == YES


PARTY_MEMBER = "中共党员"
"""The form a party member is stored in (政治面貌; a 是否党员 column's 是)."""
NO_PARTY = "群众"
"""The form for a 是否党员 column's 否 when nothing else says more."""
PARTY_FORMS = (PARTY_MEMBER, "中共预备党员")
"""The forms counted as party members (其中党员)."""


@dataclass(frozen=True)
class YesNoColumn:
    """A 是否… column of a roster that answers for another field (是否党员 → 政治面貌).

    ``yes`` / ``no``: what 是 / 否 store in ``target`` ("": the answer says nothing about it — the
    field stays as the rest of the row gives it). A blank cell is unknown, never the negative.
    ``yes_forms``: the target values that mean 是 (a 政治面貌 column saying 中共预备党员 agrees with 是,
    one saying 群众 contradicts it: the row is refused). ``no_unsaid``: why a 否 that names no value
    refuses the row when nothing else in the row gives the field (是否在册 否: 去世 or 迁出?).
    """

    key: str  # the import field of the column
    target: str  # the field it fills
    yes: str
    no: str
    yes_forms: tuple[str, ...]
    no_unsaid: str = ""


YES_NO_COLUMNS = (
    YesNoColumn("party_member", "political_status", PARTY_MEMBER, NO_PARTY, PARTY_FORMS),
    YesNoColumn("lixiu", "retirement_type", "离休", "退休", ("离休",)),  # a 离退休干部 is one or the other
    YesNoColumn("deceased", "status", "去世", "", ("去世",)),  # 否: alive, 在册 or 迁出
    YesNoColumn("alive", "status", "", "去世", ("在册", "迁出")),  # 是否健在
    YesNoColumn(
        "on_roll",
        "status",
        "在册",
        "",
        ("在册",),
        no_unsaid="没有说明是去世还是迁出；请在“状态”列写明“去世”或“迁出”后重新导入",
    ),
)
"""What each 是否… column of the roster means; only columns whose answer is unambiguous are read.

是否报到 (the 社区报到 is a date: 是 gives none), 是否少数民族 (否 is no 民族) and the like are not: they
stay unmatched columns the clerk sees in the mapping."""
