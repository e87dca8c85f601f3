"""The dimensions every fact may share: 单位, 期间, and dimension makers for lists and plain values.

A fact offers an attribute (``unit``, ``activity_category``, ``gender`` …); a dimension reads one
attribute, so registering a dimension here makes it available to every measure whose fact has it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from silverdesk.db.models import Lookup, MonthlyTheme, Team
from silverdesk.domain.names import aliases_of
from silverdesk.errors import UserError
from silverdesk.services.statistics.query.model import Dimension, Level, Window
from silverdesk.services.statistics.query.registry import REGISTRY
from silverdesk.services.statistics.query.units import LEVELS


def _nearest(text: str, names: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(text, list(names), n=5, cutoff=0.2)
    shown = close or list(names)[:12]
    return f"{'最接近的有' if close else '可选'}：{'、'.join(shown)}" if shown else "（目前没有任何值）"


# -- 单位 ---------------------------------------------------------------------------------------------
def _unit_group(
    stmt: Select[Any], attr: ColumnElement[Any], w: Window, level: str
) -> tuple[Select[Any], ColumnElement[Any]]:
    if level == "本单位":
        return stmt, attr
    return w.scope.group_expr(stmt, attr, level)


def _unit_labels(s: Session, w: Window, level: str, keys: Sequence[Any]) -> Mapping[Any, tuple[Any, str]]:
    return {k: w.scope.group_label(level, k) for k in keys if k in w.scope.tree.nodes}


def _unit_resolve(s: Session, w: Window, level: str, text: str) -> list[Any]:
    out: list[int] = []
    for uid in w.scope.resolve(text):
        out.extend(w.scope.tree.subtree(uid))
    return out


UNIT = REGISTRY.dimension(
    Dimension(
        key="unit",
        name="单位",
        attribute="unit",
        rule="按记录所属单位在单位树上归入所选层级的单位；“下一级”每行含该单位及其全部下级，统计范围单位自身的记录列为“本级”；"
        "筛选某单位时含其全部下级。",
        group=_unit_group,
        labels=_unit_labels,
        resolve=_unit_resolve,
        levels=tuple(Level(k, name) for k, (name, _) in LEVELS.items()),
        missing="未填单位",
        filter_level="本单位",
    )
)


# -- 期间 (split by the engine, not grouped in SQL) ---------------------------------------------------
def _unused_group(
    stmt: Select[Any], attr: ColumnElement[Any], w: Window, level: str
) -> tuple[Select[Any], ColumnElement[Any]]:
    raise AssertionError("期间 is split by the engine")


def _unused_labels(s: Session, w: Window, level: str, keys: Sequence[Any]) -> Mapping[Any, tuple[Any, str]]:
    raise AssertionError("期间 is labelled by the engine")


def _no_resolve(s: Session, w: Window, level: str, text: str) -> list[Any]:
    raise UserError("统计时段请用“时段”选择，不能作为筛选条件")


PERIOD = REGISTRY.dimension(
    Dimension(
        key="period",
        name="期间",
        attribute="*",
        rule="把统计时段按月、季度或年度分段，每段分别统计（时点数取各段末日）；首尾不完整的段按时段内的日期计。",
        group=_unused_group,
        labels=_unused_labels,
        resolve=_no_resolve,
        levels=(Level("month", "月"), Level("quarter", "季度"), Level("year", "年度")),
        aliases=("时段", "月份"),
    )
)


# -- dimension makers ---------------------------------------------------------------------------------
def _same(
    stmt: Select[Any], attr: ColumnElement[Any], w: Window, level: str
) -> tuple[Select[Any], ColumnElement[Any]]:
    return stmt, attr


def value_dimension(
    key: str, name: str, attribute: str, order: Sequence[str], rule: str, *, missing: str = "未填"
) -> Dimension:
    """A dimension whose values are the attribute's own text (性别, 政治面貌): known values in ``order``
    first, others after them by their text."""
    rank = {v: i for i, v in enumerate(order)}

    def labels(s: Session, w: Window, level: str, keys: Sequence[Any]) -> Mapping[Any, tuple[Any, str]]:
        return {k: ((0, rank[k], "") if k in rank else (1, 0, str(k)), str(k) or missing) for k in keys}

    def resolve(s: Session, w: Window, level: str, text: str) -> list[Any]:
        t = text.strip()
        if t == missing:
            return [""]
        return [t]

    return REGISTRY.dimension(Dimension(key, name, attribute, rule, _same, labels, resolve, missing=missing))


def lookup_dimension(
    key: str, name: str, attribute: str, kind: str, rule: str, *, two_levels: bool = False
) -> Dimension:
    """A dimension over one of the configurable lists (服务领域, 人才库类别 …): by the list's order;
    ``two_levels``: 小项 and 大类 (an entry's parent, or the entry itself when it has none)."""
    parent = aliased(Lookup)

    def group(
        stmt: Select[Any], attr: ColumnElement[Any], w: Window, level: str
    ) -> tuple[Select[Any], ColumnElement[Any]]:
        if level != "major":
            return stmt, attr
        lk = aliased(Lookup)
        stmt = stmt.outerjoin(lk, lk.id == attr)
        return stmt, func.coalesce(lk.parent_id, lk.id)

    def labels(s: Session, w: Window, level: str, keys: Sequence[Any]) -> Mapping[Any, tuple[Any, str]]:
        rows = s.execute(
            select(Lookup.id, Lookup.name, Lookup.sort_order, parent.sort_order)
            .outerjoin(parent, parent.id == Lookup.parent_id)
            .where(Lookup.id.in_(list(keys)))
        ).all()
        return {r[0]: ((0, r[3] if r[3] is not None else r[2], r[2], r[0]), r[1]) for r in rows}

    def resolve(s: Session, w: Window, level: str, text: str) -> list[Any]:
        rows = s.execute(
            select(Lookup.id, Lookup.name, Lookup.aliases, Lookup.parent_id).where(Lookup.kind == kind)
        ).all()
        t = text.strip()
        hits = [r[0] for r in rows if t == r[1] or t in aliases_of(r[2] or "")]
        if not hits:
            raise UserError(f"“{name}”里没有“{t}”。{_nearest(t, [r[1] for r in rows])}")
        return hits

    levels = (Level("minor", "小项"), Level("major", "大类")) if two_levels else ()
    return REGISTRY.dimension(
        Dimension(key, name, attribute, rule, group, labels, resolve, levels=levels, missing="未分类")
    )


# -- the shared dimensions -----------------------------------------------------------------------------
def _team_labels(s: Session, w: Window, level: str, keys: Sequence[Any]) -> Mapping[Any, tuple[Any, str]]:
    rows = s.execute(select(Team.id, Team.name).where(Team.id.in_(list(keys)))).all()
    return {r[0]: ((0, r[1]), r[1]) for r in rows}


def _team_resolve(s: Session, w: Window, level: str, text: str) -> list[Any]:
    t = text.strip()
    rows = s.execute(select(Team.id, Team.name, Team.aliases)).all()
    hits = [r[0] for r in rows if t == r[1] or t in aliases_of(r[2] or "")]
    if not hits:
        raise UserError(f"没有服务队“{t}”。{_nearest(t, [r[1] for r in rows])}")
    return hits


TEAM = REGISTRY.dimension(
    Dimension(
        key="team",
        name="服务队",
        attribute="team",
        rule="按志愿服务队分组；一项活动由几支队伍共同开展的，分别计入每支队伍（合计不重复计）。",
        group=_same,
        labels=_team_labels,
        resolve=_team_resolve,
        missing="未注明服务队",
        aliases=("队伍", "志愿服务队"),
    )
)


def _theme_labels(s: Session, w: Window, level: str, keys: Sequence[Any]) -> Mapping[Any, tuple[Any, str]]:
    rows = s.execute(
        select(MonthlyTheme.id, MonthlyTheme.name, MonthlyTheme.year, MonthlyTheme.month).where(
            MonthlyTheme.id.in_(list(keys))
        )
    ).all()
    return {r[0]: ((0, r[2], r[3]), f"{r[3]}月·{r[1]}") for r in rows}


def _theme_resolve(s: Session, w: Window, level: str, text: str) -> list[Any]:
    t = text.strip()
    head, sep, name = t.partition("月·")  # as its label shows it (10月·学习宣传党的二十大精神)
    if sep and head.isdigit():
        t = name.strip()
    rows = s.execute(select(MonthlyTheme.id, MonthlyTheme.name)).all()
    hits = [r[0] for r in rows if t == r[1]]
    if not hits:
        raise UserError(f"没有月度主题“{t}”。{_nearest(t, sorted({r[1] for r in rows}))}")
    return hits


THEME = REGISTRY.dimension(
    Dimension(
        key="theme",
        name="月度主题",
        attribute="theme",
        rule="按活动登记的月度主题分组。",
        group=_same,
        labels=_theme_labels,
        resolve=_theme_resolve,
        missing="未注明主题",
        aliases=("主题",),
    )
)

lookup_dimension(
    "activity_category",
    "服务领域",
    "activity_category",
    "activity_category",
    "按活动登记的服务领域分组；“大类”把小项归入其上级。",
    two_levels=True,
)

value_dimension("gender", "性别", "gender", ("男", "女"), "按人员登记的性别分组。")
value_dimension(
    "political_status",
    "政治面貌",
    "political_status",
    ("中共党员", "中共预备党员", "共青团员", "民主党派", "无党派人士", "群众"),
    "按人员登记的政治面貌分组。",
)

AGE_BANDS = (
    (0, 60, "60岁以下"),
    (60, 70, "60—69岁"),
    (70, 80, "70—79岁"),
    (80, 90, "80—89岁"),
    (90, 200, "90岁及以上"),
)


def _age_group(
    stmt: Select[Any], attr: ColumnElement[Any], w: Window, level: str
) -> tuple[Select[Any], ColumnElement[Any]]:
    """The age at the window's end, in bands, from the birth date (an unknown birth date: no band)."""

    def born_after(years: int) -> dt.date:
        end = w.end
        try:
            return end.replace(year=end.year - years)
        except ValueError:  # 29 February
            return end.replace(year=end.year - years, day=28)

    whens = [(attr > born_after(high), literal(label)) for low, high, label in AGE_BANDS[:-1]]
    return stmt, case(*whens, else_=case((attr.is_(None), None), else_=literal(AGE_BANDS[-1][2])))


def _age_labels(s: Session, w: Window, level: str, keys: Sequence[Any]) -> Mapping[Any, tuple[Any, str]]:
    rank = {label: i for i, (_, _, label) in enumerate(AGE_BANDS)}
    return {k: ((0, rank.get(k, 99)), str(k)) for k in keys}


def _age_resolve(s: Session, w: Window, level: str, text: str) -> list[Any]:
    t = text.strip()
    names = [label for _, _, label in AGE_BANDS]
    if t not in names:
        raise UserError(f"年龄段“{t}”无法识别。可选：{'、'.join(names)}")
    return [t]


AGE = REGISTRY.dimension(
    Dimension(
        key="age_band",
        name="年龄段",
        attribute="birth_date",
        rule="按统计时段末日的周岁分段（出生日期未登记的列为“未填”）。",
        group=_age_group,
        labels=_age_labels,
        resolve=_age_resolve,
        aliases=("年龄",),
    )
)
