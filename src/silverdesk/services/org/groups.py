"""Volunteer teams (members with roles) and party organisations (members, 共建协议)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from silverdesk.db.models import (
    CoBuildingAgreement,
    Lookup,
    PartyOrg,
    PartyOrgMember,
    Person,
    Team,
    TeamCategory,
    TeamMember,
)
from silverdesk.domain import enums
from silverdesk.domain import fields as f
from silverdesk.domain.names import aliases_of
from silverdesk.domain.pinyin import collation_key
from silverdesk.domain.text import clean
from silverdesk.errors import FieldError, ValidationError
from silverdesk.services.base import CrudService, audit, jsonable
from silverdesk.services.org import memberships

TEAM_SPECS = (
    f.FieldSpec("name", "服务队名称", f.text, required=True, max_length=200),
    f.FieldSpec("brand", "品牌", f.text, max_length=100),
    f.FieldSpec("unit_id", "所属单位", f.passthrough),
    f.FieldSpec("party_org_id", "所属党组织", f.passthrough),
    f.FieldSpec("founded_on", "成立时间", f.date),
    f.FieldSpec("status", "状态", f.choice, choices=enums.TEAM_STATUSES),
    f.FieldSpec("dissolved_on", "撤销时间", f.date),
    f.FieldSpec("notes", "备注", f.multiline),
)

PARTY_ORG_SPECS = (
    f.FieldSpec("name", "党组织名称", f.text, required=True, max_length=200),
    f.FieldSpec("org_type", "类型", f.choice, required=True, choices=enums.PARTY_ORG_TYPES),
    f.FieldSpec("parent_id", "上级党组织", f.passthrough),
    f.FieldSpec("unit_id", "所属单位", f.passthrough),
    f.FieldSpec("secretary_id", "书记", f.passthrough),
    f.FieldSpec("founded_on", "成立时间", f.date),
    f.FieldSpec("notes", "备注", f.multiline),
)


def by_name(records: list[dict[str, object]]) -> list[dict[str, object]]:
    """``records`` sorted by their ``name`` in phone-book order (:func:`~silverdesk.domain.pinyin.collation_key`)."""
    return sorted(records, key=lambda r: (collation_key(str(r["name"])), r["id"]))


NEW_GROUP = "__new_group__"
"""Marks the raw values of a group being created: its first members are the ones it had (joined: unknown)."""


def _mark_new(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    return {**(raw or {}), NEW_GROUP: True}


def _people_exist(session: Session, ids: Sequence[int], field: str) -> None:
    found = set(session.scalars(select(Person.id).where(Person.id.in_(list(ids)))))
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError([FieldError(field, f"成员中有{len(missing)}人不在花名册中，请重新选择")])


class TeamService(CrudService[Team]):
    model = Team
    entity = "team"
    label = "志愿服务队"
    specs = TEAM_SPECS
    retire_field = ("status", "撤销")

    def create_in(
        self, session: Session, values: dict[str, object], raw: Mapping[str, Any] | None = None
    ) -> int:
        return super().create_in(session, values, _mark_new(raw))

    def check(self, session: Session, values: dict[str, object], current: Team | None) -> None:
        """撤销 records its day (today unless typed); a team set back to 活跃/暂停 has none."""
        status = values.get("status", current.status if current else "活跃")
        if status == "撤销":
            if values.get("dissolved_on") is None:
                kept = current.dissolved_on if current is not None and current.status == "撤销" else None
                values["dissolved_on"] = kept or self.ctx.today()
        elif "status" in values or values.get("dissolved_on") is not None:
            values["dissolved_on"] = None
        founded = values.get("founded_on", current.founded_on if current else None)
        dissolved = values.get("dissolved_on")
        if isinstance(founded, dt.date) and isinstance(dissolved, dt.date) and dissolved < founded:
            raise ValidationError([FieldError("dissolved_on", "撤销时间早于成立时间，请核对")])

    def after_retire(self, session: Session, obj: Team, old: object) -> dict[str, list[object]]:
        if obj.dissolved_on is not None and old == "撤销":
            return {}
        obj.dissolved_on = self.ctx.today()
        return {"dissolved_on": [None, jsonable(obj.dissolved_on)]}

    def after_save(
        self, session: Session, obj: Team, values: dict[str, object], raw: Mapping[str, Any]
    ) -> None:
        if "members" in raw:
            self._set_members(session, obj, raw["members"], new_team=bool(raw.get(NEW_GROUP)))
        if "categories" in raw:
            ids = list(dict.fromkeys(raw["categories"]))
            ok = set(
                session.scalars(
                    select(Lookup.id).where(Lookup.id.in_(ids), Lookup.kind == "activity_category")
                )
            )
            if len(ok) != len(ids):
                raise ValidationError([FieldError("categories", "服务领域中有不存在的条目，请重新选择")])
            obj.categories = [TeamCategory(category_id=i) for i in ids]

    def _set_members(
        self, session: Session, team: Team, members: Sequence[tuple[int, str]], *, new_team: bool = False
    ) -> None:
        """``members``: (person_id, role) pairs, the team's current members; the others leave today
        (:mod:`silverdesk.services.org.memberships`: the rows of the past are kept)."""
        roles = {pid: role for pid, role in members}
        bad = [r for r in roles.values() if r not in enums.TEAM_ROLES]
        if bad:
            raise ValidationError([FieldError("members", f"队内角色只能是：{'、'.join(enums.TEAM_ROLES)}")])
        if list(roles.values()).count("队长") > 1:
            raise ValidationError([FieldError("members", "一支队伍只能有一名队长")])
        _people_exist(session, list(roles), "members")
        today = self.ctx.today()
        before = len(memberships.current(team.members, today))
        counts = memberships.sync_members(
            team.members,
            roles,
            today,
            lambda pid, role, joined: TeamMember(person_id=pid, role=role, joined_on=joined),
            new_group=new_team,
        )
        session.flush()
        if any(counts.values()) and team.id and not new_team:
            audit(
                session,
                self.ctx,
                "修改",
                self.entity,
                team.id,
                f"调整队员：{team.name}（加入{counts['joined']}人，离队{counts['left']}人，"
                f"调整角色{counts['role_changed']}人，记于{today:%Y-%m-%d}）",
                {"members": [before, len(roles)]},
            )

    def members(self, team_id: int) -> list[tuple[int, str, str]]:
        """The current members (person_id, name, role), captain first, then by name (phone-book order);
        members who left are kept for past periods but not listed."""
        order = {r: i for i, r in enumerate(enums.TEAM_ROLES)}
        today = self.ctx.today()
        with self.ctx.db.reader() as session:
            rows = session.execute(
                select(TeamMember.person_id, Person.name, TeamMember.role, Person.name_sort)
                .join(Person, Person.id == TeamMember.person_id)
                .where(
                    TeamMember.team_id == team_id,
                    or_(TeamMember.left_on.is_(None), TeamMember.left_on > today),
                )
            ).all()
        return [(r[0], r[1], r[2]) for r in sorted(rows, key=lambda r: (order.get(r[2], 9), r[3], r[0]))]

    def list(self, *, include_retired: bool = False) -> list[dict[str, object]]:
        """Teams with their unit and current member count, by name (phone-book order)."""
        today = self.ctx.today()
        with self.ctx.db.reader() as session:
            stmt = select(Team)
            if not include_retired:
                stmt = stmt.where(Team.status != "撤销")
            return by_name(
                [
                    {
                        "id": t.id,
                        "name": t.name,
                        "brand": t.brand,
                        "unit": t.unit.name if t.unit else "",
                        "status": t.status,
                        "star_level": t.star_level,
                        "members": len(memberships.current(t.members, today)),
                        "founded_on": t.founded_on,
                    }
                    for t in session.scalars(stmt)
                ]
            )

    def find(self, name: str) -> int | None:
        """A team by exact name (after cleaning), else by a remembered alias."""
        name = clean(name)
        if not name:
            return None
        with self.ctx.db.reader() as session:
            found = session.scalar(select(Team.id).where(Team.name == name))
            if found is not None:
                return found
            near = select(Team.id, Team.aliases).where(Team.aliases.contains(name, autoescape=True))
            return next(
                (i for i, a in session.execute(near.order_by(Team.id)) if name in aliases_of(a)), None
            )

    def detail(self, team_id: int) -> dict[str, object]:
        """Everything the team form shows: values, members (person id, name, role), category ids."""
        with self.ctx.db.reader() as session:
            team = self.load(session, team_id)
            data: dict[str, object] = {s.key: getattr(team, s.key) for s in TEAM_SPECS}
            data.update(
                id=team.id,
                star_level=team.star_level,
                categories=[c.category_id for c in team.categories],
                past_members=sum(not memberships.is_current(m, self.ctx.today()) for m in team.members),
            )
        data["members"] = self.members(team_id)
        return data


class PartyOrgService(CrudService[PartyOrg]):
    model = PartyOrg
    entity = "party_org"
    label = "党组织"
    specs = PARTY_ORG_SPECS
    retire_field = None

    def create_in(
        self, session: Session, values: dict[str, object], raw: Mapping[str, Any] | None = None
    ) -> int:
        return super().create_in(session, values, _mark_new(raw))

    def check(self, session: Session, values: dict[str, object], current: PartyOrg | None) -> None:
        sec = values.get("secretary_id")
        if sec is not None and session.get(Person, sec) is None:
            raise ValidationError([FieldError("secretary_id", "书记不在花名册中，请重新选择")])

    def after_save(
        self, session: Session, obj: PartyOrg, values: dict[str, object], raw: Mapping[str, Any]
    ) -> None:
        if "members" in raw:
            roles = dict(raw["members"])
            if any(r not in enums.PARTY_ORG_ROLES for r in roles.values()):
                raise ValidationError(
                    [FieldError("members", f"党内职务只能是：{'、'.join(enums.PARTY_ORG_ROLES)}")]
                )
            _people_exist(session, list(roles), "members")
            memberships.sync_members(
                obj.members,
                roles,
                self.ctx.today(),
                lambda pid, role, joined: PartyOrgMember(person_id=pid, role=role, joined_on=joined),
                new_group=bool(raw.get(NEW_GROUP)),
            )
            session.flush()
            if obj.secretary_id is None:
                obj.secretary_id = next((pid for pid, r in roles.items() if r == "书记"), None)

    def list(self, *, include_dissolved: bool = False) -> list[dict[str, object]]:
        """Party organisations with their unit, secretary and counts (current members), by name (phone-book order)."""
        today = self.ctx.today()
        with self.ctx.db.reader() as session:
            stmt = select(PartyOrg)
            if not include_dissolved:
                stmt = stmt.where(PartyOrg.dissolved_on.is_(None))
            return by_name(
                [
                    {
                        "id": o.id,
                        "name": o.name,
                        "org_type": o.org_type,
                        "unit": o.unit.name if o.unit else "",
                        "secretary": o.secretary.name if o.secretary else "",
                        "members": len(memberships.current(o.members, today)),
                        "agreements": len(o.agreements),
                        "founded_on": o.founded_on,
                        "status": "已撤销" if o.dissolved_on else "正常",
                    }
                    for o in session.scalars(stmt)
                ]
            )

    def detail(self, org_id: int) -> dict[str, object]:
        """The form's data: values, members (person id, name, role), agreements (id, partner, signed on)."""
        order = {r: i for i, r in enumerate(enums.PARTY_ORG_ROLES)}
        with self.ctx.db.reader() as session:
            org = self.load(session, org_id)
            data: dict[str, object] = {s.key: getattr(org, s.key) for s in PARTY_ORG_SPECS}
            data.update(
                id=org.id,
                dissolved_on=org.dissolved_on,
                secretary_name=org.secretary.name if org.secretary else "",
                members=[
                    (m.person_id, m.person.name, m.role)
                    for m in sorted(
                        memberships.current(org.members, self.ctx.today()),
                        key=lambda m: (order.get(m.role, 9), m.person.name_sort, m.person_id),
                    )
                ],
                agreements=[
                    (a.id, a.partner_name, a.signed_on)
                    for a in sorted(org.agreements, key=lambda a: (a.signed_on or dt.date.min, a.id))
                ],
            )
            return data

    def dissolve(self, org_id: int, on: dt.date | None = None) -> None:
        with self.ctx.db.session() as session:
            org = self.load(session, org_id)
            org.dissolved_on = on or self.ctx.today()
            audit(
                session,
                self.ctx,
                "注销",
                self.entity,
                org.id,
                f"撤销党组织：{org.name}",
                {"dissolved_on": [None, jsonable(org.dissolved_on)]},
            )

    def add_agreement(
        self,
        org_id: int,
        partner_name: str,
        signed_on: dt.date | None,
        partner_unit_id: int | None = None,
        content: str = "",
    ) -> int:
        partner = clean(partner_name)
        if not partner:
            raise ValidationError([FieldError("partner_name", "请填写共建对象（社区党组织名称）")])
        with self.ctx.db.session() as session:
            org = self.load(session, org_id)
            agreement = CoBuildingAgreement(
                org_id=org.id,
                partner_name=partner,
                partner_unit_id=partner_unit_id,
                signed_on=signed_on,
                content=content,
            )
            session.add(agreement)
            session.flush()
            audit(
                session,
                self.ctx,
                "新增",
                "co_building_agreement",
                agreement.id,
                f"{org.name} 与 {partner} 签订共建协议",
            )
            return agreement.id
