"""资源清单 and 需求清单 as short read-only lines, newest first: the two list tabs of 资源与需求 show them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from silverdesk.db.models import Demand, Lookup, Person, Resource, Team, Unit
from silverdesk.services.base import Context


@dataclass(frozen=True)
class ResourceLine:
    id: int
    title: str
    category: str
    provider: str
    area: str
    available: str
    status: str
    listed_on: dt.date | None


@dataclass(frozen=True)
class DemandLine:
    id: int
    title: str
    category: str
    requester: str
    contact: str
    urgency: str
    status: str
    raised_on: dt.date | None


class OverviewService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def resources(self) -> list[ResourceLine]:
        area = aliased(Unit)
        stmt = (
            select(
                Resource.id,
                Resource.title,
                Lookup.name,
                Team.name,
                Person.name,
                Resource.provider_text,
                area.name,
                Resource.available_text,
                Resource.status,
                Resource.listed_on,
            )
            .outerjoin(Lookup, Lookup.id == Resource.category_id)
            .outerjoin(Team, Team.id == Resource.team_id)
            .outerjoin(Person, Person.id == Resource.person_id)
            .outerjoin(area, area.id == Resource.area_unit_id)
            .order_by(Resource.listed_on.desc(), Resource.id.desc())
        )
        with self.ctx.db.reader() as session:
            return [
                ResourceLine(r[0], r[1], r[2] or "", r[3] or r[4] or r[5] or "", r[6] or "", r[7], r[8], r[9])
                for r in session.execute(stmt)
            ]

    def demands(self) -> list[DemandLine]:
        stmt = (
            select(
                Demand.id,
                Demand.title,
                Lookup.name,
                Unit.name,
                Demand.requester_text,
                Demand.contact_name,
                Demand.contact_phone,
                Demand.urgency,
                Demand.status,
                Demand.raised_on,
            )
            .outerjoin(Lookup, Lookup.id == Demand.category_id)
            .outerjoin(Unit, Unit.id == Demand.requester_unit_id)
            .order_by(Demand.raised_on.desc(), Demand.id.desc())
        )
        with self.ctx.db.reader() as session:
            return [
                DemandLine(
                    r[0],
                    r[1],
                    r[2] or "",
                    r[3] or r[4] or "",
                    " ".join(x for x in (r[5], r[6]) if x),
                    r[7],
                    r[8],
                    r[9],
                )
                for r in session.execute(stmt)
            ]
