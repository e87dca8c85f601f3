"""The statistics behind 表1–表4 and the narrative, for a period and a scope.

Counting rules (also printed in every report's 编报说明, see :data:`COUNTING_RULES`):

* An activity belongs to the period of its date (``occurred_on``, both ends inclusive) and to the
  row of the unit that organised it: 表1 has one row per unit directly under the scope, holding
  everything organised by that unit or any unit below it; activities of the scope unit itself (or
  with no unit) form the row "本级".
* 场次 is the sum of ``sessions``; 参与人次, 服务时长 and 受益人次 are sums of the activity figures.
* A volunteer (志愿者) is a person on the roster who, during the period, is a member of a volunteer
  team that is not 撤销 (registered volunteers; people named on an activity without joining a team
  show in 参与人次, not here).  Each person counts once, in the row of his own 所属单位, however many
  teams he serves in — so the 合计 row is the sum of the rows.
  其中党员: those whose 政治面貌 is 中共党员 or 中共预备党员.
* 志愿服务队 counts teams not 撤销 and founded by the period end, in the row of their unit.
* 表3 is a stock at the period end: party organisations existing then, party members on the roster,
  co-building agreements signed and not ended, people registered with their community, people
  holding each community role, places (阵地) open.
* 表4 follows :mod:`silverdesk.services.statistics.market`: 资源条目 = resources listed by the period end and
  available then; 需求条目 = demands raised in the period; 对接次数 = orders published in the period;
  签约订单 / 完成订单 = orders signed / completed in it.
* A subordinate unit that sent its own report for exactly this period (imported with
  ``silverdesk import --kind report``) is shown with the figures it reported (汇总), replacing
  what is recorded here for that unit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, case, distinct, func, or_, select
from sqlalchemy.orm import Session

from silverdesk.db.models import (
    CoBuildingAgreement,
    Lookup,
    PartyOrg,
    Person,
    PersonCommunityRole,
    Place,
    SubmittedReport,
    Team,
    TeamMember,
    Unit,
)
from silverdesk.domain.dates import month_label
from silverdesk.errors import UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.reports.model import (
    CategoryRow,
    OrgFigures,
    Period,
    ReportData,
    SupplyDemand,
    Totals,
    TrendPoint,
    UnitRow,
)
from silverdesk.services.base import Context
from silverdesk.services.org.lookups import SETTING_NAMES
from silverdesk.services.statistics.periods import ReportPeriod, months_ending
from silverdesk.services.statistics.rollup import Agg, Rollup

PARTY_STATUSES = ("中共党员", "中共预备党员")
OWN_ROW = "本级"
TITLES = {"month": "统计月报", "quarter": "统计季报", "year": "统计年报", "custom": "统计报表"}

# the report's signatories, settings of 设置 › 本单位 (their names, SETTING_NAMES, are the footer's labels)
SIGNATORIES = ("report_leader", "report_reviewer", "report_preparer", "report_phone")

COUNTING_RULES = (
    "活动按活动日期计入统计时段（含首尾两日），按组织单位计入表1中其所属的下一级单位；本单位直接组织的活动列为“本级”。",
    "场次、参与人次、服务时长、受益人次为各项活动登记数之和；年度累计自当年1月1日起至本期末。",
    "志愿者指本期内在志愿服务队（未撤销）名册中的在册离退休干部（未入队的活动参与人员计入参与人次），"
    "同一人参加多支队伍只计一次，计入其所属单位，故合计等于各行之和；其中党员指中共党员和预备党员。",
    "表3为期末时点数：党组织、党员、有效共建协议、已到社区报到人数、各类社区任职人数（一人多职分别计入各职务，“任职人数”不重复计）、在用阵地。",
    "表4中资源条目为期末在册未撤销的资源；需求条目、对接次数、签约订单、完成订单分别按需求提出、订单发布、签约、完成日期计入本期。",
    "下级单位报送了本时段报表并已导入的，该单位按其报送数据汇总。",
)


@dataclass
class _Sums:
    activities: int = 0
    participations: int = 0
    hours: float = 0.0
    beneficiaries: int = 0

    def add(self, sessions: int, participants: int, hours: float, beneficiaries: int) -> None:
        self.activities += int(sessions or 0)
        self.participations += int(participants or 0)
        self.hours += float(hours or 0)
        self.beneficiaries += int(beneficiaries or 0)


@dataclass
class _Scope:
    root_id: int
    name: str
    is_county: bool
    rows: list[tuple[int | None, str]]  # (unit id or None for 本级, label)
    row_of: dict[int, int]  # unit id → index in rows
    unit_ids: set[int] = field(default_factory=set)


class StatisticsService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._rollup = Rollup(ctx.db)
        self._cache: dict[tuple[dt.date, dt.date], list[Agg]] = {}

    # -- public ---------------------------------------------------------------------------------
    def report(
        self,
        period: ReportPeriod,
        unit_id: int | None = None,
        *,
        reported_on: dt.date | None = None,
        progress: Progress = null_progress,
        cancel: CancelToken = NEVER,
    ) -> ReportData:
        """The report's figures; its footer signed as set in 设置 › 本单位, dated ``reported_on``
        (报送日期, default today)."""
        self._cache.clear()
        with self.ctx.db.reader() as s:
            settings = self._settings(s)
            scope = self._scope(s, unit_id)
            progress(1, 8, "统计活动")
            cur = self._activity_sums(s, scope, period.start, period.end)
            ytd = self._activity_sums(s, scope, dt.date(period.end.year, 1, 1), period.end)
            cancel.raise_if_set()
            progress(2, 8, "统计队伍和志愿者")
            teams = self._teams(s, scope, period.end)
            volunteers = self._volunteers(s, scope, period.start, period.end)
            progress(3, 8, "统计服务领域")
            categories = self._categories(s, scope, period.start, period.end)
            cancel.raise_if_set()
            progress(4, 8, "统计组织建设")
            table3 = self._org_figures(s, scope, period.end)
            table4 = self._supply_demand(s, scope, period.start, period.end)
            progress(5, 8, "对比上期和同期")
            submitted = self._submitted(s, scope, period)
            rows = self._table1(scope, cur, ytd, teams, volunteers, submitted)
            total = _total_row(rows)
            table2, table2_total = self._table2(categories, submitted)
            if submitted:
                table3, table4 = _add_submitted_org(table3, table4, submitted.values())
            current = Totals(
                total.activities,
                total.participations,
                round(total.hours, 1),
                total.beneficiaries,
                total.teams,
                total.volunteers,
            )
            previous = self._totals(s, scope, period.previous())
            last_year = self._totals(s, scope, period.same_last_year())
            ytd_period = period.year_to_date()
            ytd_totals = (
                Totals(total.ytd_activities, 0, 0.0, total.ytd_beneficiaries, total.teams, 0)
                if submitted
                else self._totals(s, scope, ytd_period)
            )
            cancel.raise_if_set()
            progress(7, 8, "统计月度趋势")
            trend = self._trend(s, scope, period.end)
        progress(8, 8, "完成")
        scope_label = "全县" if scope.is_county else scope.name
        bureau = settings.get("bureau_name", "")
        if not bureau or "XX" in bureau:
            bureau = f"中共{scope.name}委老干部局"
        footer = report_footer(settings, reported_on or self.ctx.today())
        return ReportData(
            title=f"{scope.name}离退休干部志愿服务工作{TITLES[period.kind]}",
            issuer=bureau if scope.is_county else scope.name,
            scope=scope_label,
            period=Period(period.start, period.end, period.kind, period.label, period.range_text),
            table1=tuple(rows),
            table1_total=total,
            table2=tuple(table2),
            table2_total=table2_total,
            table3=table3,
            table4=table4,
            current=current,
            previous=previous,
            last_year=last_year,
            year_to_date=ytd_totals,
            trend=tuple(trend),
            narrative="",
            notes=COUNTING_RULES,
            footer=footer,
            generated_at=self.ctx.clock(),
        )

    def totals(self, period: ReportPeriod, unit_id: int | None = None) -> Totals:
        with self.ctx.db.reader() as s:
            return self._totals(s, self._scope(s, unit_id), period)

    # -- scope ----------------------------------------------------------------------------------
    def _settings(self, s: Session) -> dict[str, str]:
        from silverdesk.db.models import Setting

        return dict(s.execute(select(Setting.key, Setting.value)).all())

    def _scope(self, s: Session, unit_id: int | None) -> _Scope:
        units = s.execute(select(Unit.id, Unit.name, Unit.parent_id, Unit.sort_order, Unit.active)).all()
        if not units:
            raise UserError("还没有单位：请先在“设置”里建立本县及下级单位")
        children: dict[int | None, list] = defaultdict(list)
        for u in sorted(units, key=lambda u: (u.sort_order, u.id)):
            children[u.parent_id].append(u)
        by_id = {u.id: u for u in units}
        if unit_id is None:
            roots = children[None]
            root = roots[0]
        else:
            root = by_id.get(unit_id)
            if root is None:
                raise UserError("所选单位不存在")
        rows: list[tuple[int | None, str]] = [(c.id, c.name) for c in children[root.id]]
        row_of: dict[int, int] = {}
        for index, (cid, _) in enumerate(rows):
            stack = [cid]
            while stack:
                uid = stack.pop()
                row_of[uid] = index
                stack.extend(c.id for c in children[uid])
        rows.append((None, OWN_ROW))
        row_of[root.id] = len(rows) - 1
        return _Scope(root.id, root.name, root.parent_id is None, rows, row_of, set(row_of))

    def _in_scope(self, column, scope: _Scope):  # type: ignore[no-untyped-def]
        """A filter on a unit column: everything for the county, the subtree otherwise."""
        if scope.is_county:
            return True
        return column.in_(sorted(scope.unit_ids))

    def _row_index(self, scope: _Scope, unit_id: int | None) -> int | None:
        if unit_id is None:
            return len(scope.rows) - 1 if scope.is_county else None
        index = scope.row_of.get(unit_id)
        if index is None and scope.is_county:
            return len(scope.rows) - 1
        return index

    # -- activity figures (from the month roll-up) -----------------------------------------------
    def _aggs(self, scope: _Scope, start: dt.date, end: dt.date) -> list[Agg]:
        """Roll-up rows of the period that belong to the scope, cached per report."""
        key = (start, end)
        if key not in self._cache:
            rows = self._rollup.rows(start, end)
            if not scope.is_county:
                rows = [r for r in rows if r.unit_id in scope.unit_ids]
            self._cache[key] = rows
        return self._cache[key]

    def _activity_sums(self, s: Session, scope: _Scope, start: dt.date, end: dt.date) -> list[_Sums]:
        out = [_Sums() for _ in scope.rows]
        for r in self._aggs(scope, start, end):
            index = self._row_index(scope, r.unit_id)
            if index is not None:
                out[index].add(r.activities, r.participations, r.hours, r.beneficiaries)
        return out

    def _teams(self, s: Session, scope: _Scope, end: dt.date) -> list[int]:
        out = [0] * len(scope.rows)
        stmt = (
            select(Team.unit_id, func.count())
            .where(
                Team.status != "撤销",
                or_(Team.founded_on.is_(None), Team.founded_on <= end),
                self._in_scope(Team.unit_id, scope),
            )
            .group_by(Team.unit_id)
        )
        for unit_id, n in s.execute(stmt):
            index = self._row_index(scope, unit_id)
            if index is not None:
                out[index] += n
        return out

    def _volunteer_ids(self, start: dt.date, end: dt.date):  # type: ignore[no-untyped-def]
        on_team = (
            select(TeamMember.person_id)
            .join(Team, Team.id == TeamMember.team_id)
            .where(
                Team.status != "撤销",
                or_(TeamMember.joined_on.is_(None), TeamMember.joined_on <= end),
                or_(TeamMember.left_on.is_(None), TeamMember.left_on >= start),
            )
        )
        return on_team.distinct().subquery()

    def _volunteers(self, s: Session, scope: _Scope, start: dt.date, end: dt.date) -> list[tuple[int, int]]:
        ids = self._volunteer_ids(start, end)
        party = func.sum(case((Person.political_status.in_(PARTY_STATUSES), 1), else_=0))
        stmt = (
            select(Person.unit_id, func.count(), party)
            .where(Person.id.in_(select(ids.c[0])), _on_roster(start), self._in_scope(Person.unit_id, scope))
            .group_by(Person.unit_id)
        )
        out = [[0, 0] for _ in scope.rows]
        for unit_id, n, members in s.execute(stmt):
            index = self._row_index(scope, unit_id)
            if index is not None:
                out[index][0] += n
                out[index][1] += int(members or 0)
        return [(a, b) for a, b in out]

    def _categories(self, s: Session, scope: _Scope, start: dt.date, end: dt.date) -> dict[str, _Sums]:
        names = dict(
            s.execute(
                select(Lookup.id, Lookup.name)
                .where(Lookup.kind == "activity_category")
                .order_by(Lookup.sort_order)
            ).all()
        )
        active = set(s.scalars(select(Lookup.id).where(Lookup.kind == "activity_category", Lookup.active)))
        out: dict[str, _Sums] = {names[i]: _Sums() for i in names if i in active}
        for r in self._aggs(scope, start, end):
            out.setdefault(names.get(r.category_id, "未分类"), _Sums()).add(
                r.activities, r.participations, r.hours, r.beneficiaries
            )
        return out

    def _totals(self, s: Session, scope: _Scope, period: ReportPeriod) -> Totals:
        sums = _Sums()
        for row in self._activity_sums(s, scope, period.start, period.end):
            sums.add(row.activities, row.participations, row.hours, row.beneficiaries)
        volunteers = sum(v for v, _ in self._volunteers(s, scope, period.start, period.end))
        return Totals(
            sums.activities,
            sums.participations,
            round(sums.hours, 1),
            sums.beneficiaries,
            sum(self._teams(s, scope, period.end)),
            volunteers,
        )

    def _trend(self, s: Session, scope: _Scope, end: dt.date) -> list[TrendPoint]:
        months = months_ending(end, 12)
        found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self._aggs(scope, months[0].start, months[-1].end):
            found[r.month][0] += r.activities
            found[r.month][1] += r.beneficiaries
        return [
            TrendPoint(month_label(m.start.year, m.start.month), *found.get(m.code, (0, 0))) for m in months
        ]

    # -- 表3 and 表4 -----------------------------------------------------------------------------
    def _org_figures(self, s: Session, scope: _Scope, end: dt.date) -> OrgFigures:
        orgs = (
            s.scalar(
                select(func.count())
                .select_from(PartyOrg)
                .where(
                    or_(PartyOrg.founded_on.is_(None), PartyOrg.founded_on <= end),
                    or_(PartyOrg.dissolved_on.is_(None), PartyOrg.dissolved_on > end),
                    self._in_scope(PartyOrg.unit_id, scope),
                )
            )
            or 0
        )
        roster = and_(_on_roster(end), self._in_scope(Person.unit_id, scope))
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
                .where(
                    or_(CoBuildingAgreement.signed_on.is_(None), CoBuildingAgreement.signed_on <= end),
                    or_(CoBuildingAgreement.ended_on.is_(None), CoBuildingAgreement.ended_on > end),
                    self._in_scope(PartyOrg.unit_id, scope),
                )
            )
            or 0
        )
        registered = (
            s.scalar(
                select(func.count())
                .select_from(Person)
                .where(roster, Person.registered_on.is_not(None), Person.registered_on <= end)
            )
            or 0
        )
        role_active = and_(
            or_(PersonCommunityRole.since.is_(None), PersonCommunityRole.since <= end),
            or_(PersonCommunityRole.until.is_(None), PersonCommunityRole.until >= end),
        )
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
                select(func.count())
                .select_from(Place)
                .where(
                    or_(Place.opened_on.is_(None), Place.opened_on <= end),
                    or_(Place.closed_on.is_(None), Place.closed_on > end),
                    self._in_scope(Place.unit_id, scope),
                )
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

    def _supply_demand(self, s: Session, scope: _Scope, start: dt.date, end: dt.date) -> SupplyDemand:
        """表4, counted by the supermarket's own rules (services/statistics/market.py) so both agree."""
        from silverdesk.services.statistics.market import MarketStatsService

        t4 = MarketStatsService(self.ctx).table4(start, end, None if scope.is_county else scope.root_id)
        return SupplyDemand(t4.resources, t4.demands, t4.matches, t4.signed, t4.completed)

    # -- 汇总: reports sent by subordinate units -------------------------------------------------
    def _submitted(self, s: Session, scope: _Scope, period: ReportPeriod) -> dict[int, ReportData]:
        from silverdesk.reports.codec import report_from_plain

        row_units = [uid for uid, _ in scope.rows if uid is not None]
        out: dict[int, ReportData] = {}
        for unit_id, figures in s.execute(
            select(SubmittedReport.unit_id, SubmittedReport.figures_json).where(
                SubmittedReport.unit_id.in_(row_units),
                SubmittedReport.period_start == period.start,
                SubmittedReport.period_end == period.end,
            )
        ):
            out[unit_id] = report_from_plain(json.loads(figures))
        return out

    def _table1(
        self,
        scope: _Scope,
        cur: list[_Sums],
        ytd: list[_Sums],
        teams: list[int],
        volunteers: list[tuple[int, int]],
        submitted: dict[int, ReportData],
    ) -> list[UnitRow]:
        rows: list[UnitRow] = []
        for index, (unit_id, label) in enumerate(scope.rows):
            if unit_id is not None and unit_id in submitted:
                t = submitted[unit_id].table1_total
                rows.append(
                    UnitRow(
                        0,
                        label,
                        t.teams,
                        t.volunteers,
                        t.party_members,
                        t.activities,
                        t.participations,
                        t.hours,
                        t.beneficiaries,
                        t.ytd_activities,
                        t.ytd_beneficiaries,
                        "据报表汇总",
                    )
                )
                continue
            c, y = cur[index], ytd[index]
            if unit_id is None and not (c.activities or y.activities or teams[index] or volunteers[index][0]):
                continue  # no 本级 row when the scope itself has nothing
            rows.append(
                UnitRow(
                    0,
                    label,
                    teams[index],
                    volunteers[index][0],
                    volunteers[index][1],
                    c.activities,
                    c.participations,
                    round(c.hours, 1),
                    c.beneficiaries,
                    y.activities,
                    y.beneficiaries,
                )
            )
        return [
            UnitRow(i, *(getattr(r, f) for f in _UNITROW_FIELDS[1:])) for i, r in enumerate(rows, start=1)
        ]

    def _table2(
        self, categories: dict[str, _Sums], submitted: dict[int, ReportData]
    ) -> tuple[list[CategoryRow], CategoryRow]:
        for data in submitted.values():
            for row in data.table2:
                categories.setdefault(row.category, _Sums()).add(
                    row.activities, row.participations, row.hours, row.beneficiaries
                )
        total = _Sums()
        for c in categories.values():
            total.add(c.activities, c.participations, c.hours, c.beneficiaries)
        rows = [
            CategoryRow(
                name,
                c.activities,
                c.participations,
                round(c.hours, 1),
                c.beneficiaries,
                round(c.activities / total.activities, 4) if total.activities else 0.0,
            )
            for name, c in categories.items()
        ]
        return rows, CategoryRow(
            "合计",
            total.activities,
            total.participations,
            round(total.hours, 1),
            total.beneficiaries,
            1.0 if total.activities else 0.0,
        )


def report_footer(settings: dict[str, str], reported_on: dt.date) -> tuple[tuple[str, str], ...]:
    """The footer fields: the signatories as set (a blank one stays blank: the writers print a line to
    sign on), then 报送日期."""
    return (
        *((SETTING_NAMES[key], settings.get(key, "").strip()) for key in SIGNATORIES),
        ("报送日期", f"{reported_on.year}年{reported_on.month}月{reported_on.day}日"),
    )


_UNITROW_FIELDS = (
    "seq",
    "unit",
    "teams",
    "volunteers",
    "party_members",
    "activities",
    "participations",
    "hours",
    "beneficiaries",
    "ytd_activities",
    "ytd_beneficiaries",
    "note",
)


def _total_row(rows: Iterable[UnitRow]) -> UnitRow:
    rows = list(rows)

    def total(name: str) -> float:
        return sum(getattr(r, name) for r in rows)

    return UnitRow(
        None,
        "合计",
        int(total("teams")),
        int(total("volunteers")),
        int(total("party_members")),
        int(total("activities")),
        int(total("participations")),
        round(total("hours"), 1),
        int(total("beneficiaries")),
        int(total("ytd_activities")),
        int(total("ytd_beneficiaries")),
    )


def _add_submitted_org(
    t3: OrgFigures, t4: SupplyDemand, reports: Iterable[ReportData]
) -> tuple[OrgFigures, SupplyDemand]:
    roles = dict(t3.community_roles)
    for data in reports:
        o, d = data.table3, data.table4
        for name, n in o.community_roles:
            roles[name] = roles.get(name, 0) + n
        t3 = OrgFigures(
            t3.party_orgs + o.party_orgs,
            t3.party_members + o.party_members,
            t3.agreements + o.agreements,
            t3.registered + o.registered,
            (),
            t3.community_role_people + o.community_role_people,
            t3.places + o.places,
        )
        t4 = SupplyDemand(
            t4.resources + d.resources,
            t4.demands + d.demands,
            t4.matches + d.matches,
            t4.orders_signed + d.orders_signed,
            t4.orders_completed + d.orders_completed,
        )
    return OrgFigures(
        t3.party_orgs,
        t3.party_members,
        t3.agreements,
        t3.registered,
        tuple(roles.items()),
        t3.community_role_people,
        t3.places,
    ), t4


def _on_roster(since: dt.date):  # type: ignore[no-untyped-def]
    """On the roster at some time from ``since`` on: 在册, or left (去世/迁出) after that day."""
    return or_(Person.status == "在册", Person.status_changed_on.is_(None), Person.status_changed_on > since)
