"""Counts and hours as silverdesk writes them for a clerk (``domain/numbers.py`` ``count_text``, ``hours_text``):
the command line, 首页's tiles and the list screens' sums line use this one rule (issue #17)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from silverdesk.domain.numbers import count_text, hours_text
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
