"""Row normalisation: every value converted or refused with a reason; nothing ever raises."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from silverdesk.domain.idcard import make_id_number
from silverdesk.services.importing import (
    Column,
    Mapping,
    NormalizedRow,
    RawRow,
    RowNormalizer,
    Table,
    match_columns,
    normalize_rows,
)

TODAY = dt.date(2026, 11, 1)
ROSTER_COLS = ["姓名", "性别", "出生年月", "身份证号", "联系电话", "社区任职", "离退休类别", "状态"]
ACT_COLS = ["活动日期", "活动名称", "参与人次", "服务时长（小时）", "受益人次", "服务队"]


def run(labels: list[str], kind: str, *rows: list[Any], hidden: bool = False) -> list[NormalizedRow]:
    columns = [Column(i, lb) for i, lb in enumerate(labels)]
    table = Table((1,), columns, [RawRow(i + 2, list(r), hidden) for i, r in enumerate(rows)])
    return list(normalize_rows(table, match_columns(columns, kind), today=TODAY))


def reasons(row: NormalizedRow) -> list[str]:
    return [e.reason for e in row.errors]


ID_M = make_id_number("370102", dt.date(1956, 3, 1), 123)  # male
ID_F = make_id_number("370102", dt.date(1958, 7, 15), 222)  # female


def test_clean_roster_row() -> None:
    [row] = run(
        ROSTER_COLS,
        "roster",
        ["张 三", "男", "1956.03", ID_M, "138 1234 5678", "楼长、网格员，调解员", "退休干部", "正常"],
    )
    assert row.ok, row.errors
    assert row.values == {
        "name": "张三", "gender": "男", "birth_date": dt.date(1956, 3, 1), "id_number": ID_M, "phone": "13812345678",
        "community_roles": ("楼长", "网格员", "调解员"), "retirement_type": "退休", "status": "在册",
    }  # fmt: skip


def test_fullwidth_digits_and_spaces() -> None:
    full = ID_M.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    [row] = run(
        ["姓名", "身份证号", "联系电话"], "roster", ["\u3000李四\u3000", full, "１３８１２３４５６７８"]
    )
    assert row.values["id_number"] == ID_M
    assert row.values["phone"] == "13812345678"
    assert row.values["name"] == "李四"


def test_id_derives_birth_date_and_gender_when_missing() -> None:
    [row] = run(["姓名", "身份证号"], "roster", ["王五", ID_F])
    assert row.values["birth_date"] == dt.date(1958, 7, 15)
    assert row.values["gender"] == "女"


def test_id_conflicts_name_both_values() -> None:
    [row] = run(["姓名", "性别", "出生日期", "身份证号"], "roster", ["王五", "男", "1958-07-16", ID_F])
    assert not row.ok
    by_field = {e.field_key: e.reason for e in row.errors}
    assert "1958-07-16" in by_field["birth_date"] and "1958-07-15" in by_field["birth_date"]
    assert "“男”" in by_field["gender"] and "“女”" in by_field["gender"]
    assert "birth_date" not in row.values and "gender" not in row.values


def test_month_precision_birth_date_agrees_with_id() -> None:
    [row] = run(["姓名", "出生年月", "身份证号"], "roster", ["王五", "1958年7月", ID_F])
    assert row.ok
    assert row.values["birth_date"] == dt.date(1958, 7, 15), (
        "the ID's exact day replaces the 1st of the month"
    )


def test_id_as_number_or_scientific_notation_is_refused_never_guessed() -> None:
    rows = run(
        ["姓名", "身份证号"],
        "roster",
        ["甲", float(ID_M[:17] + "0")],
        ["乙", "3.70102E+17"],
        ["丙", int(ID_M[:17] + "0")],
    )
    for row in rows:
        assert "id_number" not in row.values
        assert row.errors[0].field_key == "id_number"
        assert "文本" in row.errors[0].reason
        assert "birth_date" not in row.values


def test_bad_check_digit_and_duplicates() -> None:
    wrong = ID_M[:17] + ("0" if ID_M[17] != "0" else "1")
    rows = run(["姓名", "身份证号"], "roster", ["甲", wrong], ["乙", ID_M], ["丙", ID_M])
    assert "校验位" in reasons(rows[0])[0]
    assert rows[1].ok
    assert "与第 3 行重复" in reasons(rows[2])[0]


def test_dates_in_every_form() -> None:
    forms = [
        46296.0,
        "2026.10",
        "2026年10月1日",
        "20261001",
        "2026-10-1",
        dt.datetime(2026, 10, 1, 9, 30),
        "2026/10/01",
    ]
    rows = run(["活动日期", "活动名称"], "activities", *[[f, "义诊"] for f in forms])
    assert [r.values["date"] for r in rows] == [dt.date(2026, 10, 1)] * len(forms)
    assert "只写到月" in rows[1].warnings[0].reason
    assert all(not r.warnings for i, r in enumerate(rows) if i != 1)


def test_counts_with_approximations_and_hours() -> None:
    [row] = run(
        ACT_COLS, "activities", ["2026-10-01", "宣讲", "200余人", "2.5", "约50", "红色宣讲队/银发志愿队"]
    )
    assert row.values["participants"] == 200
    assert row.values["hours"] == 2.5
    assert row.values["beneficiaries"] == 50
    assert row.values["teams"] == ("红色宣讲队", "银发志愿队")
    assert len(row.warnings) == 2
    assert all("约数" in w.reason or "余" in w.reason for w in row.warnings)
    [row] = run(ACT_COLS, "activities", ["2026-10-01", "宣讲", "三十", "", "-5", ""])
    assert row.values["participants"] == 30
    assert "按 30 计" in row.warnings[0].reason
    assert "不能为负数" in reasons(row)[0]


def test_required_fields_missing_name_the_label() -> None:
    [row] = run(["活动日期", "活动名称", "参与人次"], "activities", [None, "  ", 5])
    # a blank 活动名称 may still come from 活动内容: the activities planner refuses it when it cannot
    # (tests/unit/importing/test_activity_titles.py)
    assert sorted(e.field_key for e in row.errors) == ["date"]
    assert any("“活动日期”未填写" in r for r in reasons(row))
    [row] = run(["活动名称"], "activities", ["义诊"])
    assert "表中没有“活动日期”列" in reasons(row)[0]


def test_bad_values_have_actionable_reasons() -> None:
    [row] = run(ROSTER_COLS, "roster", ["张3", "未知", "1956-13-01", ID_M, "12345", "", "返聘", "失联"])
    by_field = {e.field_key: e.reason for e in row.errors}
    assert set(by_field) == {"name", "gender", "birth_date", "phone", "retirement_type", "status"}
    assert "男" in by_field["gender"] and "女" in by_field["gender"]
    assert "离休" in by_field["retirement_type"]
    assert "在册" in by_field["status"]
    assert all(e.column_label for e in row.errors)


def test_hidden_row_is_flagged() -> None:
    [row] = run(["姓名"], "roster", ["张三"], hidden=True)
    assert row.ok and row.hidden
    assert "隐藏" in row.warnings[0].reason


def test_memo_does_not_leak_values_between_rows() -> None:
    rows = run(["姓名", "社区任职"], "roster", ["甲", "楼长、网格员"], ["乙", "楼长、网格员"], ["丙", "楼长"])
    assert rows[0].values["community_roles"] == rows[1].values["community_roles"] == ("楼长", "网格员")
    assert rows[2].values["community_roles"] == ("楼长",)


cell_values = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(alphabet="0123456789０１２３.-/年月日余约 XxE+", max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.binary(max_size=10),
    st.lists(st.integers(), max_size=3),
    st.builds(object),
)


@settings(max_examples=400, deadline=None)
@given(kind=st.sampled_from(["roster", "activities", "resources", "demands"]), data=st.data())
def test_normaliser_never_raises_and_every_issue_has_a_reason(kind: str, data: st.DataObject) -> None:
    from silverdesk.services.importing import KINDS

    fields = KINDS[kind].fields
    columns = [Column(i, f.label) for i, f in enumerate(fields)]
    mapping = Mapping(kind, assigned={i: f.key for i, f in enumerate(fields)})
    normalizer = RowNormalizer(columns, mapping, today=TODAY)
    for n in range(3):
        values = data.draw(st.lists(cell_values, min_size=0, max_size=len(fields) + 2))
        row = normalizer.normalize(RawRow(n + 2, values))
        for issue in row.errors + row.warnings:
            assert isinstance(issue.reason, str) and issue.reason.strip()
        for key in row.values:
            assert key in mapping.assigned.values()


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="0123456789", min_size=18, max_size=18),
        st.builds(lambda d, o: make_id_number("370102", d, o), st.dates(dt.date(1880, 1, 1), dt.date(2030, 1, 1)),
                  st.integers(0, 999)),
    )
)  # fmt: skip
def test_fast_id_path_agrees_with_the_domain_rule(text: str) -> None:
    from silverdesk.domain.idcard import IdNumberError, parse_id_number
    from silverdesk.services.importing.rows import _fast_id

    try:
        expected = parse_id_number(text, today=TODAY)
    except IdNumberError:
        expected = None
    assert _fast_id(text, TODAY) == expected


def test_a_choice_written_another_way_is_shown_as_normalised() -> None:
    [row] = run(["姓名", "离退休类别", "状态"], "roster", ["王五", "退", "正常"])
    assert row.values["retirement_type"] == "退休" and row.values["status"] == "在册"
    assert row.normalised == [("retirement_type", "退", "退休"), ("status", "正常", "在册")]
    [row] = run(["姓名", "离退休类别", "状态"], "roster", ["王五", "退休", "在册"])
    assert not row.normalised
