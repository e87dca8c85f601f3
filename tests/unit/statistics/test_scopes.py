"""Scopes done right: a community's scope counts the people who belong to it, live or report there, or
hold a role there; a street counts its communities' people once; a city's report calls itself 全市."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from silverdesk.db.models import PersonCommunityRole
from silverdesk.reports.narrative import build_narrative
from silverdesk.services.hub import Services
from silverdesk.services.statistics.periods import month
from silverdesk.services.statistics.query import DimRef, QueryService, Question
from silverdesk.services.statistics.reporting import ReportService

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def _people(s: Services, county: dict[str, int]) -> dict[str, int]:
    street, community = county["street"], county["community"]
    ids = {
        # 所属单位 the street; lives in and reported to 光明社区
        "报到": s.people.create(
            {"name": "张建国", "unit_id": street, "community_id": community, "registered_on": "2025-05-01"}
        ),
        # 所属单位 the street, lives nowhere recorded; 楼长 in 光明社区
        "任职": s.people.create({"name": "李桂兰", "unit_id": street}),
        "所属": s.people.create({"name": "王德明", "unit_id": community}),
        # all three at once: belongs to the street, lives, reports and holds a role in 光明社区
        "三者": s.people.create(
            {"name": "赵秀英", "unit_id": street, "community_id": community, "registered_on": "2024-01-01"}
        ),
        "镇上": s.people.create({"name": "钱卫东", "unit_id": county["town"]}),
    }
    role = s.lookups.resolve("community_role", "楼长").id
    with s.ctx.db.session() as session:
        for who in ("任职", "三者"):
            session.add(PersonCommunityRole(person_id=ids[who], role_id=role, community_id=community))
    return ids


def _ask(s: Services, unit: int, *rows: str):
    return QueryService(s.ctx).ask(
        Question(("人员数",), *OCT, unit_id=unit, rows=tuple(DimRef.parse(r) for r in rows))
    )


def test_a_community_counts_who_reports_and_holds_roles_there(services, county):
    ids = _people(services, county)
    community = _ask(services, county["community"])
    assert community.scope_name == "光明社区"
    assert community.total == (4,)  # 报到, 任职, 所属 and 三者 — not 镇上
    question = Question(("人员数",), *OCT, unit_id=county["community"])
    kind, people = QueryService(services.ctx).records(question, "人员数", ())
    assert kind == "person"
    assert people == sorted(ids[w] for w in ("报到", "任职", "所属", "三者"))
    assert _ask(services, county["town"]).total == (1,)


def test_a_street_counts_its_communities_people_once(services, county):
    _people(services, county)
    street = _ask(services, county["street"], "单位:社区村")
    # each person once: in his 所属单位 when it is in the scope (three belong to the street itself),
    # so the rows add up to the total although 三者 is in 光明社区 three ways
    assert {r.labels: r.values for r in street.rows} == {("光明社区",): (1,), ("城关街道（本级）",): (3,)}
    assert street.total == (4,)
    whole = _ask(services, county["root"], "单位")
    assert {r.labels: r.values for r in whole.rows} == {("城关街道",): (4,), ("龙山镇",): (1,)}
    assert whole.total == (5,)


def test_a_city_report_says_whole_city(services, tmp_path: Path):
    root = services.units.ensure_root("临川市")
    services.units.update(root, {"kind": "市"})
    county = services.units.create({"name": "青山县", "kind": "县", "parent_id": root})
    district = services.units.create({"name": "河西区", "kind": "区", "parent_id": root})
    services.activities.create(
        {"occurred_on": "2026-10-08", "title": "宣讲", "unit_id": county, "beneficiaries": 3}
    )
    reports = ReportService(services.ctx)
    data = reports.build(month(2026, 10))
    assert data.scope == "全市"
    assert data.title == "临川市离退休干部志愿服务工作统计月报"
    assert build_narrative(data).startswith("本月，全市离退休干部志愿服务队共开展志愿服务活动1场次")
    book = reports.write(data, tmp_path / "临川市10月.xlsx")
    cells = [
        c for row in openpyxl.load_workbook(book).worksheets[0].iter_rows(values_only=True) for c in row if c
    ]
    assert any("统计范围：全市" in str(c) for c in cells)
    assert not any("全县" in str(c) for c in cells)
    assert reports.build(month(2026, 10), county).scope == "青山县"
    assert services.units.whole_label() == "全市"
    assert services.dashboard.load().scope == "全市"
    assert QueryService(services.ctx).ask(Question(("场次",), *OCT)).scope_name == "全市"
    # a district's own database
    services.units.update(root, {"kind": "区"})
    assert reports.build(month(2026, 10)).scope == "全区"
    assert district
