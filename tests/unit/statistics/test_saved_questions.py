"""分组统计 questions saved under a name: kept in the file, listed, run again for the latest period,
replaced and deleted; what a clerk types wrong is named."""

from __future__ import annotations

import datetime as dt

import pytest

from silverdesk.errors import UserError
from silverdesk.services.hub import Services
from silverdesk.services.statistics.query import QueryService
from silverdesk.services.statistics.saved_questions import (
    SavedQuestion,
    SavedQuestions,
    latest_period,
)


def test_saved_question_is_kept_in_the_file_and_runs_again(services: Services, county, db_path) -> None:
    cat = services.lookups.resolve("activity_category", "理论宣讲").id
    for day, unit, n in (("2026-10-08", county["street"], 1), ("2026-10-15", county["town"], 2)):
        services.activities.create(
            {"occurred_on": day, "title": "宣讲", "unit_id": unit, "category_id": cat, "sessions": n}
        )
    store = SavedQuestions(services.ctx)
    store.save(SavedQuestion(" 各单位  场次 ", ("activities",), rows=("单位:下一级",), period="month"))
    store.save(
        SavedQuestion(
            "女志愿者",
            ("volunteers",),
            columns=("政治面貌",),
            filters=(("性别", ("女",)),),
            period="year",
            unit_id=county["street"],
        )
    )
    again = Services.open(db_path, "另一位")  # another clerk on the same file sees them
    try:
        listed = SavedQuestions(again.ctx).list()
    finally:
        again.close()
    assert [q.name for q in listed] == ["各单位 场次", "女志愿者"]
    women = listed[1]
    assert women.filters == (("性别", ("女",)),) and women.unit_id == county["street"]
    assert women.period == "year" and women.columns == ("政治面貌",)

    period = latest_period(listed[0].period, dt.date(2026, 11, 20))  # run in November: October
    assert period is not None and (period.start, period.end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    result = QueryService(services.ctx).ask(listed[0].question(period.start, period.end))
    assert result.value("场次", "城关街道") == 1 and result.value("场次", "龙山镇") == 2
    assert result.value("场次") == 3

    store.save(SavedQuestion("女志愿者", ("people",), period="quarter"))  # the same name: replaced
    assert [(q.name, q.measures) for q in store.list()] == [
        ("各单位 场次", ("activities",)),
        ("女志愿者", ("people",)),
    ]
    store.delete("女志愿者")
    assert [q.name for q in store.list()] == ["各单位 场次"]
    with pytest.raises(UserError, match="没有保存过"):
        store.delete("女志愿者")


def test_latest_period_of_each_kind() -> None:
    jan = dt.date(2027, 1, 5)  # the latest month is last year's December
    month = latest_period("month", jan)
    quarter = latest_period("quarter", jan)
    year = latest_period("year", jan)
    assert month is not None and (month.start, month.end) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert quarter is not None and (quarter.start, quarter.end) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    assert year is not None and (year.start, year.end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert latest_period("custom", jan) is None
    brand = latest_period("since", jan, dt.date(2020, 5, 1))  # 累计 since a brand was founded: up to today
    assert brand is not None and (brand.start, brand.end, brand.kind) == (dt.date(2020, 5, 1), jan, "since")


def test_a_name_and_a_measure_are_needed(services: Services) -> None:
    store = SavedQuestions(services.ctx)
    with pytest.raises(UserError, match="起个名字"):
        store.save(SavedQuestion("  ", ("activities",)))
    with pytest.raises(UserError, match="不超过 40 个字"):
        store.save(SavedQuestion("长" * 41, ("activities",)))
    with pytest.raises(UserError, match="至少选择一个统计指标"):
        store.save(SavedQuestion("空的", ()))
    assert store.list() == []


def test_json_round_trip() -> None:
    q = SavedQuestion(
        "例子",
        ("activities", "beneficiaries"),
        rows=("单位:社区村",),
        columns=("服务领域:大类",),
        filters=(("性别", ("女", "男")),),
        period="custom",
        unit_id=7,
    )
    assert SavedQuestion.from_json("例子", q.to_json()) == q
    brand = SavedQuestion("品牌以来", ("activities",), period="since", since=dt.date(2020, 5, 1))
    assert SavedQuestion.from_json("品牌以来", brand.to_json()) == brand
    assert '"服务领域:大类"' in q.to_json()  # readable Chinese in the file, not \\u escapes
