"""表1's teams, 表3 and 表4 counted directly, until their measures are registered in the query model.

Transitional (issue #17): :class:`Legacy` asks the query model for each figure whose measure is
registered (队伍数, 党组织数 … 完成订单) and counts the others here, by the rules of
:mod:`silverdesk.services.statistics.tables`; once every measure is registered this module goes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, distinct, func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import (
    CoBuildingAgreement,
    Lookup,
    PartyOrg,
    Person,
    PersonCommunityRole,
    Place,
    Team,
)
from silverdesk.domain.codes import PARTY_FORMS
from silverdesk.reports.model import OrgFigures, SupplyDemand, Totals
from silverdesk.services.base import Context
from silverdesk.services.statistics import asof
from silverdesk.services.statistics.periods import ReportPeriod
from silverdesk.services.statistics.query.model import Number
from silverdesk.services.statistics.questions import (
    ACTIVITY,
    MARKET,
    ORG,
    PEOPLE,
    TEAMS,
    ReportQuestions,
)
from silverdesk.services.statistics.scope import Scope, load_scope

PARTY_STATUSES = PARTY_FORMS  # 其中党员: the code table's rule


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


class Legacy:
    """The model's answer where the measure is registered, the direct count otherwise."""

    def __init__(self, ctx: Context, s: Session, unit_id: int | None, ask: ReportQuestions) -> None:
        self.ctx, self.s, self.ask = ctx, s, ask
        self.scope = load_scope(s, unit_id)

    def _has(self, *measures: str) -> bool:
        return all(self.ask.ask.known(m) for m in measures)

    def teams_by_unit(self, start: dt.date, end: dt.date) -> dict[int, tuple[Number, ...]]:
        if self._has(TEAMS):
            return self.ask.by_unit((TEAMS,), start, end)
        counts = team_counts(self.s, self.scope, end)
        return {
            (uid if uid is not None else self.scope.root_id): (n,)
            for (uid, _), n in zip(self.scope.rows, counts, strict=True)
        }

    def org(self, start: dt.date, end: dt.date) -> OrgFigures:
        if self._has(*ORG, "任职类别"):
            return self.ask.org(start, end)
        return org_figures(self.s, self.scope, end)

    def market(self, start: dt.date, end: dt.date) -> SupplyDemand:
        if self._has(*MARKET):
            return self.ask.market(start, end)
        return supply_demand(self.ctx, self.scope, start, end)

    def totals(self, period: ReportPeriod) -> Totals:
        if self._has(TEAMS):
            return self.ask.totals(period)
        act = self.ask.answer(ACTIVITY, period.start, period.end).total
        people = self.ask.answer(PEOPLE, period.start, period.end).total
        return Totals(
            int(act[0]),
            int(act[1]),
            round(float(act[2]), 1),
            int(act[3]),
            sum(team_counts(self.s, self.scope, period.end)),
            int(people[0]),
        )
