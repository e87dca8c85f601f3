"""The roster planner: people matched to the roster (ID number, or name and birth date), new people,
their community roles, talents and teams."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import Person, PersonCommunityRole, PersonTalent, TeamMember
from silverdesk.domain.codes import ListReader
from silverdesk.services.importing.dedupe import PersonIndex, chunks, compare
from silverdesk.services.importing.fields import kind_spec
from silverdesk.services.importing.plan import (
    REJECTED,
    UNCHANGED,
    UPDATED,
    Columns,
    ImportPlan,
    Record,
    RowPlan,
)
from silverdesk.services.importing.planners.base import Planner
from silverdesk.services.importing.resolve import Resolver
from silverdesk.services.importing.rows import NormalizedRow
from silverdesk.services.org.lookups import list_reader

PERSON_DEFAULTS: dict[str, Any] = {
    "name": None, "name_pinyin": "", "name_sort": "", "gender": None, "ethnicity": "", "birth_date": None, "id_number": None,
    "political_status": "", "education": "", "retirement_type": None, "retired_on": None, "former_employer": "", "former_post": "",
    "rank": "", "phone": "", "community_id": None, "address": "", "registered_on": None, "health": "",
    "status": "在册", "status_changed_on": None, "unit_id": None, "notes": "", "import_batch_id": None,
}  # fmt: skip
"""Every column a new person is inserted with (uniform keys: one executemany, no NULL splitting)."""
PERSON_COLUMNS = Columns(PERSON_DEFAULTS)
"""The order of a new person's values in :attr:`RowPlan.insert` (a :class:`Record`)."""

ROSTER_DIRECT = ("name", "gender", "ethnicity", "birth_date", "id_number", "political_status", "education", "retirement_type",
                 "retired_on", "former_employer", "former_post", "rank", "phone", "address", "registered_on",
                 "health", "status", "notes")  # fmt: skip
"""Roster field keys that are also Person columns."""

PERSON_LABELS = {f.key: f.label for f in kind_spec("roster").fields} | {
    "unit_id": "所属单位",
    "community_id": "居住社区",
}
_Links = tuple[tuple[int, ...], tuple[str, ...], tuple[tuple[str, str, str, str], ...], tuple[int, ...]]
"""A cell's list entries: (ids, warnings, 近似匹配 decisions, new entries' placeholders)."""
_ROSTER_OTHER = tuple(f.key for f in kind_spec("roster").fields if f.key not in ROSTER_DIRECT)
"""Roster field keys resolved by the planner (units, communities, lists, teams), not copied."""


class RosterPlanner(Planner):
    entity = "person"

    def __init__(self, ctx: Any, session: Session, resolver: Resolver, plan: ImportPlan, *given: Any) -> None:
        super().__init__(ctx, session, resolver, plan, *given)
        self.index = PersonIndex(session, plan.rows_read)
        self.limits = self.limits_for(Person, {k: k for k in ROSTER_DIRECT})
        self.link_keys = ("community_roles", "talents", "teams")
        self.pending: list[tuple[RowPlan, dict[str, Any], dict[str, list[dict[str, Any]]]]] = []
        self.seen_keys: dict[tuple[Any, ...], int] = {}
        self.matched: dict[int, int] = {}  # person id → first row matching it
        self._pinyin: dict[str, dict[str, str]] = {}
        self._ranks: dict[str, tuple[str, str]] = {}  # 职级 as written → (stored, note)
        self._rank_list: ListReader | None = None  # the 职级 list, read when a row gives a 职级
        self._list_links: dict[str, dict[tuple[str, ...], _Links]] = {"community_roles": {}, "talents": {}}
        self._link_rows: dict[tuple[str, Any, str, Any], dict[str, Any]] = {}

    def name_columns(self, name: str) -> dict[str, str]:
        """Search keys and sort key of ``name`` (computed once per distinct name of the file)."""
        keys = self._pinyin.get(name)
        if keys is None:
            from silverdesk.domain.pinyin import name_columns

            keys = self._pinyin[name] = name_columns(name)
        return keys

    def prefetch(self, chunk: list[NormalizedRow]) -> None:
        """The stored people these rows may be (by name or ID number), before they are matched."""
        self.index.load(n.values for n in chunk)

    def first(self, n: NormalizedRow) -> RowPlan:
        rp = self.start(n)
        assert rp is not None
        if rp.fate == REJECTED:
            return rp
        v = n.values
        row = n.row_number
        vals = v.copy()  # the Person columns: the row's values less the ones resolved below
        for key in _ROSTER_OTHER:
            if key in vals:
                del vals[key]
        if "rank" in vals:
            self._rank(rp, vals)
        self.check_lengths(rp, vals, self.limits)
        unit_ref, unit_warning = self.plan.unit_ref, ""
        if "unit" in v:
            ref, unit_warning = self.resolver.unit(v["unit"], row)
            rp.note(unit_warning)
            unit_ref = ref if ref is not None else unit_ref
        if unit_ref is not None:
            vals["unit_id"] = unit_ref
        if "community" in v:
            ref, warn = self.resolver.community(v["community"], row, within=unit_ref)
            rp.note(warn)
            if ref is not None:
                vals["community_id"] = ref
        links = self._links(v, vals, rp, row) if any(k in v for k in self.link_keys) else {}
        if rp.fate == REJECTED:
            return rp
        if self._duplicate_in_file(rp, vals):
            return rp
        pid, how, refusal = self.index.match(vals)
        if refusal:
            key = "id_number" if vals.get("id_number") else "name"
            rp.refuse(self.issue(key, vals.get(key), refusal))
            return rp
        if pid is not None:
            earlier = self.matched.setdefault(pid, row)
            if earlier != row:
                rp.refuse(
                    self.issue(
                        "name",
                        vals["name"],
                        f"与第 {earlier} 行对应库中同一人（{how}），同一人只能出现一次；请删除重复的行",
                    )
                )
                return rp
            batch = self.index.batch_of.get(pid)
            rp.entity_id = pid
            rp.fate = UNCHANGED
            rp.note(f"库中已有此人（{how}{f'，第 {batch} 批导入' if batch else ''}）")
            self.pending.append((rp, vals, links))
            return rp
        if unit_ref is None:  # a new person needs a unit (a known one keeps the unit on record)
            rp.refuse(self.no_unit(v, unit_warning))
            return rp
        rp.insert = Record.of(PERSON_COLUMNS, {**PERSON_DEFAULTS, **vals, **self.name_columns(vals["name"])})
        rp.links = links or None
        return rp

    def _rank(self, rp: RowPlan, vals: dict[str, Any]) -> None:
        """职级 in the 职级 list's words (正科 → 乡科级正职: 规范写法); not on the list: as written, with a note."""
        written = vals["rank"]
        got = self._ranks.get(written)
        if got is None:
            if self._rank_list is None:
                self._rank_list = list_reader(self.session, "rank", "rank")
            entry = self._rank_list.entry(written)
            note = "" if entry else f"{self.label('rank')}“{written[:20]}”不在职级列表中，按原样保存，请核对"
            got = self._ranks[written] = (entry or written, note)
        stored, note = got
        if stored != written:
            vals["rank"] = stored
            if rp.normalised is None:
                rp.normalised = []
            rp.normalised.append(("rank", written, stored))
        rp.note(note)

    def _links(
        self, v: dict[str, Any], vals: dict[str, Any], rp: RowPlan, row: int
    ) -> dict[str, list[dict[str, Any]]]:
        links: dict[str, list[dict[str, Any]]] = {}
        community = vals.get("community_id")
        for key, kind, table, column in (("community_roles", "community_role", "person_community_role", "role_id"),
                                         ("talents", "talent_category", "person_talent", "category_id")):  # fmt: skip
            texts = v.get(key, ())
            cache = self._list_links[key]
            got = cache.get(texts)
            if got is None:  # the same cell text on many rows: resolved once
                found_ids: list[int] = []
                warns: list[str] = []
                decided = len(rp.decided or ())
                for text in texts:
                    found, warn = self.resolver.lookup(kind, text, self.label(key))
                    if warn:
                        warns.append(warn)
                    if found is not None and found not in found_ids:
                        found_ids.append(found)
                new = tuple(i for i in found_ids if i < 0)
                got = cache[texts] = (
                    tuple(found_ids),
                    tuple(warns),
                    tuple((rp.decided or [])[decided:]),
                    new,
                )
            else:  # the same 近似匹配 decisions and new entries as the first row with this text
                for decision in got[2]:
                    rp.decide(*decision)
                if got[3]:
                    self.resolver.used(got[3])
            ids, warnings = got[0], got[1]
            for warn in warnings:
                rp.note(warn)
            if ids:
                extra = ("community_id", community) if table == "person_community_role" else ("specialty", "")
                links[table] = [self._link_row(column, i, *extra) for i in ids]
        teams: list[int] = []
        for text in v.get("teams", ()):
            found, warn = self.resolver.team(text, row, within=vals.get("unit_id"))
            rp.note(warn)
            if found is not None and found not in teams:
                teams.append(found)
        if teams:
            links["team_member"] = [self._link_row("team_id", t, "role", "队员") for t in teams]
        return links

    def _link_row(self, column: str, ref: Any, key: str, value: Any) -> dict[str, Any]:
        """``{column: ref, key: value}``; equal link rows are one dict shared by the rows that add them
        (most people of a file share a few communities, roles and talents: ~50 MB less for 100,000).
        They are only read: the commit adds the owner and resolves placeholders on copies."""
        row = self._link_rows.get((column, ref, key, value))
        if row is None:
            row = self._link_rows[column, ref, key, value] = {column: ref, key: value}
        return row

    def _duplicate_in_file(self, rp: RowPlan, vals: dict[str, Any]) -> bool:
        """Same name + birth date (or name + unit when both ID and birth date are missing) earlier in the file."""
        name, birth = vals["name"], vals.get("birth_date")
        key: tuple[Any, ...] = ("nb", name, birth) if birth is not None else ("nu", name, vals.get("unit_id"))
        earlier = self.seen_keys.setdefault(key, rp.row_number)
        if earlier == rp.row_number or vals.get("id_number"):
            return False
        what = "姓名、出生日期" if birth is not None else "姓名、所属单位"
        rp.refuse(self.issue("name", name, f"与第 {earlier} 行{what}相同，可能是同一人；如是同一人请删除重复的行，"
                             "如不是请填写身份证号以区分"))  # fmt: skip
        return True

    def finish(self) -> None:
        if not self.pending:
            return
        ids = [rp.entity_id for rp, _, _ in self.pending if rp.entity_id is not None]
        stored: dict[int, dict[str, Any]] = {}
        have: dict[str, set[tuple[int, int]]] = {"person_community_role": set(), "person_talent": set(),
                                                 "team_member": set()}  # fmt: skip
        cols = [Person.id, *(getattr(Person, k) for k in (*ROSTER_DIRECT, "unit_id", "community_id"))]
        for part in chunks(ids):
            for r in self.session.execute(select(*cols).where(Person.id.in_(part))).mappings():
                stored[r["id"]] = dict(r)
            for table, model, column in (("person_community_role", PersonCommunityRole, PersonCommunityRole.role_id),
                                         ("person_talent", PersonTalent, PersonTalent.category_id),
                                         ("team_member", TeamMember, TeamMember.team_id)):  # fmt: skip
                have[table].update(
                    (owner, linked)
                    for owner, linked in self.session.execute(
                        select(model.person_id, column).where(model.person_id.in_(part))
                    )
                )
        link_key = {
            "person_community_role": "role_id",
            "person_talent": "category_id",
            "team_member": "team_id",
        }
        name_of = self.resolver.name_of
        for rp, vals, links in self.pending:
            pid = rp.entity_id
            assert pid is not None
            current = dict(stored[pid])
            for key in ("unit_id", "community_id"):
                current[f"{key}:text"] = name_of(current.get(key)) or current.get(key)
            shown = {k: name_of(vals[k]) for k in ("unit_id", "community_id") if vals.get(k) is not None}
            fills, before, conflicts = compare(current, vals, PERSON_LABELS, shown)
            added = {table: [link for link in rows if (pid, link[link_key[table]]) not in have[table]]
                     for table, rows in links.items()}  # fmt: skip
            added = {t: rows for t, rows in added.items() if rows}
            if fills or added:
                rp.fate = UPDATED
                rp.fills, rp.before = fills or {}, before or {}
                rp.links = added or None
                rp.note("补充：" + "、".join([PERSON_LABELS.get(k, k) for k in fills]
                                            + [{"person_community_role": "社区任职", "person_talent": "人才库类别",
                                                "team_member": "所在服务队"}[t] for t in added]))  # fmt: skip
            rp.conflicts = conflicts or None
