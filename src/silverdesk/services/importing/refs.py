"""What a plan refers to before its commit: the records it would create (:class:`Offer`), the units it
knows (:class:`UnitRef`), the clerk's :data:`NEW_ENTRY`, and the rules :class:`~.resolve.Resolver` names
them by (a new unit's likely kind, the lists' field keys).  Types only: the plan, the resolver and the
commit all read them, so none of those depends on another for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from silverdesk.domain.enums import LOOKUP_KINDS

NEW_ENTRY = "（新建）"
"""What the clerk chooses (``PlanOptions.chosen``) to create a unit, team or list entry with the name as written."""
LIST_FIELDS = {"activity_category": "category", "resource_category": "category",
               "community_role": "community_roles", "talent_category": "talents", "rank": "rank"}  # fmt: skip
"""The field key a list's entries are written in (the key of a decision and of the clerk's choice)."""
NEW_ENTRY_MAX = 30
"""A list entry is created from a cell of at most this many characters (a longer one is a sentence, not a name)."""
LIST_OPTIONS = 8
"""Options offered for a list entry (lists are short: the closest of all, whatever the score)."""

COMMUNITY_KINDS = ("社区", "村")
"""Unit kinds a 居住社区 / 服务社区 column may name."""
COMMUNITY_PARENT_KINDS = ("街道", "乡镇")
"""Unit kinds a new 社区/村 may be created under."""

_UNIT_KIND_BY_SUFFIX: tuple[tuple[str, str], ...] = (
    ("社区", "社区"), ("村委会", "村"), ("村", "村"), ("街道办事处", "街道"), ("街道", "街道"),
    ("办事处", "街道"), ("镇", "乡镇"), ("乡", "乡镇"), ("县", "县"), ("区", "区"), ("市", "市"),
)  # fmt: skip
_DEPARTMENT = re.compile(r"(局|委|办|部|院|所|中心|站|室|会|校|学|公司|厂|队|馆|社)$")


def guess_unit_kind(name: str, *, community: bool = False) -> str:
    """The unit kind a new name most likely has (the clerk can change it later)."""
    for suffix, kind in _UNIT_KIND_BY_SUFFIX:
        if name.endswith(suffix):
            if kind in ("县", "区", "市") and community:
                return "社区"
            return kind
    if _DEPARTMENT.search(name):
        return "部门"
    return "社区" if community else "其他"


@dataclass
class Offer:
    """A unit or team the import would create (the preview lists them; the commit creates them)."""

    ref: int  # negative placeholder id used in planned rows until the commit
    entity: str  # "unit" | "team" | "lookup"
    name: str
    kind: str = ""  # unit kind; "" for teams; the list (LOOKUP_KINDS) of a list entry
    parent_ref: int | None = (
        None  # unit: parent unit; team: its unit; 小项: its 大类 (any may be a placeholder)
    )
    rows: list[int] = field(default_factory=list)  # Excel rows that need it (0: the sending unit)
    parent_name: str = ""  # where it goes (the preview says so: a new 社区 under which 街道)

    @property
    def label(self) -> str:
        where = f"（属{self.parent_name}）" if self.parent_name else ""
        what = {"unit": "单位", "team": "志愿服务队"}.get(self.entity) or LOOKUP_KINDS.get(self.kind, "列表")
        return f"{what}“{self.name}”{where}"


@dataclass(frozen=True)
class UnitRef:
    id: int
    name: str
    kind: str
    parent_id: int | None
