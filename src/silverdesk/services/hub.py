"""All services for one open database, built once by the CLI or the GUI and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from silverdesk.db.connect import connect
from silverdesk.db.engine import Database
from silverdesk.services.base import Context, default_operator

if TYPE_CHECKING:  # each service's module loads on first use, so start-up pays only for what it shows
    from silverdesk.services.activities.log import ActivityService
    from silverdesk.services.importing.service import ImportService
    from silverdesk.services.market.certificates import CertificateService
    from silverdesk.services.market.entries import DemandService, ResourceService
    from silverdesk.services.market.export import MarketExportService
    from silverdesk.services.market.matching import MatchingService
    from silverdesk.services.market.orders import OrderService
    from silverdesk.services.market.overview import OverviewService
    from silverdesk.services.market.points import PointsService
    from silverdesk.services.market.stars import StarService
    from silverdesk.services.org.categories import CategoryService
    from silverdesk.services.org.groups import PartyOrgService, TeamService
    from silverdesk.services.org.lookups import LookupService, SettingsService
    from silverdesk.services.org.places import PlaceService
    from silverdesk.services.org.themes import ThemeService
    from silverdesk.services.org.units import UnitService
    from silverdesk.services.people.honours import HonourService
    from silverdesk.services.people.profile import ProfileService
    from silverdesk.services.people.roster import PeopleService
    from silverdesk.services.statistics.dashboard import DashboardService
    from silverdesk.services.statistics.market import MarketStatsService
    from silverdesk.services.system.audit import AuditQuery
    from silverdesk.services.system.backups import BackupService
    from silverdesk.services.system.operators import OperatorService
    from silverdesk.services.system.password import AppPasswordService


@dataclass
class Services:
    ctx: Context

    @classmethod
    def open(
        cls, db: str | os.PathLike[str] | Database | None = None, operator: str | None = None
    ) -> Services:
        database = db if isinstance(db, Database) else connect(db)
        return cls(Context(database, operator or default_operator()))

    @cached_property
    def people(self) -> PeopleService:
        from silverdesk.services.people.roster import PeopleService

        return PeopleService(self.ctx)

    @cached_property
    def profiles(self) -> ProfileService:
        from silverdesk.services.people.profile import ProfileService

        return ProfileService(self.ctx)

    @cached_property
    def units(self) -> UnitService:
        from silverdesk.services.org.units import UnitService

        return UnitService(self.ctx)

    @cached_property
    def lookups(self) -> LookupService:
        from silverdesk.services.org.lookups import LookupService

        return LookupService(self.ctx)

    @cached_property
    def settings(self) -> SettingsService:
        from silverdesk.services.org.lookups import SettingsService

        return SettingsService(self.ctx)

    @cached_property
    def teams(self) -> TeamService:
        from silverdesk.services.org.groups import TeamService

        return TeamService(self.ctx)

    @cached_property
    def party_orgs(self) -> PartyOrgService:
        from silverdesk.services.org.groups import PartyOrgService

        return PartyOrgService(self.ctx)

    @cached_property
    def activities(self) -> ActivityService:
        from silverdesk.services.activities.log import ActivityService

        return ActivityService(self.ctx)

    @cached_property
    def places(self) -> PlaceService:
        from silverdesk.services.org.places import PlaceService

        return PlaceService(self.ctx)

    @cached_property
    def themes(self) -> ThemeService:
        from silverdesk.services.org.themes import ThemeService

        return ThemeService(self.ctx)

    @cached_property
    def honours(self) -> HonourService:
        from silverdesk.services.people.honours import HonourService

        return HonourService(self.ctx)

    @cached_property
    def resources(self) -> ResourceService:
        from silverdesk.services.market.entries import ResourceService

        return ResourceService(self.ctx)

    @cached_property
    def demands(self) -> DemandService:
        from silverdesk.services.market.entries import DemandService

        return DemandService(self.ctx)

    @cached_property
    def imports(self) -> ImportService:
        from silverdesk.services.importing.service import ImportService

        return ImportService(self.ctx)

    # -- safety (issue #7) ---------------------------------------------------------------------
    @cached_property
    def backups(self) -> BackupService:
        from silverdesk.services.system.backups import BackupService

        return BackupService(self.ctx)

    @cached_property
    def audit_log(self) -> AuditQuery:
        from silverdesk.services.system.audit import AuditQuery

        return AuditQuery(self.ctx)

    @cached_property
    def operators(self) -> OperatorService:
        from silverdesk.services.system.operators import OperatorService

        return OperatorService(self.ctx)

    @cached_property
    def app_password(self) -> AppPasswordService:
        from silverdesk.services.system.password import AppPasswordService

        return AppPasswordService(self.ctx)

    # -- silver supermarket (issue #6) ---------------------------------------------------------
    @cached_property
    def categories(self) -> CategoryService:
        from silverdesk.services.org.categories import CategoryService

        return CategoryService(self.ctx)

    @cached_property
    def matching(self) -> MatchingService:
        from silverdesk.services.market.matching import MatchingService

        return MatchingService(self.ctx)

    @cached_property
    def orders(self) -> OrderService:
        from silverdesk.services.market.orders import OrderService

        return OrderService(self.ctx)

    @cached_property
    def stars(self) -> StarService:
        from silverdesk.services.market.stars import StarService

        return StarService(self.ctx)

    @cached_property
    def points(self) -> PointsService:
        from silverdesk.services.market.points import PointsService

        return PointsService(self.ctx)

    @cached_property
    def certificates(self) -> CertificateService:
        from silverdesk.services.market.certificates import CertificateService

        return CertificateService(self.ctx)

    @cached_property
    def market_stats(self) -> MarketStatsService:
        from silverdesk.services.statistics.market import MarketStatsService

        return MarketStatsService(self.ctx)

    @cached_property
    def market_export(self) -> MarketExportService:
        from silverdesk.services.market.export import MarketExportService

        return MarketExportService(self.ctx)

    # -- dashboard and status bar (issue #3) ----------------------------------------------------
    @cached_property
    def dashboard(self) -> DashboardService:
        from silverdesk.services.statistics.dashboard import DashboardService

        return DashboardService(self.ctx)

    @cached_property
    def overview(self) -> OverviewService:
        from silverdesk.services.market.overview import OverviewService

        return OverviewService(self.ctx)

    def close(self) -> None:
        self.ctx.db.dispose()
