"""All services for one open database, built once by the CLI or the GUI and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from silverdesk.db.engine import Database, connect
from silverdesk.services.activities import ActivityService
from silverdesk.services.app_password import AppPasswordService
from silverdesk.services.audit_query import AuditQuery
from silverdesk.services.backups import BackupService
from silverdesk.services.base import Context, default_operator
from silverdesk.services.categories import CategoryService
from silverdesk.services.dashboard import DashboardService
from silverdesk.services.groups import PartyOrgService, TeamService
from silverdesk.services.lookups import LookupService, SettingsService
from silverdesk.services.market_export import MarketExportService
from silverdesk.services.market_stats import MarketStatsService
from silverdesk.services.matching import MatchingService
from silverdesk.services.operators import OperatorService
from silverdesk.services.orders import OrderService
from silverdesk.services.overview import OverviewService
from silverdesk.services.people import PeopleService
from silverdesk.services.ratings import CertificateService, PointsService, StarService
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

    # -- safety (issue #7) ---------------------------------------------------------------------
    @cached_property
    def backups(self) -> BackupService:
        return BackupService(self.ctx)

    @cached_property
    def audit_log(self) -> AuditQuery:
        return AuditQuery(self.ctx)

    @cached_property
    def operators(self) -> OperatorService:
        return OperatorService(self.ctx)

    @cached_property
    def app_password(self) -> AppPasswordService:
        return AppPasswordService(self.ctx)

    # -- silver supermarket (issue #6) ---------------------------------------------------------
    @cached_property
    def categories(self) -> CategoryService:
        return CategoryService(self.ctx)

    @cached_property
    def matching(self) -> MatchingService:
        return MatchingService(self.ctx)

    @cached_property
    def orders(self) -> OrderService:
        return OrderService(self.ctx)

    @cached_property
    def stars(self) -> StarService:
        return StarService(self.ctx)

    @cached_property
    def points(self) -> PointsService:
        return PointsService(self.ctx)

    @cached_property
    def certificates(self) -> CertificateService:
        return CertificateService(self.ctx)

    @cached_property
    def market_stats(self) -> MarketStatsService:
        return MarketStatsService(self.ctx)

    @cached_property
    def market_export(self) -> MarketExportService:
        return MarketExportService(self.ctx)

    # -- dashboard and status bar (issue #3) ----------------------------------------------------
    @cached_property
    def dashboard(self) -> DashboardService:
        return DashboardService(self.ctx)

    @cached_property
    def overview(self) -> OverviewService:
        return OverviewService(self.ctx)

    def close(self) -> None:
        self.ctx.db.dispose()
