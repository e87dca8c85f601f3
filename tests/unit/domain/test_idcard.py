import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from silverdesk.domain.idcard import (
    IdNumberError,
    check_char,
    is_valid_id_number,
    make_id_number,
    mask_id_number,
    parse_id_number,
)

births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31))
regions = st.from_regex(r"[1-6][0-9]{5}", fullmatch=True)


def test_known_number_from_the_standard():
    # the worked example of GB 11643-1999
    assert check_char("11010519491231002") == "X"
    info = parse_id_number("11010519491231002X")
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "女"


@given(regions, births, st.integers(0, 999))
def test_generated_numbers_validate_and_carry_birth_and_sex(region, birth, order):
    number = make_id_number(region, birth, order)
    info = parse_id_number(number)
    assert info.birth_date == birth
    assert info.gender == ("男" if order % 2 else "女")


@given(regions, births, st.integers(0, 999), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_error_is_caught(region, birth, order, pos, delta):
    number = make_id_number(region, birth, order)
    wrong = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    assert not is_valid_id_number(wrong)


@given(regions, births, st.integers(0, 999))
def test_adjacent_transposition_is_caught(region, birth, order):
    number = make_id_number(region, birth, order)
    for i in range(16):
        if number[i] != number[i + 1]:
            swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
            assert not is_valid_id_number(swapped)


def test_lowercase_x_spaces_and_fullwidth_are_accepted():
    assert parse_id_number(" 11010519491231002x ").number == "11010519491231002X"
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (3.70402195603011e17, "存成了数字"),
        ("3.70402E+17", "科学计数法"),
        ("370402560301123", "15位"),
        ("3704021956030112", "应为18位"),
        ("37040219560230112X", "不是有效日期"),
        ("370402195603011238", "校验位"),
        ("", "为空"),
    ],
)
def test_refusals_say_what_to_do(raw, fragment):
    with pytest.raises(IdNumberError, match=fragment):
        parse_id_number(raw)


def test_future_birth_date_refused():
    number = make_id_number("370402", dt.date(2030, 1, 1), 1)
    with pytest.raises(IdNumberError, match="不合理"):
        parse_id_number(number, today=dt.date(2026, 11, 23))


def test_mask():
    assert mask_id_number("37040219560301123X") == "3704**********123X"
