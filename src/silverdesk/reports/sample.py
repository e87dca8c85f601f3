"""A realistic, deterministic sample report: for tests, the GUI preview and the benchmarks.

A county with 15 subordinate units (incl. names with rare characters 䶮, 𠮷, 堃), October 2026.
All figures are internally consistent: 合计 rows are the sums of their rows, 表2 adds up to 表1,
the trend's last point is the current month and the year-to-date figures agree with the trend.
"""

from __future__ import annotations

import random
from datetime import date, datetime

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

UNITS: tuple[str, ...] = (
    "城关街道",
    "龙泉街道",
    "䶮山镇",
    "堃河镇",
    "𠮷家庄乡",
    "石桥镇",
    "柳林镇",
    "青龙湾乡",
    "县委组织部",
    "县教育和体育局",
    "县卫生健康局",
    "县农业农村局",
    "县司法局",
    "县人民医院",
    "县供销合作社",
)

CATEGORIES: tuple[str, ...] = (
    "理论宣讲",
    "助推产业发展",
    "促进乡村振兴",
    "参与社区治理",
    "矛盾纠纷调解",
    "关心下一代",
    "为老服务",
    "文明创建",
    "健康义诊",
    "法治宣传",
    "生态环保",
    "建言献策",
)

NOTES: tuple[str, ...] = (
    "活动场次按实际组织开展的活动计，同一活动跨多日的按1场次计。",
    "参与人次、受益群众人次按人次累计，同一人多次参与的分别计算。",
    "服务时长为参与志愿者服务时长之和，单位为小时，保留1位小数。",
    "年度累计为本年1月1日至统计时段末的累计数。",
    "表2占比为各服务领域活动场次占全部活动场次的比例。",
)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """Split ``total`` into ``parts`` non-negative integers with uneven, realistic weights."""
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    scale = total / sum(weights)
    out = [int(w * scale) for w in weights]
    for i in range(total - sum(out)):
        out[i % parts] += 1
    return out


def sample_report_data() -> ReportData:
    """The October 2026 monthly report of "XX县" with 15 units and 12 service categories."""
    rng = random.Random(20261031)
    rows: list[UnitRow] = []
    for seq, unit in enumerate(UNITS, start=1):
        teams = rng.randint(4, 14)
        volunteers = teams * rng.randint(9, 18)
        activities = rng.randint(8, 42)
        participations = activities * rng.randint(6, 15)
        tenths = participations * rng.randint(18, 36)  # 1.8–3.6 hours per participation
        beneficiaries = activities * rng.randint(30, 120)
        ytd_activities = activities * 9 + rng.randint(20, 90)
        note = {3: "新组建服务队1支", 5: "含堃河片区联合活动", 14: "义诊活动2场次"}.get(seq, "")
        rows.append(
            UnitRow(
                seq=seq,
                unit=unit,
                teams=teams,
                volunteers=volunteers,
                party_members=round(volunteers * rng.uniform(0.62, 0.9)),
                activities=activities,
                participations=participations,
                hours=tenths / 10,
                beneficiaries=beneficiaries,
                ytd_activities=ytd_activities,
                ytd_beneficiaries=beneficiaries * 9 + rng.randint(500, 3000),
                note=note,
            )
        )
    hours_tenths = sum(round(r.hours * 10) for r in rows)
    total = UnitRow(
        seq=None,
        unit="合计",
        teams=sum(r.teams for r in rows),
        volunteers=sum(r.volunteers for r in rows),
        party_members=sum(r.party_members for r in rows),
        activities=sum(r.activities for r in rows),
        participations=sum(r.participations for r in rows),
        hours=hours_tenths / 10,
        beneficiaries=sum(r.beneficiaries for r in rows),
        ytd_activities=sum(r.ytd_activities for r in rows),
        ytd_beneficiaries=sum(r.ytd_beneficiaries for r in rows),
    )

    n = len(CATEGORIES)
    acts = _split(total.activities, n, rng)
    parts = _split(total.participations, n, rng)
    tenths_split = _split(hours_tenths, n, rng)
    bens = _split(total.beneficiaries, n, rng)
    table2 = tuple(
        CategoryRow(c, acts[i], parts[i], tenths_split[i] / 10, bens[i], acts[i] / total.activities)
        for i, c in enumerate(CATEGORIES)
    )
    table2_total = CategoryRow(
        "合计", total.activities, total.participations, total.hours, total.beneficiaries, 1.0
    )

    roles = (("社区党委委员", 18), ("业委会成员", 26), ("楼长", 64), ("网格员", 41), ("调解员", 23))
    table3 = OrgFigures(
        party_orgs=42,
        party_members=total.party_members,
        agreements=37,
        registered=1268,
        community_roles=roles,
        community_role_people=157,
        places=31,
    )
    table4 = SupplyDemand(resources=126, demands=98, matches=73, orders_signed=41, orders_completed=29)

    current = Totals(
        total.activities,
        total.participations,
        total.hours,
        total.beneficiaries,
        total.teams,
        total.volunteers,
    )
    previous = Totals(
        total.activities - 23,
        total.participations - 180,
        round(total.hours - 412.5, 1),
        total.beneficiaries + 950,
        total.teams - 2,
        total.volunteers - 15,
    )
    last_year = Totals(
        round(total.activities * 0.84),
        round(total.participations * 0.8),
        round(total.hours * 0.78, 1),
        round(total.beneficiaries * 0.86),
        total.teams - 9,
        total.volunteers - 120,
    )

    # 12 months, Nov 2025 … Oct 2026; Jan–Oct add up to the year-to-date columns of 表1.
    labels = ["2025年11月", "2025年12月"] + [f"2026年{m}月" for m in range(1, 11)]
    earlier_acts = _split(total.ytd_activities - total.activities - previous.activities, 8, rng)
    earlier_bens = _split(total.ytd_beneficiaries - total.beneficiaries - previous.beneficiaries, 8, rng)
    months_acts = [
        rng.randint(260, 330),
        rng.randint(240, 300),
        *earlier_acts,
        previous.activities,
        total.activities,
    ]
    months_bens = [
        rng.randint(15000, 22000),
        rng.randint(14000, 20000),
        *earlier_bens,
        previous.beneficiaries,
        total.beneficiaries,
    ]
    trend = tuple(TrendPoint(lbl, a, b) for lbl, a, b in zip(labels, months_acts, months_bens, strict=True))
    ytd_tenths = round(total.hours * 10) * 9 + 12345
    year_to_date = Totals(
        total.ytd_activities,
        total.participations * 9 + 811,
        ytd_tenths / 10,
        total.ytd_beneficiaries,
        total.teams,
        total.volunteers,
    )

    return ReportData(
        title="XX县离退休干部志愿服务工作统计月报",
        issuer="中共XX县委老干部局",
        scope="全县",
        period=Period(date(2026, 10, 1), date(2026, 10, 31), "month", "2026年10月", "2026年10月1日—10月31日"),
        table1=tuple(rows),
        table1_total=total,
        table2=table2,
        table2_total=table2_total,
        table3=table3,
        table4=table4,
        current=current,
        previous=previous,
        last_year=last_year,
        year_to_date=year_to_date,
        trend=trend,
        narrative="",
        notes=NOTES,
        footer=(
            ("单位负责人", ""),
            ("审核人", ""),
            ("填表人", "李堃"),
            ("联系电话", "0536-1234567"),
            ("报送日期", "2026年11月3日"),
        ),
        generated_at=datetime(2026, 11, 3, 9, 30, 0),
    )
