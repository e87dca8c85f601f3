"""The 阵地 fact: places open at the period's end, with 阵地数; by 单位 and 阵地类型. Also the 阵地 and
阵地类型 dimensions, which the 活动 fact shares (an activity's place)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from silverdesk.db.models import Place
from silverdesk.domain.enums import PLACE_KINDS
from silverdesk.errors import UserError
from silverdesk.services.statistics import asof
from silverdesk.services.statistics.query.common import coded_dimension, column, count_distinct, nearest
from silverdesk.services.statistics.query.model import Dimension, Fact, Measure, Window
from silverdesk.services.statistics.query.registry import REGISTRY


def _base(w: Window) -> Select[Any]:
    return select(Place.id).where(asof.place_open(w.end), w.scope.contains(Place.unit_id))


REGISTRY.fact(
    Fact(
        key="place",
        name="阵地",
        record="place",
        base=_base,
        id_column=lambda: Place.id,
        attributes={
            "unit": column(Place.unit_id),
            "place": column(Place.id),
            "place_kind": column(Place.kind),
        },
        rule="阵地为统计时段末日在用的阵地，按所属单位计入统计范围。" + asof.RULES["place_open"],
    )
)

REGISTRY.measure(
    Measure(
        "places",
        "阵地数",
        "place",
        count_distinct(Place.id),
        "个",
        "统计时段末日在用（已启用、未停用）的阵地个数。",
        aliases=("阵地", "活动阵地数"),
        additive=True,
    )
)

coded_dimension(
    "place_kind",
    "阵地类型",
    "place_kind",
    [(k, k) for k in PLACE_KINDS],
    "按阵地类型（驿站、工作室、服务站、银领之家、老年大学教学点、其他）分组；活动按其登记的阵地的类型计入。",
    missing="未注明阵地",
    aliases=("阵地种类",),
)


def _same(
    stmt: Select[Any], attr: ColumnElement[Any], w: Window, level: str
) -> tuple[Select[Any], ColumnElement[Any]]:
    return stmt, attr


def _labels(s: Session, w: Window, level: str, keys: Sequence[Any]) -> Mapping[Any, tuple[Any, str]]:
    rows = s.execute(select(Place.id, Place.name, Place.kind).where(Place.id.in_(list(keys)))).all()
    order = {k: i for i, k in enumerate(PLACE_KINDS)}
    return {r[0]: ((0, order.get(r[2], 99), r[1]), r[1]) for r in rows}


def _resolve(s: Session, w: Window, level: str, text: str) -> list[Any]:
    t = text.strip()
    rows = s.execute(select(Place.id, Place.name)).all()
    hits = [r[0] for r in rows if r[1] == t]
    if not hits:
        raise UserError(f"没有阵地“{t}”。{nearest(t, [r[1] for r in rows])}")
    return hits


REGISTRY.dimension(
    Dimension(
        key="place",
        name="阵地",
        attribute="place",
        rule="按阵地分组（同类阵地排在一起）；活动按其登记的阵地计入，未选阵地的列为“未注明阵地”。",
        group=_same,
        labels=_labels,
        resolve=_resolve,
        missing="未注明阵地",
        aliases=("活动阵地", "地点"),
    )
)
