"""All ORM models; importing this package registers every table on ``Base.metadata``.

The model modules do not use ``from __future__ import annotations``: SQLAlchemy would then parse every
``Mapped[...]`` annotation from its text (eval and regular expressions, ~0.07 s of every start); a class named
before it is defined is quoted inside the annotation instead (``Mapped[list["TeamMember"]]``).
"""

from silverdesk.db.models.activity import (
    Activity,
    ActivityMonth,
    ActivityMonthState,
    ActivityParticipant,
    ActivityTeam,
    Attachment,
)
from silverdesk.db.models.groups import (
    CoBuildingAgreement,
    PartyOrg,
    PartyOrgMember,
    Team,
    TeamCategory,
    TeamMember,
)
from silverdesk.db.models.market import (
    CategoryLink,
    Demand,
    OrderEvent,
    Resource,
    ResourceEvent,
    ServiceOrder,
)
from silverdesk.db.models.org import Lookup, MonthlyTheme, Setting, Unit
from silverdesk.db.models.people import Person, PersonCommunityRole, PersonRegistration, PersonTalent
from silverdesk.db.models.recognition import Honour, Place, PointsEntry, StarRating, StarRule
from silverdesk.db.models.system import AuditLog, ImportBatch, ImportRow, SubmittedReport

__all__ = [
    "Activity",
    "ActivityMonth",
    "ActivityMonthState",
    "ActivityParticipant",
    "ActivityTeam",
    "Attachment",
    "AuditLog",
    "CategoryLink",
    "CoBuildingAgreement",
    "Demand",
    "Honour",
    "ImportBatch",
    "ImportRow",
    "Lookup",
    "MonthlyTheme",
    "OrderEvent",
    "PartyOrg",
    "PartyOrgMember",
    "Person",
    "PersonCommunityRole",
    "PersonRegistration",
    "PersonTalent",
    "Place",
    "PointsEntry",
    "Resource",
    "ResourceEvent",
    "ServiceOrder",
    "Setting",
    "StarRating",
    "StarRule",
    "SubmittedReport",
    "Team",
    "TeamCategory",
    "TeamMember",
    "Unit",
]
