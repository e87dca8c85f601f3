"""Every figure of 表1–表4 from a small database where each number can be worked out by hand,
checked in the service's result, in the written workbook and in the PDF's text."""

from __future__ import annotations

import datetime as dt
import os
import re

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import insert

from silverdesk.db.models import Demand, OrderEvent, Resource, ServiceOrder
from silverdesk.services.statistics.periods import month, parse_period, quarter, year
from silverdesk.services.statistics.reporting import ReportService
from silverdesk.services.statistics.tables import StatisticsService


@pytest.fixture
def known(services, county):
    s = services
    lk = s.lookups
    lecture = lk.resolve("activity_category", "理论宣讲").id
    elderly = lk.resolve("activity_category", "为老服务").id
    a = s.people.create(
        {
            "name": "张建国",
            "political_status": "中共党员",
            "unit_id": county["street"],
            "registered_on": "2025-05-01",
            "community_roles": [("楼长", "2025-05-01")],
        }
    )
    b = s.people.create({"name": "李桂兰", "political_status": "群众", "unit_id": county["community"]})
    c = s.people.create(
        {
            "name": "王德明",
            "political_status": "中共党员",
            "unit_id": county["town"],
            "registered_on": "2026-12-01",
        }
    )  # registers after the period: not counted
    d = s.people.create({"name": "赵秀英", "political_status": "中共党员", "unit_id": county["dept"]})
    s.people.set_status(d, "去世", dt.date(2026, 6, 1))
    e = s.people.create({"name": "𠮷祥", "political_status": "中共预备党员", "unit_id": county["dept"]})
    t1 = s.teams.create(
        {"name": "光明社区银发管家服务队", "unit_id": county["street"], "members": [(a, "队长"), (b, "队员")]}
    )
    t2 = s.teams.create(
        {"name": "龙山镇理论宣讲队", "unit_id": county["town"], "members": [(c, "队长"), (a, "队员")]}
    )
    t3 = s.teams.create({"name": "教育局老教师服务队", "unit_id": county["dept"], "members": [(d, "队长")]})
    s.teams.update(t3, {"status": "撤销", "dissolved_on": "2025-12-31"})  # before 2026: not counted
    act = s.activities.create
    act(
        {
            "occurred_on": "2026-10-08",
            "title": "老党员讲党课",
            "unit_id": county["community"],
            "category_id": lecture,
            "participants": 10,
            "hours": 20,
            "beneficiaries": 100,
            "team_ids": [t1],
        }
    )
    act(
        {
            "occurred_on": "2026-10-15",
            "title": "走访高龄老人",
            "unit_id": county["town"],
            "category_id": elderly,
            "sessions": 2,
            "participants": 5,
            "hours": 7.5,
            "beneficiaries": 30,
            "team_ids": [t2],
            "participant_ids": [e],
        }
    )
    act(
        {
            "occurred_on": "2026-10-31",
            "title": "全县宣讲报告会",
            "unit_id": county["root"],
            "category_id": lecture,
            "participants": 3,
            "hours": 6,
            "beneficiaries": 50,
        }
    )
    act(
        {
            "occurred_on": "2026-09-30",
            "title": "九月宣讲",
            "unit_id": county["street"],
            "category_id": lecture,
            "participants": 4,
            "hours": 8,
            "beneficiaries": 40,
        }
    )
    act(
        {
            "occurred_on": "2025-10-10",
            "title": "去年同期",
            "unit_id": county["town"],
            "category_id": elderly,
            "participants": 1,
            "hours": 1,
            "beneficiaries": 10,
        }
    )
    act(
        {
            "occurred_on": "2026-11-05",
            "title": "十一月活动",
            "unit_id": county["dept"],
            "category_id": elderly,
            "participants": 2,
            "hours": 4,
            "beneficiaries": 20,
        }
    )
    org = s.party_orgs.create(
        {
            "name": "城关街道离退休干部党支部",
            "org_type": "党支部",
            "unit_id": county["street"],
            "founded_on": "2020-07-01",
            "members": [(a, "书记")],
        }
    )
    s.party_orgs.add_agreement(org, "光明社区党委", dt.date(2026, 3, 1), county["community"])
    s.places.create(
        {
            "name": "光明社区银龄驿站",
            "kind": "驿站",
            "unit_id": county["community"],
            "opened_on": "2024-01-01",
        }
    )
    with s.ctx.db.session() as session:
        session.execute(
            insert(Resource),
            [
                {
                    "title": "健康讲座",
                    "area_unit_id": county["street"],
                    "team_id": t1,
                    "listed_on": dt.date(2026, 9, 1),
                    "status": "可用",
                }
            ],
        )
        session.execute(
            insert(Demand),
            [
                {
                    "title": "防诈骗宣传",
                    "requester_unit_id": county["community"],
                    "raised_on": dt.date(2026, 10, 5),
                }
            ],
        )
        session.execute(
            insert(ServiceOrder),
            [
                {
                    "code": "DD2026-0001",
                    "demand_id": 1,
                    "resource_id": 1,
                    "title": "防诈骗宣传",
                    "status": "完成",
                    "published_on": dt.date(2026, 10, 6),
                    "signed_on": dt.date(2026, 10, 8),
                    "completed_on": dt.date(2026, 10, 20),
                }
            ],
        )
        session.execute(
            insert(OrderEvent), [{"order_id": 1, "to_status": "发布", "happened_on": dt.date(2026, 10, 6)}]
        )
    return county


# (单位, 队, 志愿者, 党员, 场次, 人次, 时长, 受益, 年累计场次, 年累计受益)
OCTOBER_T1 = [
    ("城关街道", 1, 2, 1, 1, 10, 20.0, 100, 2, 140),
    ("龙山镇", 1, 1, 1, 2, 5, 7.5, 30, 2, 30),
    ("县教育局", 0, 0, 0, 0, 0, 0.0, 0, 0, 0),  # 𠮷祥 took part but is on no team
    ("本级", 0, 0, 0, 1, 3, 6.0, 50, 1, 50),
]
OCTOBER_TOTAL = ("合计", 2, 3, 2, 4, 18, 33.5, 180, 5, 220)


def t1_tuple(row):
    return (
        row.unit,
        row.teams,
        row.volunteers,
        row.party_members,
        row.activities,
        row.participations,
        row.hours,
        row.beneficiaries,
        row.ytd_activities,
        row.ytd_beneficiaries,
    )


def test_month_figures(services, known):
    data = StatisticsService(services.ctx).report(month(2026, 10))
    assert [t1_tuple(r) for r in data.table1] == OCTOBER_T1
    assert [r.seq for r in data.table1] == [1, 2, 3, 4]
    assert t1_tuple(data.table1_total) == OCTOBER_TOTAL
    by_cat = {
        r.category: (r.activities, r.participations, r.hours, r.beneficiaries, r.share) for r in data.table2
    }
    assert by_cat["理论宣讲"] == (2, 13, 26.0, 150, 0.5)
    assert by_cat["为老服务"] == (2, 5, 7.5, 30, 0.5)
    assert by_cat["健康义诊"] == (0, 0, 0.0, 0, 0.0)
    assert (data.table2_total.activities, data.table2_total.beneficiaries) == (4, 180)
    t3 = data.table3
    assert (
        t3.party_orgs,
        t3.party_members,
        t3.agreements,
        t3.registered,
        t3.community_role_people,
        t3.places,
    ) == (1, 3, 1, 1, 1, 1)  # 党员: 张建国, 王德明, 𠮷祥 (赵秀英 died before the period)
    assert dict(t3.community_roles)["楼长"] == 1
    t4 = data.table4
    assert (t4.resources, t4.demands, t4.matches, t4.orders_signed, t4.orders_completed) == (1, 1, 1, 1, 1)
    assert (data.previous.activities, data.last_year.activities) == (1, 1)
    assert data.trend[-1].label == "2026年10月" and data.trend[-1].activities == 4
    assert data.trend[-2].activities == 1 and len(data.trend) == 12
    assert data.title == "青山县离退休干部志愿服务工作统计月报"
    assert data.period.range_text == "2026年10月1日—10月31日"


def test_the_narrative_says_what_the_queries_count(services, known):
    """October: 4 activities against 1 a year before and 1 in September — figures, not "增长300.0%";
    the demand raised in October, not every demand on the list."""
    with services.ctx.db.session() as session:
        session.execute(
            insert(Demand),
            [
                {
                    "title": "九月的需求",
                    "requester_unit_id": known["community"],
                    "raised_on": dt.date(2026, 9, 5),
                },
                {
                    "title": "撤销的需求",
                    "requester_unit_id": known["community"],
                    "raised_on": dt.date(2026, 10, 9),
                    "status": "撤销",
                },
            ],
        )
    text = ReportService(services.ctx).build(month(2026, 10)).narrative
    first = text.split("。")[0]
    assert first.endswith("受益群众180人次，去年同期开展活动1场次，上月开展活动1场次") and "%" not in first
    assert "本月新提出需求1条" in text and "期末资源清单中可用资源1条" in text
    assert "发布对接订单1个，签约银龄共治订单1个、完成1个" in text
    assert "截至10月31日，共有离退休干部志愿服务队2支，本月在队志愿者3人" in text
    assert (
        "期末有离退休干部党组织1个，与社区党组织的有效共建协议1份，1名离退休干部已到居住社区报到，1人在社区担任职务"
        in text
    )


def test_quarter_and_year(services, known):
    stats = StatisticsService(services.ctx)
    q4 = stats.report(quarter(2026, 4))
    assert t1_tuple(q4.table1_total)[4:] == (5, 20, 37.5, 200, 6, 240)
    assert q4.title.endswith("统计季报")
    y = stats.report(year(2026))
    assert t1_tuple(y.table1_total)[4:8] == (6, 24, 45.5, 240)
    assert y.last_year.activities == 1
    assert stats.report(parse_period("2026-10-01..2026-10-10")).table1_total.activities == 1


def test_unit_scope(services, known):
    data = StatisticsService(services.ctx).report(month(2026, 10), known["street"])
    assert [t1_tuple(r) for r in data.table1] == [
        ("光明社区", 0, 1, 0, 1, 10, 20.0, 100, 1, 100),
        ("本级", 1, 1, 1, 0, 0, 0.0, 0, 1, 40),
    ]
    assert data.scope == "城关街道"
    assert data.table4.demands == 1


def test_workbook_and_pdf_carry_the_same_figures(services, known, tmp_path):
    reports = ReportService(services.ctx)
    data = reports.build(month(2026, 10))
    assert "共开展志愿服务活动4场次" in data.narrative
    xlsx = reports.write(data, tmp_path / "月报.xlsx")
    pdf = reports.write(data, tmp_path / "月报.pdf")
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["表1 分单位"]
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r[1] in {t[0] for t in OCTOBER_T1} | {"合计"}}
    for expected in [*OCTOBER_T1, OCTOBER_TOTAL]:
        got = rows[expected[0]]
        assert tuple(got[1:11]) == expected
    t4 = {r[1]: r[3] for r in wb["表4 供需对接"].iter_rows(values_only=True) if r[1]}
    assert list(t4.values()).count(1) >= 5
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    compact = re.sub(r"\s+", " ", text)
    assert "城关街道 1 2 1 1 10 20.0 100 2 140" in compact
    assert "合计 2 3 2 4 18 33.5 180 5 220" in compact
    assert "青山县离退休干部志愿服务工作统计月报" in compact
    assert "单位负责人" in compact and "填表人" in compact


def test_report_cli(services, known, db_path, tmp_path):
    import subprocess
    import sys

    services.close()
    out = tmp_path / "q.xlsx"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "silverdesk",
            "report",
            "--db",
            str(db_path),
            "--period",
            "2026Q4",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "活动 5 场次" in run.stdout
    ws = openpyxl.load_workbook(out)["表1 分单位"]
    assert any(r[1] == "合计" and r[5] == 5 for r in ws.iter_rows(values_only=True))
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "silverdesk",
            "report",
            "--db",
            str(db_path),
            "--period",
            "2026-13",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "无法识别" in bad.stderr


def test_report_cli_signs_with_the_stored_signatories_and_dates_with_date(services, known, db_path, tmp_path):
    """`report` prints 设置 › 本单位's signatories (a line for a blank one, never the login name) and --date."""
    import subprocess
    import sys

    services.settings.update(
        {
            "report_leader": "赵国强",
            "report_preparer": "李堃",
            "report_reviewer": "",
            "report_phone": "0536-1234567",
        }
    )
    services.close()
    login_root = {k: v for k, v in os.environ.items() if k != "SILVERDESK_OPERATOR"} | {
        "LOGNAME": "root",
        "USER": "root",
    }
    for out in (tmp_path / "q.xlsx", tmp_path / "q.pdf"):
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "silverdesk",
                "report",
                "--db",
                str(db_path),
                "--period",
                "2026Q4",
                "--date",
                "2026-12-05",
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=login_root,
        )
        assert run.returncode == 0, run.stderr
    texts = [
        str(c.value)
        for ws in openpyxl.load_workbook(tmp_path / "q.xlsx").worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    pdf_text = PdfReader(tmp_path / "q.pdf").pages[-1].extract_text()
    for text in ("\n".join(texts), pdf_text):
        assert "单位负责人：赵国强" in text and "填表人：李堃" in text and "联系电话：0536-1234567" in text
        assert re.search("审核人：_{10,}", text) and "报送日期：2026年12月5日" in text
        assert "root" not in text
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "silverdesk",
            "report",
            "--db",
            str(db_path),
            "--period",
            "2026Q4",
            "--date",
            "2026-02-30",
            "--out",
            str(tmp_path / "x.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "报送日期" in bad.stderr and "不存在" in bad.stderr


def test_report_of_a_county_is_summed_at_the_city(services, known, tmp_path, template_db):
    """A county's report workbook imported at the city becomes one row of the city's 表1; twice replaces."""
    from silverdesk.services.statistics.returns import import_report

    reports = ReportService(services.ctx)
    county_book = reports.write(reports.build(month(2026, 10)), tmp_path / "青山县10月.xlsx")

    import shutil

    from tests.conftest import _services_for

    city_path = tmp_path / "city.sqlite"
    shutil.copy(template_db, city_path)
    city = _services_for(city_path)
    root = city.units.ensure_root("临川市")
    city.settings.update({"bureau_name": "中共临川市委老干部局"})
    other = city.units.create({"name": "河西区", "kind": "区", "parent_id": root})
    first = import_report(city.ctx, county_book)
    assert (first.unit, first.unit_created, first.replaced, first.activities) == ("青山县", True, False, 4)
    again = import_report(city.ctx, county_book)
    assert again.replaced and not again.unit_created
    data = ReportService(city.ctx).build(month(2026, 10))
    rows = {r.unit: r for r in data.table1}
    assert set(rows) == {"河西区", "青山县"}
    assert t1_tuple(rows["青山县"]) == ("青山县", *OCTOBER_TOTAL[1:])
    assert rows["青山县"].note == "据报表汇总"
    assert data.table1_total.activities == 4  # not doubled
    assert {r.category: r.activities for r in data.table2}["理论宣讲"] == 2
    assert data.table4.orders_completed == 1
    assert data.title == "临川市离退休干部志愿服务工作统计月报"
    assert other
    city.close()


def test_a_workbook_that_is_not_a_silverdesk_report_is_refused(services, known, tmp_path):
    from silverdesk.errors import UserError
    from silverdesk.services.statistics.returns import import_report

    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便一个表"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(UserError, match="不是 silverdesk 生成的报表"):
        import_report(services.ctx, tmp_path / "x.xlsx")


def test_roll_up_follows_every_kind_of_change(services, known):
    """The month roll-up is refreshed after inserts, edits, moves between months and deletes —
    also when rows are written with plain SQL, as an import does."""
    from sqlalchemy import text

    stats = StatisticsService(services.ctx)
    assert stats.report(month(2026, 10)).table1_total.activities == 4
    aid = services.activities.create(
        {
            "occurred_on": "2026-10-20",
            "title": "新增",
            "unit_id": known["town"],
            "sessions": 3,
            "beneficiaries": 7,
        }
    )
    assert stats.report(month(2026, 10)).table1_total.activities == 7
    services.activities.update(aid, {"occurred_on": "2026-09-20"})
    assert stats.report(month(2026, 10)).table1_total.activities == 4
    assert stats.report(month(2026, 9)).table1_total.activities == 4
    with services.ctx.db.session() as s:
        s.execute(
            text("UPDATE activity SET beneficiaries = beneficiaries + 1000 WHERE title = '老党员讲党课'")
        )
    assert stats.report(month(2026, 10)).table1_total.beneficiaries == 1180
    services.activities.delete(aid)
    assert stats.report(month(2026, 9)).table1_total.activities == 1


# period → (表1 合计 figures from 场次 on, 表2 理论宣讲 场次, 表4 numbers)
PERIOD_FILES = {
    "2026-10": ((4, 18, 33.5, 180, 5, 220), 2, [1, 1, 1, 1, 1]),
    "2026Q4": ((5, 20, 37.5, 200, 6, 240), 2, [1, 1, 1, 1, 1]),
    "2026": ((6, 24, 45.5, 240, 6, 240), 3, [1, 1, 1, 1, 1]),
}


@pytest.mark.parametrize("code", list(PERIOD_FILES))
def test_every_table_in_the_files_for_month_quarter_and_year(services, known, tmp_path, code):
    t1_total, lecture, t4 = PERIOD_FILES[code]
    reports = ReportService(services.ctx)
    data = reports.build(parse_period(code))
    xlsx = reports.write(data, tmp_path / f"{code}.xlsx")
    pdf = reports.write(data, tmp_path / f"{code}.pdf")
    wb = openpyxl.load_workbook(xlsx)
    total = next(r for r in wb["表1 分单位"].iter_rows(values_only=True) if r[1] == "合计")
    assert tuple(total[5:11]) == t1_total
    assert (
        sum(r[5] for r in wb["表1 分单位"].iter_rows(values_only=True) if isinstance(r[0], int))
        == t1_total[0]
    )
    t2 = {r[0]: r for r in wb["表2 分领域"].iter_rows(values_only=True) if r[0]}
    assert t2["理论宣讲"][1] == lecture and t2["合计"][1] == t1_total[0]
    t3 = {r[1]: r[3] for r in wb["表3 组织建设"].iter_rows(values_only=True) if isinstance(r[0], int)}
    assert (t3["离退休干部党组织"], t3["离退休干部党员"], t3["服务阵地"]) == (1, 3, 1)
    assert [r[3] for r in wb["表4 供需对接"].iter_rows(values_only=True) if isinstance(r[0], int)] == t4
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(pdf).pages))
    hours = f"{t1_total[2]:.1f}"
    assert f"合计 2 3 2 {t1_total[0]} {t1_total[1]} {hours} {t1_total[3]} {t1_total[4]} {t1_total[5]}" in text
    assert data.period.label in text
