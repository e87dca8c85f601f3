"""Fixed vocabularies (the configurable lists live in the database's ``lookup`` table)."""

from __future__ import annotations

UNIT_KINDS = ("市", "区", "县", "乡镇", "街道", "部门", "社区", "村", "其他")
GENDERS = ("男", "女")
PERSON_STATUSES = ("在册", "去世", "迁出")
RETIREMENT_TYPES = ("离休", "退休")
PARTY_ORG_TYPES = ("党委", "党总支", "党支部", "临时党支部", "功能型党支部")
TEAM_ROLES = ("队长", "副队长", "队员", "联络员")
TEAM_STATUSES = ("活跃", "暂停", "撤销")
PARTY_ORG_ROLES = ("书记", "副书记", "委员", "党员")
PLACE_KINDS = ("驿站", "工作室", "服务站", "银领之家", "老年大学教学点", "其他")
HONOUR_LEVELS = ("全国", "省级", "市级", "县级", "其他")
RESOURCE_STATUSES = ("可用", "暂停", "撤销")
DEMAND_STATUSES = ("待对接", "已对接", "已完成", "撤销")
URGENCIES = ("一般", "较急", "紧急")
PROVIDER_KINDS = ("person", "team", "party_org")
ORDER_STATUSES = ("发布", "认领", "签约", "实施", "完成", "评价", "撤销")
ACTIVITY_SOURCES = ("录入", "导入", "粘贴")
PARTY_MEMBER_STATUS = "中共党员"
POLITICAL_STATUSES = ("中共党员", "中共预备党员", "共青团员", "民主党派", "无党派人士", "群众")
ETHNICITIES_COMMON = ("汉族", "回族", "满族", "蒙古族", "壮族", "苗族", "土家族", "朝鲜族")
EDUCATION_LEVELS = ("研究生", "大学本科", "大学专科", "中专", "高中", "初中", "小学", "文盲或半文盲")
"""文化程度 as stored: the forms of the code table ``education`` (GB/T 4658), highest first."""

# kinds of configurable list (lookup.kind)
LOOKUP_KINDS = {
    "activity_category": "服务领域",
    "resource_category": "资源/需求类别",
    "community_role": "社区任职",
    "talent_category": "人才库类别",
    "rank": "职级",
}
