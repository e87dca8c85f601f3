"""Counts and hours as silverdesk writes them for a clerk (``domain/numbers.py`` ``count_text``, ``hours_text``):
the command line, 首页's tiles, the list screens' sums line and the 分组统计 table (its aligned form,
``fixed=True``) use this one rule (issue #17)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from silverdesk.domain.numbers import count_text, figure_text, hours_text, percent_text
from silverdesk.reports.narrative import fmt_hours, fmt_int


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1344680.4999, "1,344,680.5"),
        (1344680.0, "1,344,680"),
        (8120.5, "8,120.5"),
        (7.5, "7.5"),
        (12, "12"),
        (0, "0"),
        (0.04, "0"),
        (-0.04, "0"),
        (2.25, "2.2"),  # one decimal, as the report's cells round it
    ],
)
def test_hours(value, text):
    assert hours_text(value) == text


def test_counts_and_prose():
    assert count_text(1234) == "1,234"
    assert count_text(25000) == "25,000"
    assert count_text(7) == "7"
    assert count_text(1234, grouped=False) == fmt_int(1234) == "1234"  # the narrative: no separators
    assert hours_text(9385.1, grouped=False) == fmt_hours(9385.1) == "9385.1"


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False))
def test_hours_never_in_scientific_notation_and_read_back(value):
    text = hours_text(value)
    assert "e" not in text and not text.endswith(".0")
    assert len(text.partition(".")[2]) <= 1
    assert abs(float(text.replace(",", "")) - value) <= 0.05 + value * 1e-12


def test_aligned_columns_keep_the_decimal_and_changes_carry_their_sign():
    # the 分组统计 table, its xlsx/PDF and ``silverdesk stats``: one decimal always, so the points line up
    assert [hours_text(v, fixed=True) for v in (98773.0, 7.5, 0, -0.04)] == ["98,773.0", "7.5", "0.0", "0.0"]
    assert figure_text(1202, 0, fixed=True) == "1,202" and figure_text(98773, 1, fixed=True) == "98,773.0"
    assert figure_text(98773, 1) == hours_text(98773) == "98,773"  # the same rule, not aligned
    # 增减 and 增长率 of 同比/环比
    assert [count_text(v, signed=True) for v in (5, 0, -1234)] == ["+5", "0", "-1,234"]
    assert hours_text(2.5, signed=True) == "+2.5" and hours_text(-1, signed=True, fixed=True) == "-1.0"
    assert [percent_text(r) for r in (0.125, 0.25, -1 / 7, 0.0, None)] == [
        "+12.5%",
        "+25%",
        "-14.3%",
        "0%",
        "—",
    ]
    assert percent_text(0.25, fixed=True) == "+25.0%" and percent_text(-1.0, fixed=True) == "-100.0%"
