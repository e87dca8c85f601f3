import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from silverdesk.domain.dates import DateError, parse_date, parse_date_value
from silverdesk.domain.numbers import NumberError, chinese_to_int, parse_count
from silverdesk.domain.phone import PhoneError, mask_phone, normalize_phone
from silverdesk.domain.text import clean, clean_name, clean_text


@pytest.mark.parametrize(
    ("raw", "expected", "precision"),
    [
        ("1956-3-1", dt.date(1956, 3, 1), "day"),
        ("1956/03/01", dt.date(1956, 3, 1), "day"),
        ("1956.03.01", dt.date(1956, 3, 1), "day"),
        ("1956.03", dt.date(1956, 3, 1), "month"),
        (1956.03, dt.date(1956, 3, 1), "month"),
        ("1956年3月", dt.date(1956, 3, 1), "month"),
        ("1956年3月5日", dt.date(1956, 3, 5), "day"),
        ("19560301", dt.date(1956, 3, 1), "day"),
        (19560301, dt.date(1956, 3, 1), "day"),
        ("195603", dt.date(1956, 3, 1), "month"),
        (20515, dt.date(1956, 3, 1), "day"),  # Excel serial
        (dt.datetime(2026, 10, 1, 9, 30), dt.date(2026, 10, 1), "day"),
        ("２０２６－１０－０１", dt.date(2026, 10, 1), "day"),
        ("2026-10-01 00:00:00", dt.date(2026, 10, 1), "day"),
    ],
)
def test_dates_in_every_form_clerks_use(raw, expected, precision):
    parsed = parse_date(raw)
    assert parsed is not None
    assert (parsed.value, parsed.precision) == (expected, precision)


@pytest.mark.parametrize("raw", ["1956-13-01", "1956年2月30日", "去年", "56.3"])
def test_bad_dates_are_refused_with_a_hint(raw):
    with pytest.raises(DateError, match="出生日期"):
        parse_date(raw, field_label="出生日期")


def test_blank_date_is_none():
    assert parse_date_value("  ") is None
    assert parse_date_value(None) is None


@pytest.mark.parametrize(
    ("raw", "value", "approx"),
    [
        ("200余人", 200, True),
        ("约50", 50, True),
        ("三十", 30, True),
        ("1,200", 1200, False),
        (35, 35, False),
        ("两千", 2000, True),
        ("300人次", 300, False),
        ("100多", 100, True),
    ],
)
def test_counts(raw, value, approx):
    parsed = parse_count(raw)
    assert parsed is not None
    assert (parsed.value, parsed.approximate) == (value, approx)
    if approx:
        assert parsed.note


def test_counts_refused():
    with pytest.raises(NumberError, match="负数"):
        parse_count(-3, field_label="参与人次")
    with pytest.raises(NumberError, match="不是数字"):
        parse_count("很多", field_label="受益人次")
    with pytest.raises(NumberError, match="整数"):
        parse_count("2.5", field_label="场次")
    assert parse_count("2.5小时", allow_fraction=True).value == 2.5


def test_chinese_numerals():
    assert chinese_to_int("一百二十") == 120
    assert chinese_to_int("十五") == 15
    assert chinese_to_int("三万五千") == 35000


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        (13812345678.0, "13812345678"),
        ("05331234567", "0533-1234567"),
        ("0533-1234567", "0533-1234567"),
        ("01012345678", "010-12345678"),
        ("13812345678/0533-2345678", "13812345678、0533-2345678"),
        ("", ""),
    ],
)
def test_phones(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["1381234567", "12345", "abc"])
def test_bad_phones(raw):
    with pytest.raises(PhoneError):
        normalize_phone(raw)


def test_masking_phone():
    assert mask_phone("13812345678") == "138****5678"


def test_text_cleaning():
    assert clean("　ＡＢＣ  １２３ ") == "ABC 123"
    assert clean_name("张 建 国") == "张建国"
    assert clean_name("买买提•艾力") == "买买提·艾力"
    assert clean_name("𠮷祥") == "𠮷祥"


def test_free_text_keeps_chinese_punctuation():
    assert clean("社区改期，下周再办") == "社区改期,下周再办"  # identifiers and codes: folded
    assert clean_text("　社区改期，下周再办（第２期）！\n ") == "社区改期，下周再办（第2期）！"
    assert clean_text("ＡＢＣ　１２３") == clean("ＡＢＣ　１２３") == "ABC 123"
    assert clean_text(None) == "" and clean_text(12) == "12"


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.none(), st.dates(), st.booleans()))
def test_parsers_never_raise_anything_but_their_own_error(value):
    for fn, err in ((parse_date, DateError), (parse_count, NumberError), (normalize_phone, PhoneError)):
        try:
            fn(value)
        except err as exc:
            assert str(exc)
