"""The figures of 表1–表4, one query each, for a scope and a period (the counting rules: :mod:`silverdesk.services.statistics.tables`).

Activity figures come from the monthly roll-up (:mod:`silverdesk.services.statistics.rollup`); teams,
volunteers and 表3 are counted in the tables themselves; 表4 by the supermarket's own rules.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Subquery, and_, case, distinct, func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import (
    CoBuildingAgreement,
    Lookup,
    PartyOrg,
    Person,
    PersonCommunityRole,
    Place,
    Team,
    TeamMember,
)
from silverdesk.domain.codes import PARTY_FORMS
from silverdesk.domain.dates import month_label
from silverdesk.reports.model import OrgFigures, SupplyDemand, TrendPoint
from silverdesk.services.base import Context
from silverdesk.services.statistics import asof
from silverdesk.services.statistics.periods import ReportPeriod
from silverdesk.services.statistics.rollup import Agg
from silverdesk.services.statistics.scope import Scope

PARTY_STATUSES = PARTY_FORMS  # 其中党员: the code table's rule


@dataclass
class Sums:
    activities: int = 0
    participations: int = 0
    hours: float = 0.0
    beneficiaries: int = 0

    def add(self, sessions: int, participants: int, hours: float, beneficiaries: int) -> None:
        self.activities += int(sessions or 0)
        self.participations += int(participants or 0)
        self.hours += float(hours or 0)
        self.beneficiaries += int(beneficiaries or 0)


def activity_sums(scope: Scope, aggs: Iterable[Agg]) -> list[Sums]:
    """表1's activity columns per row, from the roll-up rows of the period."""
    out = [Sums() for _ in scope.rows]
    for r in aggs:
        index = scope.row_index(r.unit_id)
        if index is not None:
            out[index].add(r.activities, r.participations, r.hours, r.beneficiaries)
    return out


def team_counts(s: Session, scope: Scope, end: dt.date) -> list[int]:
    """志愿服务队 per row: teams existing at ``end`` (:func:`~silverdesk.services.statistics.asof.team_exists`)."""
    out = [0] * len(scope.rows)
    stmt = (
        select(Team.unit_id, func.count())
        .where(asof.team_exists(end), scope.in_scope(Team.unit_id))
        .group_by(Team.unit_id)
    )
    for unit_id, n in s.execute(stmt):
        index = scope.row_index(unit_id)
        if index is not None:
            out[index] += n
    return out


def _volunteer_ids(start: dt.date, end: dt.date) -> Subquery:
    """The people on a team at some time in the period, while the team existed in it."""
    on_team = (
        select(TeamMember.person_id)
        .join(Team, Team.id == TeamMember.team_id)
        .where(asof.team_existed_during(start, end), asof.membership_during(start, end))
    )
    return on_team.distinct().subquery()


def volunteer_counts(s: Session, scope: Scope, start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """(志愿者, 其中党员) per row: each person once, in the row of his own unit."""
    ids = _volunteer_ids(start, end)
    party = func.sum(case((Person.political_status.in_(PARTY_STATUSES), 1), else_=0))
    stmt = (
        select(Person.unit_id, func.count(), party)
        .where(
            Person.id.in_(select(ids.c[0])),
            asof.on_roster_during(start, end),
            scope.in_scope(Person.unit_id),
        )
        .group_by(Person.unit_id)
    )
    out = [[0, 0] for _ in scope.rows]
    for unit_id, n, members in s.execute(stmt):
        index = scope.row_index(unit_id)
        if index is not None:
            out[index][0] += n
            out[index][1] += int(members or 0)
    return [(a, b) for a, b in out]


def category_sums(s: Session, aggs: Iterable[Agg]) -> dict[str, Sums]:
    """表2: the activity figures per 服务领域 (the active categories first, in their order)."""
    names: dict[int | None, str] = dict(
        s.execute(
            select(Lookup.id, Lookup.name)
            .where(Lookup.kind == "activity_category")
            .order_by(Lookup.sort_order)
        ).all()
    )
    active = set(s.scalars(select(Lookup.id).where(Lookup.kind == "activity_category", Lookup.active)))
    out: dict[str, Sums] = {names[i]: Sums() for i in names if i in active}
    for r in aggs:
        out.setdefault(names.get(r.category_id, "未分类"), Sums()).add(
            r.activities, r.participations, r.hours, r.beneficiaries
        )
    return out


def monthly_trend(months: Sequence[ReportPeriod], aggs: Iterable[Agg]) -> list[TrendPoint]:
    """活动 and 受益人次 per month of ``months``, from the roll-up rows that cover them."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in aggs:
        found[r.month][0] += r.activities
        found[r.month][1] += r.beneficiaries
    return [TrendPoint(month_label(m.start.year, m.start.month), *found.get(m.code, (0, 0))) for m in months]


def org_figures(s: Session, scope: Scope, end: dt.date) -> OrgFigures:
    """表3, a stock at ``end``."""
    orgs = (
        s.scalar(
            select(func.count())
            .select_from(PartyOrg)
            .where(asof.party_org_exists(end), scope.in_scope(PartyOrg.unit_id))
        )
        or 0
    )
    roster = and_(asof.on_roster_at(end), scope.in_scope(Person.unit_id))
    members = (
        s.scalar(
            select(func.count())
            .select_from(Person)
            .where(roster, Person.political_status.in_(PARTY_STATUSES))
        )
        or 0
    )
    agreements = (
        s.scalar(
            select(func.count())
            .select_from(CoBuildingAgreement)
            .join(PartyOrg, PartyOrg.id == CoBuildingAgreement.org_id)
            .where(asof.agreement_active(end), scope.in_scope(PartyOrg.unit_id))
        )
        or 0
    )
    registered = (
        s.scalar(select(func.count()).select_from(Person).where(roster, asof.registered_at(end))) or 0
    )
    role_active = asof.role_held(end)
    role_rows = dict(
        s.execute(
            select(PersonCommunityRole.role_id, func.count(distinct(PersonCommunityRole.person_id)))
            .join(Person, Person.id == PersonCommunityRole.person_id)
            .where(roster, role_active)
            .group_by(PersonCommunityRole.role_id)
        ).all()
    )
    roles = s.execute(
        select(Lookup.id, Lookup.name)
        .where(Lookup.kind == "community_role", Lookup.active)
        .order_by(Lookup.sort_order)
    ).all()
    role_people = (
        s.scalar(
            select(func.count(distinct(PersonCommunityRole.person_id)))
            .join(Person, Person.id == PersonCommunityRole.person_id)
            .where(roster, role_active)
        )
        or 0
    )
    places = (
        s.scalar(
            select(func.count()).select_from(Place).where(asof.place_open(end), scope.in_scope(Place.unit_id))
        )
        or 0
    )
    return OrgFigures(
        orgs,
        members,
        agreements,
        registered,
        tuple((name, int(role_rows.get(rid, 0))) for rid, name in roles),
        role_people,
        places,
    )


def supply_demand(ctx: Context, scope: Scope, start: dt.date, end: dt.date) -> SupplyDemand:
    """表4, counted by the supermarket's own rules (services/statistics/market.py) so both agree."""
    from silverdesk.services.statistics.market import MarketStatsService

    t4 = MarketStatsService(ctx).table4(start, end, None if scope.is_county else scope.root_id)
    return SupplyDemand(t4.resources, t4.demands, t4.matches, t4.signed, t4.completed)


def on_roster(since: dt.date) -> ColumnElement[bool]:
    """On the roster at some time from ``since`` on: 在册, or left (去世/迁出) after that day."""
    return asof.on_roster_at(since)
