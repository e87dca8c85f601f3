"""The statistics behind 表1–表4 and the narrative, for a period and a scope.

Counting rules (also printed in every report's 编报说明, see :data:`COUNTING_RULES`):

* An activity belongs to the period of its date (``occurred_on``, both ends inclusive) and to the
  row of the unit that organised it: 表1 has one row per unit directly under the scope, holding
  everything organised by that unit or any unit below it; activities of the scope unit itself (or
  with no unit) form the row "本级".
* 场次 is the sum of ``sessions``; 参与人次, 服务时长 and 受益人次 are sums of the activity figures.
* Every count below follows the dates its records held (:mod:`silverdesk.services.statistics.asof`, one
  rule each): removing a member, ending a role or 撤销 a team records an end date and changes no past
  period; a date not known counts as "always".
* A volunteer (志愿者) is a person on the roster during the period who, during the period, is a member
  (by ``joined_on``/``left_on``) of a volunteer team that existed during it (founded by the end, not
  撤销 before the start) — registered volunteers; people named on an activity without joining a team
  show in 参与人次, not here.  Each person counts once, in the row of his own 所属单位, however many
  teams he serves in — so the 合计 row is the sum of the rows.
  其中党员: those whose 政治面貌 is 中共党员 or 中共预备党员.
* 志愿服务队 counts teams existing at the period end (founded by it, not 撤销 on or before it), in the
  row of their unit.
* 表3 is a stock at the period end: party organisations existing then, party members on the roster,
  co-building agreements signed and not ended, people registered with their community then (社区报到,
  past registrations included), people holding each community role then, places (阵地) open.
* 表4 follows :mod:`silverdesk.services.statistics.market`: 资源条目 = resources listed by the period end and
  可用 on that day (their status then); 需求条目 = demands raised in the period; 对接次数 = orders
  published in the period and not 撤销 by its end; 签约订单 / 完成订单 = orders signed / completed in it.
* A subordinate unit that sent its own report for exactly this period (imported with
  ``silverdesk import --kind report``) is shown with the figures it reported (汇总), replacing
  what is recorded here for that unit; without one, its monthly returns inside the period are summed
  by :data:`silverdesk.services.statistics.returns.RULE` (:func:`~silverdesk.services.statistics.returns.returns_for`),
  and the 12-month trend and the 环比/同比 totals use its returns the same way.

Here the figures are assembled into the report (表1 and 表2 rows, 合计, 汇总 of reports sent in);
the query behind each table is in :mod:`silverdesk.services.statistics.figures`, the scope and its rows
in :mod:`silverdesk.services.statistics.scope`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

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
from silverdesk.services.statistics.figures import (
    Sums,
    activity_sums,
    category_sums,
    monthly_trend,
    org_figures,
    supply_demand,
    team_counts,
    volunteer_counts,
)
from silverdesk.services.statistics.periods import REPORT_NAMES, ReportPeriod, months_ending
from silverdesk.services.statistics.query.units import UnitScope
from silverdesk.services.statistics.returns import RULE as RETURNS_RULE
from silverdesk.services.statistics.returns import monthly_returns, returns_for, trend_with_returns
from silverdesk.services.statistics.rollup import Agg, Rollup
from silverdesk.services.statistics.scope import Scope, load_scope

TITLES = REPORT_NAMES

# the report's signatories, settings of 设置 › 本单位 (their names, SETTING_NAMES, are the footer's labels)
SIGNATORIES = ("report_leader", "report_reviewer", "report_preparer", "report_phone")

COUNTING_RULES = (
    "活动按活动日期计入统计时段（含首尾两日），按组织单位计入表1中其所属的下一级单位；本单位直接组织的活动列为“本级”。",
    "场次、参与人次、服务时长、受益人次为各项活动登记数之和；年度累计自当年1月1日起至本期末。",
    "各项数字按记录当时的起止日期计算（入队和离队、任职起止、社区报到、队伍和党组织的成立和撤销、阵地启用和停用、资源和订单状态的变更日期），"
    "事后移出队员、卸任或撤销不改变以往时段的数字；日期不详的视为一直有效。",
    "志愿服务队为期末存续的队伍（成立日期不晚于期末，未撤销或撤销日期在期末之后）。"
    "志愿者指本期内在册、且本期内在某支本期存续的志愿服务队名册中的离退休干部（未入队的活动参与人员计入参与人次），"
    "同一人参加多支队伍只计一次，计入其所属单位，故合计等于各行之和；其中党员指中共党员和预备党员。",
    "表3为期末时点数：党组织、党员、有效共建协议、期末社区报到人数、期末各类社区任职人数（一人多职分别计入各职务，“任职人数”不重复计）、在用阵地。",
    "表4中资源条目为期末已登记且期末时状态为可用的资源（期后暂停或撤销的仍计入本期）；需求条目、对接次数、签约订单、完成订单"
    "分别按需求提出、订单发布、签约、完成日期计入本期，期末前已撤销的订单不计。",
    RETURNS_RULE,
)


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
            scope = load_scope(s, unit_id)
            progress(1, 8, "统计活动")
            cur = activity_sums(scope, self._aggs(scope, period.start, period.end))
            ytd = activity_sums(scope, self._aggs(scope, dt.date(period.end.year, 1, 1), period.end))
            cancel.raise_if_set()
            progress(2, 8, "统计队伍和志愿者")
            teams = team_counts(s, scope, period.end)
            volunteers = volunteer_counts(s, scope, period.start, period.end)
            progress(3, 8, "统计服务领域")
            submitted = self._submitted(s, scope, period)
            own = _not_returned(scope, self._aggs(scope, period.start, period.end), set(submitted))
            categories = category_sums(s, own)  # a unit that sent its return counts by it in 表2 too
            cancel.raise_if_set()
            progress(4, 8, "统计组织建设")
            table3 = org_figures(s, scope, period.end)
            table4 = supply_demand(self.ctx, scope, period.start, period.end)
            progress(5, 8, "对比上期和同期")
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
            last_year = (
                None if period.no_same_last_year() else self._totals(s, scope, period.same_last_year())
            )
            ytd_period = period.year_to_date()
            ytd_totals = (
                Totals(total.ytd_activities, 0, 0.0, total.ytd_beneficiaries, total.teams, 0)
                if submitted
                else self._totals(s, scope, ytd_period)
            )
            cancel.raise_if_set()
            progress(7, 8, "统计月度趋势")
            trend = self._trend(s, scope, period.end)
            scope_label = UnitScope.load(s, unit_id).label  # 全县 / 全市 / 全区, or the unit's name
        progress(8, 8, "完成")
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
            return self._totals(s, load_scope(s, unit_id), period)

    # -- settings, and the month roll-up the activity figures come from --------------------------
    def _settings(self, s: Session) -> dict[str, str]:
        from silverdesk.db.models import Setting

        return dict(s.execute(select(Setting.key, Setting.value)).all())

    def _aggs(self, scope: Scope, start: dt.date, end: dt.date) -> list[Agg]:
        """Roll-up rows of the period that belong to the scope, cached per report."""
        key = (start, end)
        if key not in self._cache:
            rows = self._rollup.rows(start, end)
            if not scope.is_county:
                rows = [r for r in rows if r.unit_id in scope.unit_ids]
            self._cache[key] = rows
        return self._cache[key]

    def _totals(self, s: Session, scope: Scope, period: ReportPeriod) -> Totals:
        """The 合计 of 表1 for ``period`` (for 环比 and 同比): subordinates' returns counted as in 表1."""
        cur = activity_sums(scope, self._aggs(scope, period.start, period.end))
        teams = team_counts(s, scope, period.end)
        volunteers = volunteer_counts(s, scope, period.start, period.end)
        t = _total_row(self._table1(scope, cur, cur, teams, volunteers, self._submitted(s, scope, period)))
        return Totals(t.activities, t.participations, t.hours, t.beneficiaries, t.teams, t.volunteers)

    def _trend(self, s: Session, scope: Scope, end: dt.date) -> list[TrendPoint]:
        """The twelve months ending with ``end``'s; a subordinate's month return replaces its records of
        that month, as in 表1."""
        months = months_ending(end, 12)
        aggs = self._aggs(scope, months[0].start, months[-1].end)
        points = monthly_trend(months, aggs)
        returned = monthly_returns(s, [uid for uid, _ in scope.rows if uid is not None], months)
        if not returned:
            return points
        own: dict[tuple[str, int], tuple[int, int]] = {}  # the returned units' own records, by month
        for a in aggs:
            index = scope.row_index(a.unit_id)
            uid = scope.rows[index][0] if index is not None else None
            if uid is not None and uid in returned.get(a.month, {}):
                n, b = own.get((a.month, uid), (0, 0))
                own[(a.month, uid)] = (n + a.activities, b + a.beneficiaries)
        return trend_with_returns(points, months, returned, own)

    # -- 汇总: reports sent by subordinate units -------------------------------------------------
    def _submitted(self, s: Session, scope: Scope, period: ReportPeriod) -> dict[int, ReportData]:
        """The returns of the units of 表1's rows for the period (exact, or built from their months)."""
        return returns_for(s, [uid for uid, _ in scope.rows if uid is not None], period.start, period.end)

    def _table1(
        self,
        scope: Scope,
        cur: list[Sums],
        ytd: list[Sums],
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
                        t.note or "据报表汇总",
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
        self, categories: dict[str, Sums], submitted: dict[int, ReportData]
    ) -> tuple[list[CategoryRow], CategoryRow]:
        for data in submitted.values():
            for row in data.table2:
                categories.setdefault(row.category, Sums()).add(
                    row.activities, row.participations, row.hours, row.beneficiaries
                )
        total = Sums()
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


def _not_returned(scope: Scope, aggs: Iterable[Agg], returned: set[int]) -> list[Agg]:
    """The roll-up rows not of a row of 表1 whose unit sent a return: its figures come from the return."""
    out = []
    for a in aggs:
        index = scope.row_index(a.unit_id)
        if index is None or scope.rows[index][0] not in returned:
            out.append(a)
    return out


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
        value: float = sum(getattr(r, name) for r in rows)
        return value

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
