"""The titles derived for list entries that have none, and the 大类 a section row names (domain/titles.py)."""

from __future__ import annotations

import pytest

from silverdesk.domain.titles import TITLE_MAX, derive_title, section_category


@pytest.mark.parametrize(
    ("content", "title"),
    [
        ("帮助独居老人购买生活用品，每周两次", "帮助独居老人购买生活用品"),
        ("智能手机使用培训。教老人用微信视频", "智能手机使用培训"),
        ("上门理发；每月一次", "上门理发"),
        ("法律咨询;遗嘱与赡养", "法律咨询"),
        ("陪同就医,需要会开车", "陪同就医"),
        ("血压测量.每周三上午", "血压测量"),
        ("急需轮椅!两台", "急需轮椅"),
        ("急需轮椅！两台", "急需轮椅"),
        ("谁能教书法?每周一次", "谁能教书法"),
        ("谁能教书法？每周一次", "谁能教书法"),
        ("读报、读书给视障老人", "读报、读书给视障老人"),  # 、 joins the items of one clause
        ("修理水电\n楼道灯坏了", "修理水电"),
        ("修理水电\r\n楼道灯坏了", "修理水电"),
        ("  送餐上门  ", "送餐上门"),
        ("1.送餐上门，中午一顿", "送餐上门"),
        ("1、送餐上门", "送餐上门"),
        ("12. 送餐上门", "送餐上门"),
        ("（一）送餐上门", "送餐上门"),
        ("(2)送餐上门", "送餐上门"),
        ("①送餐上门，中午一顿", "送餐上门"),
        ("⑫ 送餐上门", "送餐上门"),
        ("一、送餐上门", "送餐上门"),
        ("，送餐上门", "送餐上门"),  # an empty first clause is passed over
        (
            "组织辖区内六十岁以上空巢老人参加每月一次的健康讲座和义诊活动",
            "组织辖区内六十岁以上空巢老人参加每月一…",
        ),
        (
            "一二三四五六七八九十一二三四五六七八九十",
            "一二三四五六七八九十一二三四五六七八九十",
        ),  # exactly 20
        (
            "一二三四五六七八九十一二三四五六七八九十一",
            "一二三四五六七八九十一二三四五六七八九…",
        ),  # 21 → 19 + …
        ("一对一辅导作业", "一对一辅导作业"),  # a numeral that is no numbering stays
        ("", ""),
        ("。；，", ""),
    ],
)
def test_derive_title_takes_the_first_clause(content: str, title: str) -> None:
    assert derive_title(content) == title
    assert len(derive_title(content)) <= TITLE_MAX


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("一、助老服务类", "助老服务"),
        ("二、文体活动类", "文体活动"),
        ("三．医疗健康服务", "医疗健康服务"),
        ("三.医疗健康服务", "医疗健康服务"),  # a cleaned cell: ． became .
        ("十一、 法律咨询服务 类", "法律咨询服务"),
        ("四、为老助老服务", "为老助老服务"),
    ],
)
def test_section_rows_name_a_category(text: str, category: str) -> None:
    assert section_category(text) == category


@pytest.mark.parametrize(
    "text", ["助老服务类", "1、助老服务", "（一）助老服务", "一对一辅导", "一、", "一、类", ""]
)
def test_other_text_is_no_section_row(text: str) -> None:
    assert section_category(text) is None
