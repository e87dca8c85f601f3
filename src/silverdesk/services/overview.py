"""Read-only lists for the screens that show what exists: resources, demands and import batches.

The matching of resources and demands, and the import pipeline, have their own services; these
are only the listings the GUI shows until those screens are filled in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from silverdesk.db.models import Demand, ImportBatch, Lookup, Person, Resource, Team, Unit
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


@dataclass(frozen=True)
class ImportLine:
    id: int
    kind: str
    file_name: str
    unit: str
    operator: str
    imported_at: dt.datetime | None
    rows_read: int
    imported: int
    rejected: int
    status: str


class OverviewService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def resources(self) -> list[ResourceLine]:
        area = aliased(Unit)
        stmt = (select(Resource.id, Resource.title, Lookup.name, Team.name, Person.name, Resource.provider_text,
                       area.name, Resource.available_text, Resource.status, Resource.listed_on)
                .outerjoin(Lookup, Lookup.id == Resource.category_id).outerjoin(Team, Team.id == Resource.team_id)
                .outerjoin(Person, Person.id == Resource.person_id).outerjoin(area, area.id == Resource.area_unit_id)
                .order_by(Resource.listed_on.desc(), Resource.id.desc()))
        with self.ctx.db.reader() as session:
            return [ResourceLine(r[0], r[1], r[2] or "", r[3] or r[4] or r[5] or "", r[6] or "", r[7], r[8], r[9])
                    for r in session.execute(stmt)]

    def demands(self) -> list[DemandLine]:
        stmt = (select(Demand.id, Demand.title, Lookup.name, Unit.name, Demand.requester_text, Demand.contact_name,
                       Demand.contact_phone, Demand.urgency, Demand.status, Demand.raised_on)
                .outerjoin(Lookup, Lookup.id == Demand.category_id)
                .outerjoin(Unit, Unit.id == Demand.requester_unit_id)
                .order_by(Demand.raised_on.desc(), Demand.id.desc()))
        with self.ctx.db.reader() as session:
            return [DemandLine(r[0], r[1], r[2] or "", r[3] or r[4] or "", " ".join(x for x in (r[5], r[6]) if x),
                               r[7], r[8], r[9]) for r in session.execute(stmt)]

    def import_batches(self, limit: int = 500) -> list[ImportLine]:
        stmt = (select(ImportBatch, Unit.name).outerjoin(Unit, Unit.id == ImportBatch.unit_id)
                .order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc()).limit(limit))
        with self.ctx.db.reader() as session:
            return [ImportLine(b.id, b.kind, b.file_name, unit or "", b.operator, b.imported_at, b.rows_read,
                               b.imported, b.rejected, b.status) for b, unit in session.execute(stmt)]
