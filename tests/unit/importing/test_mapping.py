"""Column matching: synonyms, fuzzy labels, ambiguity, remembered mappings, kind detection."""

from __future__ import annotations

import pytest

from silverdesk.services.importing import (
    IGNORE,
    KINDS,
    Column,
    detect_kind,
    mapping_signature,
    match_columns,
    normalize_label,
)


def cols(*labels: str, groups: tuple[str, ...] = ()) -> list[Column]:
    return [Column(i, lb, groups[i] if i < len(groups) else "") for i, lb in enumerate(labels)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("身份证号码（必填）", "身份证号码"), ("* 姓  名", "姓名"), ("服务时长(小时)", "服务时长"), ("联系电话：", "联系电话"),
     ("ＡＢＣ１２３", "abc123"), ("【备注】", "【备注】")],
)  # fmt: skip
def test_normalize_label(raw: str, expected: str) -> None:
    assert normalize_label(raw) == expected


def test_documented_synonyms_map_exactly() -> None:
    cases = {
        "roster": {"公民身份号码": "id_number", "出生年月": "birth_date", "手机号码": "phone", "退休前单位": "former_employer",
                   "离休或退休": "retirement_type", "社区报到时间": "registered_on", "人才库类别": "talents",
                   "所在服务队": "teams", "人员状态": "status"},
        "activities": {"开展时间": "date", "活动主题": "title", "参与人数": "participants", "服务时长(小时)": "hours",
                       "受益群众": "beneficiaries", "参加人员名单": "participant_names", "阵地": "place"},
        "resources": {"大类": "category", "小项": "subcategory", "提供单位": "provider", "可服务人数": "capacity"},
        "demands": {"需求社区": "requester", "期望完成时间": "wanted_by", "紧急程度": "urgency", "联系人": "contact_name"},
    }  # fmt: skip
    for kind, labels in cases.items():
        m = match_columns(cols(*labels), kind)
        assert {c: m.assigned.get(i) for i, c in enumerate(labels)} == labels, kind
        assert all(m.confidence[i] == 1.0 for i in m.assigned)


def test_every_field_key_is_reachable_by_its_label() -> None:
    for kind, spec in KINDS.items():
        m = match_columns(cols(*(f.label for f in spec.fields)), kind)
        assert sorted(m.assigned.values()) == sorted(f.key for f in spec.fields), kind
        assert not m.missing_required


def test_fuzzy_labels_get_a_confidence_below_one() -> None:
    m = match_columns(cols("老同志姓名", "身份证号码（18位）", "手机号码/电话", "家庭现住址"), "roster")
    assert m.assigned == {0: "name", 1: "id_number", 2: "phone", 3: "address"}
    assert m.confidence[1] == 1.0, "bracketed remark removed, then exact"
    assert 0.75 <= m.confidence[0] < 1.0
    assert m.source[0] == "fuzzy"


def test_unknown_columns_are_not_guessed_and_required_are_reported() -> None:
    m = match_columns(cols("序号", "籍贯", "爱好的颜色", "性别"), "roster")
    assert m.assigned == {3: "gender"}
    assert m.ignored == [0]
    assert m.unmatched_columns == [1, 2]
    assert m.missing_required == ["name"]
    assert not m.complete


def test_duplicate_meaning_keeps_first_exact_and_leaves_other_unmatched() -> None:
    m = match_columns(cols("姓名", "联系电话", "手机"), "roster")
    assert m.assigned == {0: "name", 1: "phone"}
    assert m.unmatched_columns == [2]


def test_ambiguous_fuzzy_column_is_asked_not_assigned() -> None:
    m = match_columns(cols("需求名称", "需求类别", "需求单位", "联系人电话号"), "demands")
    assert 3 not in m.assigned
    assert 3 in m.unmatched_columns or any(a.column_index == 3 for a in m.ambiguous)


def test_remembered_mapping_wins_and_can_ignore() -> None:
    columns = cols("姓名", "所在片区", "电话")
    remembered = {"所在片区": "community", "电话": IGNORE}
    m = match_columns(columns, "roster", remembered)
    assert m.assigned == {0: "name", 1: "community"}
    assert m.source[1] == "remembered"
    assert m.ignored == [2]
    assert m.to_remember(columns) == {"姓名": "name", "所在片区": "community", "电话": IGNORE}


def test_group_label_helps_and_is_part_of_the_key() -> None:
    columns = cols("名称", "电话", groups=("需求", "联系人"))
    m = match_columns(columns, "demands")
    assert m.assigned[0] == "title"
    assert m.to_remember(columns)["需求>名称"] == "title"


def test_signature_is_stable_and_normalised() -> None:
    a = mapping_signature(cols("姓名", "身份证号码（必填）"))
    assert a == mapping_signature(cols(" 姓 名 ", "身份证号码(必填)"))
    assert a != mapping_signature(cols("身份证号码", "姓名"))
    assert len(a) == 16


@pytest.mark.parametrize(
    ("labels", "kind"),
    [(("姓名", "性别", "身份证号", "原工作单位"), "roster"), (("活动日期", "活动名称", "参与人次", "服务时长"), "activities"),
     (("资源类别", "资源名称", "提供单位", "服务区域"), "resources"), (("需求类别", "需求名称", "需求单位", "紧急程度"), "demands")],
)  # fmt: skip
def test_detect_kind(labels: tuple[str, ...], kind: str) -> None:
    found, score = detect_kind(cols(*labels))
    assert found == kind
    assert score > 0.6
