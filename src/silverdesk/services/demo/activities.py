"""The demo's activities: the monthly themes, then two years of activities with their teams, participants
and points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from silverdesk.db import models as m
from silverdesk.services.demo.fill import Fill

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


def make_themes(fill: Fill, activities: int = 1) -> None:
    """The demo's monthly themes for three years; none when no activity is made (nothing would use them)."""
    if activities <= 0:
        return
    rows = [
        {"year": y, "month": mo, "name": f"榴花红·{THEMES[mo - 1]}"}
        for y in (fill.today.year - 2, fill.today.year - 1, fill.today.year)
        for mo in range(1, 13)
    ]
    fill.insert(m.MonthlyTheme, rows)
    for r in fill.conn.execute(select(m.MonthlyTheme.id, m.MonthlyTheme.year, m.MonthlyTheme.month)):
        fill.theme_ids[(r.year, r.month)] = r.id


def make_activities(fill: Fill, n: int) -> None:
    if n == 0:
        return
    rng = fill.rng
    cat_names = list(ACTIVITY_TITLES)
    cat_ids = [fill.lookups[("activity_category", c)] for c in cat_names]
    start = dt.date(fill.today.year - 2, fill.today.month, 1) + dt.timedelta(days=31)
    start = start.replace(day=1)
    span = (fill.today - start).days + 1
    teams: Sequence[tuple[int | None, int]] = fill.team_units or [(None, u) for u in fill.subunits]
    rows, team_links, participant_links, points = [], [], [], []
    every = fill.steps.every(n)
    for aid in range(1, n + 1):
        team, unit = rng.choice(teams)
        c = rng.choices(range(len(cat_names)), weights=CATEGORY_WEIGHTS)[0]
        day = start + dt.timedelta(days=rng.randrange(span))
        participants = rng.randint(3, 40)
        hours = round(participants * rng.choice((1.5, 2, 2.5, 3, 4)), 1)
        communities = fill.communities.get(unit)
        rows.append(
            {
                "id": aid,
                "occurred_on": day,
                "title": rng.choice(ACTIVITY_TITLES[cat_names[c]]),
                "unit_id": unit,
                "category_id": cat_ids[c],
                "theme_id": fill.theme_ids.get((day.year, day.month)),
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
            if rng.random() < 0.3 and fill.team_members.get(team):
                names = rng.sample(fill.team_members[team], min(5, len(fill.team_members[team])))
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
            fill.steps.at(fill.done + aid * 3 // 4, f"生成活动（{aid}/{n}）")
    fill.steps.at(fill.done + n * 3 // 4, "写入活动")
    fill.insert(m.Activity, rows)
    fill.insert(m.ActivityTeam, team_links)
    fill.insert(m.ActivityParticipant, participant_links)
    fill.insert(m.PointsEntry, points)
    fill.result.activities = n
    fill.done += n
