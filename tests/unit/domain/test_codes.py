"""The code tables and rules of ``domain/codes.py`` and ``domain/numbers.py`` added for issue #16:
文化程度 (GB/T 4658), 职级 against the list as the clerk keeps it, the 是否… columns, 超出常见范围."""

from __future__ import annotations

from silverdesk.domain import enums
from silverdesk.domain.codes import PARTY_FORMS, YES_NO_COLUMNS, ListReader, code_table
from silverdesk.domain.numbers import CONFIRM_HINT, PLAUSIBLE_MAX, implausible


def test_the_education_table_holds_the_levels_of_gb_t_4658() -> None:
    education = code_table("education")
    assert education.forms == enums.EDUCATION_LEVELS
    assert (education.standard, education.strict) == ("GB/T 4658", False)
    written = {"硕士": "研究生", "博士研究生": "研究生", "本科": "大学本科", "大本": "大学本科", "大学": "大学本科",
               "大专": "大学专科", "专科": "大学专科", "中技": "中专", "技校": "中专", "职高": "中专",
               "普通高中": "高中", "初中毕业": "初中", "高小": "小学", "半文盲": "文盲或半文盲"}  # fmt: skip
    assert {w: education.normal(w) for w in written} == written
    assert education.normal("本科肄业") is None and education.normal("党校大专") is None  # kept as written


def test_short_ranks_name_the_entries_of_the_rank_list_as_the_clerk_keeps_it() -> None:
    rank = code_table("rank")
    default = ListReader(rank, [(name, ()) for name in rank.forms])
    assert [default.entry(w) for w in ("正科", "正科级", "副科", "正处", "副县", "副县级", "副处级干部", "科员")] == [
        "乡科级正职", "乡科级正职", "乡科级副职", "县处级正职", "县处级副职", "县处级副职", "县处级副职", "科员及以下",
    ]  # fmt: skip
    assert (
        default.entry("调研员") is None and default.entry("正局级") is None
    )  # 非领导职务, ambiguous: not mapped
    renamed = ListReader(rank, [("正科级", ("乡科级正职",)), ("县处级副职", ())])  # 乡科级正职 renamed 正科级
    assert [renamed.entry(w) for w in ("正科", "乡科级正职", "正科级", "副县", "副科")] == [
        "正科级", "正科级", "正科级", "县处级副职", None,  # 副科: the list has no entry for it
    ]  # fmt: skip


def test_the_reason_names_field_figure_limit_and_how_to_confirm() -> None:
    assert implausible("participants", "参与人次", 5000, "5000") is None
    assert implausible("participants", "参与人次", 5001, "5001") == (
        f"数字超出常见范围（参与人次“5001”，一条活动记录通常不超过 5,000），{CONFIRM_HINT}"
    )
    assert CONFIRM_HINT == "如确认无误，请在预览中勾选“已核对”或用 --confirm-large 导入"
    assert "看起来是日期 2026-10-17，可能填错了列" in str(
        implausible("hours", "服务时长", 20261017, "20261017")
    )
    assert implausible("notes", "备注", 1e8, "100000000") is None  # only the count fields have limits


def test_each_yes_no_column_names_values_its_field_accepts() -> None:
    allowed = {"political_status": set(code_table("political_status").forms),
               "retirement_type": set(enums.RETIREMENT_TYPES), "status": set(enums.PERSON_STATUSES)}  # fmt: skip
    for column in YES_NO_COLUMNS:
        said = {v for v in (column.yes, column.no) if v} | set(column.yes_forms)
        assert said <= allowed[column.target], column.key
        assert not column.yes or column.yes in column.yes_forms  # 是 stores a value that means 是
        assert column.no not in column.yes_forms
        assert bool(column.no) != bool(column.no_unsaid) or not column.no_unsaid  # 否 either says or refuses
    assert YES_NO_COLUMNS[0].yes_forms == PARTY_FORMS


def test_every_limit_reached_is_within_and_one_more_is_held() -> None:
    for key, limit in PLAUSIBLE_MAX.items():
        assert implausible(key, "数量", limit, str(limit)) is None
        assert str(implausible(key, "数量", limit + 1, str(limit + 1))).endswith(CONFIRM_HINT)
