"""The 活动 fact: 志愿服务活动 by date, with 场次, 参与人次, 服务时长 and 受益人次."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased

from silverdesk.db.models import Activity, ActivityTeam, Place, Team
from silverdesk.services.statistics.query.model import Attribute, Fact, Measure, Window
from silverdesk.services.statistics.query.registry import REGISTRY


def _base(w: Window) -> Select[Any]:
    return select(Activity.id).where(
        Activity.occurred_on.between(w.start, w.end), w.scope.contains(Activity.unit_id)
    )


def _column(col: Any) -> Attribute:
    def build(stmt: Select[Any], w: Window) -> tuple[Select[Any], ColumnElement[Any]]:
        return stmt, col

    return Attribute(build)


def _team(stmt: Select[Any], w: Window) -> tuple[Select[Any], ColumnElement[Any]]:
    link = ActivityTeam.__table__.alias("activity_team_dim")
    return stmt.outerjoin(link, link.c.activity_id == Activity.id), link.c.team_id


def _team_brand(stmt: Select[Any], w: Window) -> tuple[Select[Any], ColumnElement[Any]]:
    """The brands of an activity's teams: one row per distinct brand (two teams of one brand: one row);
    only the window's activities are looked at."""
    dated = aliased(Activity)
    brands = (
        select(ActivityTeam.activity_id, Team.brand)
        .join(Team, Team.id == ActivityTeam.team_id)
        .join(dated, dated.id == ActivityTeam.activity_id)
        .where(dated.occurred_on.between(w.start, w.end))
        .distinct()
        .subquery()
    )
    return stmt.outerjoin(brands, brands.c.activity_id == Activity.id), brands.c.brand


def _place_kind(stmt: Select[Any], w: Window) -> tuple[Select[Any], ColumnElement[Any]]:
    place = Place.__table__.alias()
    return stmt.outerjoin(place, place.c.id == Activity.place_id), place.c.kind


ACTIVITY = REGISTRY.fact(
    Fact(
        key="activity",
        name="活动",
        record="activity",
        base=_base,
        id_column=lambda: Activity.id,
        attributes={
            "unit": _column(Activity.unit_id),
            "activity_category": _column(Activity.category_id),
            "theme": _column(Activity.theme_id),
            "place": _column(Activity.place_id),
            "community": _column(Activity.community_id),
            "team": Attribute(_team, multi=True),
            "team_brand": Attribute(_team_brand, multi=True),
            "place_kind": Attribute(_place_kind),
        },
        rule="活动按活动日期计入统计时段（含首尾两日），按组织单位计入统计范围；未填组织单位的计入最上级的“本级”。",
    )
)


def _sum(col: Any) -> Any:
    return lambda w: func.sum(col)


REGISTRY.measure(
    Measure(
        "activities",
        "场次",
        "activity",
        _sum(Activity.sessions),
        "场",
        "各项活动登记的场次之和。",
        aliases=("活动场次",),
        additive=True,
    )
)
REGISTRY.measure(
    Measure(
        "participations",
        "参与人次",
        "activity",
        _sum(Activity.participants),
        "人次",
        "各项活动登记的参与人次之和。",
        additive=True,
    )
)
REGISTRY.measure(
    Measure(
        "hours",
        "服务时长",
        "activity",
        _sum(Activity.hours),
        "小时",
        "各项活动登记的服务时长（人·小时）之和。",
        decimals=1,
        additive=True,
    )
)
REGISTRY.measure(
    Measure(
        "beneficiaries",
        "受益人次",
        "activity",
        _sum(Activity.beneficiaries),
        "人次",
        "各项活动登记的受益人次之和。",
        aliases=("受益群众",),
        additive=True,
    )
)
REGISTRY.measure(
    Measure(
        "activity_records",
        "活动项数",
        "activity",
        lambda w: func.count(func.distinct(Activity.id)),
        "项",
        "登记的活动条数（一条活动可含多场次）。",
        additive=True,
    )
)
