"""The 人才库 fact (银发人才库): retired cadres on the roster at the period's end with a talent-pool category;
人才数 by 人才库类别 (seed 003: 6类323名)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from silverdesk.db.models import Person, PersonTalent
from silverdesk.services.statistics import asof
from silverdesk.services.statistics.query.common import (
    column,
    computed,
    count_distinct,
    in_scope_any,
    scoped_unit,
)
from silverdesk.services.statistics.query.dimensions import lookup_dimension
from silverdesk.services.statistics.query.model import Attribute, Fact, Measure, Window
from silverdesk.services.statistics.query.registry import REGISTRY


def _base(w: Window) -> Select[Any]:
    return (
        select(PersonTalent.id)
        .join(Person, Person.id == PersonTalent.person_id)
        .where(asof.on_roster_at(w.end), in_scope_any(w, Person.unit_id, Person.community_id))
    )


REGISTRY.fact(
    Fact(
        key="talent",
        name="人才库",
        record="person",
        base=_base,
        id_column=lambda: Person.id,
        attributes={
            "unit": computed(lambda w: scoped_unit(w, Person.unit_id, Person.community_id)),
            # a person may be in several categories: a filter on them counts him once
            "talent_category": Attribute(column(PersonTalent.category_id).build, multi=True),
            "gender": column(Person.gender),
            "political_status": column(Person.political_status),
            "birth_date": column(Person.birth_date),
        },
        rule="人才库为统计时段末日在册、登记了人才库类别的离退休干部（人才库类别不记日期，按现登记的计）；"
        "所属单位或居住社区在统计范围内的计入，按所属单位（不在范围内的按居住社区）归入单位。",
    )
)

REGISTRY.measure(
    Measure(
        "talents",
        "人才数",
        "talent",
        count_distinct(Person.id),
        "人",
        "银发人才库中的在册离退休干部人数；一人登记几个类别的在各类别下分别计入，合计只计一次。",
        aliases=("人才库人数", "银发人才", "人才库"),
        additive=True,
    )
)

lookup_dimension(
    "talent_category",
    "人才库类别",
    "talent_category",
    "talent_category",
    "按人才库类别（政治理论、历史人文等，见“设置 › 可维护的列表”）分组。",
    two_levels=False,
)
