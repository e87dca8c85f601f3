"""The statistics report's data (DTO): what the statistics service fills and the writers print.

Everything is frozen and made of plain values (ints, floats, strings, dates and tuples), so a
report can be compared, hashed, cached and serialised (see :mod:`silverdesk.reports.codec`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Period:
    """The period a report covers."""

    start: date
    end: date
    kind: str  # "month" | "quarter" | "year" | "custom" | "since" (累计 from ``start`` up to ``end``)
    label: str  # "2026年10月", "2026年第三季度", "2026年", "2026年1月1日—6月30日", "2020年5月1日以来累计"
    range_text: str  # "2026年10月1日—10月31日"


@dataclass(frozen=True)
class UnitRow:
    """表1: one subordinate unit (or the 合计 row, with ``seq=None``)."""

    seq: int | None
    unit: str
    teams: int
    volunteers: int
    party_members: int
    activities: int
    participations: int
    hours: float
    beneficiaries: int
    ytd_activities: int
    ytd_beneficiaries: int
    note: str = ""


@dataclass(frozen=True)
class CategoryRow:
    """表2: one 服务领域 (or the 合计 row)."""

    category: str
    activities: int
    participations: int
    hours: float
    beneficiaries: int
    share: float  # share of activities, 0..1


@dataclass(frozen=True)
class OrgFigures:
    """表3 组织建设与作用发挥."""

    party_orgs: int
    party_members: int
    agreements: int
    registered: int
    community_roles: tuple[tuple[str, int], ...]  # (role, people), e.g. ("楼长", 30)
    community_role_people: int  # distinct people holding any role
    places: int


@dataclass(frozen=True)
class SupplyDemand:
    """表4 供需对接."""

    resources: int
    demands: int
    matches: int
    orders_signed: int
    orders_completed: int


@dataclass(frozen=True)
class Totals:
    """Headline figures of a period, for comparisons."""

    activities: int
    participations: int
    hours: float
    beneficiaries: int
    teams: int
    volunteers: int


@dataclass(frozen=True)
class TrendPoint:
    """One month of the 12-month trend ending with the report's period."""

    label: str
    activities: int
    beneficiaries: int


@dataclass(frozen=True)
class ReportData:
    """A whole statistics report (月报/季报/年报) for one scope and period."""

    title: str  # "XX县离退休干部志愿服务工作统计月报"
    issuer: str  # 填报单位, e.g. "中共XX县委老干部局"
    scope: str  # "全县" or a unit name
    period: Period
    table1: tuple[UnitRow, ...]
    table1_total: UnitRow
    table2: tuple[CategoryRow, ...]
    table2_total: CategoryRow
    table3: OrgFigures
    table4: SupplyDemand
    current: Totals
    previous: Totals | None
    last_year: Totals | None
    year_to_date: Totals
    trend: tuple[TrendPoint, ...]
    narrative: str  # editable paragraph(s); "" → writers use reports.narrative.build_narrative(data)
    notes: tuple[str, ...]  # 编报说明 lines (counting rules)
    footer: tuple[tuple[str, str], ...]  # (("单位负责人", ""), ("填表人", "张三"), …)
    generated_at: datetime
