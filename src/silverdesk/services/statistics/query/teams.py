"""The 服务队 fact: volunteer teams existing at the period's end, with 队伍数; by 单位, 队伍品牌, 服务领域
(the team's fields), 星级 (its rating for the period's year) and the team itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import StarRating, Team, TeamCategory
from silverdesk.errors import UserError
from silverdesk.services.statistics import asof
from silverdesk.services.statistics.query.common import column, computed, count_distinct, nearest
from silverdesk.services.statistics.query.model import Attribute, Dimension, Fact, Measure, Window
from silverdesk.services.statistics.query.registry import REGISTRY

NO_BRAND = "未注明品牌"


def _base(w: Window) -> Select[Any]:
    return select(Team.id).where(asof.team_exists(w.end), w.scope.contains(Team.unit_id))


def _category(stmt: Select[Any], w: Window) -> tuple[Select[Any], ColumnElement[Any]]:
    link = TeamCategory.__table__.alias()
    return stmt.outerjoin(link, link.c.team_id == Team.id), link.c.category_id


def team_star(subject_id: Any, w: Window) -> ColumnElement[Any]:
    """A team's star level for the year the window ends in (0: not rated)."""
    level = (
        select(StarRating.level)
        .where(
            StarRating.subject == "team",
            StarRating.subject_id == subject_id,
            StarRating.year == w.end.year,
        )
        .scalar_subquery()
    )
    return func.coalesce(level, 0)


TEAM_FACT = REGISTRY.fact(
    Fact(
        key="team",
        name="服务队",
        record="team",
        base=_base,
        id_column=lambda: Team.id,
        attributes={
            "unit": column(Team.unit_id),
            "team": column(Team.id),
            "team_brand": column(Team.brand),
            "activity_category": Attribute(_category, multi=True),
            "star_level": computed(lambda w: team_star(Team.id, w)),
        },
        rule="服务队为统计时段末日存续的志愿服务队，按所属单位计入统计范围。" + asof.RULES["team_exists"],
    )
)

REGISTRY.measure(
    Measure(
        "teams",
        "队伍数",
        "team",
        count_distinct(Team.id),
        "支",
        "统计时段末日存续（已成立、未撤销）的志愿服务队支数。",
        aliases=("志愿服务队", "服务队数", "队伍", "志愿服务队数"),
        additive=True,
    )
)


# -- 队伍品牌: a team's brand, and an activity's through its teams --------------------------------------
def _brand_labels(s: Session, w: Window, level: str, keys: Sequence[Any]) -> Mapping[Any, tuple[Any, str]]:
    return {k: ((0, str(k)), str(k)) if k else ((1, ""), NO_BRAND) for k in keys}


def _brand_resolve(s: Session, w: Window, level: str, text: str) -> list[Any]:
    t = text.strip()
    if t == NO_BRAND:
        return [""]
    brands = sorted({b for b in s.scalars(select(Team.brand)) if b})
    if t not in brands:
        raise UserError(f"没有队伍品牌“{t}”。{nearest(t, brands)}")
    return [t]


def _same(
    stmt: Select[Any], attr: ColumnElement[Any], w: Window, level: str
) -> tuple[Select[Any], ColumnElement[Any]]:
    return stmt, func.coalesce(attr, "")


REGISTRY.dimension(
    Dimension(
        key="team_brand",
        name="队伍品牌",
        attribute="team_brand",
        rule="按志愿服务队登记的品牌（如“榴花红”）分组；活动按开展它的队伍的品牌计入，几支队伍品牌不同的分别计入（合计不重复计）。",
        group=_same,
        labels=_brand_labels,
        resolve=_brand_resolve,
        missing=NO_BRAND,
        aliases=("品牌", "服务队品牌", "志愿服务品牌"),
    )
)
