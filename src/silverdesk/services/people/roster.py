"""离退休干部 roster: create, update, change status (never delete), search."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, and_, func, or_, select, union
from sqlalchemy.orm import Session, aliased

from silverdesk.db.models import (
    Lookup,
    PartyOrg,
    PartyOrgMember,
    Person,
    PersonCommunityRole,
    PersonRegistration,
    PersonTalent,
    Team,
    TeamMember,
    Unit,
)
from silverdesk.domain import enums
from silverdesk.domain import fields as f
from silverdesk.domain.codes import PARTY_FORMS
from silverdesk.domain.idcard import parse_id_number
from silverdesk.domain.pinyin import NAME_COLUMNS, collation_key, name_columns
from silverdesk.domain.text import clean
from silverdesk.errors import Conflict, FieldError, UserError, ValidationError
from silverdesk.services.base import CrudService, audit, jsonable
from silverdesk.services.org.lookups import list_reader
from silverdesk.services.statistics import asof

PERSON_SPECS: tuple[f.FieldSpec, ...] = (
    f.FieldSpec("name", "姓名", f.name, required=True, max_length=50),
    f.FieldSpec("gender", "性别", f.coded, choices=enums.GENDERS),
    f.FieldSpec("ethnicity", "民族", f.coded, max_length=20),
    f.FieldSpec("birth_date", "出生日期", f.date),
    f.FieldSpec("id_number", "身份证号", f.id_number),
    f.FieldSpec("political_status", "政治面貌", f.coded, max_length=20),
    f.FieldSpec("education", "文化程度", f.coded, max_length=20),
    f.FieldSpec("retirement_type", "离休/退休", f.choice, choices=enums.RETIREMENT_TYPES),
    f.FieldSpec("retired_on", "离退休时间", f.date),
    f.FieldSpec("former_employer", "原工作单位", f.text, max_length=200),
    f.FieldSpec("former_post", "原职务", f.text, max_length=100),
    f.FieldSpec("rank", "职级", f.text, max_length=50),
    f.FieldSpec("phone", "联系电话", f.phone),
    f.FieldSpec("community_id", "居住社区", f.passthrough),
    f.FieldSpec("address", "家庭住址", f.text, max_length=300),
    f.FieldSpec("registered_on", "社区报到时间", f.date),
    f.FieldSpec("health", "健康状况", f.text, max_length=50),
    f.FieldSpec("unit_id", "所属单位", f.passthrough),
    f.FieldSpec("notes", "备注", f.multiline, max_length=2000),
)

PARTY_STATUSES = PARTY_FORMS  # 其中党员: the code table's rule


@dataclass(frozen=True)
class PersonRow:
    """One line of the roster list."""

    id: int
    name: str
    gender: str
    birth_date: dt.date | None
    id_number: str
    phone: str
    political_status: str
    retirement_type: str
    former_employer: str
    unit: str
    community: str
    status: str


@dataclass(frozen=True)
class PersonFilter:
    query: str = ""
    unit_id: int | None = None
    status: str | None = "在册"
    party_member: bool | None = None
    retirement_type: str | None = None
    talent_category_id: int | None = None  # 人才库类别
    role_id: int | None = None  # 社区任职, held today
    team_id: int | None = None  # 服务队, a member today
    community_id: int | None = None  # 居住社区 (that community, not its grids)
    party_org_id: int | None = None  # 党组织, a member today


SORT_KEYS = {
    "name": Person.name_sort,
    "gender": Person.gender,
    "birth_date": Person.birth_date,
    "id_number": Person.id_number,
    "phone": Person.phone,
    "political_status": Person.political_status,
    "retirement_type": Person.retirement_type,
    "former_employer": Person.former_employer,
    "status": Person.status,
    "id": Person.id,
}


class PeopleService(CrudService[Person]):
    model = Person
    entity = "person"
    label = "人员"
    specs = PERSON_SPECS
    retire_field = None
    derived = NAME_COLUMNS

    def clean(self, raw: Mapping[str, Any], *, partial: bool = False) -> dict[str, object]:
        values = super().clean(raw, partial=partial)
        errors: list[FieldError] = []
        if values.get("id_number"):
            info = parse_id_number(values["id_number"])
            birth, gender = values.get("birth_date"), values.get("gender")
            if birth and birth != info.birth_date:
                errors.append(
                    FieldError(
                        "birth_date",
                        f"出生日期 {birth:%Y-%m-%d} 与身份证号中的 {info.birth_date:%Y-%m-%d} 不一致，请核对",
                    )
                )
            if gender and gender != info.gender:
                errors.append(
                    FieldError("gender", f"性别“{gender}”与身份证号（{info.gender}）不一致，请核对")
                )
            values.setdefault("birth_date", info.birth_date)
            values["birth_date"] = values["birth_date"] or info.birth_date
            values["gender"] = values.get("gender") or info.gender
        retired, born = values.get("retired_on"), values.get("birth_date")
        if isinstance(retired, dt.date) and isinstance(born, dt.date) and retired <= born:
            errors.append(FieldError("retired_on", "离退休时间早于出生日期，请核对"))
        if errors:
            raise ValidationError(errors)
        if "name" in values:
            values.update(name_columns(values["name"]))  # type: ignore[arg-type]
        return values

    def check(self, session: Session, values: dict[str, object], current: Person | None) -> None:
        rank = values.get("rank")
        if isinstance(rank, str) and rank:  # 正科 → 乡科级正职: the 职级 list's own words (else as typed)
            values["rank"] = list_reader(session, "rank", "rank").entry(rank) or rank
        number = values.get("id_number")
        if number:
            other = session.execute(
                select(Person.id, Person.name, Person.status).where(Person.id_number == number)
            ).first()
            if other and (current is None or other.id != current.id):
                raise Conflict(
                    f"身份证号 {number} 已登记为“{other.name}”（{other.status}），同一人不能重复登记"
                )
        for key in ("unit_id", "community_id"):
            if values.get(key) is not None and session.get(Unit, values[key]) is None:
                raise ValidationError([FieldError(key, "所选单位不存在，请重新选择")])
        if current is not None:
            self._end_registration(session, values, current)

    def after_save(
        self, session: Session, obj: Person, values: dict[str, object], raw: Mapping[str, Any]
    ) -> None:
        if "community_roles" in raw:
            self._set_links(session, obj, "community_role", raw["community_roles"])
        if "talents" in raw:
            self._set_links(session, obj, "talent_category", raw["talents"])

    def _set_links(
        self, session: Session, person: Person, kind: str, names: Sequence[str | tuple[str, Any]] | str
    ) -> None:
        """``names``: the entries held now; a community role may come as (name, since) to date it."""
        items = re.split(r"[、,，;；/\s]+", names) if isinstance(names, str) else names
        since: dict[str, dt.date | None] = {}
        wanted = []
        for item in items:
            name = clean(item[0] if isinstance(item, tuple) else item)
            if name and isinstance(item, tuple):
                since[name] = f.clean_fields(
                    (f.FieldSpec("since", "任职起始", f.date),), {"since": item[1]}
                ).values["since"]  # type: ignore[assignment]
            wanted.append(name)
        wanted = [n for n in wanted if n]
        found = dict(
            session.execute(
                select(Lookup.name, Lookup.id).where(Lookup.kind == kind, Lookup.name.in_(wanted))
            ).all()
        )
        missing = [n for n in wanted if n not in found]
        if missing:
            label = "社区任职" if kind == "community_role" else "人才库类别"
            raise ValidationError(
                [
                    FieldError(
                        "community_roles" if kind == "community_role" else "talents",
                        f"{label}“{'、'.join(missing)}”不在列表中，请先在设置里添加",
                    )
                ]
            )
        if kind == "community_role":
            self._set_roles(person, {found[n]: since.get(n) for n in dict.fromkeys(wanted)})
        else:
            have_t = {link.category_id: link for link in person.talents}
            person.talents = [
                have_t.get(found[n]) or PersonTalent(category_id=found[n]) for n in dict.fromkeys(wanted)
            ]

    def _set_roles(self, person: Person, role_ids: Mapping[int, dt.date | None]) -> None:
        """``role_ids``: the roles the person holds now (→ since when, if typed).  A role no longer listed
        ends today (``until``, its last day; the row stays for past periods); a role added is held from
        the day typed, else from today (``since``); a role added and removed on the same day leaves nothing
        (a correction)."""
        today = self.ctx.today()
        held = {link.role_id: link for link in person.community_roles if link.until is None}
        ended_today = {link.role_id: link for link in person.community_roles if link.until == today}
        for role_id, link in held.items():
            if role_id in role_ids:
                continue
            if link.since is not None and link.since >= today:
                person.community_roles.remove(link)
            else:
                link.until = today
        for role_id in role_ids:
            if role_id in held:
                continue
            if role_id in ended_today:
                ended_today[role_id].until = None  # ended by mistake earlier today
                continue
            person.community_roles.append(
                PersonCommunityRole(
                    role_id=role_id, community_id=person.community_id, since=role_ids[role_id] or today
                )
            )

    def _end_registration(self, session: Session, values: dict[str, object], current: Person) -> None:
        """社区报到 moves with the person: a new 居住社区 ends the old registration (kept as a past one,
        its last day the day before the new one starts) and, unless a new 报到时间 is typed, the person is
        registered in the new community from today; clearing 报到时间 ends it today."""
        old_day, old_community = current.registered_on, current.community_id
        if old_day is None:
            return
        community = values.get("community_id", old_community)
        day = values.get("registered_on", old_day)
        today = self.ctx.today()
        if community != old_community:
            if day == old_day:
                day = values["registered_on"] = today
            until = max(old_day, day - dt.timedelta(days=1)) if isinstance(day, dt.date) else today
        elif day is None:
            until = today
        else:
            return  # the same community, its date corrected
        session.add(
            PersonRegistration(person_id=current.id, community_id=old_community, since=old_day, until=until)
        )

    def set_status(self, person_id: int, status: str, on: dt.date | None = None, note: str = "") -> None:
        """在册 → 去世 / 迁出 (and back, to correct a mistake).  History is never deleted."""
        if status not in enums.PERSON_STATUSES:
            raise UserError(f"人员状态只能是：{'、'.join(enums.PERSON_STATUSES)}")
        with self.ctx.db.session() as session:
            person = self.load(session, person_id)
            old = person.status
            if old == status:
                return
            person.status = status
            person.status_changed_on = on or self.ctx.today()
            if note:
                person.notes = (
                    person.notes + "\n" if person.notes else ""
                ) + f"{person.status_changed_on} {status}：{note}"
            audit(
                session,
                self.ctx,
                "状态变更",
                self.entity,
                person.id,
                f"{person.name}：{old} → {status}",
                {"status": [old, status], "status_changed_on": [None, jsonable(person.status_changed_on)]},
            )

    def detail(self, person_id: int) -> dict[str, object]:
        """Everything the form shows, roles and talents included."""
        with self.ctx.db.reader() as session:
            person = self.load(session, person_id)
            data: dict[str, object] = {k: getattr(person, k) for k in (s.key for s in PERSON_SPECS)}
            data.update(
                id=person.id,
                status=person.status,
                status_changed_on=person.status_changed_on,
                community_roles=[
                    link.role.name
                    for link in person.community_roles
                    if link.until is None or link.until > self.ctx.today()
                ],
                talents=[link.category.name for link in person.talents],
            )
            return data

    # --- search --------------------------------------------------------------------------------
    def _filtered(self, flt: PersonFilter, *, status_index: bool = True) -> Select[Any]:
        """``status_index=False`` keeps SQLite off ix_person_status_name_sort, which only pays
        for the roster in name order: a search (few rows, found by its own index) or another
        order walked 95,000 在册 rows through it, 20–60 ms slower per query."""
        stmt = select(Person.id)
        if flt.status:
            status = Person.status if status_index else Person.status.concat("")
            stmt = stmt.where(status == flt.status)
        if flt.unit_id is not None:
            stmt = stmt.where(Person.unit_id.in_(unit_subtree_ids_stmt(flt.unit_id)))
        if flt.party_member is True:
            stmt = stmt.where(Person.political_status.in_(PARTY_STATUSES))
        elif flt.party_member is False:
            stmt = stmt.where(Person.political_status.not_in(PARTY_STATUSES))
        if flt.retirement_type:
            stmt = stmt.where(Person.retirement_type == flt.retirement_type)
        if flt.community_id is not None:
            stmt = stmt.where(Person.community_id == flt.community_id)
        for ids in self._linked(flt):
            stmt = stmt.where(Person.id.in_(ids))
        q = clean(flt.query)
        if q:
            stmt = stmt.where(Person.id.in_(search_ids_stmt(q)))
        return stmt

    def _linked(self, flt: PersonFilter) -> list[Select[Any]]:
        """The people of a talent category, a role, a team or a party organisation, each a subquery read
        from its link table's index on the chosen id; roles and memberships as of today (ended ones do
        not match: ``asof.role_held``, ``asof.membership_at``, :func:`party_member_at`)."""
        today = self.ctx.today()
        out: list[Select[Any]] = []
        if flt.talent_category_id is not None:
            out.append(
                select(PersonTalent.person_id).where(PersonTalent.category_id == flt.talent_category_id)
            )
        if flt.role_id is not None:
            out.append(
                select(PersonCommunityRole.person_id).where(
                    PersonCommunityRole.role_id == flt.role_id, asof.role_held(today)
                )
            )
        if flt.team_id is not None:
            out.append(
                select(TeamMember.person_id).where(
                    TeamMember.team_id == flt.team_id, asof.membership_at(today)
                )
            )
        if flt.party_org_id is not None:
            out.append(
                select(PartyOrgMember.person_id).where(
                    PartyOrgMember.org_id == flt.party_org_id, party_member_at(today)
                )
            )
        return out

    def search_ids(self, flt: PersonFilter, sort: str = "name", descending: bool = False) -> list[int]:
        """Ids matching the filter, sorted in SQL (fast on 100,000 people)."""
        column: SQLColumnExpression[Any] = SORT_KEYS.get(sort, Person.name_sort)
        narrow = bool(clean(flt.query)) or narrowing(flt)
        if narrow and sort in ("name", "phone", "id_number", "former_employer", "political_status"):
            # a search (or a community, team, role … filter) keeps few rows: sort them after
            # filtering, instead of walking the whole sort index row by row (measured 200 ms → 25 ms
            # on 100,000 people; a community 435 ms → see bench/RESULTS.md)
            column = column.concat("")
        order = column.desc() if descending else column.asc()
        by_name = sort == "name" and not narrow
        stmt = self._filtered(flt, status_index=by_name).order_by(
            order, Person.id.desc() if descending else Person.id
        )
        with self.ctx.db.reader() as session:
            return list(session.scalars(stmt))

    def count(self, flt: PersonFilter) -> int:
        with self.ctx.db.reader() as session:
            return session.scalar(select(func.count()).select_from(self._filtered(flt).subquery())) or 0

    def filter_choices(self) -> dict[str, list[tuple[int, str, str]]]:
        """The list's 服务队 and 党组织 pick lists, (id, name, unit), in phone-book order: those existing
        today, read without their members (loading the members to count them took seconds)."""
        today = self.ctx.today()
        out: dict[str, list[tuple[int, str, str]]] = {}
        with self.ctx.db.reader() as session:
            for key, model, exists in (
                ("teams", Team, asof.team_exists(today)),
                ("party_orgs", PartyOrg, asof.party_org_exists(today)),
            ):
                stmt = (
                    select(model.id, model.name, func.coalesce(Unit.name, ""))
                    .outerjoin(Unit, Unit.id == model.unit_id)
                    .where(exists)
                )
                rows = [(int(i), str(n), str(u)) for i, n, u in session.execute(stmt)]
                out[key] = sorted(rows, key=lambda r: (collation_key(r[1]), r[0]))
        return out

    def rows_by_ids(self, ids: Sequence[int]) -> list[PersonRow]:
        """Rows for the given ids, in the same order."""
        if not ids:
            return []
        unit, community = aliased(Unit), aliased(Unit)
        stmt = (
            select(
                Person.id,
                Person.name,
                Person.gender,
                Person.birth_date,
                Person.id_number,
                Person.phone,
                Person.political_status,
                Person.retirement_type,
                Person.former_employer,
                unit.name.label("unit"),
                community.name.label("community"),
                Person.status,
            )
            .outerjoin(unit, unit.id == Person.unit_id)
            .outerjoin(community, community.id == Person.community_id)
            .where(Person.id.in_(list(ids)))
        )
        with self.ctx.db.reader() as session:
            found = {r.id: r for r in session.execute(stmt)}
        return [
            PersonRow(
                r.id,
                r.name,
                r.gender or "",
                r.birth_date,
                r.id_number or "",
                r.phone,
                r.political_status,
                r.retirement_type or "",
                r.former_employer,
                r.unit or "",
                r.community or "",
                r.status,
            )
            for i in ids
            if (r := found.get(i)) is not None
        ]

    def search(self, query: str, *, limit: int = 50, status: str | None = "在册") -> list[PersonRow]:
        ids = self.search_ids(PersonFilter(query=query, status=status))[:limit]
        return self.rows_by_ids(ids)


def search_condition(q: str):  # type: ignore[no-untyped-def]
    """How a search box query is read: pinyin letters, digits of an ID or phone, or a name fragment."""
    like = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if re.fullmatch(r"[A-Za-z]+", q):
        return Person.name_pinyin.like(f"%|{like.lower()}%", escape="\\")
    if re.fullmatch(r"[0-9Xx*]+", q):
        digits = like.upper()
        return or_(
            Person.id_number.like(f"%{digits}%", escape="\\"), Person.phone.like(f"%{digits}%", escape="\\")
        )
    return Person.name.like(f"%{like}%", escape="\\")


def search_ids_stmt(q: str):  # type: ignore[no-untyped-def]
    """The ids matching a search box query, as a subquery.

    Kept apart from the other filters so SQLite answers it from the name / pinyin / phone /
    ID-number indexes alone (a covering scan) and only then reads the matching rows: with
    ``status = '在册'`` in the same WHERE it scanned the whole table instead (measured on
    100,000 people: 103 ms → 7 ms per keystroke for a name; issue #3).
    """
    if re.fullmatch(r"[0-9Xx*]+", q):
        like = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").upper()
        return union(
            select(Person.id).where(Person.id_number.like(f"%{like}%", escape="\\")),
            select(Person.id).where(Person.phone.like(f"%{like}%", escape="\\")),
        )
    return select(Person.id).where(search_condition(q))


def narrowing(flt: PersonFilter) -> bool:
    """A filter that keeps a few thousand people at most: read them by their own index, then sort."""
    return any(
        v is not None
        for v in (flt.talent_category_id, flt.role_id, flt.team_id, flt.community_id, flt.party_org_id)
    )


def party_member_at(at: dt.date) -> Any:
    """A party organisation's member on ``at`` (PartyOrgMember): joined by then, ``left_on`` (his last
    day) not before it; unknown dates count as always — the rule of ``asof.membership_at``."""
    return and_(
        or_(PartyOrgMember.joined_on.is_(None), PartyOrgMember.joined_on <= at),
        or_(PartyOrgMember.left_on.is_(None), PartyOrgMember.left_on >= at),
    )


def unit_subtree_ids_stmt(root_id: int):  # type: ignore[no-untyped-def]
    """A recursive CTE: the unit and every unit below it."""
    tree = select(Unit.id).where(Unit.id == root_id).cte("subtree", recursive=True)
    tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id))
    return select(tree.c.id)
