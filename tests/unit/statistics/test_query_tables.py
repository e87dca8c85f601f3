"""表1–表4 through the query model: on a demo county, every figure of the report for a month, a quarter
and a year equals the model's measure of the report's column name, by row (单位 下一级, 服务领域, 任职类别)
and in total; for a street the figures whose rule this issue keeps are equal, the people counted by
where they live, report or hold roles (issue #17) are at least the report's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from silverdesk.services import demo
from silverdesk.services.hub import Services
from silverdesk.services.statistics.periods import parse_period
from silverdesk.services.statistics.query import DimRef, QueryService, Question
from silverdesk.services.statistics.tables import StatisticsService

TABLE1 = ("队伍数", "志愿者数", "其中党员", "场次", "参与人次", "服务时长", "受益人次")
TABLE3 = ("党组织数", "党员数", "共建协议数", "报到人数", "任职人数", "阵地数")
TABLE4 = ("资源条目", "需求条目", "对接次数", "签约订单", "完成订单")
PEOPLE = {"志愿者数", "其中党员", "党员数", "报到人数", "任职人数"}  # scope rule changed on purpose


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    path = Path(tmp_path_factory.mktemp("demo")) / "demo.sqlite"
    svc = Services.open(path, "测试")
    demo.generate(svc.ctx, people=300, activities=3000, today=dt.date(2026, 11, 20))
    yield svc
    svc.close()


def _report_figures(report) -> dict[str, float]:  # type: ignore[no-untyped-def]
    t, t3, t4 = report.table1_total, report.table3, report.table4
    return {
        "队伍数": t.teams,
        "志愿者数": t.volunteers,
        "其中党员": t.party_members,
        "场次": t.activities,
        "参与人次": t.participations,
        "服务时长": round(t.hours, 1),
        "受益人次": t.beneficiaries,
        "党组织数": t3.party_orgs,
        "党员数": t3.party_members,
        "共建协议数": t3.agreements,
        "报到人数": t3.registered,
        "任职人数": t3.community_role_people,
        "阵地数": t3.places,
        "资源条目": t4.resources,
        "需求条目": t4.demands,
        "对接次数": t4.matches,
        "签约订单": t4.orders_signed,
        "完成订单": t4.orders_completed,
    }


def _model(services: Services, names, code: str, unit: int | None = None, *rows: str):  # type: ignore[no-untyped-def]
    period = parse_period(code)
    return QueryService(services.ctx).ask(
        Question(
            tuple(names), period.start, period.end, unit_id=unit, rows=tuple(DimRef.parse(r) for r in rows)
        )
    )


@pytest.mark.parametrize("code", ["2026-10", "2026Q3", "2026"])
def test_county_report_figures_come_out_of_the_model(county: Services, code: str) -> None:
    report = StatisticsService(county.ctx).report(parse_period(code))
    expected = _report_figures(report)
    assert sum(expected.values()) > 0
    names = TABLE1 + TABLE3 + TABLE4
    result = _model(county, names, code)
    assert dict(zip(names, result.total, strict=True)) == expected
    # 表1 by row: the units directly under the county and 本级
    by_unit = _model(county, TABLE1, code, None, "单位")
    got = {row.labels[0]: row.values for row in by_unit.rows}
    for row in report.table1:
        figures = (row.teams, row.volunteers, row.party_members, row.activities, row.participations,
                   round(row.hours, 1), row.beneficiaries)  # fmt: skip
        assert got.get(row.unit, (0,) * len(TABLE1)) == figures, row.unit
    # 表2 by 服务领域 (the report lists every active field, the model those with activities)
    by_field = _model(county, ("场次", "参与人次", "服务时长", "受益人次"), code, None, "服务领域")
    got = {row.labels[0]: row.values for row in by_field.rows}
    for cat in report.table2:
        figures = (cat.activities, cat.participations, round(cat.hours, 1), cat.beneficiaries)
        assert got.get(cat.category, (0, 0, 0.0, 0)) == figures, cat.category
    # 表3's roles, each role by the people holding it
    by_role = _model(county, ("任职人数",), code, None, "任职类别")
    got = {row.labels[0]: row.values[0] for row in by_role.rows}
    assert {name: n for name, n in report.table3.community_roles if n} == got


def test_street_report_figures_and_the_wider_people_scope(county: Services) -> None:
    street = county.units.find("城关街道")
    assert street is not None
    report = StatisticsService(county.ctx).report(parse_period("2026Q3"), street)
    expected = _report_figures(report)
    names = TABLE1 + TABLE3 + TABLE4
    got = dict(zip(names, _model(county, names, "2026Q3", street).total, strict=True))
    for name in names:
        if name in PEOPLE or name == "资源条目":
            assert got[name] >= expected[name], name
        else:
            assert got[name] == expected[name], name


def test_totals_of_a_breakdown_are_the_figures_asked_alone(county: Services) -> None:
    """An additive measure's 合计 is the sum of its rows (not asked again): it must equal the measure asked
    without a dimension, for every measure and every single-valued dimension it has."""
    from silverdesk.services.statistics.query.registry import registry

    reg = registry()
    for measure in reg.measures.values():
        alone = _model(county, (measure.name,), "2026Q3").total
        for dimension in reg.dimensions_of(measure):
            if dimension.key != "period":
                assert _model(county, (measure.name,), "2026Q3", None, dimension.name).total == alone, (
                    measure.name,
                    dimension.name,
                )
