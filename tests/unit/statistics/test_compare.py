"""累计, 环比 and 同比 across a year boundary, by hand: January against December, Q1 against Q4, 2026 against
2025, February's 29th; a 累计 or multi-year span compares like with like and says why 同比 does not apply."""

from __future__ import annotations

import datetime as dt

import pytest

from silverdesk.errors import UserError
from silverdesk.services.hub import Services
from silverdesk.services.statistics.periods import ReportPeriod, month, parse_period, quarter, year
from silverdesk.services.statistics.query import DimRef, QueryService, Question
from silverdesk.services.statistics.query.compare import Change
from silverdesk.services.statistics.reporting import ReportService

# (day, unit, 场次, 受益人次)
ACTIVITIES = (
    ("2023-03-01", "town", 9, 9),
    ("2024-02-29", "town", 2, 10),
    ("2025-01-10", "town", 6, 0),
    ("2025-02-28", "street", 1, 4),
    ("2025-10-15", "street", 3, 0),
    ("2025-12-31", "street", 4, 40),
    ("2026-01-01", "town", 5, 60),
    ("2026-03-31", "town", 1, 0),
)


@pytest.fixture
def dated(services: Services, county: dict[str, int]) -> dict[str, int]:
    for day, unit, sessions, beneficiaries in ACTIVITIES:
        services.activities.create(
            {
                "occurred_on": day,
                "title": f"{day}的活动",
                "unit_id": county[unit],
                "sessions": sessions,
                "beneficiaries": beneficiaries,
            }
        )
    return county


def _compare(services: Services, period: ReportPeriod, kind: str, *rows: str):
    question = Question(
        ("场次", "受益人次"), period.start, period.end, rows=tuple(DimRef.parse(r) for r in rows)
    )
    return QueryService(services.ctx).compare(question, kind, period)


def test_january_against_december_and_q1_against_q4(services, dated):
    jan = _compare(services, month(2026, 1), "环比")
    assert (jan.base_period.start, jan.base_period.end) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert jan.total == (Change(5, 4, 1, 0.25), Change(60, 40, 20, 0.5))
    assert jan.base is not None and jan.base.total == (4, 40)
    q1 = _compare(services, quarter(2026, 1), "环比")
    assert q1.base_period == quarter(2025, 4)
    assert q1.change("场次") == Change(6, 7, -1, -1 / 7)
    # by unit: 龙山镇 had nothing in December (ratio None: no division by 0), 城关街道 nothing in January
    by_unit = _compare(services, month(2026, 1), "上期", "单位")
    assert by_unit.change("场次", "龙山镇") == Change(5, 0, 5, None)
    street = by_unit.rows[(dated["street"],)]
    assert street[0] == Change(0, 4, -4, -1.0)


def test_a_year_against_the_year_before_and_the_29th_of_february(services, dated):
    y = _compare(services, year(2026), "同比")
    assert y.base_period == year(2025)
    assert y.total[0] == Change(6, 6 + 1 + 3 + 4, -8, -8 / 14)
    assert _compare(services, year(2026), "环比").base_period == year(2025)
    # February 2025 against the whole of February 2024, its 29th included
    feb = _compare(services, month(2025, 2), "同比")
    assert (feb.base_period.start, feb.base_period.end) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert feb.total[0] == Change(1, 2, -1, -0.5)
    leap = _compare(services, month(2024, 2), "同比")
    assert leap.base_period.end == dt.date(2023, 2, 28)
    assert leap.total[0] == Change(2, 0, 2, None)
    # a span from the 29th: a year earlier it starts on the 28th
    span = parse_period("2024-02-29..2024-03-15")
    assert span.same_last_year() == ReportPeriod(dt.date(2023, 2, 28), dt.date(2023, 3, 15), "custom")


def test_since_a_day_and_a_multi_year_span_compare_like_with_like(services, dated):
    today = dt.date(2026, 3, 20)
    since = parse_period("自2025-10-01起", today)
    assert (since.kind, since.start, since.end) == ("since", dt.date(2025, 10, 1), today)
    assert since.label == "2025年10月1日以来累计"
    assert parse_period("2025-10-01..", today) == since == parse_period("自2025年10月1日起", today)
    result = _compare(services, since, "同比")
    assert result.base is None and result.not_applicable.startswith(
        "累计时段（2025年10月1日以来累计）不作同比"
    )
    assert result.current.total == (3 + 4 + 5, 40 + 60)  # the 累计 itself is there
    before = _compare(services, since, "环比")  # the 171 days before
    assert before.base_period == ReportPeriod(dt.date(2025, 4, 13), dt.date(2025, 9, 30), "custom")
    assert before.total[0] == Change(12, 0, 12, None)
    two_years = parse_period("2024-01-01..2025-12-31")
    assert _compare(services, two_years, "同比").not_applicable.startswith("跨年度时段")
    previous = _compare(services, two_years, "环比")  # the two whole years before
    assert previous.base_period == ReportPeriod(dt.date(2022, 1, 1), dt.date(2023, 12, 31), "custom")
    assert previous.total[0] == Change(2 + 6 + 1 + 3 + 4, 9, 7, 7 / 9)
    # a twelve-month span across the new year has its 同比
    fiscal = _compare(services, parse_period("2025-07-01..2026-06-30"), "同比")
    assert fiscal.base_period == ReportPeriod(dt.date(2024, 7, 1), dt.date(2025, 6, 30), "custom")
    assert fiscal.total[0] == Change(3 + 4 + 5 + 1, 6 + 1, 6, 6 / 7)


def test_a_since_report_has_its_previous_span_and_no_same_period_last_year(services, dated):
    data = ReportService(services.ctx).build(parse_period("2025-10-01..", dt.date(2026, 3, 20)))
    assert data.title == "青山县离退休干部志愿服务工作累计统计报表"
    assert data.period.label == "2025年10月1日以来累计"
    assert data.current.activities == 12 and data.last_year is None
    assert data.previous is not None and data.previous.activities == 0


def test_what_a_clerk_gets_wrong_is_explained(services, dated):
    with pytest.raises(UserError, match="比较方式“去年”无法识别"):
        _compare(services, month(2026, 1), "去年")
    with pytest.raises(UserError, match="按期间分组的统计不作同比、环比"):
        _compare(services, year(2026), "环比", "期间:month")
    with pytest.raises(UserError, match="晚于今天"):
        parse_period("2030-01-01..", dt.date(2026, 3, 20))
    with pytest.raises(UserError, match="累计写 2020-05-01"):
        parse_period("自去年起")


def test_report_cli_since_a_day(services, dated, db_path, tmp_path):
    import subprocess
    import sys

    import openpyxl

    services.close()
    out = tmp_path / "累计.xlsx"
    command = [
        sys.executable,
        "-m",
        "silverdesk",
        "report",
        "--db",
        str(db_path),
        "--period",
        "自2025-10-01起",
    ]
    run = subprocess.run(
        [*command, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "活动 13 场次" in run.stdout  # 3 + 4 + 5 + 1, up to today
    cells = [
        c for ws in openpyxl.load_workbook(out).worksheets for r in ws.iter_rows(values_only=True) for c in r
    ]
    assert any(isinstance(c, str) and "2025年10月1日以来累计" in c for c in cells)
    assert any(isinstance(c, str) and c.endswith("累计统计报表") for c in cells)


def test_the_table_of_a_comparison_with_rows_and_columns(services, dated):
    """to_pivot with 环比: four columns per measure for each column value and for 合计, cells and margins
    compared; a row only December has (城关街道) shows 0 against it; the header merges a measure's four."""
    from silverdesk.reports.pivot_cells import cell_text, header_grid
    from silverdesk.services.statistics.query.pivot import to_pivot

    question = Question(
        ("场次",), dt.date(2026, 1, 1), dt.date(2026, 1, 31),
        rows=(DimRef.parse("单位"),), columns=(DimRef.parse("服务领域"),),
    )  # fmt: skip
    compared = QueryService(services.ctx).compare(question, "环比")
    table = to_pivot(compared.current, "场次", "2026年1月", (), compared)
    assert [c.heading for c in table.columns] == [
        f"{label} · 场次（场） · {part}"
        for label in ("未分类", "合计")
        for part in ("本期", "上期", "增减", "增长率")
    ]
    rows = {
        r.labels[0]: [cell_text(v, c) for v, c in zip(r.values, table.columns, strict=True)]
        for r in table.rows
    }
    assert rows == {
        "城关街道": ["0", "4", "-4", "-100.0%"] * 2,  # December only
        "龙山镇": ["5", "0", "+5", "—"] * 2,
        "合计": ["5", "4", "+1", "+25.0%"] * 2,
    }
    lines, spans = header_grid(table)
    assert lines[1][1:] == ["场次（场）"] * 8 and lines[2][1:] == ["本期", "上期", "增减", "增长率"] * 2
    assert {(s.line, s.first, s.last) for s in spans} >= {(0, 1, 4), (0, 5, 8), (1, 1, 4), (1, 5, 8)}
    assert table.comparison.startswith("环比：本期 2026年1月，上期 2025年12月")
