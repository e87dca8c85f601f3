"""Names in a file → records in the database: units, communities, teams, list entries, people.

A :class:`Resolver` loads the small reference tables once (units, teams) and memoises every
answer, so 100,000 rows naming the same dozen communities cost a dozen look-ups.  It never
writes: a name that is not on record becomes an :class:`Offer` (a unit or team the import would
create) and the rows get a negative placeholder id that the commit replaces with the new
record's id.  List entries (服务领域, 社区任职, 人才库类别, 资源/需求类别) go through
:meth:`LookupService.resolve`; anything but an exact match comes back with a warning that says
how the text was read (“乡村振兴”按“促进乡村振兴”计).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import Person, Team, Unit
from silverdesk.domain.text import clean
from silverdesk.errors import UserError

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
    entity: str  # "unit" | "team"
    name: str
    kind: str = ""  # unit kind; "" for teams
    parent_ref: int | None = None  # unit: parent unit; team: its unit (either may be a placeholder)
    rows: list[int] = field(default_factory=list)  # Excel rows that need it (0: the sending unit)
    parent_name: str = ""  # where it goes (the preview says so: a new 社区 under which 街道)

    @property
    def label(self) -> str:
        where = f"（属{self.parent_name}）" if self.parent_name else ""
        return f"{'单位' if self.entity == 'unit' else '志愿服务队'}“{self.name}”{where}"


@dataclass(frozen=True)
class UnitRef:
    id: int
    name: str
    kind: str
    parent_id: int | None


class Resolver:
    """Read-only name resolution for one import; see the module docstring.

    Args:
        session: an open (read) session; only used while planning.
        lookup: ``LookupService.resolve`` (kind, text) → ``Resolved | None``.
        create_units / create_teams: offer unknown names for creation (else warn and leave unlinked).
    """

    def __init__(self, session: Session, lookup: Callable[[str, str], object | None], *,
                 create_units: bool = True, create_teams: bool = True) -> None:  # fmt: skip
        self.session = session
        self._lookup = lookup
        self.create_units = create_units
        self.create_teams = create_teams
        self.offers: list[Offer] = []
        units = [UnitRef(*r) for r in session.execute(select(Unit.id, Unit.name, Unit.kind, Unit.parent_id))]
        self.units_by_id = {u.id: u for u in units}
        self._units_by_name: dict[str, list[UnitRef]] = {}
        for u in units:
            self._units_by_name.setdefault(u.name, []).append(u)
        self.root_id = next((u.id for u in units if u.parent_id is None), None)
        self._teams: dict[str, int] = {name: tid for name, tid in session.execute(select(Team.name, Team.id))}
        self._team_names = {v: k for k, v in self._teams.items()}
        self._memo: dict[tuple[str, str, int | None], tuple[int | None, str]] = {}
        self._offer_by_key: dict[tuple[str, str, int | None], Offer] = {}
        self._people_by_name: dict[str, list[tuple[int, int | None]]] | None = None
        self.sending_unit: int | None = None

    # ---- naming ----------------------------------------------------------------------------
    def name_of(self, ref: int | None) -> str:
        """A unit's or placeholder's name, for messages."""
        if ref is None:
            return ""
        if ref < 0:
            return next((o.name for o in self.offers if o.ref == ref), "")
        unit = self.units_by_id.get(ref)
        return unit.name if unit else ""

    def team_name(self, ref: int) -> str:
        if ref < 0:
            return next((o.name for o in self.offers if o.ref == ref), "")
        return self._team_names.get(ref, "")

    # ---- units -----------------------------------------------------------------------------
    def set_sending_unit(self, name: str | None) -> int | None:
        """The unit that sent the file (``--unit``): found by name, else offered under the county root."""
        text = clean(name)
        if not text:
            self.sending_unit = None
            return None
        found = self._units_by_name.get(text)
        if found:
            self.sending_unit = found[0].id
            return self.sending_unit
        if self.root_id is None:
            raise UserError(
                "还没有建立本级单位（本县），无法新建报送单位；请先在“设置→单位”中建立本县，"
                "或运行 silverdesk demo --people 0 --activities 0"
            )
        kind = guess_unit_kind(text)
        if kind in COMMUNITY_KINDS:
            raise UserError(
                f"报送单位“{text}”不在单位列表中，而新的社区（村）要建在所属街道（乡镇）之下；"
                "请选择它所属的街道（乡镇）作为报送单位，把社区写在表中的社区列",
                code="unit_unknown",
            )
        self.sending_unit = self._offer("unit", text, kind, self.root_id, 0).ref
        return self.sending_unit

    def unit(self, text: str, row: int) -> tuple[int | None, str]:
        """Any unit by name (所属单位, 组织单位): (id or placeholder or None, warning)."""
        return self._unit(text, row, community=False, within=None)

    def community(self, text: str, row: int, within: int | None = None) -> tuple[int | None, str]:
        """A 社区/村 by name (居住社区, 服务社区); ``within``: the row's own unit, where a new one belongs."""
        return self._unit(text, row, community=True, within=within)

    def _unit(self, text: str, row: int, *, community: bool, within: int | None) -> tuple[int | None, str]:
        key = ("community" if community else "unit", text, within)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._find_unit(text, row, community=community, within=within)
            self._memo[key] = hit
        ref = hit[0]
        if ref is not None and ref < 0:
            offer = self.offers[-ref - 1]  # offers are numbered -1, -2 … in creation order
            if len(offer.rows) < 10_000:
                offer.rows.append(row)
        return hit

    def _find_unit(
        self, text: str, row: int, *, community: bool, within: int | None
    ) -> tuple[int | None, str]:
        label = "社区" if community else "单位"
        candidates = self._units_by_name.get(text, [])
        if community and len(candidates) > 1:
            candidates = [u for u in candidates if u.kind in COMMUNITY_KINDS] or candidates
        for parent in (within, self.sending_unit):
            if len(candidates) > 1 and parent is not None:
                candidates = [u for u in candidates if u.parent_id == parent] or candidates
        if len(candidates) == 1:
            return candidates[0].id, ""
        if len(candidates) > 1:
            parents = "、".join(self.name_of(u.parent_id) or "（顶级）" for u in candidates[:4])
            return (
                None,
                f"{label}“{text}”在单位列表中有 {len(candidates)} 个（分别在{parents}之下），无法确定是哪一个，未关联",
            )
        if not self.create_units:
            return None, f"{label}“{text}”不在单位列表中，未关联；请先在“设置→单位”中添加后重新导入"
        kind = guess_unit_kind(text, community=community)
        if kind in COMMUNITY_KINDS:  # a 社区/村 belongs to a 街道/乡镇, never directly to the county
            parent = next((p for p in (within, self.sending_unit) if p is not None
                           and self._kind_of(p) in COMMUNITY_PARENT_KINDS), None)  # fmt: skip
            if parent is None:
                return None, (
                    f"{label}“{text}”不在单位列表中，也不知道它属于哪个街道（乡镇），未关联；"
                    "请选择它所属的街道（乡镇）作为报送单位（或在“所属单位”列填写）后重新导入"
                )
        else:
            parent = self.root_id
        if parent is None:
            return None, f"{label}“{text}”不在单位列表中，且还没有建立本县单位，未关联"
        offer = self._offer("unit", text, kind, parent, row)
        return offer.ref, ""

    def _kind_of(self, ref: int) -> str:
        if ref < 0:
            return next((o.kind for o in self.offers if o.ref == ref), "")
        unit = self.units_by_id.get(ref)
        return unit.kind if unit else ""

    # ---- teams -----------------------------------------------------------------------------
    def team(self, text: str, row: int, within: int | None = None) -> tuple[int | None, str]:
        """A 志愿服务队 by exact name; unknown teams are offered for creation under the sending unit
        (or, without one, under ``within``: the unit of the row that first names it)."""
        team_id = self._teams.get(text)
        if team_id is not None:
            return team_id, ""
        if not self.create_teams:
            return None, f"志愿服务队“{text}”不在服务队列表中，未关联；请先在“服务队”中添加后重新导入"
        offer = self._offer(
            "team", text, "", self.sending_unit if self.sending_unit is not None else within, row
        )
        if offer.rows[-1:] != [row] and len(offer.rows) < 10_000:
            offer.rows.append(row)
        return offer.ref, ""

    # ---- configurable lists ----------------------------------------------------------------
    def lookup(self, kind: str, text: str, label: str) -> tuple[int | None, str]:
        """A list entry by name, alias, containment or similarity; warns unless the match is exact."""
        key = (f"lookup:{kind}", text, None)
        hit = self._memo.get(key)
        if hit is None:
            found = self._lookup(kind, text)
            if found is None:
                hit = (
                    None,
                    f"{label}“{text}”不在列表中，未导入该项；如需保留，请先在“设置→列表”中添加后重新导入",
                )
            else:
                name = getattr(found, "name", "")
                how = getattr(found, "how", "exact")
                hit = (int(getattr(found, "id")), "" if how == "exact" else f"“{text}”按“{name}”计")  # noqa: B009
            self._memo[key] = hit
        return hit

    # ---- people ----------------------------------------------------------------------------
    def person_by_name(self, name: str, unit_id: int | None) -> tuple[int | None, str]:
        """A person on the roster (在册) by exact name; same-name people are told apart by unit."""
        if self._people_by_name is None:
            self._people_by_name = {}
            rows = self.session.execute(
                select(Person.name, Person.id, Person.unit_id).where(Person.status == "在册")
            )
            for pname, pid, punit in rows:
                self._people_by_name.setdefault(pname, []).append((pid, punit))
        found = self._people_by_name.get(name, [])
        if len(found) > 1 and unit_id is not None:
            found = [p for p in found if p[1] == unit_id] or found
        if len(found) == 1:
            return found[0][0], ""
        if not found:
            return None, f"参与人员“{name}”不在花名册中，未关联（参与人次仍按表中数字统计）"
        return None, f"参与人员“{name}”在花名册中有 {len(found)} 人同名，无法确定是谁，未关联"

    # ---- offers ----------------------------------------------------------------------------
    def _offer(self, entity: str, name: str, kind: str, parent: int | None, row: int) -> Offer:
        key = (entity, name, parent if entity == "unit" else None)  # two new 幸福社区 in two streets are two
        offer = self._offer_by_key.get(key)
        if offer is None:
            offer = Offer(-(len(self.offers) + 1), entity, name, kind, parent, [row], self.name_of(parent))
            self.offers.append(offer)
            self._offer_by_key[key] = offer
        return offer

    def existing_unit(self, text: str) -> int | None:
        """A unit by exact name, never offered for creation (服务区域, 需求单位); ``None`` if unknown or ambiguous."""
        found = self._units_by_name.get(text, [])
        return found[0].id if len(found) == 1 else None

    def existing_team(self, text: str) -> int | None:
        return self._teams.get(text)
