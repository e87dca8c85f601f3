"""社区报到 and 社区任职 facts (表3's stocks at the period's end): 报到人数; 任职人数 by 任职类别.

A community's scope counts the people who report to it and the roles held in it, whatever unit the
people belong to; a street's or a town's scope counts those of its communities and its own people.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, or_, select

from silverdesk.db.models import Person, PersonCommunityRole
from silverdesk.services.statistics import asof
from silverdesk.services.statistics.query.common import (
    column,
    computed,
    count_distinct,
    in_scope_any,
    scoped_unit,
)
from silverdesk.services.statistics.query.dimensions import lookup_dimension
from silverdesk.services.statistics.query.model import Fact, Measure, Window
from silverdesk.services.statistics.query.registry import REGISTRY


# -- 社区报到 -------------------------------------------------------------------------------------------
def _registered(w: Window) -> Select[Any]:
    return select(Person.id).where(
        asof.on_roster_at(w.end),
        asof.registered_at(w.end),
        in_scope_any(w, asof.registered_community_at(w.end), Person.unit_id),
    )


_PERSON_ATTRS = {
    "gender": column(Person.gender),
    "political_status": column(Person.political_status),
    "birth_date": column(Person.birth_date),
}

REGISTRY.fact(
    Fact(
        key="registration",
        name="社区报到",
        record="person",
        base=_registered,
        id_column=lambda: Person.id,
        attributes={
            "unit": computed(lambda w: scoped_unit(w, asof.registered_community_at(w.end), Person.unit_id)),
            **_PERSON_ATTRS,
        },
        rule="社区报到按统计时段末日在册、已到社区报到的离退休干部计；报到社区在统计范围内的、或所属单位在统计范围内的都计入，"
        "按报到社区（不在范围内的按所属单位）归入单位，每人只计一次。" + asof.RULES["registered_at"],
    )
)

REGISTRY.measure(
    Measure(
        "registered",
        "报到人数",
        "registration",
        count_distinct(Person.id),
        "人",
        "统计时段末日已到居住社区报到的在册离退休干部人数。",
        aliases=("社区报到人数", "社区报到", "已报到人数"),
        additive=True,
    )
)


# -- 社区任职 -------------------------------------------------------------------------------------------
def _role_unit(w: Window) -> Any:
    """Where a role counts: the community it is held in; a role without a community, the person's unit."""
    if w.scope.whole:
        return func.coalesce(PersonCommunityRole.community_id, Person.unit_id)
    return scoped_unit(w, PersonCommunityRole.community_id, Person.unit_id)


def _roles(w: Window) -> Select[Any]:
    stmt = (
        select(PersonCommunityRole.id)
        .join(Person, Person.id == PersonCommunityRole.person_id)
        .where(asof.on_roster_at(w.end), asof.role_held(w.end))
    )
    if w.scope.whole:
        return stmt
    ids = w.scope.ids
    return stmt.where(
        or_(
            PersonCommunityRole.community_id.in_(ids),
            and_(PersonCommunityRole.community_id.is_(None), Person.unit_id.in_(ids)),
        )
    )


REGISTRY.fact(
    Fact(
        key="community_role",
        name="社区任职",
        record="person",
        base=_roles,
        id_column=lambda: Person.id,
        attributes={
            "unit": computed(_role_unit),
            "community_role": column(PersonCommunityRole.role_id),
            **_PERSON_ATTRS,
        },
        rule="社区任职按统计时段末日在册的离退休干部在该日在任的社区职务计；职务按任职社区计入统计范围和单位，"
        "未填任职社区的按本人所属单位计。" + asof.RULES["role_held"],
    )
)

REGISTRY.measure(
    Measure(
        "role_holders",
        "任职人数",
        "community_role",
        count_distinct(Person.id),
        "人",
        "统计时段末日在社区任职的在册离退休干部人数；一人多职的在各职务下分别计入，合计只计一次。",
        aliases=("社区任职人数", "社区任职"),
    )
)

REGISTRY.measure(
    Measure(
        "roles",
        "任职人次",
        "community_role",
        count_distinct(PersonCommunityRole.id),
        "人次",
        "统计时段末日在任的社区职务数，一人多职的每个职务各计一次。",
        aliases=("社区任职人次",),
        additive=True,
    )
)

lookup_dimension(
    "community_role",
    "任职类别",
    "community_role",
    "community_role",
    "按社区职务（社区党委委员、楼长、网格员等，见“设置 › 可维护的列表”）分组。",
)
