"""Masking personal data: examples, properties and a real written workbook."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from silverdesk.domain.idcard import make_id_number
from silverdesk.domain.privacy import (
    MASK,
    MaskPolicy,
    mask_address,
    mask_id_number,
    mask_phone,
    mask_phone_value,
    mask_text,
)
from silverdesk.domain.safe_cells import set_cell

ID = "370402195603011234"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("城关街道光明社区12号楼3单元401室", "城关街道光明社区****"),
        ("山东省枣庄市市中区龙头路社区5-2-301", "山东省枣庄市市中区龙头路社区****"),
        ("青河镇张庄村三组", "青河镇张庄村****"),
        ("幸福小区三号楼二单元", "幸福小区****"),
        ("经十路１２３号", "经十路****"),  # full-width digits
        ("纬二路88号院", "纬二路****"),  # the numeral in the road's name stays
        ("光明社区", "光明社区"),  # no house number: nothing to hide
        ("", ""),
        ("12号", MASK),
    ],
)
def test_mask_address_examples(address, expected):
    assert mask_address(address) == expected


def test_id_and_phone_examples():
    assert mask_id_number(ID) == "3704**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone_value("138 1234 5678") == "138 **** 5678"
    assert mask_text(f"身份证号{ID}，手机13812345678。") == "身份证号3704**********1234，手机138****5678。"


def test_policy_masks_by_field_and_can_be_switched_off_explicitly():
    row = {
        "name": "张建国",
        "id_number": ID,
        "phone": "13812345678",
        "address": "光明社区3号楼",
        "notes": f"旧号{ID}",
        "birth_date": dt.date(1956, 3, 1),
    }
    masked = MaskPolicy().row(row)
    assert masked == {
        "name": "张建国",
        "id_number": "3704**********1234",
        "phone": "138****5678",
        "address": "光明社区****",
        "notes": "旧号3704**********1234",
        "birth_date": dt.date(1956, 3, 1),
    }
    assert MaskPolicy.off().row(row) == row
    assert MaskPolicy().value("身份证号", ID) == "3704**********1234"  # Chinese headers work too


id_numbers = st.builds(
    make_id_number,
    st.sampled_from(["370402", "110105", "440305"]),
    st.dates(dt.date(1920, 1, 1), dt.date(2000, 12, 31)),
    st.integers(0, 999),
)
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@given(id_numbers)
def test_masked_id_numbers_never_show_the_middle(number):
    out = mask_id_number(number)
    assert out[:4] == number[:4] and out[-4:] == number[-4:]
    assert out[4:14] == "*" * 10
    assert number[6:14] not in out  # the birth date is gone


@given(mobiles)
def test_masked_mobiles_never_show_the_middle(number):
    for out in (mask_phone(number), mask_phone_value(number), mask_text(f"电话：{number}")):
        assert "****" in out
        assert number not in out
        assert number[3:7] + number[7:] not in out


@given(st.text(alphabet="0123456789 -()+", min_size=9, max_size=20))
def test_messy_phone_cells_keep_at_most_seven_digits(value):
    out = mask_phone_value(value)
    assert sum(ch.isdigit() for ch in out) <= 7


@given(st.text())
def test_mask_address_never_raises_and_leaves_no_digit(text):
    out = mask_address(text)
    assert not any(ch.isdigit() for ch in out)
    assert out == text or out.endswith(MASK)


@given(st.text(), id_numbers)
def test_mask_text_hides_embedded_id_numbers(prefix, number):
    out = mask_text(f"{prefix} {number} 。")
    assert number not in out


@given(st.text(), st.text())
def test_policy_never_raises(field, value):
    MaskPolicy().value(field, value)
    mask_phone_value(value)
    mask_id_number(value)


def test_masking_survives_a_real_workbook(tmp_path):
    people = [
        {"姓名": "张建国", "身份证号": ID, "联系电话": "13812345678", "家庭住址": "光明社区3号楼2单元401"},
        {
            "姓名": '=HYPERLINK("http://x")',
            "身份证号": make_id_number("110105", dt.date(1949, 12, 31), 2),
            "联系电话": "0533-1234567",
            "家庭住址": "龙山镇张庄村5组",
        },
    ]
    wb = Workbook()
    ws = wb.active
    headers = list(people[0])
    ws.append(headers)
    policy = MaskPolicy()
    for r, person in enumerate(people, start=2):
        for c, key in enumerate(headers, start=1):
            set_cell(ws.cell(row=r, column=c), policy.value(key, person[key]))
    path = tmp_path / "花名册（脱敏）.xlsx"
    wb.save(path)

    back = load_workbook(path).active
    rows = [[cell.value for cell in row] for row in back.iter_rows(min_row=2)]
    assert rows[0] == ["张建国", "3704**********1234", "138****5678", "光明社区****"]
    assert rows[1][0] == '=HYPERLINK("http://x")' and back["A3"].data_type == "s"
    text = "".join(str(v) for row in rows for v in row)
    assert ID not in text and "12345678" not in text and "401" not in text
    for person in people:
        assert person["身份证号"][6:14] not in text
