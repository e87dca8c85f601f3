"""Names in a file → records in the database: units, communities, teams, list entries, people.

A :class:`Resolver` loads the small reference tables once (units, teams, each list) and memoises
every answer, so 100,000 rows naming the same dozen communities cost a dozen look-ups.  It never
writes.  A name is found as written, as an alias, by its folded key or as the one strong candidate
(:mod:`silverdesk.domain.names`: 县卫健局 → 县卫生健康局, 榆山街道办 → 榆山街道, 夕阳红服务队 → 夕阳红志愿服务队);
the last two are 近似匹配 decisions of the rows that use them (``on_match``), with the closest
other entries as the clerk's options, and the commit remembers them as aliases (:attr:`Resolver.learned`).
A name still unknown becomes an :class:`Offer` (a unit, team or list entry the import would create;
a 资源/需求 小项 under its 大类) and the rows get a negative placeholder id that the commit replaces
with the new record's id; where close entries exist that offer is a decision too (stored: （新建）).
The clerk's choices (``chosen``: (field key, as written) → a name, "" or :data:`NEW_ENTRY`) win
over all of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import Lookup, Person, Team, Unit
from silverdesk.domain.names import (
    EXACT,
    NameEntry,
    NameIndex,
    aliases_of,
    split_category,
    team_key,
    unit_key,
)
from silverdesk.domain.text import clean
from silverdesk.errors import UserError
from silverdesk.services.importing.refs import (
    COMMUNITY_KINDS,
    COMMUNITY_PARENT_KINDS,
    LIST_FIELDS,
    LIST_OPTIONS,
    NEW_ENTRY,
    NEW_ENTRY_MAX,
    Offer,
    UnitRef,
    guess_unit_kind,
)

_Hit = tuple[int | None, str, str | None]
"""(id, placeholder or ``None``; a warning; what a 近似匹配 decision stores, ``None``: no decision)."""


class Resolver:
    """Read-only name resolution for one import; see the module docstring.

    Args:
        session: an open (read) session; only used while planning.
        lists: list kind → its :class:`NameIndex` (``LookupService.index``), asked once per kind.
        create_units / create_teams: offer unknown names for creation (else warn and leave unlinked).
        chosen: the clerk's 近似匹配 choices, (field key, as written) → a name, "" or :data:`NEW_ENTRY`.

    The planner sets :attr:`row` (the Excel row being planned) and :attr:`on_match` (called with
    field key, as written, stored for every 近似匹配 of that row).
    """

    def __init__(self, session: Session, lists: Callable[[str], NameIndex], *, create_units: bool = True,
                 create_teams: bool = True, chosen: Mapping[tuple[str, str], str] | None = None) -> None:  # fmt: skip
        self.session = session
        self._lists_of = lists
        self._lists: dict[str, NameIndex] = {}
        self._inactive: dict[str, set[str]] = {}
        self.create_units = create_units
        self.create_teams = create_teams
        self.chosen = dict(chosen or {})
        self.offers: list[Offer] = []
        rows = session.execute(select(Unit.id, Unit.name, Unit.kind, Unit.parent_id, Unit.aliases)).all()
        self.units_by_id = {i: UnitRef(i, n, k, p) for i, n, k, p, _ in rows}
        entries = [NameEntry(i, n, aliases_of(a), p, k) for i, n, k, p, a in rows]
        self._units = NameIndex(entries, unit_key)
        self._communities = NameIndex([e for e in entries if e.kind in COMMUNITY_KINDS], unit_key)
        self.root_id = next((i for i, _, _, p, _ in rows if p is None), None)
        teams = session.execute(select(Team.id, Team.name, Team.aliases).order_by(Team.id)).all()
        self._teams = NameIndex([NameEntry(i, n, aliases_of(a)) for i, n, a in teams], team_key, reverse=True)
        self._team_names = {i: n for i, n, _ in teams}
        self._memo: dict[tuple[str, str, object], _Hit] = {}
        self._offer_by_key: dict[tuple[str, str, int | None], Offer] = {}
        self._people_by_name: dict[str, list[tuple[int, int | None]]] | None = None
        self.sending_unit: int | None = None
        self.sending_match: tuple[str, str] | None = None  # the --unit name's 近似匹配: (as written, stored)
        self.row = 0
        self.on_match: Callable[[str, str, str], None] | None = None
        self.options: dict[tuple[str, str], tuple[str, ...]] = {}
        """(field key, as written) → what the clerk may choose instead (closest first, then （新建）)."""
        self.learned: dict[tuple[str, str, str], set[tuple[str, int]]] = {}
        """(field key, as written, stored) → the (entity, id) the name was matched to: aliases for the commit."""

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

    # ---- decisions -------------------------------------------------------------------------
    def _decide(self, key: str, text: str, after: str | None) -> None:
        if after is not None and self.on_match is not None:
            self.on_match(key, text, after)

    def _learn(self, key: str, text: str, name: str, entity: str, ids: Iterable[int]) -> None:
        self.learned.setdefault((key, text, name), set()).update((entity, i) for i in ids if i > 0)

    def _offer_options(self, key: str, text: str, names: Iterable[str], creatable: bool) -> None:
        """What the clerk may choose for ``text`` (the default strong candidate first, then the closest)."""
        options = list(dict.fromkeys(n for n in names if n))
        if creatable:
            options.append(NEW_ENTRY)
        self.options.setdefault((key, text), tuple(options))

    # ---- units -----------------------------------------------------------------------------
    def set_sending_unit(self, name: str | None) -> int | None:
        """The unit that sent the file (``--unit``): found by name (a strong candidate counts), else offered
        under the county root."""
        text = clean(name)
        if not text:
            self.sending_unit = None
            return None
        choice = self.chosen.get(("unit", text))
        found = self._units.match(text)
        self._offer_options("unit", text, [e.name for e in (*found.entries, *found.closest)] if not found.literal
                            else (), creatable=True)  # fmt: skip
        if choice == "":  # the clerk: no sending unit
            self.sending_match = (text, "")
            return None
        if choice not in (None, NEW_ENTRY) and (named := self._units.named(choice)):
            self.sending_unit = named[0].id
            self.sending_match = (text, choice)
            self._learn("unit", text, choice, "unit", [named[0].id])
            return self.sending_unit
        if choice is None and found.entries:
            self.sending_unit = found.entries[0].id
            if not found.literal:
                self.sending_match = (text, found.entries[0].name)
                self._learn("unit", text, found.entries[0].name, "unit", [self.sending_unit])
            return self.sending_unit
        if self.root_id is None:
            raise UserError(
                "还没有建立本级单位（本县），无法新建报送单位；请先在“设置 › 单位”中建立本县（市、区）"
            )
        kind = guess_unit_kind(text)
        if kind in COMMUNITY_KINDS:
            raise UserError(
                f"报送单位“{text}”不在单位列表中，而新的社区（村）要建在所属街道（乡镇）之下；"
                "请选择它所属的街道（乡镇）作为报送单位，把社区写在表中的社区列",
                code="unit_unknown",
            )
        if found.closest or choice is not None:
            self.sending_match = (text, NEW_ENTRY)
        self.sending_unit = self._offer("unit", text, kind, self.root_id, 0).ref
        return self.sending_unit

    def unit(self, text: str, row: int, *, key: str = "unit") -> tuple[int | None, str]:
        """Any unit by name (所属单位, 组织单位): (id or placeholder or None, warning)."""
        return self._unit(text, row, community=False, within=None, key=key)

    def community(
        self, text: str, row: int, within: int | None = None, *, key: str = "community"
    ) -> tuple[int | None, str]:
        """A 社区/村 by name (居住社区, 服务社区); ``within``: the row's own unit, where a new one belongs."""
        return self._unit(text, row, community=True, within=within, key=key)

    def _unit(
        self, text: str, row: int, *, community: bool, within: int | None, key: str
    ) -> tuple[int | None, str]:
        memo_key = ("community" if community else "unit", text, (within, key))
        hit = self._memo.get(memo_key)
        if hit is None:
            hit = self._find_unit(text, row, community=community, within=within, key=key)
            self._memo[memo_key] = hit
        ref, warning, after = hit
        if ref is not None and ref < 0:
            offer = self.offers[-ref - 1]  # offers are numbered -1, -2 … in creation order
            if len(offer.rows) < 10_000:
                offer.rows.append(row)
        self._decide(key, text, after)
        return ref, warning

    def _find_unit(self, text: str, row: int, *, community: bool, within: int | None, key: str) -> _Hit:
        label = "社区" if community else "单位"
        found = self._units.exact(text)
        if found is None and community:
            found = self._communities.near(text)
            if not found.entries:  # a 街道 written in the 社区 column is still that 街道, not a new 社区
                anywhere = self._units.near(text)
                found = anywhere if anywhere.entries else found
        if found is None:
            found = self._units.near(text)
        default = found.entries[0].name if found.entries else ""
        if not found.literal:
            self._offer_options(key, text, [default, *(e.name for e in found.closest)],
                                self.create_units)  # fmt: skip
        choice = self.chosen.get((key, text))
        if choice is not None:
            return self._chosen_unit(
                text, choice, row, label=label, community=community, within=within, key=key
            )
        if found.entries:
            ref, warning = self._pick_unit(text, list(found.entries), label, community, within)
            if ref is None or found.literal:
                return ref, warning, None
            self._learn(key, text, default, "unit", [ref])
            return ref, f"{label}“{text}”按“{default}”计", default
        if not self.create_units:
            return (None, f"{label}“{text}”不在单位列表中，未关联；请先在“设置 › 单位”中添加后重新导入",
                    "" if found.closest else None)  # fmt: skip
        ref, warning = self._offer_unit(text, row, community=community, within=within)
        return ref, warning, ((NEW_ENTRY if ref is not None else "") if found.closest else None)

    def _chosen_unit(self, text: str, choice: str, row: int, *, label: str, community: bool,
                     within: int | None, key: str) -> _Hit:  # fmt: skip
        """The clerk's choice for a unit name: another unit, "" (not linked) or （新建）."""
        if choice == "":
            return None, f"{label}“{text}”未关联（导入时选择了不关联）", ""
        if choice == NEW_ENTRY:
            ref, warning = self._offer_unit(text, row, community=community, within=within)
            return ref, warning, NEW_ENTRY if ref is not None else ""
        named = self._units.named(choice)
        if not named:
            return None, f"{label}“{text}”要改为的“{choice}”不在单位列表中，未关联；请重新选择", ""
        ref, warning = self._pick_unit(choice, named, label, community, within)
        if ref is None:
            return None, warning, ""
        self._learn(key, text, choice, "unit", [ref])
        return ref, f"{label}“{text}”按“{choice}”计", choice

    def _pick_unit(
        self, text: str, candidates: list[NameEntry], label: str, community: bool, within: int | None
    ) -> tuple[int | None, str]:
        """One of the units a name fits, told apart by kind (社区/村) and by the row's and the file's unit."""
        if community and len(candidates) > 1:
            candidates = [u for u in candidates if u.kind in COMMUNITY_KINDS] or candidates
        for parent in (within, self.sending_unit):
            if len(candidates) > 1 and parent is not None:
                candidates = [u for u in candidates if u.parent_id == parent] or candidates
        if len(candidates) == 1:
            return candidates[0].id, ""
        parents = "、".join(self.name_of(u.parent_id) or "（顶级）" for u in candidates[:4])
        return (
            None,
            f"{label}“{text}”在单位列表中有 {len(candidates)} 个（分别在{parents}之下），无法确定是哪一个，未关联",
        )

    def _offer_unit(
        self, text: str, row: int, *, community: bool, within: int | None
    ) -> tuple[int | None, str]:
        """A new unit named ``text`` (a 社区/村 under the row's or the file's 街道/乡镇, else under the county)."""
        label = "社区" if community else "单位"
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
        return self._offer("unit", text, kind, parent, row).ref, ""

    def _kind_of(self, ref: int) -> str:
        if ref < 0:
            return next((o.kind for o in self.offers if o.ref == ref), "")
        unit = self.units_by_id.get(ref)
        return unit.kind if unit else ""

    # ---- teams -----------------------------------------------------------------------------
    def team(
        self, text: str, row: int, within: int | None = None, *, key: str = "teams"
    ) -> tuple[int | None, str]:
        """A 志愿服务队 by name (with or without 志愿服务队, an alias, a strong candidate); unknown teams are
        offered for creation under the sending unit (or, without one, under ``within``: the unit of the
        row that first names it)."""
        memo_key = ("team", text, key)  # a new team goes where the first row naming it says
        hit = self._memo.get(memo_key)
        if hit is None:
            hit = self._memo[memo_key] = self._find_team(text, row, within, key)
        ref, warning, after = hit
        if ref is not None and ref < 0:
            offer = self.offers[-ref - 1]
            if offer.rows[-1:] != [row] and len(offer.rows) < 10_000:
                offer.rows.append(row)
        self._decide(key, text, after)
        return ref, warning

    def _find_team(self, text: str, row: int, within: int | None, key: str) -> _Hit:
        found = self._teams.match(text)
        default = found.entries[0].name if found.entries else ""
        if not found.literal:
            self._offer_options(key, text, [default, *(e.name for e in found.closest)], True)
        choice = self.chosen.get((key, text))
        if choice is not None and choice != NEW_ENTRY:
            named = self._teams.named(choice) if choice else []
            if not named:
                why = f"要改为的“{choice}”不在服务队列表中" if choice else "导入时选择了不关联"
                return None, f"志愿服务队“{text}”未关联（{why}）", ""
            self._learn(key, text, choice, "team", [named[0].id])
            return named[0].id, f"志愿服务队“{text}”按“{choice}”计", choice
        if choice is None and found.entries:
            if found.literal:
                return found.entries[0].id, "", None
            self._learn(key, text, default, "team", [found.entries[0].id])
            return found.entries[0].id, f"志愿服务队“{text}”按“{default}”计", default
        if choice is None and not self.create_teams:
            return (None, f"志愿服务队“{text}”不在服务队列表中，未关联；请先在“服务队”中添加后重新导入",
                    "" if found.closest else None)  # fmt: skip
        unit = self.sending_unit if self.sending_unit is not None else within
        offer = self._offer("team", text, "", unit, row)
        return offer.ref, "", NEW_ENTRY if (found.closest or choice is not None) else None

    # ---- configurable lists ----------------------------------------------------------------
    def _list(self, kind: str) -> NameIndex:
        index = self._lists.get(kind)
        if index is None:
            index = self._lists[kind] = self._lists_of(kind)
        return index

    def lookup(self, kind: str, text: str, label: str, *, key: str = "") -> tuple[int | None, str]:
        """A list entry by name, alias, folded key or strong candidate; an unknown one is offered for creation.

        Warns unless the match is exact (“乡村振兴”按“促进乡村振兴”计).  ``key``: the field key the
        entry is written in (default: the list's usual field, :data:`LIST_FIELDS`).
        """
        return self._entry(kind, text, label, key or LIST_FIELDS.get(kind, kind), None)

    def _entry(
        self, kind: str, text: str, label: str, key: str, major: int | bool | None
    ) -> tuple[int | None, str]:
        """``major``: None (any entry), False (大类 only) or the 大类 a 小项 belongs to."""
        memo_key = (f"lookup:{kind}", text, (key, major))
        hit = self._memo.get(memo_key)
        if hit is None:
            hit = self._memo[memo_key] = self._find_entry(kind, text, label, key, major)
        ref, warning, after = hit
        if ref is not None and ref < 0:
            self._count_row(ref)
        self._decide(key, text, after)
        return ref, warning

    def used(self, refs: Iterable[int]) -> None:
        """The current row uses these ids again (a planner's own cache): new entries among them count it."""
        for ref in refs:
            if ref < 0:
                self._count_row(ref)

    def _count_row(self, ref: int) -> None:
        offer = self.offers[-ref - 1]
        if offer.rows[-1:] != [self.row] and len(offer.rows) < 10_000:
            offer.rows.append(self.row)
        if offer.parent_ref is not None and offer.parent_ref < 0:  # a new 小项 keeps its new 大类
            self._count_row(offer.parent_ref)

    def _find_entry(self, kind: str, text: str, label: str, key: str, major: int | bool | None) -> _Hit:
        index = self._list(kind)
        if major is False:  # a 大类
            index = self._majors(kind)
        elif major is not None:  # a 小项 of one 大类
            index = NameIndex([e for e in index.entries if e.parent_id == major], index.key, index.reverse)
        found = index.match(text, limit=LIST_OPTIONS, threshold=0.0)
        default = found.entries[0].name if found.entries else ""
        if not found.literal:
            self._offer_options(key, text, [default, *(e.name for e in found.closest)], True)
        choice = self.chosen.get((key, text))
        if choice is not None and choice != NEW_ENTRY:
            named = (index.named(choice) or self._list(kind).named(choice)) if choice else []
            if not named:
                why = f"要改为的“{choice}”不在列表中" if choice else "导入时选择了不导入"
                return None, f"{label}“{text}”未导入（{why}）", ""
            self._learn(key, text, choice, "lookup", [named[0].id])
            return named[0].id, f"“{text}”按“{choice}”计", choice
        if choice is None and found.entries:
            entry = found.entries[0]
            if found.how == EXACT:
                return entry.id, "", None
            if found.literal:
                return entry.id, f"“{text}”按“{entry.name}”计", None
            self._learn(key, text, entry.name, "lookup", [entry.id])
            return entry.id, f"“{text}”按“{entry.name}”计", entry.name
        if text in self._switched_off(kind):  # its name is taken: it cannot be created again
            why = "已停用，未导入该项；如需使用，请先在“设置→列表”中启用后重新导入"
            return None, f"{label}“{text}”{why}", ""
        if len(text) > NEW_ENTRY_MAX:  # a sentence, not a name
            why = f"有 {len(text)} 个字，不像列表中的条目，未导入该项；请改为列表中的条目后重新导入"
            return None, f"{label}“{text[:NEW_ENTRY_MAX]}…”{why}", ""
        parent_ref = None if major is None or major is False else int(major)
        parent_name = self._entry_name(kind, parent_ref)
        offer = self._offer("lookup", text, kind, parent_ref, self.row, parent_name)
        return offer.ref, f"{label}“{text}”不在列表中，导入时新建", NEW_ENTRY

    def _switched_off(self, kind: str) -> set[str]:
        """Names of the list's entries switched off (停用): found by no name, never created again."""
        names = self._inactive.get(kind)
        if names is None:
            stmt = select(Lookup.name).where(Lookup.kind == kind, Lookup.active.is_(False))
            names = self._inactive[kind] = set(self.session.scalars(stmt))
        return names

    def _entry_name(self, kind: str, ref: int | None) -> str:
        if ref is None:
            return ""
        if ref < 0:
            return self.offers[-ref - 1].name
        return next((e.name for e in self._list(kind).entries if e.id == ref), "")

    def category(self, text: str, sub: str, label: str, sub_label: str,
                 kind: str = "resource_category") -> tuple[int | None, list[str]]:  # fmt: skip
        """A 资源/需求类别 (大类, and its 小项 where given): the id of the most specific entry and the warnings.

        "大类(小项)", "大类（小项）", "大类—小项" and "大类-小项" in one cell fill both levels (unless the whole
        text is an entry).  A 小项 already on the list is taken as it is (its own 大类 wins, with a
        warning if the file names another); an unknown one is offered for creation under its 大类.
        """
        lists = self._list(kind)
        if not sub and lists.exact(text) is None and (parts := split_category(text)):
            text, sub = parts
        if not sub:
            ref, warn = self.lookup(kind, text, label, key="category")
            return ref, [warn] if warn else []
        warnings: list[str] = []
        minor = lists.exact(sub)
        if (
            minor is not None and minor.entries[0].parent_id is not None
        ):  # a 小项 on the list: its 大类 is known
            entry = minor.entries[0]
            if minor.how != EXACT:
                warnings.append(f"“{sub}”按“{entry.name}”计")
            major = lists.exact(text)
            if major is None or major.entries[0].id != entry.parent_id:
                near = self._majors(kind).near(text)
                if not near.entries or near.entries[0].id != entry.parent_id:
                    parent = self._entry_name(kind, entry.parent_id)
                    warnings.append(f"{sub_label}“{entry.name}”属于“{parent}”，{label}按“{parent}”计")
                elif warn := self._entry(kind, text, label, "category", False)[1]:  # the 近似匹配 of the 大类
                    warnings.append(warn)
            return entry.id, warnings
        major_ref, warn = self._entry(kind, text, label, "category", False)
        if warn:
            warnings.append(warn)
        if major_ref is None:
            return None, warnings
        ref, warn = self._entry(kind, sub, sub_label, "subcategory", major_ref)
        if warn:
            warnings.append(warn)
        return (ref if ref is not None else major_ref), warnings

    def _majors(self, kind: str) -> NameIndex:
        index = self._list(kind)
        return NameIndex([e for e in index.entries if e.parent_id is None], index.key, index.reverse)

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
    def _offer(
        self, entity: str, name: str, kind: str, parent: int | None, row: int, parent_name: str = ""
    ) -> Offer:
        # two new 幸福社区 in two streets are two; a list entry is one per list
        key = (entity if entity != "lookup" else f"lookup:{kind}", name, parent if entity == "unit" else None)
        offer = self._offer_by_key.get(key)
        if offer is None:
            offer = Offer(-(len(self.offers) + 1), entity, name, kind, parent, [row],
                          parent_name or (self.name_of(parent) if entity != "lookup" else ""))  # fmt: skip
            self.offers.append(offer)
            self._offer_by_key[key] = offer
        return offer

    def existing_unit(self, text: str, *, key: str = "") -> int | None:
        """A unit by name or alias, never offered for creation (服务区域, 需求单位); ``None`` if unknown or ambiguous.

        With ``key`` (the field it is written in) its folded key or the one strong candidate counts too, as
        a 近似匹配 of the row (光明社区居委会 → 光明社区); an unknown name stays the caller's text.
        """
        found = self._units.exact(text)
        if found is not None:
            return found.entries[0].id if len(found.entries) == 1 else None
        return self._existing("unit", text, key) if key else None

    def existing_team(self, text: str, *, key: str = "") -> int | None:
        """A team by name or alias (资源提供方), never offered for creation; with ``key`` as :meth:`existing_unit`
        (夕阳红 → 夕阳红志愿服务队, a 近似匹配 remembered as an alias)."""
        found = self._teams.exact(text)
        if found is not None:
            return found.entries[0].id
        return self._existing("team", text, key) if key else None

    def _existing(self, entity: str, text: str, key: str) -> int | None:
        memo_key = (f"existing {entity}", text, key)
        hit = self._memo.get(memo_key)
        if hit is None:
            hit = self._memo[memo_key] = self._find_existing(entity, text, key)
        self._decide(key, text, hit[2])
        return hit[0]

    def _find_existing(self, entity: str, text: str, key: str) -> _Hit:
        index = self._units if entity == "unit" else self._teams
        found = index.near(text)
        default = found.entries[0] if len(found.entries) == 1 else None
        if default is None:
            return None, "", None
        self._offer_options(key, text, [default.name, *(e.name for e in found.closest)], False)
        choice = self.chosen.get((key, text))
        if choice is not None:
            named = index.named(choice) if choice else []
            if len(named) != 1:  # none, or a name several bear: the text as written
                return None, "", ""
            default = named[0]
        self._learn(key, text, default.name, entity, [default.id])
        return default.id, "", default.name
