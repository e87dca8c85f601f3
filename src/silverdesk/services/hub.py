"""All services for one open database, built once by the CLI or the GUI and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from silverdesk.db.engine import Database, connect
from silverdesk.services.activities import ActivityService
from silverdesk.services.base import Context, default_operator
from silverdesk.services.groups import PartyOrgService, TeamService
from silverdesk.services.lookups import LookupService, SettingsService
from silverdesk.services.people import PeopleService
from silverdesk.services.records import DemandService, HonourService, PlaceService, ResourceService
from silverdesk.services.units import UnitService

if TYPE_CHECKING:  # the import machinery (calamine, openpyxl) loads on first use, not at start-up
    from silverdesk.services.imports import ImportService


@dataclass
class Services:
    ctx: Context

    @classmethod
    def open(cls, db: str | os.PathLike[str] | Database | None = None, operator: str | None = None) -> Services:
        database = db if isinstance(db, Database) else connect(db)
        return cls(Context(database, operator or default_operator()))

    @cached_property
    def people(self) -> PeopleService:
        return PeopleService(self.ctx)

    @cached_property
    def units(self) -> UnitService:
        return UnitService(self.ctx)

    @cached_property
    def lookups(self) -> LookupService:
        return LookupService(self.ctx)

    @cached_property
    def settings(self) -> SettingsService:
        return SettingsService(self.ctx)

    @cached_property
    def teams(self) -> TeamService:
        return TeamService(self.ctx)

    @cached_property
    def party_orgs(self) -> PartyOrgService:
        return PartyOrgService(self.ctx)

    @cached_property
    def activities(self) -> ActivityService:
        return ActivityService(self.ctx)

    @cached_property
    def places(self) -> PlaceService:
        return PlaceService(self.ctx)

    @cached_property
    def honours(self) -> HonourService:
        return HonourService(self.ctx)

    @cached_property
    def resources(self) -> ResourceService:
        return ResourceService(self.ctx)

    @cached_property
    def demands(self) -> DemandService:
        return DemandService(self.ctx)

    @cached_property
    def imports(self) -> ImportService:
        from silverdesk.services.imports import ImportService

        return ImportService(self.ctx)

    def close(self) -> None:
        self.ctx.db.dispose()
