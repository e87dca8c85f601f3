"""Folded keys, "大类(小项)" splits and the strong-candidate rule (silverdesk.domain.names)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from silverdesk.domain.names import (
    ALIAS,
    EXACT,
    FOLDED,
    NONE,
    SIMILAR,
    NameEntry,
    NameIndex,
    fold,
    is_subsequence,
    pinyin_of,
    similarity,
    split_category,
    team_key,
    unit_key,
    with_alias,
    without_alias,
)

UNITS = [
    NameEntry(1, "青山县"),
    NameEntry(2, "县卫生健康局", kind="部门"),
    NameEntry(3, "榆山街道", kind="街道"),
    NameEntry(4, "光明社区", parent_id=3, kind="社区"),
    NameEntry(5, "县教育局", ("教育局",), kind="部门"),
    NameEntry(6, "幸福社区", parent_id=3, kind="社区"),
    NameEntry(7, "幸福社区", parent_id=9, kind="社区"),
]
CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=6)


def test_folded_keys_ignore_spaces_widths_dashes_and_brackets() -> None:
    assert fold(" 法律服务 （普法——宣传） ") == fold("法律服务(普法-宣传)") == "法律服务(普法-宣传)"
    assert fold("法律服务【普法】") == fold("法律服务[普法]") == "法律服务(普法)"
    assert fold("ＡＢＣ服务队") == "abc服务队"
    assert unit_key("榆山街道办事处") == unit_key("榆山街道办") == unit_key("榆山办事处") == "榆山街道"
    assert unit_key("光明社区居委会") == unit_key("光明居委会") == "光明社区"
    assert unit_key("街道办") == "街道办"  # nothing but the ending: left as it is
    assert team_key("夕阳红志愿服务队") == team_key("夕阳红服务队") == team_key("夕阳红志愿队") == "夕阳红"


def test_major_and_minor_written_in_one_cell() -> None:
    for text in (
        "法律服务(普法宣传)",
        "法律服务（普法宣传）",
        "法律服务—普法宣传",
        "法律服务-普法宣传",
        "法律服务 － 普法宣传",
    ):
        assert split_category(text) == ("法律服务", "普法宣传"), text
    for text in ("普法宣传", "(普法)", "法律服务-", "a-b-c", "法律服务(普法)(二)"):
        assert split_category(text) is None, text


@given(CJK, CJK)
def test_any_major_and_minor_split_back(major: str, minor: str) -> None:
    for text in (f"{major}({minor})", f"{major}（{minor}）", f"{major}—{minor}", f"{major}-{minor}"):
        assert split_category(text) == (major, minor)


@given(st.text(max_size=20))
def test_folding_twice_changes_nothing(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert unit_key(fold(text)) == unit_key(text)
    assert team_key(fold(text)) == team_key(text)


@given(CJK)
def test_a_full_width_spaced_spelling_folds_to_the_same_key(text: str) -> None:
    assert fold(" ".join(text) + "（１）") == fold(text + "(1)")


@given(CJK, CJK)
def test_subsequence_of_the_text_with_more_inserted(short: str, more: str) -> None:
    long = "".join(a + b for a, b in zip(short, more, strict=False)) + short[len(more) :]
    assert is_subsequence(short, long)


def test_each_step_in_order() -> None:
    index = NameIndex(UNITS, unit_key)
    assert index.match("县卫生健康局").how == EXACT
    assert index.match("教育局").how == ALIAS
    found = index.match("榆山街道办")
    assert (found.how, [e.name for e in found.entries]) == (FOLDED, ["榆山街道"])
    found = index.match("县卫健局")  # every character in order in exactly one unit
    assert (found.how, [e.name for e in found.entries]) == (SIMILAR, ["县卫生健康局"])
    assert [e.id for e in index.match("幸福社区").entries] == [6, 7]  # told apart later, by parent
    found = index.match("县卫健委")
    assert (found.how, [e.name for e in found.closest][:1]) == (NONE, ["县卫生健康局"])
    assert index.match("城关街道幸福社区").how == NONE  # no reverse match for units: a new community
    assert index.match("卫局").how == NONE  # less than half of 县卫生健康局
    assert index.match("局").how == NONE  # one character is no abbreviation


def test_strong_candidates_need_exactly_one_entry() -> None:
    index = NameIndex([NameEntry(1, "城关镇"), NameEntry(2, "城关街道")], unit_key)
    assert index.match("城关").how == NONE
    assert [e.name for e in index.match("城关").closest] == ["城关镇", "城关街道"]


def test_lists_and_teams_also_match_the_other_way_round_and_by_sound() -> None:
    roles = NameIndex([NameEntry(1, "楼长"), NameEntry(2, "网格员")], fold, reverse=True)
    assert roles.match("楼栋长").entries[0].name == "楼长"
    fields = NameIndex(
        [NameEntry(1, "法治宣传", ("普法宣传",)), NameEntry(2, "健康义诊")], fold, reverse=True
    )
    assert fields.match("法制宣传").how == SIMILAR  # fǎzhì either way
    assert fields.match("普法").entries[0].name == "法治宣传"  # through the alias
    teams = NameIndex(
        [NameEntry(1, "红色宣讲志愿服务队"), NameEntry(2, "夕阳红志愿服务队")], team_key, reverse=True
    )
    assert teams.match("红色宣讲队").entries[0].id == 1
    assert teams.match("夕阳红服务队").how == FOLDED


def test_similarity_does_not_count_a_shared_ending() -> None:
    assert similarity("幸福社区", "光明社区") < 0.45
    assert similarity("养老服务", "为老服务") > 0.45
    assert similarity("县卫健委", "县卫生健康局") > 0.45


@given(st.lists(CJK, min_size=1, max_size=8, unique=True))
def test_every_entry_is_found_as_itself(names: list[str]) -> None:
    index = NameIndex([NameEntry(i, n) for i, n in enumerate(names)], fold, reverse=True)
    for i, name in enumerate(names):
        found = index.match(name)
        assert found.how == EXACT and [e.id for e in found.entries] == [i]


def test_alias_columns() -> None:
    assert with_alias("", "县卫健局") == "县卫健局"
    assert with_alias("县卫健局", "县卫健局") == "县卫健局"
    assert with_alias("甲|乙", "丙") == "甲|乙|丙"
    assert without_alias("甲|乙|丙", "乙") == "甲|丙"


@settings(deadline=None)  # the first example may load pypinyin's tables (the same-sound rule)
@given(st.lists(CJK, min_size=2, max_size=6, unique=True), st.data())
def test_an_abbreviation_of_exactly_one_entry_is_taken_and_never_of_two(
    names: list[str], data: st.DataObject
) -> None:
    source = data.draw(st.sampled_from(names))
    keep = data.draw(st.lists(st.booleans(), min_size=len(source), max_size=len(source)))
    text = "".join(ch for ch, k in zip(source, keep, strict=True) if k)
    index = NameIndex([NameEntry(i, n) for i, n in enumerate(names)], fold)
    found = index.match(text)
    fits = [n for n in names if len(text) >= 2 and is_subsequence(text, n) and 2 * len(text) >= len(n)]
    if text in names:
        assert found.how == EXACT
    elif len(fits) == 1:
        assert (found.how, [e.name for e in found.entries]) == (SIMILAR, fits)
    elif len(fits) > 1:  # never taken as an abbreviation (one that sounds exactly the same could be)
        assert found.how == NONE or pinyin_of(found.entries[0].name) == pinyin_of(text)
