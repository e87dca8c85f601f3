"""What each kind of import expects: field keys, Chinese labels, required flags, synonyms, types.

Keys are the contract with the layers above (models, import service, remembered mappings):
change a label or add synonyms freely, never rename a key.  ``type`` picks the converter in
:mod:`silverdesk.services.importing.rows`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

FieldType = str
"""text | name | gender | code | yes_no | date | count | hours | id_number | phone | list | choice.

``code`` reads the field through its code table (:mod:`silverdesk.domain.codes`, named by the key);
``yes_no`` is a 是否… column that stands for another field (是否党员 → 政治面貌, 是否离休 → 离退休类别,
是否在册/是否去世/是否健在 → 状态: :data:`silverdesk.domain.codes.YES_NO_COLUMNS`, applied in rows.py)."""


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    required: bool = False
    synonyms: tuple[str, ...] = ()
    type: FieldType = "text"
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # canonical value → accepted spellings
    stand_ins: tuple[str, ...] = ()
    """What gives a required field when no column (or an empty cell) does: other field keys (a title
    derived from 需求内容) or :data:`FROM_SECTIONS` / :data:`FROM_UNIT`; see ``planners/derive.py``."""

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


@dataclass(frozen=True)
class KindSpec:
    key: str
    label: str
    fields: tuple[FieldSpec, ...]
    short: str = ""  # the kind in a word (the import log's 内容 column, the command line's --kind)
    name_key: str = "title"  # the field that names a row (姓名, 活动名称 …) in the wizard's tables
    unit_required: bool = False  # every new record belongs to a unit: the sending unit or the row's 所属单位

    def field(self, key: str) -> FieldSpec:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def required(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def cell_required(self) -> tuple[FieldSpec, ...]:
        """Required fields every row must fill in its own cell (the others have stand-ins)."""
        return tuple(f for f in self.fields if f.required and not f.stand_ins)

    def missing(self, mapped: Collection[str], given: Collection[str] = ()) -> list[str]:
        """Required fields neither a column (``mapped``) nor a stand-in gives.

        ``given``: what the file gives besides its columns (:data:`FROM_SECTIONS` when it has
        section rows, :data:`FROM_UNIT` since a sending unit can be chosen at import; telling the
        kind of a sheet from its header leaves them out: they are no sign of any kind).
        """
        have = {*mapped, *given}
        return [f.key for f in self.required if f.key not in have and not have.intersection(f.stand_ins)]


def F(key: str, label: str, *synonyms: str, required: bool = False, type: FieldType = "text",
      choices: tuple[tuple[str, tuple[str, ...]], ...] = (), stand_ins: tuple[str, ...] = ()) -> FieldSpec:  # fmt: skip
    return FieldSpec(key, label, required, synonyms, type, choices, stand_ins)


FROM_SECTIONS = "@section"
"""Stand-in: the section row above a record (“一、助老服务类”) names its 大类."""
FROM_UNIT = "@unit"
"""Stand-in: the 填报单位 line above the header, else the sending unit chosen at import."""


_RETIREMENT = (("离休", ("离休", "离", "离休干部")), ("退休", ("退休", "退", "退休干部")))
_STATUS = (
    ("在册", ("在册", "正常", "健在", "在职", "在")),
    ("去世", ("去世", "已故", "逝世", "病故", "死亡", "已去世")),
    ("迁出", ("迁出", "转出", "调出", "已迁出")),
)

ROSTER = KindSpec(
    "roster",
    "离退休干部名册",
    (
        F("name", "姓名", "人员姓名", "干部姓名", "老干部姓名", required=True, type="name"),
        F("gender", "性别", type="gender"),
        F("ethnicity", "民族", type="code"),
        F("birth_date", "出生日期", "出生年月", "出生年月日", "出生时间", "生日", type="date"),
        F(
            "id_number",
            "身份证号",
            "身份证号码",
            "公民身份号码",
            "身份证",
            "公民身份证号码",
            "证件号码",
            type="id_number",
        ),
        F("political_status", "政治面貌", type="code"),
        F("education", "文化程度", "学历", "文化", "最高学历", "文化程度（学历）", type="code"),
        F("party_member", "是否党员", "党员", "是否中共党员", "是否为党员", "是否为中共党员", type="yes_no"),
        F(
            "retirement_type",
            "离退休类别",
            "离休或退休",
            "离退休",
            "离/退休",
            "类别",
            type="choice",
            choices=_RETIREMENT,
        ),
        F("lixiu", "是否离休", "是否离休干部", "是否为离休干部", type="yes_no"),
        F("retired_on", "离退休时间", "退休时间", "离休时间", "离退休日期", "退休日期", type="date"),
        F("former_employer", "原工作单位", "原单位", "退休前单位", "离退休前单位", "原工作单位及职务"),
        F("former_post", "原职务", "职务"),
        F("rank", "职级", "原职级", "级别", "待遇"),
        F("phone", "联系电话", "手机", "手机号码", "电话", "联系方式", "手机号", type="phone"),
        F("community", "居住社区", "所在社区", "社区", "居住地社区"),
        F("address", "家庭住址", "住址", "现住址", "居住地址", "家庭地址"),
        F("registered_on", "社区报到时间", "报到时间", "报到日期", type="date"),
        F("community_roles", "社区任职", "担任职务", "社区任职情况", type="list"),
        F("talents", "特长", "人才库类别", "专长", "个人特长", type="list"),
        F("health", "健康状况", "身体状况"),
        F("status", "状态", "人员状态", type="choice", choices=_STATUS),
        F("on_roll", "是否在册", type="yes_no"),
        F("deceased", "是否去世", "是否已故", "是否死亡", "是否已去世", type="yes_no"),
        F("alive", "是否健在", type="yes_no"),
        F("unit", "所属单位", "填报单位", "单位", "管理单位"),
        F("teams", "所在服务队", "志愿服务队", "服务队", type="list"),
        F("notes", "备注", "说明"),
    ),
    short="花名册",
    name_key="name",
    unit_required=True,
)

ACTIVITIES = KindSpec(
    "activities",
    "志愿服务活动",
    (
        F("date", "活动日期", "日期", "时间", "开展时间", "活动时间", required=True, type="date"),
        F("title", "活动名称", "活动主题", "名称", "活动项目", required=True, stand_ins=("description",)),
        F("unit", "组织单位", "开展单位", "单位", "填报单位", "主办单位"),
        F("teams", "服务队", "志愿服务队", "参与队伍", "服务队名称", type="list"),
        F("category", "服务领域", "活动类别", "类别", "活动类型"),
        F("theme", "月度主题", "主题", "本月主题"),
        F("place", "活动地点", "地点", "阵地", "服务地点"),
        F("community", "服务社区", "服务对象所在社区", "社区"),
        F("sessions", "场次", "活动场次", type="count"),
        F("participants", "参与人次", "参与人数", "参加人数", "志愿者人数", "参与志愿者人数", type="count"),
        F("hours", "服务时长", "时长", "服务时长(小时)", "服务时间(小时)", type="hours"),
        F("beneficiaries", "受益人次", "受益群众", "受益人数", "服务对象人数", "受益群众人次", type="count"),
        F("participant_names", "参与人员", "参加人员名单", "参与人员名单", "参加人员", type="list"),
        F(
            "description",
            "活动内容",
            "内容",
            "简介",
            "活动简介",
            "主要内容",
            "服务内容",
            "活动情况",
            "开展情况",
            "巡查情况",
        ),
        F("notes", "备注", "说明"),
    ),
    short="活动",
    unit_required=True,
)

RESOURCES = KindSpec(
    "resources",
    "资源清单",
    (
        F(
            "category",
            "资源类别",
            "类别",
            "大类",
            "资源大类",
            "服务类别",
            "资源类型",
            required=True,
            stand_ins=(FROM_SECTIONS,),
        ),
        F("subcategory", "小项", "子类", "资源小项"),
        F("title", "资源名称", "名称", "项目", "项目名称", "服务项目", required=True, stand_ins=("content",)),
        F("content", "资源内容", "内容", "服务内容", "具体内容", "资源描述", "可提供服务", "可提供的服务"),
        F(
            "provider",
            "提供者",
            "提供单位",
            "提供人",
            "服务队",
            "资源提供方",
            "提供方",
            "服务提供者",
            "志愿服务队",
            "服务团队",
            "志愿者",
            "志愿者姓名",
            required=True,
        ),
        F("area", "服务区域", "区域", "服务范围"),
        F("available", "服务时间", "可服务时间"),
        F("capacity", "服务能力", "可服务人数"),
        F("contact_phone", "联系电话", "电话", "手机", type="phone"),
        F("notes", "备注", "说明"),
    ),
    short="资源清单",
)

DEMANDS = KindSpec(
    "demands",
    "需求清单",
    (
        F(
            "category",
            "需求类别",
            "类别",
            "大类",
            "需求大类",
            "服务类别",
            "需求类型",
            required=True,
            stand_ins=(FROM_SECTIONS,),
        ),
        F("subcategory", "小项", "子类", "需求小项"),
        F("title", "需求名称", "名称", "项目", "项目名称", "需求项目", required=True, stand_ins=("content",)),
        F(
            "content",
            "需求内容",
            "内容",
            "具体需求",
            "服务内容",
            "需求描述",
            "具体内容",
            "需求事项",
            "需求情况",
        ),
        F(
            "requester",
            "需求单位",
            "需求社区",
            "提出单位",
            "需求方",
            "提出社区",
            "社区",
            "所在社区",
            "申请单位",
            "提出需求单位",
            "需求提出单位",
            required=True,
            stand_ins=(FROM_UNIT,),
        ),
        F("contact_name", "联系人"),
        F("contact_phone", "联系电话", "电话", "手机", type="phone"),
        F("wanted_by", "期望完成时间", "需求时间", "完成时限", type="date"),
        F("urgency", "紧急程度", "缓急程度"),
        F("notes", "备注", "说明"),
    ),
    short="需求清单",
)

THEMES = KindSpec(
    "themes",
    "月度主题",
    (
        F("year", "年份", "年度", "年", type="count"),
        F("month", "月份", "月", "月度"),
        F("name", "主题", "月度主题", "年度主题", "主题名称", "活动主题", required=True),
    ),
    short="月度主题",
    name_key="name",
)
"""A row is 年份, 月份 (1–12 or 1月), 主题; or one column of “1月 银龄暖冬” (the 年度主题 sheet), its year
from a 年份 column, else the sheet's title (2026年度主题), else this year (``planners/themes.py``)."""

KINDS: dict[str, KindSpec] = {k.key: k for k in (ROSTER, ACTIVITIES, RESOURCES, DEMANDS, THEMES)}

KIND_NAMES: dict[str, str] = {k.key: k.short for k in KINDS.values()} | {"report": "下级报表"}
"""Every import kind (``import_batch.kind``) in a word; ``report`` is a subordinate's report workbook."""

IGNORED_LABELS = frozenset({"序号", "编号", "序", "no", "no.", "行号"})
"""Columns every form has that are never data (the mapper marks them ignored, not unmatched)."""


def kind_name(kind: str) -> str:
    """花名册 for ``roster`` … (the key itself only for a kind this version does not know)."""
    return KIND_NAMES.get(kind, kind)


def kind_spec(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {sorted(KINDS)}") from None
