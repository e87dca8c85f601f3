"""Unit kinds: which kinds a unit under each kind may have, a kind read from a name's ending, and a typed or
pasted list of units laid out as a tree (the first start's box).  Pure rules: the services and the first
start's window (which shows before SQLAlchemy loads) use them alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from silverdesk.domain.text import clean

TOP_KINDS = ("县", "市", "区")
CHILD_KINDS: dict[str, tuple[str, ...]] = {
    "市": ("乡镇", "街道", "部门"),
    "县": ("乡镇", "街道", "部门"),
    "区": ("乡镇", "街道", "部门"),
    "乡镇": ("社区", "村"),
    "街道": ("社区", "村"),
    "部门": ("社区", "村", "其他"),
    "其他": ("社区", "村", "其他"),
}
"""The kinds a unit under a unit of each kind may have (市/县/区 → 乡镇/街道/部门 → 社区/村)."""


def child_kinds(parent_kind: str) -> tuple[str, ...]:
    """The kinds offered for a new unit under a unit of ``parent_kind`` (none under 社区/村)."""
    return CHILD_KINDS.get(parent_kind, ())


KIND_ENDINGS: tuple[tuple[str, str], ...] = (
    ("街道办事处", "街道"), ("街道办", "街道"), ("街道", "街道"), ("镇", "乡镇"), ("乡", "乡镇"),
    ("社区", "社区"), ("村", "村"), ("局", "部门"), ("委", "部门"), ("办", "部门"), ("办公室", "部门"),
)  # fmt: skip
"""A unit's kind by how its name ends (the first run's pasted list)."""


def kind_by_name(name: str, default: str = "") -> str:
    """镇/乡 → 乡镇, 街道 → 街道, 局/委/办 → 部门, 社区 → 社区, 村 → 村; else ``default``.

    >>> kind_by_name("龙山镇"), kind_by_name("城关街道"), kind_by_name("县教育局"), kind_by_name("新华村")
    ('乡镇', '街道', '部门', '村')
    """
    name = clean(name)
    return next((kind for ending, kind in KIND_ENDINGS if name.endswith(ending) and len(name) > len(ending)),
                default)  # fmt: skip


def split_unit_list(text: str) -> list[str]:
    """The names of a typed or pasted list: one a line (or separated by 、，,；; or tabs), cleaned, once each."""
    names = (clean(n) for n in re.split(r"[\r\n\t、，,；;]+", text or ""))
    return list(dict.fromkeys(n for n in names if n))


COMMUNITY_KINDS = ("社区", "村")


@dataclass(frozen=True)
class PlannedUnit:
    """One line of a typed list: the unit it makes, under the root or under the line ``parent`` (an index)."""

    name: str
    kind: str
    parent: int | None = None
    problem: str = ""  # why the line is left out ("" when it is kept)


def plan_units(text: str, root_kind: str = "县") -> list[PlannedUnit]:
    """A list typed one a line (or pasted from a sheet's column) as units under the bureau's own unit.

    Each kind is read from the name's ending (:func:`kind_by_name`; a name that says nothing is a 部门); a
    社区 or 村 goes under the 乡镇/街道 last named above it, and is left out (with the reason) when none was.

    >>> [(u.name, u.kind, u.parent) for u in plan_units("龙山镇\n新华村\n城关街道\n县教育局")]
    [('龙山镇', '乡镇', None), ('新华村', '村', 0), ('城关街道', '街道', None), ('县教育局', '部门', None)]
    """
    top = child_kinds(root_kind)
    out: list[PlannedUnit] = []
    township: int | None = None
    for name in split_unit_list(text):
        kind = kind_by_name(name, "部门")
        if kind in COMMUNITY_KINDS:
            if township is None:
                out.append(PlannedUnit(name, kind, None, "社区、村请写在所属街道或乡镇的下面一行"))
            else:
                out.append(PlannedUnit(name, kind, township))
            continue
        if kind not in top:
            kind = "部门"
        out.append(PlannedUnit(name, kind))
        township = len(out) - 1 if kind in ("乡镇", "街道") else None
    return out
