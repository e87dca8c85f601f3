"""Realistic demo data: a county's unit tree, cadres with valid ID numbers, teams, party
organisations, two years of activities, resources, demands and orders.

Written with SQLAlchemy Core in one transaction (the ORM would be ~5× slower), with
explicit ids so rows can reference each other without round trips.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, func, insert, select, text

from silverdesk.db import models as m
from silverdesk.db.base import Base
from silverdesk.domain.idcard import make_id_number
from silverdesk.domain.pinyin import name_columns
from silverdesk.errors import UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.base import Context, audit

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
STREETS = ("城关街道", "东城街道", "西城街道", "龙山镇", "青河镇", "柳林镇", "石桥乡", "杏花乡")
DEPARTMENTS = ("县直机关工委", "县教育局", "县卫生健康局", "县农业农村局", "县财政局", "县人民医院")
COMMUNITY_SUFFIX = ("社区", "社区", "社区", "村")
COMMUNITY_WORDS = (
    "龙头路",
    "光明",
    "和平",
    "幸福",
    "文化路",
    "新华",
    "青年路",
    "东关",
    "西关",
    "南街",
    "北苑",
    "翠屏",
    "榴园",
    "银杏",
    "桃源",
    "安居",
    "平安",
    "民主",
    "建设",
    "振兴",
    "前进",
    "红旗",
)
BRANDS = ("榴花红", "银龄先锋", "夕阳红", "6020红色集结号", "银发管家", "老兵宣讲", "")
TEAM_WORDS = (
    "理论宣讲",
    "文明劝导",
    "健康义诊",
    "法律服务",
    "关爱下一代",
    "矛盾调解",
    "银发管家",
    "文艺宣传",
    "环境整治",
    "助老服务",
    "农技服务",
    "书画交流",
)
ACTIVITY_TITLES = {
    "理论宣讲": ("学习党的二十届四中全会精神宣讲", "老党员讲党课", "红色故事进校园", "理论政策宣讲进社区"),
    "助推产业发展": ("助力特色产业发展调研", "招商引资座谈", "企业发展建言会"),
    "促进乡村振兴": ("助力乡村振兴技术指导", "农技专家下乡", "美丽乡村建设献策"),
    "参与社区治理": ("楼院议事会", "社区网格巡查", "小区环境共治", "长廊议事会"),
    "矛盾纠纷调解": ("邻里纠纷调解", "老娘舅调解工作室接待", "信访矛盾化解"),
    "关心下一代": ("暑期课业辅导", "四点半课堂", "关爱留守儿童"),
    "为老服务": ("智慧助老培训", "防范养老诈骗宣传", "走访慰问高龄老人"),
    "文明创建": ("文明城市创建劝导", "移风易俗宣传", "垃圾分类宣传"),
    "健康义诊": ("健康义诊进社区", "中医养生讲座", "义诊送药"),
    "法治宣传": ("普法宣传进社区", "宪法宣传周活动", "法律咨询服务"),
    "生态环保": ("河道清洁志愿行", "植树护绿", "环保知识宣讲"),
    "建言献策": ("银发人才建言献策座谈", "专题调研", "重点项目督导"),
}
CATEGORY_WEIGHTS = (18, 6, 10, 16, 8, 10, 12, 8, 5, 4, 2, 1)
THEMES = (
    "新春送福",
    "学雷锋志愿服务",
    "植树护绿",
    "红色传承",
    "劳动光荣",
    "关爱儿童",
    "七一颂党恩",
    "强军拥军",
    "尊师重教",
    "国庆颂歌",
    "敬老孝亲",
    "冬日暖阳",
)
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


def _resource_title(category: str) -> str:
    """A resource named after its category (心理疏导 → 心理疏导服务; 法律咨询 stays as it is)."""
    return category if category.endswith(("服务", "咨询", "指导", "讲座", "培训")) else f"{category}服务"


DEMAND_TITLES = (
    ("{}进社区", "社区", ""),
    ("开展{}活动", "活动", "开展{}"),
    ("请求{}志愿者支持", "志愿", "请求{}支持"),
)
"""How a demand is named after its category: (pattern, the word it adds, the pattern for a category that
already has the word — "" when there is none)."""


def _demand_title(category: str, rng: random.Random) -> str:
    """A demand named after its category without doubling a word: 文化体育活动 → 开展文化体育活动 (not
    “开展文化体育活动活动”); 社区志愿服务 never gets “…进社区”."""
    fitting = [pattern if word not in category else instead for pattern, word, instead in DEMAND_TITLES]
    return rng.choice([p for p in fitting if p]).format(category)


@dataclass
class DemoResult:
    units: int = 0
    people: int = 0
    teams: int = 0
    party_orgs: int = 0
    activities: int = 0
    resources: int = 0
    demands: int = 0
    orders: int = 0
    counts: dict[str, int] = field(default_factory=dict)


PERSON_WORK = 4
"""A person costs about as much as four activities to make and write (ID number, pinyin keys,
links): 0.42 vs 0.12 ms each, measured on the first-start demo (2,000 people, 20,000 activities)."""


def generate(
    ctx: Context,
    *,
    people: int = 2000,
    activities: int = 20000,
    seed: int = 2026,
    county: str = "青山县",
    today: dt.date | None = None,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
) -> DemoResult:
    """Fill an empty database.  Refuses a database that already holds units or people.

    ``progress(done, total, step)`` counts the whole fill in one unit of work (an activity made
    and written; a person is :data:`PERSON_WORK`), so a bar moves evenly from start to end;
    ``step`` names what is being made, in the clerk's words.
    """
    if people < 0 or activities < 0:
        raise UserError("人数和活动数不能为负")
    rng = random.Random(seed)
    today = today or ctx.today()
    result = DemoResult()
    total = PERSON_WORK * people + activities + activities // 10 + 1  # the last share: the monthly roll-up
    with ctx.db.engine.begin() as conn:
        if conn.scalar(select(func.count()).select_from(m.Person)) or conn.scalar(
            select(func.count()).select_from(m.Unit)
        ):
            raise UserError("数据库里已有单位或人员，演示数据只能写入新数据库；请用 --db 指定一个新文件")
        lookups = {
            (r.kind, r.name): r.id for r in conn.execute(select(m.Lookup.kind, m.Lookup.name, m.Lookup.id))
        }
        gen = _Generator(conn, rng, today, lookups, _Steps(progress, cancel, total))
        gen.units(county)
        gen.settings(county)
        gen.people(people)
        gen.groups()
        gen.themes()
        gen.activities(activities)
        gen.market()
        _fix_sequences(conn)
        result = gen.result
    from silverdesk.services.statistics.rollup import Rollup

    gen.steps.at(PERSON_WORK * people + activities, "汇总月度数据")
    Rollup(ctx.db).refresh()  # so the first report after a bulk load is as fast as any other
    with ctx.db.session() as session:
        audit(
            session,
            ctx,
            "生成演示数据",
            "database",
            None,
            f"演示数据：{result.people}人，{result.activities}项活动（种子 {seed}）",
        )
    progress(total, total, "演示数据已生成")
    return result


def create_database(
    path: Path,
    *,
    people: int,
    activities: int,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
) -> DemoResult:
    """A new SQLite database at ``path`` filled with demo data (the GUI's first start).

    It is built beside ``path`` and takes its name only when complete, so a first start that was
    closed half-way (or a power cut) leaves no half-filled database: the next start builds it again.
    """
    from silverdesk.services.hub import Services

    building = path.with_name(path.name + ".building")

    def remove_building() -> None:
        for leftover in path.parent.glob(building.name + "*"):  # the file and its -wal/-shm
            leftover.unlink()

    remove_building()  # what a start that was stopped left
    progress(0, 0, "建立数据库")
    services, complete = Services.open(building), False
    try:
        result = generate(
            services.ctx, people=people, activities=activities, progress=progress, cancel=cancel
        )
        complete = True
    finally:
        services.close()
        if not complete:
            remove_building()
    building.replace(path)
    return result


class _Steps:
    """Progress of the whole fill, and the cancel check that goes with each report."""

    def __init__(self, progress: Progress, cancel: CancelToken, total: int) -> None:
        self.progress, self.cancel, self.total = progress, cancel, total

    def at(self, done: int, step: str) -> None:
        self.cancel.raise_if_set()
        self.progress(done, self.total, step)

    @staticmethod
    def every(n: int) -> int:
        """Report a loop of ``n`` rows twenty times."""
        return max(1, n // 20)


class _Generator:
    def __init__(
        self,
        conn: Connection,
        rng: random.Random,
        today: dt.date,
        lookups: dict[tuple[str, str], int],
        steps: _Steps,
    ) -> None:
        self.conn, self.rng, self.today, self.lookups = conn, rng, today, lookups
        self.steps, self.cancel = steps, steps.cancel
        self.done = 0  # units of work done (see PERSON_WORK)
        self.result = DemoResult()
        self.subunits: list[int] = []  # 乡镇/街道/部门: the rows of 表1
        self.communities: dict[int, list[int]] = {}
        self.person_unit: list[tuple[int, int, bool]] = []  # (person id, unit id, party member)
        self.team_units: list[tuple[int, int]] = []
        self.team_members: dict[int, list[int]] = {}
        self.org_ids: list[int] = []

    def _insert(self, model: type[Base], rows: Sequence[dict], chunk: int = 20000) -> None:
        for start in range(0, len(rows), chunk):
            self.cancel.raise_if_set()
            self.conn.execute(insert(model), list(rows[start : start + chunk]))

    def units(self, county: str) -> None:
        self.steps.at(0, "建立单位")
        rows = [
            {
                "id": 1,
                "name": county,
                "kind": "县",
                "parent_id": None,
                "sort_order": 0,
                "active": True,
                "notes": "",
            }
        ]
        next_id = 2
        words = list(COMMUNITY_WORDS)
        self.rng.shuffle(words)
        for i, name in enumerate(STREETS + DEPARTMENTS):
            kind = "部门" if name in DEPARTMENTS else ("街道" if name.endswith("街道") else "乡镇")
            rows.append(
                {
                    "id": next_id,
                    "name": name,
                    "kind": kind,
                    "parent_id": 1,
                    "sort_order": i,
                    "active": True,
                    "notes": "",
                }
            )
            unit_id = next_id
            self.subunits.append(unit_id)
            next_id += 1
            if kind != "部门":
                self.communities[unit_id] = []
                for j in range(self.rng.randint(2, 4)):
                    word = words[(i * 4 + j) % len(words)]
                    suffix = "社区" if kind == "街道" else self.rng.choice(COMMUNITY_SUFFIX)
                    rows.append(
                        {
                            "id": next_id,
                            "name": f"{word}{suffix}",
                            "kind": "社区" if suffix == "社区" else "村",
                            "parent_id": unit_id,
                            "sort_order": j,
                            "active": True,
                            "notes": "",
                        }
                    )
                    self.communities[unit_id].append(next_id)
                    next_id += 1
        self._insert(m.Unit, rows)
        self.result.units = len(rows)

    def settings(self, county: str) -> None:
        self.conn.execute(text("UPDATE setting SET value = :v WHERE key = 'county_name'"), {"v": county})
        self.conn.execute(
            text("UPDATE setting SET value = :v WHERE key = 'bureau_name'"), {"v": f"中共{county}委老干部局"}
        )

    def people(self, n: int) -> None:
        rng = self.rng
        all_communities = [c for cs in self.communities.values() for c in cs]
        roles = [v for (k, _), v in self.lookups.items() if k == "community_role"]
        talents = [v for (k, _), v in self.lookups.items() if k == "talent_category"]
        used_ids: set[str] = set()
        rows, role_rows, talent_rows = [], [], []
        every = self.steps.every(n)
        for pid in range(1, n + 1):
            birth = dt.date(rng.randint(1928, 1966), rng.randint(1, 12), rng.randint(1, 28))
            while True:
                number = make_id_number(rng.choice(REGION_CODES), birth, rng.randint(0, 999))
                if number not in used_ids:
                    used_ids.add(number)
                    break
            gender = "男" if int(number[16]) % 2 else "女"
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            unit = rng.choice(self.subunits)
            community = rng.choice(self.communities.get(unit) or all_communities)
            party = rng.random() < 0.72
            retired_kind = "离休" if birth.year < 1932 else "退休"
            retired_on = dt.date(
                min(birth.year + (60 if gender == "男" else 55), self.today.year - 1), birth.month, 1
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
                    "political_status": "中共党员"
                    if party
                    else rng.choice(("群众", "民主党派", "无党派人士")),
                    "retirement_type": retired_kind,
                    "retired_on": retired_on,
                    "former_employer": rng.choice(FORMER_EMPLOYERS),
                    "former_post": rng.choice(POSTS),
                    "rank": rng.choice(
                        ("县处级正职", "县处级副职", "乡科级正职", "乡科级副职", "科员及以下")
                    ),
                    "phone": f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                    "community_id": community,
                    "address": f"{rng.choice(COMMUNITY_WORDS)}小区{rng.randint(1, 30)}号楼",
                    "registered_on": registered if registered and registered <= self.today else None,
                    "health": rng.choice(HEALTH),
                    "status": status,
                    "status_changed_on": self.today - dt.timedelta(days=rng.randint(1, 600))
                    if status != "在册"
                    else None,
                    "unit_id": unit,
                    "notes": "",
                }
            )
            if status == "在册":
                self.person_unit.append((pid, unit, party))
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
                self.steps.at(pid * (PERSON_WORK - 1), f"生成人员（{pid}/{n}）")
        self.steps.at(n * (PERSON_WORK - 1), "写入人员")
        self._insert(m.Person, rows)
        self._insert(m.PersonCommunityRole, role_rows)
        self._insert(m.PersonTalent, talent_rows)
        self.result.people = n
        self.done = PERSON_WORK * n

    def groups(self) -> None:
        self.steps.at(self.done, "组建服务队和党组织")
        rng = self.rng
        by_unit: dict[int, list[tuple[int, bool]]] = {}
        for pid, unit, party in self.person_unit:
            by_unit.setdefault(unit, []).append((pid, party))
        org_rows, org_members, agreements, team_rows, team_members, team_cats, places = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        cats = [v for (k, _), v in self.lookups.items() if k == "activity_category"]
        team_id = 0
        for org_id, unit in enumerate(self.subunits, start=1):
            unit_name = self.conn.scalar(select(m.Unit.name).where(m.Unit.id == unit))
            members = [p for p, party in by_unit.get(unit, []) if party]
            secretary = members[0] if members else None
            org_rows.append(
                {
                    "id": org_id,
                    "name": f"{unit_name}离退休干部党支部",
                    "org_type": "党支部",
                    "unit_id": unit,
                    "secretary_id": secretary,
                    "founded_on": dt.date(rng.randint(2005, 2020), 7, 1),
                    "notes": "",
                }
            )
            self.org_ids.append(org_id)
            for i, pid in enumerate(members):
                org_members.append(
                    {
                        "org_id": org_id,
                        "person_id": pid,
                        "role": "书记" if i == 0 else ("委员" if i < 4 else "党员"),
                    }
                )
            for community in self.communities.get(unit, []):
                if rng.random() < 0.8:
                    agreements.append(
                        {
                            "org_id": org_id,
                            "partner_name": f"{self._unit_name(community)}党委",
                            "partner_unit_id": community,
                            "content": "结对共建",
                            "signed_on": self.today - dt.timedelta(days=rng.randint(30, 900)),
                        }
                    )
            people = [p for p, _ in by_unit.get(unit, [])]
            rng.shuffle(people)
            n_teams = max(1, min(len(people) // 25, 12)) if people else 0
            for t in range(n_teams):
                team_id += 1
                word = TEAM_WORDS[(team_id + t) % len(TEAM_WORDS)]
                team_rows.append(
                    {
                        "id": team_id,
                        "name": f"{unit_name}{word}志愿服务队{t + 1 if t else ''}",
                        "brand": rng.choice(BRANDS),
                        "unit_id": unit,
                        "party_org_id": org_id,
                        "founded_on": dt.date(rng.randint(2015, 2024), rng.randint(1, 12), 1),
                        "status": "活跃",
                        "star_level": rng.choice((0, 0, 1, 2, 3, 4, 5)),
                        "notes": "",
                    }
                )
                size = rng.randint(8, 30)
                chosen = people[t * 10 : t * 10 + size] or rng.sample(people, min(size, len(people)))
                self.team_members[team_id] = chosen
                for i, pid in enumerate(dict.fromkeys(chosen)):
                    team_members.append(
                        {
                            "team_id": team_id,
                            "person_id": pid,
                            "role": "队长"
                            if i == 0
                            else ("副队长" if i == 1 else ("联络员" if i == 2 else "队员")),
                        }
                    )
                for c in rng.sample(cats, 2):
                    team_cats.append({"team_id": team_id, "category_id": c})
                self.team_units.append((team_id, unit))
            if rng.random() < 0.6:
                places.append(
                    {
                        "name": f"{unit_name}{rng.choice(('银龄驿站', '老干部工作室', '志愿服务站', '银领之家'))}",
                        "kind": rng.choice(("驿站", "工作室", "服务站", "银领之家")),
                        "unit_id": unit,
                        "address": "",
                        "opened_on": dt.date(rng.randint(2018, 2024), 6, 1),
                    }
                )
        honours = [
            {
                "title": rng.choice(
                    ("全国最美志愿者", "省级优秀志愿者", "市级优秀共产党员", "县级最美老干部")
                ),
                "level": "县级",
                "issuer": "",
                "awarded_on": self.today - dt.timedelta(days=rng.randint(30, 900)),
                "person_id": pid,
                "team_id": None,
            }
            for pid, _, _ in rng.sample(self.person_unit, min(len(self.person_unit) // 100, 200))
        ]
        for h in honours:
            h["level"] = {"全": "全国", "省": "省级", "市": "市级"}.get(h["title"][0], "县级")
        honours += [
            {
                "title": "优秀志愿服务队",
                "level": "市级",
                "issuer": "",
                "awarded_on": self.today.replace(day=1),
                "person_id": None,
                "team_id": tid,
            }
            for tid, _ in self.team_units[:: max(1, len(self.team_units) // 5)]
        ]
        for model, rows in (
            (m.PartyOrg, org_rows),
            (m.PartyOrgMember, org_members),
            (m.CoBuildingAgreement, agreements),
            (m.Team, team_rows),
            (m.TeamMember, team_members),
            (m.TeamCategory, team_cats),
            (m.Place, places),
            (m.Honour, honours),
        ):
            self._insert(model, rows)
        self.result.party_orgs, self.result.teams = len(org_rows), len(team_rows)

    def _unit_name(self, unit_id: int) -> str:
        return self.conn.scalar(select(m.Unit.name).where(m.Unit.id == unit_id)) or ""

    def themes(self) -> None:
        rows = [
            {"year": y, "month": mo, "name": f"榴花红·{THEMES[mo - 1]}"}
            for y in (self.today.year - 2, self.today.year - 1, self.today.year)
            for mo in range(1, 13)
        ]
        self.theme_ids = {}
        self._insert(m.MonthlyTheme, rows)
        for r in self.conn.execute(select(m.MonthlyTheme.id, m.MonthlyTheme.year, m.MonthlyTheme.month)):
            self.theme_ids[(r.year, r.month)] = r.id

    def activities(self, n: int) -> None:
        if n == 0:
            return
        rng = self.rng
        cat_names = list(ACTIVITY_TITLES)
        cat_ids = [self.lookups[("activity_category", c)] for c in cat_names]
        start = dt.date(self.today.year - 2, self.today.month, 1) + dt.timedelta(days=31)
        start = start.replace(day=1)
        span = (self.today - start).days + 1
        teams = self.team_units or [(None, u) for u in self.subunits]
        rows, team_links, participant_links, points = [], [], [], []
        every = self.steps.every(n)
        for aid in range(1, n + 1):
            team, unit = rng.choice(teams)
            c = rng.choices(range(len(cat_names)), weights=CATEGORY_WEIGHTS)[0]
            day = start + dt.timedelta(days=rng.randrange(span))
            participants = rng.randint(3, 40)
            hours = round(participants * rng.choice((1.5, 2, 2.5, 3, 4)), 1)
            communities = self.communities.get(unit)
            rows.append(
                {
                    "id": aid,
                    "occurred_on": day,
                    "title": rng.choice(ACTIVITY_TITLES[cat_names[c]]),
                    "unit_id": unit,
                    "category_id": cat_ids[c],
                    "theme_id": self.theme_ids.get((day.year, day.month)),
                    "place_text": "",
                    "community_id": rng.choice(communities) if communities else None,
                    "sessions": 1 if rng.random() < 0.93 else rng.randint(2, 4),
                    "participants": participants,
                    "hours": hours,
                    "beneficiaries": rng.randint(10, 400),
                    "description": "",
                    "source": "录入",
                }
            )
            if team is not None:
                team_links.append({"activity_id": aid, "team_id": team})
                if rng.random() < 0.3 and self.team_members.get(team):
                    names = rng.sample(self.team_members[team], min(5, len(self.team_members[team])))
                    for pid in dict.fromkeys(names):
                        per = round(hours / participants, 1)
                        participant_links.append({"activity_id": aid, "person_id": pid, "hours": per})
                        points.append(
                            {
                                "person_id": pid,
                                "entry_date": day,
                                "points": per,
                                "kind": "获得",
                                "reason": "志愿服务时长",
                                "activity_id": aid,
                                "operator": "演示",
                            }
                        )
            if aid % every == 0:
                self.steps.at(self.done + aid * 3 // 4, f"生成活动（{aid}/{n}）")
        self.steps.at(self.done + n * 3 // 4, "写入活动")
        self._insert(m.Activity, rows)
        self._insert(m.ActivityTeam, team_links)
        self._insert(m.ActivityParticipant, participant_links)
        self._insert(m.PointsEntry, points)
        self.result.activities = n
        self.done += n

    def market(self) -> None:
        self.steps.at(self.done, "生成资源、需求和订单")
        rng = self.rng
        minor = [(name, v) for (k, name), v in self.lookups.items() if k == "resource_category"]
        n_res = max(len(self.team_units) * 2, 10) if self.person_unit else 0
        resources, demands, orders, events = [], [], [], []
        for rid in range(1, n_res + 1):
            team, unit = rng.choice(self.team_units) if self.team_units else (None, rng.choice(self.subunits))
            category, category_id = rng.choice(minor)
            resources.append(
                {
                    "id": rid,
                    "category_id": category_id,
                    "title": _resource_title(category),
                    "content": "可提供上门服务",
                    "team_id": team,
                    "area_unit_id": unit,
                    "available_text": rng.choice(("每周三下午", "每月第一周", "预约服务", "节假日")),
                    "capacity": rng.randint(20, 200),
                    "status": "可用",
                    "provider_text": "",
                    "contact_phone": "",
                    "listed_on": self.today - dt.timedelta(days=rng.randint(0, 700)),
                }
            )
        communities = [c for cs in self.communities.values() for c in cs]
        n_dem = int(n_res * 0.8)
        order_id = 0
        for did in range(1, n_dem + 1):
            raised = self.today - dt.timedelta(days=rng.randint(0, 700))
            status = "待对接"
            category, category_id = rng.choice(minor)
            demand = {
                "id": did,
                "category_id": category_id,
                "title": _demand_title(category, rng),
                "content": "",
                "requester_unit_id": rng.choice(communities) if communities else None,
                "requester_text": "",
                "contact_name": rng.choice(SURNAMES) + rng.choice(GIVEN[:20]),
                "contact_phone": f"13{rng.randint(100000000, 999999999)}",
                "urgency": rng.choice(("一般", "一般", "较急", "紧急")),
                "raised_on": raised,
            }
            if resources and rng.random() < 0.65:
                order_id += 1
                res = rng.choice(resources)
                steps = ["发布", "认领", "签约", "实施", "完成", "评价"][: rng.randint(2, 6)]
                day = raised
                dates = {}
                for s in steps:
                    dates[s] = day
                    day = min(day + dt.timedelta(days=rng.randint(1, 20)), self.today)
                final = steps[-1]
                status = "已完成" if final in ("完成", "评价") else "已对接"
                orders.append(
                    {
                        "id": order_id,
                        "code": f"DD{raised.year}-{order_id:04d}",
                        "demand_id": did,
                        "resource_id": res["id"],
                        "team_id": res["team_id"],
                        "title": demand["title"],
                        "status": final,
                        "published_on": dates["发布"],
                        "claimed_on": dates.get("认领"),
                        "signed_on": dates.get("签约"),
                        "completed_on": dates.get("完成"),
                        "due_on": dates["发布"] + dt.timedelta(days=60),
                        "score": rng.randint(3, 5) if final == "评价" else None,
                        "evaluation": "",
                    }
                )
                prev = None
                for s in steps:
                    events.append(
                        {
                            "order_id": order_id,
                            "from_status": prev,
                            "to_status": s,
                            "happened_on": dates[s],
                            "operator": "演示",
                            "note": "",
                        }
                    )
                    prev = s
            demand["status"] = status
            demands.append(demand)
        self._insert(m.Resource, resources)
        self._insert(m.Demand, demands)
        self._insert(m.ServiceOrder, orders)
        self._insert(m.OrderEvent, events)
        self.result.resources, self.result.demands, self.result.orders = (
            len(resources),
            len(demands),
            len(orders),
        )


def _fix_sequences(conn: Connection) -> None:
    """Explicit ids bypass PostgreSQL's sequences: move them past the largest id."""
    if conn.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                )
            )
