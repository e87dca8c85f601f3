"""一人一档: everything one page says about a person for a span (issue #18), gathered for
``reports/profile_pdf.py``.

For the span ``start`` … ``end`` (default: this year to today):

* identity as on file today, phone and address unmasked (the writer masks them, ``reports/profile.py``);
* 人才库类别 and 特长;
* teams, party organisations, community roles and 社区报到, current and past, each with its dated rows
  (a row begun after the span's end is left out; an ended one says until when);
* the span's activities with the person's own hours (``market/hours.py`` ``participant_hours``, the
  rule of 星级, 积分 and the 志愿服务证明), their count and total;
* honours awarded by the span's end (undated ones too: a career's honours, not only the span's);
* 积分: the balance before the span, the span's lines summed by kind, the balance at its end;
* the star level of the span's end year (``star_rating``, as 星级与积分 shows it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, aliased

from silverdesk.db.models import (
    Honour,
    Lookup,
    PartyOrg,
    PartyOrgMember,
    Person,
    PersonCommunityRole,
    PersonRegistration,
    PersonTalent,
    PointsEntry,
    StarRating,
    Team,
    TeamMember,
    Unit,
)
from silverdesk.errors import NotFound, UserError
from silverdesk.reports.profile import (
    DatedRow,
    PersonProfile,
    ProfileActivity,
    ProfileHonour,
    ProfilePoints,
)
from silverdesk.services.base import Context
from silverdesk.services.market.hours import participant_hours


def default_span(today: dt.date) -> tuple[dt.date, dt.date]:
    """This year so far."""
    return dt.date(today.year, 1, 1), today


class ProfileService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def profile(
        self, person_id: int, start: dt.date | None = None, end: dt.date | None = None
    ) -> PersonProfile:
        first, last = default_span(self.ctx.today())
        start, end = start or first, end or last
        if start > end:
            raise UserError(f"时段的起始日期 {start:%Y-%m-%d} 晚于截止日期 {end:%Y-%m-%d}，请重新选择")
        with self.ctx.db.reader() as session:
            person = session.get(Person, person_id)
            if person is None:
                raise NotFound("找不到该人员，可能已被其他人修改；请刷新列表后再试")
            activities = [
                ProfileActivity(p.day, p.title, p.hours)
                for p in participant_hours(session, start, end, [person_id])
            ]
            rating = session.scalar(
                select(StarRating.level).where(
                    StarRating.subject == "volunteer",
                    StarRating.subject_id == person_id,
                    StarRating.year == end.year,
                )
            )
            return PersonProfile(
                person_id=person.id,
                name=person.name,
                gender=person.gender or "",
                birth_date=person.birth_date,
                ethnicity=person.ethnicity,
                political_status=person.political_status,
                education=person.education,
                former_employer=person.former_employer,
                former_post=person.former_post,
                rank=person.rank,
                retirement_type=person.retirement_type or "",
                unit=person.unit.name if person.unit else "",
                community=person.community.name if person.community else "",
                phone=person.phone,
                address=person.address,
                status=person.status,
                start=start,
                end=end,
                talents=tuple(
                    (r.name, r.specialty)
                    for r in session.execute(
                        select(Lookup.name, PersonTalent.specialty)
                        .join(Lookup, Lookup.id == PersonTalent.category_id)
                        .where(PersonTalent.person_id == person_id)
                        .order_by(Lookup.sort_order, Lookup.id)
                    )
                ),
                teams=self._teams(session, person_id, end),
                party_orgs=self._party_orgs(session, person_id, end),
                community_roles=self._roles(session, person_id, end),
                registrations=self._registrations(session, person, end),
                activities=tuple(activities),
                activity_count=len(activities),
                activity_hours=round(sum(a.hours for a in activities), 2),
                honours=self._honours(session, person_id, end),
                points=self._points(session, person_id, start, end),
                star_year=end.year,
                star_level=rating,
                printed_on=self.ctx.today(),
            )

    @staticmethod
    def _teams(session: Session, person_id: int, end: dt.date) -> tuple[DatedRow, ...]:
        stmt = (
            select(Team.name, TeamMember.role, TeamMember.joined_on, TeamMember.left_on)
            .join(Team, Team.id == TeamMember.team_id)
            .where(TeamMember.person_id == person_id, _begun(TeamMember.joined_on, end))
            .order_by(TeamMember.joined_on, TeamMember.id)
        )
        return tuple(DatedRow(*r) for r in session.execute(stmt))

    @staticmethod
    def _party_orgs(session: Session, person_id: int, end: dt.date) -> tuple[DatedRow, ...]:
        stmt = (
            select(PartyOrg.name, PartyOrgMember.role, PartyOrgMember.joined_on, PartyOrgMember.left_on)
            .join(PartyOrg, PartyOrg.id == PartyOrgMember.org_id)
            .where(PartyOrgMember.person_id == person_id, _begun(PartyOrgMember.joined_on, end))
            .order_by(PartyOrgMember.joined_on, PartyOrgMember.id)
        )
        return tuple(DatedRow(*r) for r in session.execute(stmt))

    @staticmethod
    def _roles(session: Session, person_id: int, end: dt.date) -> tuple[DatedRow, ...]:
        community = aliased(Unit)
        stmt = (
            select(
                func.coalesce(community.name, ""),
                Lookup.name,
                PersonCommunityRole.since,
                PersonCommunityRole.until,
            )
            .join(Lookup, Lookup.id == PersonCommunityRole.role_id)
            .outerjoin(community, community.id == PersonCommunityRole.community_id)
            .where(PersonCommunityRole.person_id == person_id, _begun(PersonCommunityRole.since, end))
            .order_by(PersonCommunityRole.since, PersonCommunityRole.id)
        )
        return tuple(DatedRow(*r) for r in session.execute(stmt))

    @staticmethod
    def _registrations(session: Session, person: Person, end: dt.date) -> tuple[DatedRow, ...]:
        community = aliased(Unit)
        stmt = (
            select(func.coalesce(community.name, ""), PersonRegistration.since, PersonRegistration.until)
            .outerjoin(community, community.id == PersonRegistration.community_id)
            .where(PersonRegistration.person_id == person.id, _begun(PersonRegistration.since, end))
            .order_by(PersonRegistration.since, PersonRegistration.id)
        )
        rows = [DatedRow(name, "报到", since, until) for name, since, until in session.execute(stmt)]
        if person.registered_on is not None and person.registered_on <= end:
            name = person.community.name if person.community else ""
            rows.append(DatedRow(name, "报到", person.registered_on, None))
        return tuple(rows)

    @staticmethod
    def _honours(session: Session, person_id: int, end: dt.date) -> tuple[ProfileHonour, ...]:
        stmt = (
            select(Honour.title, Honour.level, Honour.issuer, Honour.awarded_on)
            .where(Honour.person_id == person_id, _begun(Honour.awarded_on, end))
            .order_by(Honour.awarded_on.desc(), Honour.id)
        )
        return tuple(ProfileHonour(*r) for r in session.execute(stmt))

    @staticmethod
    def _points(session: Session, person_id: int, start: dt.date, end: dt.date) -> ProfilePoints:
        opening = session.scalar(
            select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
                PointsEntry.person_id == person_id, PointsEntry.entry_date < start
            )
        )
        by_kind: dict[str, float] = {}
        entries = 0
        for kind, total, n in session.execute(
            select(PointsEntry.kind, func.sum(PointsEntry.points), func.count())
            .where(PointsEntry.person_id == person_id, PointsEntry.entry_date.between(start, end))
            .group_by(PointsEntry.kind)
        ):
            by_kind[kind] = float(total or 0)
            entries += int(n)
        opening_f = round(float(opening or 0), 2)
        span_total = sum(by_kind.values())
        earned, redeemed = by_kind.pop("获得", 0.0), by_kind.pop("兑换", 0.0)
        return ProfilePoints(
            opening=opening_f,
            earned=round(earned, 2),
            redeemed=round(redeemed, 2),
            adjusted=round(sum(by_kind.values()), 2),
            entries=entries,
            closing=round(opening_f + span_total, 2),
        )


def _begun(column: Any, end: dt.date) -> ColumnElement[bool]:
    """Begun by the span's end (an unknown start counts as always)."""
    return or_(column.is_(None), column <= end)
