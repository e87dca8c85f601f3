"""The sample data's consistency and the narrative's wording."""

from __future__ import annotations

import dataclasses

import pytest

from silverdesk.reports.model import Period, ReportData, Totals
from silverdesk.reports.narrative import build_narrative, change_phrase, fmt_hours, narrative_paragraphs


def test_sample_totals_are_the_sums_of_the_rows(sample: ReportData) -> None:
    t = sample.table1_total
    for field in ("teams", "volunteers", "party_members", "activities", "participations", "beneficiaries",
                  "ytd_activities", "ytd_beneficiaries"):
        assert getattr(t, field) == sum(getattr(r, field) for r in sample.table1), field
    assert t.hours == pytest.approx(sum(r.hours for r in sample.table1))
    assert sample.table2_total.activities == sum(r.activities for r in sample.table2) == t.activities
    assert sum(r.share for r in sample.table2) == pytest.approx(1.0)
    assert len(sample.table1) == 15 and len(sample.table2) == 12 and len(sample.trend) == 12
    assert sample.trend[-1].activities == sample.current.activities
    names = "".join(r.unit for r in sample.table1)
    assert {"䶮", "𠮷", "堃"} <= set(names)


def test_month_narrative_has_figures_and_comparisons(sample: ReportData) -> None:
    text = build_narrative(sample)
    cur = sample.current
    assert text.startswith("本月，全县离退休干部志愿服务队共开展志愿服务活动")
    assert f"{cur.activities}场次" in text and f"受益群众{cur.beneficiaries}人次" in text
    assert f"服务时长{fmt_hours(cur.hours)}小时" in text
    yoy = (cur.activities - sample.last_year.activities) / sample.last_year.activities * 100
    mom = (cur.activities - sample.previous.activities) / sample.previous.activities * 100
    assert f"同比增长{yoy:.1f}%" in text and f"环比增长{mom:.1f}%" in text
    top = max(sample.table2, key=lambda r: r.activities)
    assert f"其中，{top.category}{top.activities}场次" in text
    assert f"累计开展活动{sample.year_to_date.activities}场次" in text


def _with(sample: ReportData, **changes: object) -> ReportData:
    return dataclasses.replace(sample, **changes)


def test_quarter_year_and_unit_wording(sample: ReportData) -> None:
    q = _with(sample, period=dataclasses.replace(sample.period, kind="quarter"), scope="城关街道")
    assert build_narrative(q).startswith("本季度，城关街道离退休干部志愿服务队")
    y = _with(sample, period=dataclasses.replace(sample.period, kind="year"))
    text = build_narrative(y)
    assert text.startswith("本年度，") and "较上年增长" in text and "环比" not in text
    assert "年初以来" not in text  # the year is the year-to-date


def test_missing_comparisons_and_zero_bases(sample: ReportData) -> None:
    none = _with(sample, previous=None, last_year=None)
    text = build_narrative(none)
    assert "同比" not in text and "环比" not in text and "受益群众" in text
    zero = Totals(0, 0, 0.0, 0, 0, 0)
    text = build_narrative(_with(sample, previous=zero, last_year=zero))
    assert "同比新增" in text and "环比新增" in text and "%、" not in text
    assert change_phrase("同比", 0, 0) == ""
    assert change_phrase("同比", 90, 100) == "同比下降10.0%"
    assert change_phrase("同比", 100, 100) == "同比持平"


def test_no_activity_and_empty_tables(sample: ReportData) -> None:
    empty = _with(sample, current=Totals(0, 0, 0.0, 0, 0, 0), table2=(),
                  year_to_date=Totals(0, 0, 0.0, 0, 0, 0))
    text = build_narrative(empty)
    assert text.startswith("本月，全县离退休干部志愿服务队未开展志愿服务活动。")
    assert "其中" not in text and "%" not in text


def test_explicit_narrative_wins(sample: ReportData) -> None:
    data = _with(sample, narrative="第一段。\n\n第二段。")
    assert narrative_paragraphs(data) == ["第一段。", "第二段。"]
    assert narrative_paragraphs(sample) == [build_narrative(sample)]


def test_period_is_frozen() -> None:
    from datetime import date
    p = Period(date(2026, 1, 1), date(2026, 3, 31), "quarter", "2026年第一季度", "2026年1月1日—3月31日")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.kind = "month"  # type: ignore[misc]
