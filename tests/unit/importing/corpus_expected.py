"""What the unit meant by each file of ``tests/data/corpus/``: every stored field of every record.

Read with ``tests/data/corpus/make_corpus.py`` (the cells of each file) and ISSUE #16's rules.
For each file, :class:`Expect` gives how it is imported (kind, the sending unit chosen at import)
and, by Excel row number, the record that row must store — every column of the model, foreign
keys given as names:

- person: ``unit`` (所属单位), ``community`` (居住社区); links ``teams``, ``community_roles``, ``talents``;
- activity: ``unit`` (组织单位), ``category``, ``theme``, ``place``, ``community``; links ``teams``, ``people``;
- demand: ``category`` ("大类" or "大类/小项"), ``requester_unit``;
- resource: ``category``, ``person``, ``team``, ``party_org``, ``area_unit``.

Ids, timestamps and the batch id are left out.  ``refused`` gives the rows that must be refused
and the field the reason is about; every other sheet row (title, 填报单位 line, header, section
rows, blank rows, footers) must store nothing.  ``new_units`` / ``new_teams`` / ``new_entries`` are
the only records the import may create besides its own (``(name, kind, parent)`` / ``(name, unit)``
/ list entries ``(list, name, 大类)``); ``aliases`` the names units and teams must have learned from
the import (a short name accepted as a 近似匹配), and no others.

``merged`` gives the cells filled from merged cells, per column, as the preview counts them; a key
``file#what`` imports the file again with the clerk's ``options`` (``PlanOptions``).

``needs`` names the feature (and the helper branch building it) a file waits for; the test marks
such a file ``xfail(strict=True)`` until it lands.

The county (青山县) these files come from is set up by ``test_corpus.py``'s ``build_county``.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from silverdesk.domain.pinyin import name_columns

TODAY = "2026-11-20"  # tests/conftest.py FIXED_NOW: the day demands are raised and resources listed


def load_make_corpus() -> Any:
    """``tests/data/corpus/make_corpus.py`` as a module (a script beside the files, not a package)."""
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS_DIR / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CORPUS_DIR = Path(__file__).resolve().parents[2] / "data" / "corpus"
ID: dict[str, str] = load_make_corpus().ID
"""The fictional people of the corpus: name → ID number (valid check digit, region 371502 made up)."""


@dataclass(frozen=True)
class Expect:
    kind: str
    unit: str | None  # the sending unit chosen at import (None: none chosen)
    records: dict[int, dict[str, Any]]  # Excel row → every stored field
    refused: dict[int, str] = field(default_factory=dict)  # Excel row → field key the reason is about
    new_units: tuple[tuple[str, str, str], ...] = ()
    new_teams: tuple[tuple[str, str], ...] = ()
    new_entries: tuple[tuple[str, str, str], ...] = ()  # list entries (kind, name, 大类 or "")
    aliases: dict[str, frozenset[str]] = field(default_factory=dict)  # "unit:名称"/"team:名称" → names
    merged: dict[str, int] = field(default_factory=dict)  # column label → cells filled from a merged cell
    options: dict[str, Any] = field(default_factory=dict)  # the clerk's PlanOptions (a key "file#what")
    needs: str = ""  # the missing feature ("" when main has everything this file needs)


# ---- every column, with the value a record has when the file says nothing about it ------------------
def person(name: str, **fields: Any) -> dict[str, Any]:
    number = ID[name]
    birth = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    gender = "男" if int(number[16]) % 2 else "女"
    base: dict[str, Any] = {
        "name": name, **name_columns(name), "gender": gender, "ethnicity": "", "birth_date": birth,
        "id_number": number, "political_status": "", "education": "", "retirement_type": None, "retired_on": None,
        "former_employer": "", "former_post": "", "rank": "", "phone": "", "community": None, "address": "",
        "registered_on": None, "health": "", "status": "在册", "status_changed_on": None, "unit": None, "notes": "",
        "teams": [], "community_roles": [], "talents": [],
    }  # fmt: skip
    return _fill(base, fields)


def activity(day: str, title: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "occurred_on": day, "title": title, "unit": None, "category": None, "theme": None, "place": None,
        "place_text": "", "community": None, "sessions": 1, "participants": 0, "hours": 0.0, "beneficiaries": 0,
        "description": "", "order_id": None, "source": "导入", "teams": [], "people": [],
    }  # fmt: skip
    return _fill(base, fields)


def demand(title: str, category: str, content: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "category": category, "title": title, "content": content, "requester_unit": None, "requester_text": "",
        "contact_name": "", "contact_phone": "", "wanted_by": None, "urgency": "一般", "status": "待对接",
        "raised_on": TODAY,
    }  # fmt: skip
    return _fill(base, fields)


def resource(title: str, category: str, content: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "category": category, "title": title, "content": content, "person": None, "team": None,
        "party_org": None, "provider_text": "", "area_unit": None, "available_from": None, "available_to": None,
        "available_text": "", "capacity": 0, "contact_phone": "", "status": "可用", "listed_on": TODAY,
    }  # fmt: skip
    return _fill(base, fields)


def _fill(base: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(base)
    assert not unknown, f"not a stored field: {sorted(unknown)}"
    return {**base, **fields}


def file_of(key: str) -> str:
    """The corpus file a key of :data:`CORPUS` imports (``file#what``: the same file with other options)."""
    return key.split("#")[0]


def names(*items: str) -> frozenset[str]:
    return frozenset(items)


XIYANG = "夕阳红志愿服务队"
YINFA = "银发先锋志愿服务队"

# ---- the corpus ------------------------------------------------------------------------------------
CORPUS: dict[str, Expect] = {
    # title + 填报单位 line (the sending unit, none chosen), 男性/女性, 汉/回/满, 是否党员 √/×/空/是,
    # merged 原工作单位 and 居住社区, teams with and without 志愿服务队, a blank row, 合计 and 填表人 footers
    "r01_榆山街道_离退休干部登记表.xlsx": Expect("roster", None, {
        4: person("周德明", ethnicity="汉族", political_status="中共党员", former_employer="县卫健局",
                  phone="13905310001", community="幸福里社区", unit="榆山街道", teams=[XIYANG]),
        5: person("吴桂兰", ethnicity="回族", political_status="群众", former_employer="县卫健局",
                  phone="13905310002", community="幸福里社区", unit="榆山街道", teams=[XIYANG]),
        6: person("郑国庆", ethnicity="满族", former_employer="县卫健局", phone="13905310003",
                  community="幸福里社区", unit="榆山街道", notes="离休干部"),  # 是否党员 blank: unknown
        8: person("冯淑珍", ethnicity="汉族", political_status="中共党员", former_employer="县教育局",
                  phone="13905310004", community="文化路社区", unit="榆山街道", teams=[XIYANG]),
    }, aliases={f"team:{XIYANG}": names("夕阳红", "夕阳红服务队")}, merged={"原工作单位": 2, "居住社区": 2}),
    # legacy .xls: M/F, 汉/回族/蒙古, 党员/群众/预备党员, 退/离休, 原单位 merged, 村 as 社区, a wrong check digit
    "r02_龙山镇_老干部花名册.xls": Expect("roster", "龙山镇", {
        4: person("陈立新", ethnicity="汉族", political_status="中共党员", retirement_type="退休",
                  former_employer="县财政局", former_post="副局长", phone="13805310011", community="龙山村",
                  unit="龙山镇"),
        5: person("褚玉梅", ethnicity="回族", political_status="群众", retirement_type="退休",
                  former_employer="县财政局", former_post="科员", phone="13805310012", community="龙山村",
                  unit="龙山镇"),
        6: person("卫建军", ethnicity="蒙古族", political_status="中共预备党员", retirement_type="离休",
                  former_employer="龙山镇政府", former_post="党委书记", phone="13805310013", community="石桥村",
                  unit="龙山镇"),
    }, refused={7: "id_number"}, merged={"原单位": 1}),
    # .ods from a department, sent under its short name 县卫健局 (typed as the sending unit): 性别 1/2,
    # 党员 是/否/空, 文化程度 本科/大专/中专 → GB/T 4658 levels as rosters write them, 职级 正科/副处/科员 → the 职级 list
    "r03_县卫健局_退休人员名单.ods": Expect("roster", "县卫健局", {
        4: person("蒋秀云", ethnicity="汉族", political_status="中共党员", education="大学本科", rank="乡科级正职",
                  former_post="护理部主任", phone="13705310021", unit="县卫生健康局"),
        5: person("沈志刚", ethnicity="汉族", political_status="群众", education="大学专科", rank="县处级副职",
                  former_post="副局长", phone="13705310022", unit="县卫生健康局"),
        6: person("韩凤英", ethnicity="回族", education="中专", rank="科员及以下", former_post="护士长",
                  phone="13705310023", unit="县卫生健康局"),
    }, aliases={"unit:县卫生健康局": names("县卫健局")}),
    # GBK CSV: 出生日期 1948年6月 / 19591103 / 1952-12-12, 政治面貌 long and short
    "r04_城关街道_名册.csv": Expect("roster", "城关街道", {
        2: person("杨振华", ethnicity="汉族", political_status="中共党员", phone="13605310031", community="光明社区",
                  address="光明路12号", unit="城关街道"),
        3: person("朱丽萍", ethnicity="汉族", political_status="群众", phone="13605310032", community="光明社区",
                  address="光明路8号2单元", unit="城关街道", notes="（2024年起）随女儿居住，电话常不接；有事找女儿"),
        4: person("秦守义", ethnicity="汉族", political_status="中共党员", phone="13605310033", community="光明社区",
                  unit="城关街道"),
    }),
    # UTF-8 CSV with BOM: 是否党员 Y/N/1/0, 是否离休 否/是/空, 是否健在 是/否 (no date of death given: none stored)
    "r05_县教育局_退休教师名册.csv": Expect("roster", "县教育局", {
        2: person("尤桂芝", political_status="中共党员", retirement_type="退休", former_employer="县第一中学",
                  former_post="教研组长", phone="13505310041", unit="县教育局"),
        3: person("许文斌", political_status="群众", retirement_type="退休", former_employer="县实验小学",
                  former_post="校长", phone="13505310042", unit="县教育局"),
        4: person("何春燕", political_status="中共党员", former_employer="县第一中学", former_post="教师",
                  phone="13505310043", unit="县教育局"),  # 是否离休 blank: unknown
        5: person("吕長生", political_status="群众", retirement_type="离休", status="去世",
                  former_employer="县职业中专", former_post="教师", phone="13505310044", unit="县教育局"),
    }),
    # a team list: several teams per cell, written with and without 志愿服务队; roles and talents as lists
    "r06_榆山街道_服务队队员名单.xlsx": Expect("roster", "榆山街道", {
        3: person("施美玲", unit="榆山街道", teams=[XIYANG, YINFA], community_roles=["楼长"], talents=["文化艺术"]),
        4: person("张海涛", unit="榆山街道", teams=[YINFA], community_roles=["网格员", "调解员"], talents=["法律服务"]),
        5: person("孔繁荣", unit="榆山街道", teams=[XIYANG], talents=["历史人文", "政治理论"]),
    }, aliases={f"team:{XIYANG}": names("夕阳红"), f"team:{YINFA}": names("银发先锋")}),
    # a new team's own list (GBK CSV): the team is not on record and nothing is close → created
    "r07_新华书画服务队_队员.csv": Expect("roster", "榆山街道", {
        2: person("曹建业", phone="13305310071", unit="榆山街道", teams=["新华书画服务队"], talents=["文化艺术"]),
        3: person("严秀英", phone="13305310072", unit="榆山街道", teams=["新华书画服务队"], talents=["文化艺术"]),
    }, new_teams=(("新华书画服务队", "榆山街道"),)),
    # .ods with 所属单位 per row written 榆山街道办; 民革 / 无党派 / 中共党员
    "r08_花名册_所属单位.ods": Expect("roster", None, {
        2: person("华永福", ethnicity="回族", political_status="中共党员", phone="13205310081", unit="榆山街道"),
        3: person("金玉兰", ethnicity="满族", political_status="民革会员", phone="13205310082", unit="榆山街道"),
        4: person("魏国栋", ethnicity="汉族", political_status="无党派人士", phone="13205310083", unit="龙山镇"),
    }, aliases={"unit:榆山街道": names("榆山街道办")}),
    # a two-row header (基本信息 / 政治情况 / 联系方式), 政治面貌 beside 是否党员, an ID number typed as a number
    "r09_城关街道_老干部信息采集表.xlsx": Expect("roster", "城关街道", {
        4: person("陶淑华", ethnicity="汉族", political_status="民盟盟员", phone="13105310091", address="光明路3号",
                  unit="城关街道"),
        5: person("姜德顺", ethnicity="汉族", political_status="中共党员", phone="13105310092", unit="城关街道"),
        7: person("谢宝山", ethnicity="回族", political_status="中共党员", phone="13105310094", address="光明路9号",
                  unit="城关街道"),
    }, refused={6: "id_number"}),
    # .xls whose sending unit is only its 填报单位 line, written 榆山街道办
    "r10_榆山街道办_新增人员.xls": Expect("roster", None, {
        4: person("邹素梅", political_status="中共党员", phone="13005310101", community="东关社区", unit="榆山街道"),
        5: person("戚桂香", phone="13005310102", community="东关社区", unit="榆山街道"),
    }, aliases={"unit:榆山街道": names("榆山街道办")}),
    # a street's log: dates merged over one day's activities, team and 服务社区 merged, categories the
    # unit's way (普法宣传, " 义诊 "), teams 夕阳红 / 银发先锋服务队, footers
    "a01_榆山街道_10月活动台账.xlsx": Expect("activities", "榆山街道", {
        4: activity("2026-10-09", "重阳敬老慰问", unit="榆山街道", category="为老服务", community="幸福里社区",
                    teams=[XIYANG], participants=12, hours=24.0, beneficiaries=60),
        5: activity("2026-10-09", "防诈骗普法讲座", unit="榆山街道", category="法治宣传", community="幸福里社区",
                    teams=[XIYANG], participants=6, hours=9.0, beneficiaries=80),
        6: activity("2026-10-09", "健康义诊进社区", unit="榆山街道", category="健康义诊", community="文化路社区",
                    teams=[YINFA], participants=8, hours=16.0, beneficiaries=120),
        7: activity("2026-10-16", "党的二十大精神宣讲", unit="榆山街道", category="理论宣讲", community="东关社区",
                    teams=[XIYANG], participants=5, hours=7.5, beneficiaries=45),
    }, aliases={f"team:{XIYANG}": names("夕阳红"), f"team:{YINFA}": names("银发先锋服务队")},
       merged={"活动日期": 2, "服务队": 1, "服务社区": 1}),
    # .xls: dates 2026.10.8, counts 15人 / 约200 / 60余人, team written three ways, a date in the future
    "a02_龙山镇_志愿服务活动统计.xls": Expect("activities", "龙山镇", {
        4: activity("2026-10-08", "秋收助农", unit="龙山镇", category="促进乡村振兴", place_text="龙山村",
                    teams=[YINFA], participants=15, hours=3.0, beneficiaries=200),
        5: activity("2026-10-08", "村规民约宣讲", unit="龙山镇", category="文明创建", place_text="石桥村",
                    teams=[YINFA], participants=9, hours=2.0, beneficiaries=60),
        6: activity("2026-10-21", "河道垃圾清理", unit="龙山镇", category="生态环保", place_text="龙山河",
                    teams=[YINFA], participants=20, hours=2.0, beneficiaries=0),
    }, refused={7: "date"}, aliases={f"team:{YINFA}": names("银发先锋", "银发先锋服务队")}, merged={"日期": 1}),
    # .ods: 组织单位 县卫健局 on each row, 活动地点 merged
    "a03_县卫健局_义诊活动登记.ods": Expect("activities", None, {
        3: activity("2026-10-12", "老专家义诊", unit="县卫生健康局", category="健康义诊",
                    place_text="榆山街道幸福里社区卫生站", participants=6, hours=18.0, beneficiaries=150),
        4: activity("2026-10-19", "慢病管理讲座", unit="县卫生健康局", category="健康义诊",
                    place_text="榆山街道幸福里社区卫生站", participants=3, hours=6.0, beneficiaries=90),
        5: activity("2026-10-26", "中医理疗咨询", unit="县卫生健康局", category="健康义诊", place_text="龙山镇卫生院",
                    participants=4, hours=12.0, beneficiaries=70),
    }, aliases={"unit:县卫生健康局": names("县卫健局")}, merged={"活动地点": 1}),
    # GBK CSV: categories by their aliases, 场次
    "a04_龙山镇_活动明细.csv": Expect("activities", "龙山镇", {
        2: activity("2026-10-05", "法律明白人培训", unit="龙山镇", category="法治宣传", place_text="龙山镇司法所",
                    participants=7, hours=14.0, beneficiaries=40,
                    description="组织村“两委”成员学习《民法典》，共7人参加；发放资料40份"),
        3: activity("2026-10-13", "邻里纠纷调处", unit="龙山镇", category="矛盾纠纷调解", place_text="石桥村",
                    sessions=2, participants=4, hours=8.0, beneficiaries=6),
        4: activity("2026-10-20", "护河巡河", unit="龙山镇", category="生态环保", place_text="龙山河",
                    participants=12, hours=24.0, beneficiaries=0, description="沿河巡查（约3公里）"),
        5: activity("2026-10-27", "四点半课堂", unit="龙山镇", category="关心下一代", place_text="龙山小学",
                    sessions=4, participants=5, hours=10.0, beneficiaries=35),
    }),
    # .ods naming the people who took part (on the roster): 参与人次 is their number
    "a05_榆山街道_活动参与人员.ods": Expect("activities", "榆山街道", {
        2: activity("2026-10-10", "社区文艺汇演", unit="榆山街道", category="文明创建", teams=[XIYANG],
                    participants=2, hours=6.0, beneficiaries=200, people=["李国华", "王淑芬"]),
        3: activity("2026-10-24", "楼院环境整治", unit="榆山街道", category="参与社区治理", teams=[XIYANG],
                    participants=1, hours=2.0, beneficiaries=30, people=["李国华"]),
    }),
    # a date typed into 参与人次: not stored until the clerk confirms it
    "a06_城关街道_活动登记.xlsx": Expect("activities", "城关街道", {
        3: activity("2026-10-18", "政策宣讲", unit="城关街道", category="理论宣讲", place_text="光明社区",
                    participants=10, hours=10.0, beneficiaries=50),
    }, refused={2: "participants"}),
    # the same file once the clerk confirmed the figure above its plausible limit (超出常见范围): stored as written
    "a06_城关街道_活动登记.xlsx#确认超限": Expect("activities", "城关街道", {
        2: activity("2026-10-15", "重阳节登高", unit="城关街道", category="为老服务", place_text="光明社区",
                    participants=20261015, hours=3.0, beneficiaries=40),
        3: activity("2026-10-18", "政策宣讲", unit="城关街道", category="理论宣讲", place_text="光明社区",
                    participants=10, hours=10.0, beneficiaries=50),
    }, options={"confirm_over_limit": True}),
    # a community's list: no 名称, no 需求单位 (the 填报单位 line), section rows as 大类, numbered content
    "d01_幸福里社区_需求清单.xlsx": Expect("demands", "榆山街道", {
        5: demand("为辖区12户独居老人每周上门探访一次", "助老服务",
                  "1.为辖区12户独居老人每周上门探访一次，了解身体和生活情况", requester_unit="幸福里社区",
                  contact_name="刘晓燕", contact_phone="13905311101"),
        6: demand("智能手机使用培训", "助老服务", "智能手机使用培训。教老人用健康码、视频通话",
                  requester_unit="幸福里社区", contact_name="刘晓燕", contact_phone="13905311101"),
        8: demand("组建老年合唱队", "文体活动", "（一）组建老年合唱队，每周排练两次", requester_unit="幸福里社区",
                  contact_name="陈小红", contact_phone="13905311102"),
    }),
    # a street's summary (.xls): 提出社区 merged, "大类(小项)" / "大类—小项" / full-width brackets / " - ", no 名称
    "d02_榆山街道_社区需求汇总.xls": Expect("demands", "榆山街道", {
        4: demand("面向老年人的防电信诈骗宣传", "法律服务/普法宣传", "面向老年人的防电信诈骗宣传",
                  requester_unit="东关社区", urgency="较急"),
        5: demand("开展民法典进小区宣讲", "法律服务/普法宣传", "开展民法典进小区宣讲，每月一次",
                  requester_unit="东关社区"),
        6: demand("重阳节社区文艺演出需要书法绘画和戏曲节…", "文体活动/文艺演出",
                  "重阳节社区文艺演出需要书法绘画和戏曲节目方面的专业人员支持", requester_unit="文化路社区",
                  urgency="紧急"),
        7: demand("请医生来社区讲高血压和糖尿病的防治知识", "医疗健康/健康讲座", "请医生来社区讲高血压和糖尿病的防治知识",
                  requester_unit="文化路社区"),
    }, merged={"提出社区": 2}),
    # the template filled in properly
    "d03_需求清单_标准模板.xlsx": Expect("demands", "榆山街道", {
        2: demand("独居老人探访", "助老服务/探访慰问", "每周探访独居老人，重点是八十岁以上（含失能）老人",
                  requester_unit="文化路社区",
                  contact_name="孙丽", contact_phone="13905311201", wanted_by="2026-12-31"),
        3: demand("青少年红色教育", "教育关爱/红色教育", "暑期给社区青少年讲红色故事", requester_unit="东关社区",
                  contact_name="周强", contact_phone="13905311202", urgency="较急"),
    }),
    # GBK CSV: no 名称, 需求社区 column, a 小项 written short (普法)
    "d04_龙山镇_需求登记.csv": Expect("demands", "龙山镇", {
        2: demand("给村民讲解土地承包法律知识", "法律服务/普法宣传", "给村民讲解土地承包法律知识；最好在农闲时",
                  requester_unit="龙山村", contact_name="赵村长"),
        3: demand("走访慰问村里的困难老党员", "助老服务/探访慰问", "走访慰问村里的困难老党员", requester_unit="石桥村",
                  contact_name="钱书记"),
    }),
    # a street's resource list: no 资源名称, section rows as 大类, a person and a team (夕阳红) as providers
    "s01_榆山街道_资源清单.xlsx": Expect("resources", "榆山街道", {
        5: resource("免费法律咨询", "法律服务", "免费法律咨询，帮助老人写遗嘱", person="李国华",
                    available_text="每周三上午", contact_phone="13905312001"),
        7: resource("上门理发、修小家电", "助老服务", "上门理发、修小家电", team=XIYANG, available_text="每月15日",
                    contact_phone="13905312002"),
    }, aliases={f"team:{XIYANG}": names("夕阳红")}),
    # .ods: "大类-小项" / "大类 — 小项", a team written 银发先锋服务队, capacity 约20人
    "s02_龙山镇_银龄资源库.ods": Expect("resources", "龙山镇", {
        3: resource("老党员讲党课", "政策宣讲/理论宣讲", "结合亲身经历讲党史", team=YINFA, area_unit="龙山村",
                    capacity=30),
        4: resource("农技指导", "助老服务/智慧助老", "教老人用手机查天气和农产品价格", person="王淑芬",
                    area_unit="石桥村", capacity=20),
    }, aliases={f"team:{YINFA}": names("银发先锋服务队")}),
    # the template as .xls, filled in properly
    "s03_资源清单_标准模板.xls": Expect("resources", "榆山街道", {
        2: resource("老专家坐诊", "医疗健康/健康义诊", "内科常见病咨询", team="杏林义诊志愿服务队", area_unit="幸福里社区",
                    available_text="每月第一个周六", capacity=40, contact_phone="13905313001"),
        3: resource("四点半课堂辅导", "教育关爱/课业辅导", "小学数学辅导", person="李国华", area_unit="东关社区",
                    available_text="工作日下午", capacity=15),
    }),
    # GBK CSV: no 资源名称 (a long first clause is cut to 19 characters and …), 小项 alone in 类别
    "s04_城关街道_资源登记.csv": Expect("resources", "城关街道", {
        2: resource("教太极拳八段锦等适合六十岁以上老人的健…", "文体活动/健身指导",
                    "教太极拳八段锦等适合六十岁以上老人的健身项目每周两次", person="王淑芬", area_unit="光明社区"),
        3: resource("合同纠纷咨询", "法律服务/法律咨询", "合同纠纷咨询", person="李国华", area_unit="光明社区"),
    }),
}  # fmt: skip

CLI_FILES = ("r04_城关街道_名册.csv", "a04_龙山镇_活动明细.csv")
"""Imported again through the real ``silverdesk import`` process (the clock is the real one: only kinds
whose stored fields do not depend on the day)."""
