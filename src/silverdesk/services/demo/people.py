"""The demo roster: retired cadres with valid ID numbers, their community roles and talents."""

from __future__ import annotations

import datetime as dt

from silverdesk.db import models as m
from silverdesk.domain.idcard import make_id_number
from silverdesk.domain.pinyin import name_columns
from silverdesk.services.demo.fill import PERSON_WORK, Fill
from silverdesk.services.demo.units import COMMUNITY_WORDS

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单仇解查翟"
GIVEN = [
    "建国",
    "建华",
    "国庆",
    "卫东",
    "志刚",
    "秀英",
    "桂兰",
    "淑珍",
    "玉兰",
    "丽华",
    "文华",
    "德明",
    "振华",
    "永福",
    "春生",
    "秋菊",
    "海燕",
    "红梅",
    "明",
    "华",
    "军",
    "敏",
    "静",
    "强",
    "伟",
    "芳",
    "勇",
    "艳",
    "杰",
    "涛",
    "斌",
    "霞",
    "平",
    "刚",
    "桂英",
    "凤英",
    "淑华",
    "宝山",
    "学军",
    "爱民",
    "援朝",
    "跃进",
    "堃",
    "赟",
    "犇",
    "淼",
    "䶮",
    "喆",
    "玥",
    "昇",
    "𠮷祥",
    "燊",
    "垚",
    "鑫",
]
FORMER_EMPLOYERS = (
    "县委办公室",
    "县政府办公室",
    "县教育局",
    "县卫生健康局",
    "县财政局",
    "县农业农村局",
    "县公安局",
    "县人民法院",
    "县人民检察院",
    "县供销社",
    "县第一中学",
    "县人民医院",
    "县税务局",
    "县水利局",
    "县交通运输局",
    "县文化和旅游局",
    "县民政局",
    "县司法局",
    "县自然资源局",
    "县市场监管局",
)
POSTS = (
    "局长",
    "副局长",
    "科长",
    "副科长",
    "主任",
    "副主任",
    "校长",
    "院长",
    "科员",
    "书记",
    "副书记",
    "主任医师",
    "高级教师",
)
HEALTH = ("良好", "良好", "良好", "一般", "较差")
REGION_CODES = ("370402", "370403", "370404", "370405", "370406", "370481", "370102", "371402")
TALENT_SPECIALTIES = (
    "宣讲",
    "书法",
    "摄影",
    "中医",
    "法律咨询",
    "果树栽培",
    "会计",
    "合唱",
    "太极",
    "心理咨询",
)


def make_people(fill: Fill, n: int) -> None:
    rng = fill.rng
    all_communities = [c for cs in fill.communities.values() for c in cs]
    roles = [v for (k, _), v in fill.lookups.items() if k == "community_role"]
    talents = [v for (k, _), v in fill.lookups.items() if k == "talent_category"]
    used_ids: set[str] = set()
    rows, role_rows, talent_rows = [], [], []
    every = fill.steps.every(n)
    for pid in range(1, n + 1):
        birth = dt.date(rng.randint(1928, 1966), rng.randint(1, 12), rng.randint(1, 28))
        while True:
            number = make_id_number(rng.choice(REGION_CODES), birth, rng.randint(0, 999))
            if number not in used_ids:
                used_ids.add(number)
                break
        gender = "男" if int(number[16]) % 2 else "女"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        unit = rng.choice(fill.subunits)
        community = rng.choice(fill.communities.get(unit) or all_communities)
        party = rng.random() < 0.72
        retired_kind = "离休" if birth.year < 1932 else "退休"
        retired_on = dt.date(
            min(birth.year + (60 if gender == "男" else 55), fill.today.year - 1), birth.month, 1
        )
        status = "在册" if rng.random() < 0.95 else rng.choice(("去世", "迁出"))
        registered = retired_on + dt.timedelta(days=rng.randint(10, 400)) if rng.random() < 0.6 else None
        rows.append(
            {
                "id": pid,
                "name": name,
                **name_columns(name),
                "gender": gender,
                "ethnicity": "汉族" if rng.random() < 0.95 else rng.choice(("回族", "满族", "蒙古族")),
                "birth_date": birth,
                "id_number": number,
                "political_status": "中共党员" if party else rng.choice(("群众", "民主党派", "无党派人士")),
                "retirement_type": retired_kind,
                "retired_on": retired_on,
                "former_employer": rng.choice(FORMER_EMPLOYERS),
                "former_post": rng.choice(POSTS),
                "rank": rng.choice(("县处级正职", "县处级副职", "乡科级正职", "乡科级副职", "科员及以下")),
                "phone": f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                "community_id": community,
                "address": f"{rng.choice(COMMUNITY_WORDS)}小区{rng.randint(1, 30)}号楼",
                "registered_on": registered if registered and registered <= fill.today else None,
                "health": rng.choice(HEALTH),
                "status": status,
                "status_changed_on": fill.today - dt.timedelta(days=rng.randint(1, 600))
                if status != "在册"
                else None,
                "unit_id": unit,
                "notes": "",
            }
        )
        if status == "在册":
            fill.person_unit.append((pid, unit, party))
        if registered and rng.random() < 0.35:
            for role in rng.sample(roles, rng.randint(1, 2)):
                role_rows.append(
                    {"person_id": pid, "role_id": role, "community_id": community, "since": registered}
                )
        if rng.random() < 0.3:
            talent_rows.append(
                {
                    "person_id": pid,
                    "category_id": rng.choice(talents),
                    "specialty": rng.choice(TALENT_SPECIALTIES),
                }
            )
        if pid % every == 0:
            fill.steps.at(pid * (PERSON_WORK - 1), f"生成人员（{pid}/{n}）")
    fill.steps.at(n * (PERSON_WORK - 1), "写入人员")
    fill.insert(m.Person, rows)
    fill.insert(m.PersonCommunityRole, role_rows)
    fill.insert(m.PersonTalent, talent_rows)
    fill.result.people = n
    fill.done = PERSON_WORK * n
