"""汇总 at the level above from subordinates' returns: a city's quarter and year built from three counties'
monthly returns (one county missing November, one sending a quarter), the 12-month trend, 环比 — every
figure worked out by hand. The returns go the clerk's path: a workbook written by silverdesk, imported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from silverdesk.reports.model import (
    CategoryRow,
    OrgFigures,
    Period,
    ReportData,
    SupplyDemand,
    Totals,
    UnitRow,
)
from silverdesk.services.hub import Services
from silverdesk.services.statistics.periods import ReportPeriod, month, quarter, year
from silverdesk.services.statistics.reporting import ReportService
from silverdesk.services.statistics.returns import import_report, returns_for

# (场次, 参与人次, 时长, 受益人次, 队伍, 志愿者, 其中党员, 年累计场次, 年累计受益), 表2 {领域: (场次, 人次, 时长, 受益)},
# 表3 (党组织, 党员, 协议, 报到, {职务: 人数}, 任职人数, 阵地), 表4 (资源, 需求, 对接, 签约, 完成)
RETURNS: dict[tuple[str, str], tuple] = {
    ("青山县", "2026Q3"): (
        (20, 150, 75.0, 400, 3, 40, 25, 70, 1300),
        {"理论宣讲": (20, 150, 75.0, 400)},
        (5, 39, 2, 10, {"楼长": 3}, 3, 4),
        (6, 4, 4, 3, 3),
    ),
    ("青山县", "2026-10"): (
        (10, 100, 50.5, 200, 3, 30, 20, 80, 1500),
        {"理论宣讲": (6, 60, 30.5, 120), "为老服务": (4, 40, 20.0, 80)},
        (5, 40, 2, 12, {"楼长": 3}, 3, 4),
        (7, 2, 3, 2, 1),
    ),
    ("青山县", "2026-11"): (
        (8, 70, 40.0, 150, 4, 34, 21, 88, 1650),
        {"理论宣讲": (8, 70, 40.0, 150)},
        (5, 40, 2, 13, {"楼长": 3}, 3, 5),
        (8, 1, 1, 1, 1),
    ),
    ("青山县", "2026-12"): (
        (12, 90, 60.0, 250, 4, 31, 22, 100, 1900),
        {"为老服务": (12, 90, 60.0, 250)},
        (6, 41, 3, 15, {"楼长": 4}, 4, 5),
        (9, 3, 2, 2, 2),
    ),
    ("石门县", "2026-10"): (
        (5, 20, 10.0, 50, 2, 12, 5, 40, 400),
        {"文化艺术": (5, 20, 10.0, 50)},
        (2, 10, 1, 5, {"网格员": 2}, 2, 1),
        (3, 1, 1, 1, 0),
    ),
    # no November return from 石门县
    ("石门县", "2026-12"): (
        (7, 30, 14.5, 70, 2, 15, 6, 52, 520),
        {"文化艺术": (7, 30, 14.5, 70)},
        (2, 11, 1, 6, {"网格员": 3}, 3, 2),
        (4, 2, 2, 1, 1),
    ),
    ("河西区", "2026-10"): (
        (3, 30, 6.0, 60, 1, 8, 4, 30, 600),
        {"健康义诊": (3, 30, 6.0, 60)},
        (1, 5, 0, 2, {}, 0, 1),
        (2, 0, 0, 0, 0),
    ),
    ("河西区", "2026-11"): (
        (4, 40, 8.0, 80, 1, 9, 4, 34, 680),
        {"健康义诊": (4, 40, 8.0, 80)},
        (1, 5, 0, 2, {}, 0, 1),
        (2, 1, 1, 0, 0),
    ),
    ("河西区", "2026-12"): (
        (2, 20, 4.0, 40, 2, 7, 3, 36, 720),
        {"健康义诊": (2, 20, 4.0, 40)},
        (1, 6, 1, 3, {}, 0, 2),
        (3, 0, 1, 1, 1),
    ),
}


def _return(county: str, period: ReportPeriod, figures: tuple) -> ReportData:
    t1, t2, t3, t4 = figures
    acts, parts, hours, ben, teams, vols, party, ytd_acts, ytd_ben = t1
    total = UnitRow(None, "合计", teams, vols, party, acts, parts, hours, ben, ytd_acts, ytd_ben)
    rows = (UnitRow(1, "城关镇", teams, vols, party, acts, parts, hours, ben, ytd_acts, ytd_ben),)
    kind = {"month": "统计月报", "quarter": "统计季报"}[period.kind]
    return ReportData(
        title=f"{county}离退休干部志愿服务工作{kind}",
        issuer=f"中共{county}委老干部局",
        scope="全县",
        period=Period(period.start, period.end, period.kind, period.label, period.range_text),
        table1=rows,
        table1_total=total,
        table2=tuple(CategoryRow(name, *v, round(v[0] / acts, 4)) for name, v in t2.items()),
        table2_total=CategoryRow("合计", acts, parts, hours, ben, 1.0),
        table3=OrgFigures(t3[0], t3[1], t3[2], t3[3], tuple(t3[4].items()), t3[5], t3[6]),
        table4=SupplyDemand(*t4),
        current=Totals(acts, parts, hours, ben, teams, vols),
        previous=None,
        last_year=None,
        year_to_date=Totals(ytd_acts, 0, 0.0, ytd_ben, teams, 0),
        trend=(),
        narrative="",
        notes=(),
        footer=(),
        generated_at=dt.datetime(2027, 1, 5, 9, 0),
    )


@pytest.fixture
def city(services: Services, tmp_path: Path) -> dict[str, int]:
    """临川市 (市) → 青山县, 石门县 (县), 河西区, 东湖区 (区); the returns imported from their workbooks (东湖区 sends
    none: its records entered at the city count)."""
    s = services
    root = s.units.ensure_root("临川市")
    s.units.update(root, {"kind": "市"})
    ids = {"root": root}
    for name, kind in (("青山县", "县"), ("石门县", "县"), ("河西区", "区"), ("东湖区", "区")):
        ids[name] = s.units.create({"name": name, "kind": kind, "parent_id": root})
    writer = ReportService(s.ctx)
    for (county, code), figures in RETURNS.items():
        period = quarter(2026, 3) if code == "2026Q3" else month(2026, int(code[5:]))
        book = writer.write(_return(county, period, figures), tmp_path / f"{county}{code}.xlsx")
        assert import_report(s.ctx, book).unit == county
    lecture = s.lookups.resolve("activity_category", "理论宣讲").id
    elderly = s.lookups.resolve("activity_category", "为老服务").id
    act = s.activities.create
    # recorded at the city itself: 东湖区 sent nothing, its records count; 青山县's October record is
    # replaced by its return (not added to it)
    act({"occurred_on": "2026-11-05", "title": "东湖区宣讲", "unit_id": ids["东湖区"], "sessions": 2,
         "category_id": lecture, "beneficiaries": 20})  # fmt: skip
    act({"occurred_on": "2026-11-20", "title": "市局慰问", "unit_id": root, "category_id": elderly,
         "beneficiaries": 9})  # fmt: skip
    act({"occurred_on": "2026-10-09", "title": "青山县的一条记录", "unit_id": ids["青山县"],
         "category_id": lecture, "beneficiaries": 5})  # fmt: skip
    return ids


def _row(data: ReportData, unit: str) -> tuple:
    r = next(r for r in data.table1 if r.unit == unit)
    return (
        r.teams,
        r.volunteers,
        r.party_members,
        r.activities,
        r.participations,
        r.hours,
        r.beneficiaries,
        r.ytd_activities,
        r.ytd_beneficiaries,
        r.note,
    )


def test_a_citys_quarter_is_built_from_the_counties_monthly_returns(services, city):
    data = ReportService(services.ctx).build(quarter(2026, 4))
    assert data.scope == "全市"
    assert data.title == "临川市离退休干部志愿服务工作统计季报"
    # flows summed (10+8+12 …), teams, 年累计 from December, 志愿者 and 其中党员 the largest month (34, 22)
    assert _row(data, "青山县") == (
        4,
        34,
        22,
        30,
        260,
        150.5,
        600,
        100,
        1900,
        "据月报汇总，志愿者取各月最大值",
    )
    assert _row(data, "石门县") == (
        2,
        15,
        6,
        12,
        50,
        24.5,
        120,
        52,
        520,
        "据月报汇总，志愿者取各月最大值；缺11月报表",
    )
    assert _row(data, "河西区") == (2, 9, 4, 9, 90, 18.0, 180, 36, 720, "据月报汇总，志愿者取各月最大值")
    assert _row(data, "东湖区")[3:7] == (2, 0, 0.0, 20)  # no return: its records
    assert (data.table1_total.activities, data.table1_total.beneficiaries) == (
        30 + 12 + 9 + 2 + 1,
        600 + 120 + 180 + 20 + 9,
    )
    table2 = {c.category: c.activities for c in data.table2 if c.activities}
    assert table2 == {"理论宣讲": 6 + 8 + 2, "为老服务": 4 + 12 + 1, "文化艺术": 5 + 7, "健康义诊": 9}
    assert data.table2_total.activities == 54
    # 表3 stocks from the last month's returns (December), 表4 resources too; demands … completed summed
    t3 = data.table3
    assert (
        t3.party_orgs,
        t3.party_members,
        t3.agreements,
        t3.registered,
        t3.community_role_people,
        t3.places,
    ) == (
        6 + 2 + 1,
        41 + 11 + 6,
        3 + 1 + 1,
        15 + 6 + 3,
        4 + 3 + 0,
        5 + 2 + 2,
    )
    assert {name: n for name, n in t3.community_roles if n} == {"楼长": 4, "网格员": 3}
    t4 = data.table4
    assert (t4.resources, t4.demands, t4.matches, t4.orders_signed, t4.orders_completed) == (
        9 + 4 + 3,
        (2 + 1 + 3) + (1 + 2) + (0 + 1 + 0),
        (3 + 1 + 2) + (1 + 2) + (0 + 1 + 1),
        (2 + 1 + 2) + (1 + 1) + (0 + 0 + 1),
        (1 + 1 + 2) + (0 + 1) + (0 + 0 + 1),
    )
    # 环比: Q3 — 青山县's quarterly return (20) and nothing else; the rule is printed in 编报说明
    assert data.previous is not None and data.previous.activities == 20
    assert any("志愿者和其中党员是人数、不能相加，取各月最大值" in n for n in data.notes)


def test_a_citys_year_tiles_quarters_and_months_and_names_what_is_missing(services, city):
    data = ReportService(services.ctx).build(year(2026))
    assert _row(data, "青山县") == (
        4,
        40,
        25,
        20 + 30,
        150 + 260,
        225.5,
        400 + 600,
        100,
        1900,
        "据分期报表汇总，志愿者取各期最大值；缺1月—6月报表",
    )
    assert _row(data, "石门县")[3] == 12
    assert _row(data, "石门县")[-1] == "据月报汇总，志愿者取各月最大值；缺1月—9月、11月报表"
    assert _row(data, "河西区")[-1] == "据月报汇总，志愿者取各月最大值；缺1月—9月报表"
    assert data.table1_total.activities == 50 + 12 + 9 + 2 + 1


def test_the_citys_trend_counts_the_returns_of_each_month(services, city):
    data = ReportService(services.ctx).build(month(2026, 12))
    trend = {p.label: (p.activities, p.beneficiaries) for p in data.trend}
    # October: the three returns (青山县's 10, not 10 + its 1 record here); November: 青山县's and 河西区's
    # returns, 东湖区's and the city's own records (石门县 sent none); December: the three returns
    assert trend["2026年10月"] == (10 + 5 + 3, 200 + 50 + 60)
    assert trend["2026年11月"] == (8 + 4 + 2 + 1, 150 + 80 + 20 + 9)
    assert trend["2026年12月"] == (12 + 7 + 2, 250 + 70 + 40)
    assert trend["2026年9月"] == (0, 0)  # a quarterly return is no month's
    # what 表1 says for each month is what the trend says
    for m in (10, 11, 12):
        t = ReportService(services.ctx).build(month(2026, m)).table1_total
        assert (t.activities, t.beneficiaries) == trend[f"2026年{m}月"]
    assert data.previous is not None and data.previous.activities == 15  # 环比: November as 表1 counts it


def test_returns_for_a_span_without_returns_and_for_exactly_one(services, city):
    with services.ctx.db.reader() as s:
        ids = [city["青山县"], city["石门县"], city["东湖区"]]
        assert returns_for(s, ids, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == {}
        exact = returns_for(s, ids, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
        assert set(exact) == {city["青山县"], city["石门县"]}
        assert exact[city["青山县"]].table1_total.note == ""  # as sent: 表1 says 据报表汇总
        # a span that cuts a month: the part no return covers is named by its days
        cut = returns_for(s, ids, dt.date(2026, 10, 1), dt.date(2026, 11, 15))
        assert cut[city["青山县"]].table1_total.activities == 10
        assert cut[city["青山县"]].table1_total.note.endswith("缺11月1日—11月15日报表")
    report = ReportService(services.ctx).build(month(2026, 10))
    assert _row(report, "青山县")[-1] == "据报表汇总"
