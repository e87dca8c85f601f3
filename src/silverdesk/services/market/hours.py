"""Volunteer hours and the yearly figures counted from them, for 星级, 积分存折 and the 志愿服务证明.

**Volunteer hours**: a named participant's own ``activity_participant.hours`` when recorded.
Otherwise the activity's 服务时长 (person-hours) left after the recorded ones is shared evenly —
among the participants still without hours, counted as the larger of the named ones and the
activity's 参与人次 minus those with hours.  Sharing by head count rather than by named people only
matters when fewer people are named than took part: 30 people serving 60 hours with 5 named gives
each of the 5 two hours (what each did), not twelve (which would hand the unnamed 25's hours to the
named).

**Team figures**: a team is credited with the full 服务时长 and one activity for every activity it
is linked to (``activity_team``); a joint activity counts fully for each team, as each was there.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import Activity, ActivityParticipant, ActivityTeam, ServiceOrder


@dataclass(frozen=True)
class ParticipantHours:
    person_id: int
    activity_id: int
    day: dt.date
    title: str
    hours: float
    order_id: int | None


def participant_hours(
    session: Session, start: dt.date, end: dt.date, person_ids: Sequence[int] | None = None
) -> list[ParticipantHours]:
    """Each named participant's hours in each activity of the period (the rule in the module docstring)."""
    stmt = (
        select(
            ActivityParticipant.activity_id,
            ActivityParticipant.person_id,
            ActivityParticipant.hours,
            Activity.occurred_on,
            Activity.title,
            Activity.hours.label("total"),
            Activity.participants,
            Activity.order_id,
        )
        .join(Activity, Activity.id == ActivityParticipant.activity_id)
        .where(Activity.occurred_on.between(start, end))
    )
    if person_ids is not None:
        # the split needs every participant of the person's activities, not only the person
        mine = select(ActivityParticipant.activity_id).where(
            ActivityParticipant.person_id.in_(list(person_ids))
        )
        stmt = stmt.where(ActivityParticipant.activity_id.in_(mine))
    by_activity: dict[int, list[Any]] = defaultdict(list)
    for r in session.execute(stmt):
        by_activity[r.activity_id].append(r)
    out = []
    wanted = set(person_ids) if person_ids is not None else None
    for aid, rows in by_activity.items():
        known = [r for r in rows if r.hours is not None]
        unknown = [r for r in rows if r.hours is None]
        share = 0.0
        if unknown:
            left = max((rows[0].total or 0.0) - sum(r.hours for r in known), 0.0)
            heads = max(len(unknown), (rows[0].participants or 0) - len(known))
            share = left / heads
        for r in rows:
            if wanted is None or r.person_id in wanted:
                out.append(
                    ParticipantHours(
                        r.person_id,
                        aid,
                        r.occurred_on,
                        r.title,
                        round(r.hours if r.hours is not None else share, 2),
                        r.order_id,
                    )
                )
    out.sort(key=lambda p: (p.day, p.activity_id, p.person_id))
    return out


@dataclass
class Figures:
    """A volunteer's (or a team's) figures for a period: what its star level is decided on."""

    hours: float = 0.0
    activities: int = 0
    scores: dict[int, int] = field(default_factory=dict)  # order id → score

    @property
    def mean_score(self) -> float | None:
        return sum(self.scores.values()) / len(self.scores) if self.scores else None


def volunteer_figures(session: Session, start: dt.date, end: dt.date) -> dict[int, Figures]:
    """Per person, the period's hours and activities and the scores of the orders they served."""
    figures: dict[int, Figures] = defaultdict(Figures)
    order_ids = set()
    for p in participant_hours(session, start, end):
        fig = figures[p.person_id]
        fig.hours = round(fig.hours + p.hours, 2)
        fig.activities += 1
        if p.order_id is not None:
            fig.scores[p.order_id] = -1  # filled below when scored
            order_ids.add(p.order_id)
    scores: dict[int, int] = {}
    if order_ids:
        scores = {
            oid: score
            for oid, score in session.execute(
                select(ServiceOrder.id, ServiceOrder.score).where(
                    ServiceOrder.id.in_(order_ids), ServiceOrder.score.is_not(None)
                )
            )
            if score is not None  # as the query says: for the type checker
        }
    for fig in figures.values():
        fig.scores = {o: scores[o] for o in fig.scores if o in scores}
    return dict(figures)


def team_figures(session: Session, start: dt.date, end: dt.date) -> dict[int, Figures]:
    """Per team, the period's hours and activities (see the module docstring) and the scores of its
    orders: those linked to its activities and those it completed in the period."""
    figures: dict[int, Figures] = defaultdict(Figures)
    linked: dict[int, set[int]] = defaultdict(set)
    for team_id, hours, order_id in session.execute(
        select(ActivityTeam.team_id, Activity.hours, Activity.order_id)
        .join(Activity, Activity.id == ActivityTeam.activity_id)
        .where(Activity.occurred_on.between(start, end))
    ):
        fig = figures[team_id]
        fig.hours = round(fig.hours + (hours or 0.0), 2)
        fig.activities += 1
        if order_id is not None:
            linked[team_id].add(order_id)
    order_ids = {o for ids in linked.values() for o in ids}
    rows = session.execute(
        select(ServiceOrder.id, ServiceOrder.team_id, ServiceOrder.score, ServiceOrder.completed_on)
        .where(ServiceOrder.score.is_not(None))
        .where(
            ServiceOrder.id.in_(order_ids)
            | (ServiceOrder.team_id.is_not(None) & ServiceOrder.completed_on.between(start, end))
        )
    )
    teams_of: dict[int, set[int]] = defaultdict(set)
    for tid, ids in linked.items():
        for oid in ids:
            teams_of[oid].add(tid)
    for oid, completed_by, score, completed in rows:
        if score is None:  # not returned by the query: for the type checker
            continue
        claimed: set[int] = set()
        if completed_by is not None and completed is not None and start <= completed <= end:
            claimed.add(completed_by)
        for tid in (claimed | teams_of.get(oid, set())) & figures.keys():
            figures[tid].scores[oid] = score
    return dict(figures)
