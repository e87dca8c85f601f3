"""星级 and 积分 facts: 星级志愿者数 and 星级服务队数 from the ratings of the period's year (by 星级, seed:
376 星级志愿者, 55 星级服务队), and 积分 earned or redeemed in the period (积分存折)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select

from silverdesk.db.models import Person, PointsEntry, StarRating, Team
from silverdesk.services.statistics.query.common import (
    coded_dimension,
    column,
    computed,
    count_distinct,
)
from silverdesk.services.statistics.query.model import Fact, Measure, Window
from silverdesk.services.statistics.query.registry import REGISTRY

STARS = ((5, "五星"), (4, "四星"), (3, "三星"), (2, "二星"), (1, "一星"), (0, "未评星"))


# -- 星级 ----------------------------------------------------------------------------------------------
def _star_fact(subject: str, key: str, name: str, record: str, unit_of: Any) -> None:
    """The ratings of ``subject`` (volunteer, team) of the year the window ends in, one star and up."""

    def unit() -> ColumnElement[Any]:
        return select(unit_of).where(unit_of.class_.id == StarRating.subject_id).scalar_subquery()

    def base(w: Window) -> Select[Any]:
        stmt = select(StarRating.subject_id).where(
            StarRating.subject == subject, StarRating.year == w.end.year, StarRating.level >= 1
        )
        return stmt if w.scope.whole else stmt.where(unit().in_(w.scope.ids))

    REGISTRY.fact(
        Fact(
            key=key,
            name=name,
            record=record,
            base=base,
            id_column=lambda: StarRating.subject_id,
            attributes={"unit": computed(lambda w: unit()), "star_level": column(StarRating.level)},
            rule=f"{name}按统计时段末日所在年度的星级评定计（含手工评定），一星及以上的计入；按其所属单位计入统计范围。",
        )
    )


_star_fact("volunteer", "star_volunteer", "星级志愿者", "person", Person.unit_id)
_star_fact("team", "star_team", "星级服务队", "team", Team.unit_id)

REGISTRY.measure(
    Measure(
        "star_volunteers",
        "星级志愿者数",
        "star_volunteer",
        count_distinct(StarRating.subject_id),
        "人",
        "统计时段末日所在年度评定为一星及以上的志愿者人数。",
        aliases=("星级志愿者", "星级志愿者人数"),
        additive=True,
    )
)
REGISTRY.measure(
    Measure(
        "star_teams",
        "星级服务队数",
        "star_team",
        count_distinct(StarRating.subject_id),
        "支",
        "统计时段末日所在年度评定为一星及以上的志愿服务队支数。",
        aliases=("星级服务队", "星级队伍数"),
        additive=True,
    )
)

coded_dimension(
    "star_level",
    "星级",
    "star_level",
    STARS,
    "按统计时段末日所在年度评定的星级分组（服务队未评定的列为“未评星”）。",
    aliases=("星级评定", "星"),
)


# -- 积分 ----------------------------------------------------------------------------------------------
def _points(w: Window) -> Select[Any]:
    return (
        select(PointsEntry.id)
        .join(Person, Person.id == PointsEntry.person_id)
        .where(PointsEntry.entry_date.between(w.start, w.end), w.scope.contains(Person.unit_id))
    )


REGISTRY.fact(
    Fact(
        key="points",
        name="积分存折",
        record="person",
        base=_points,
        id_column=lambda: PointsEntry.person_id,
        attributes={
            "unit": column(Person.unit_id),
            "gender": column(Person.gender),
            "political_status": column(Person.political_status),
            "birth_date": column(Person.birth_date),
        },
        rule="积分按积分存折每笔记录的日期计入统计时段，按持有人的所属单位计入统计范围。",
    )
)

REGISTRY.measure(
    Measure(
        "points",
        "积分",
        "points",
        lambda w: func.sum(case((PointsEntry.kind != "兑换", PointsEntry.points), else_=0)),
        "分",
        "统计时段内获得的积分（按服务时长获得的，加上调整的）之和，兑换的不减。",
        decimals=1,
        aliases=("获得积分", "积分数"),
        additive=True,
    )
)
REGISTRY.measure(
    Measure(
        "points_redeemed",
        "兑换积分",
        "points",
        lambda w: -func.sum(case((PointsEntry.kind == "兑换", PointsEntry.points), else_=0)),
        "分",
        "统计时段内兑换掉的积分之和。",
        decimals=1,
        aliases=("积分兑换",),
        additive=True,
    )
)
REGISTRY.measure(
    Measure(
        "points_holders",
        "积分人数",
        "points",
        count_distinct(PointsEntry.person_id),
        "人",
        "统计时段内积分存折有记录（获得、兑换或调整）的人数。",
    )
)
