"""The sample data's consistency and the narrative's wording."""

from __future__ import annotations

import dataclasses

import pytest

from silverdesk.reports.model import Period, ReportData, Totals
from silverdesk.reports.narrative import build_narrative, change_phrase, fmt_hours, narrative_paragraphs


def test_sample_totals_are_the_sums_of_the_rows(sample: ReportData) -> None:
    t = sample.table1_total
    for field in (
        "teams",
        "volunteers",
        "party_members",
        "activities",
        "participations",
        "beneficiaries",
        "ytd_activities",
        "ytd_beneficiaries",
    ):
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
    assert "同比" not in text and "环比" not in text and "去年同期" not in text and "受益群众" in text
    zero = Totals(0, 0, 0.0, 0, 0, 0)
    text = build_narrative(_with(sample, previous=zero, last_year=zero))
    assert "去年同期未开展活动，上月未开展活动。" in text and "新增" not in text and "%，" not in text
    assert change_phrase("同比", 90, 100) == "同比下降10.0%"
    assert change_phrase("同比", 100, 100) == "同比持平"


def _totals(activities: int) -> Totals:
    return Totals(activities, 0, 0.0, 0, 0, 0)


def test_a_small_base_gives_the_two_figures_not_a_percentage(sample: ReportData) -> None:
    """114 activities this quarter, 1 in the same quarter last year: not "同比增长11300.0%"."""
    quarter = dataclasses.replace(sample.period, kind="quarter")
    data = _with(
        sample,
        period=quarter,
        current=dataclasses.replace(sample.current, activities=114),
        last_year=_totals(1),
        previous=_totals(100),
    )
    text = build_narrative(data)
    assert "共开展志愿服务活动114场次" in text
    assert "去年同期开展活动1场次，活动场次环比增长14.0%。" in text
    assert "11300" not in text and "同比" not in text
    big = build_narrative(_with(data, last_year=_totals(20), previous=_totals(9)))  # +470 %, and a base of 9
    assert "去年同期开展活动20场次，上季度开展活动9场次。" in big and "%" not in big.split("。")[0]
    fine = build_narrative(_with(data, last_year=_totals(100), previous=_totals(30)))  # +14 % and +280 %
    assert "活动场次同比增长14.0%、环比增长280.0%。" in fine
    year = build_narrative(
        _with(data, period=dataclasses.replace(sample.period, kind="year"), last_year=_totals(3))
    )
    assert "上年开展活动3场次" in year and "较上年" not in year


def test_each_sentence_names_what_its_figure_counts(sample: ReportData) -> None:
    """表4's 需求条目 are the demands raised in the period, not all demands; 表3's figures and the teams
    are stocks at the period end; the volunteers are those on a team during the period."""
    text = build_narrative(sample)
    sd, org, cur = sample.table4, sample.table3, sample.current
    assert f"本月新提出需求{sd.demands}条" in text and "现有" not in text and "需求清单" not in text
    assert f"期末资源清单中可用资源{sd.resources}条" in text
    assert (
        f"发布对接订单{sd.matches}个，签约银龄共治订单{sd.orders_signed}个、完成{sd.orders_completed}个"
        in text
    )
    end = sample.period.end
    assert (
        f"截至{end.month}月{end.day}日，共有离退休干部志愿服务队{cur.teams}支，本月在队志愿者{cur.volunteers}人"
        in text
    )
    assert f"期末有离退休干部党组织{org.party_orgs}个，与社区党组织的有效共建协议{org.agreements}份" in text
    assert "合计占全部活动场次的" in text


def test_no_activity_and_empty_tables(sample: ReportData) -> None:
    empty = _with(
        sample, current=Totals(0, 0, 0.0, 0, 0, 0), table2=(), year_to_date=Totals(0, 0, 0.0, 0, 0, 0)
    )
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


def test_month_axis_labels_carry_four_digit_years() -> None:
    from silverdesk.domain.dates import axis_month_labels, month_label

    labels = [month_label(2025, 11), month_label(2025, 12), month_label(2026, 1), month_label(2026, 2)]
    assert labels == ["2025年11月", "2025年12月", "2026年1月", "2026年2月"]
    assert axis_month_labels(labels) == ["2025年11月", "12月", "2026年1月", "2月"]
    assert axis_month_labels(labels, year_below=True) == ["11月\n2025年", "12月", "1月\n2026年", "2月"]
    assert axis_month_labels(["合计"]) == ["合计"]


def test_the_pdf_chart_names_months_with_four_digit_years(sample: ReportData, tmp_path) -> None:
    from pypdf import PdfReader

    from silverdesk.reports.pdf import write_pdf

    text = PdfReader(write_pdf(sample, tmp_path / "r.pdf")).pages[0].extract_text()
    assert "2025年11月" in text and "2026年1月" in text
    assert "25年11月" not in text.replace("2025年11月", "")
