"""一人一档: one person's page — identity, talent pool, teams and roles with their dates, 社区报到, the
span's activities, honours, points and star level — as a DTO (:class:`PersonProfile`, filled by
``services/people/profile.py``) and its masking; the PDF writer is :mod:`.profile_pdf`.

No database, no Qt: the service fills it, :func:`mask_profile` hides what the masking policy hides (the
phone as 138****5678, the address to its street), the writer prints it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from silverdesk.domain.privacy import MaskPolicy


@dataclass(frozen=True)
class DatedRow:
    """A team, party organisation, community role or 社区报到 with its dates (``until``: the last day)."""

    name: str
    role: str
    since: dt.date | None
    until: dt.date | None

    @property
    def current(self) -> bool:
        return self.until is None


@dataclass(frozen=True)
class ProfileActivity:
    day: dt.date
    title: str
    hours: float


@dataclass(frozen=True)
class ProfileHonour:
    title: str
    level: str
    issuer: str
    awarded_on: dt.date | None


@dataclass(frozen=True)
class ProfilePoints:
    """积分 of the span: the balance before and after it and the span's entries summed by kind."""

    opening: float
    earned: float  # 服务 lines
    redeemed: float  # 兑换 lines (negative)
    adjusted: float  # 调整 lines
    entries: int
    closing: float


@dataclass(frozen=True)
class PersonProfile:
    person_id: int
    name: str
    gender: str
    birth_date: dt.date | None
    ethnicity: str
    political_status: str
    education: str
    former_employer: str
    former_post: str
    rank: str
    retirement_type: str
    unit: str
    community: str
    phone: str
    address: str
    status: str
    start: dt.date
    end: dt.date
    talents: tuple[tuple[str, str], ...]  # (人才库类别, 特长)
    teams: tuple[DatedRow, ...]  # name = team, role = 队长/队员 …
    party_orgs: tuple[DatedRow, ...]
    community_roles: tuple[DatedRow, ...]  # name = community, role = 楼长 …
    registrations: tuple[DatedRow, ...]  # 社区报到: name = community
    activities: tuple[ProfileActivity, ...]  # the span's, by date
    activity_count: int
    activity_hours: float
    honours: tuple[ProfileHonour, ...]
    points: ProfilePoints
    star_year: int
    star_level: int | None  # None: not rated that year
    printed_on: dt.date


def mask_profile(profile: PersonProfile, mask: MaskPolicy | None = None) -> PersonProfile:
    """The profile with the phone and address as the policy prints them (masked by default)."""
    policy = mask or MaskPolicy()
    return dataclasses.replace(
        profile,
        phone=str(policy.value("phone", profile.phone) or ""),
        address=str(policy.value("address", profile.address) or ""),
    )
