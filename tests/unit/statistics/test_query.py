"""The statistics query model on a database where every figure is worked out by hand: breakdowns by
unit level, list, team, period, sex and age; totals that are not sums of rows; filters; drill-down;
the errors a clerk meets. The same questions on PostgreSQL give the same answers."""

from __future__ import annotations

import datetime as dt

import pytest

from silverdesk.errors import UserError
from silverdesk.services.hub import Services
from silverdesk.services.statistics.query import DimRef, Filter, QueryService, Question

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def _county(s: Services) -> dict[str, int]:
    units = s.units
    root = units.ensure_root("青山县")
    street = units.create({"name": "城关街道", "kind": "街道", "parent_id": root})
    community = units.create({"name": "光明社区", "kind": "社区", "parent_id": street})
    town = units.create({"name": "龙山镇", "kind": "乡镇", "parent_id": root})
    return {"root": root, "street": street, "community": community, "town": town}


def _records(s: Services) -> dict[str, int]:
    u = _county(s)
    lecture = s.lookups.resolve("activity_category", "理论宣讲").id
    elderly = s.lookups.resolve("activity_category", "为老服务").id
    a = s.people.create(
        {
            "name": "张建国",
            "gender": "男",
            "birth_date": "1950-03-01",
            "political_status": "中共党员",
            "unit_id": u["street"],
        }
    )
    b = s.people.create(
        {
            "name": "李桂兰",
            "gender": "女",
            "birth_date": "1958-11-30",
            "political_status": "群众",
            "unit_id": u["community"],
        }
    )
    c = s.people.create(
        {
            "name": "王德明",
            "gender": "男",
            "birth_date": "1940-01-01",
            "political_status": "中共预备党员",
            "unit_id": u["town"],
        }
    )
    s.people.create(
        {"name": "赵秀英", "gender": "女", "political_status": "中共党员", "unit_id": u["town"]}
    )  # no team
    t1 = s.teams.create(
        {"name": "光明社区银发管家服务队", "unit_id": u["community"], "members": [(a, "队长"), (b, "队员")]}
    )
    t2 = s.teams.create(
        {"name": "龙山镇理论宣讲队", "unit_id": u["town"], "members": [(c, "队长"), (a, "队员")]}
    )
    act = s.activities.create
    act(
        {
            "occurred_on": "2026-10-08",
            "title": "讲党课",
            "unit_id": u["community"],
            "category_id": lecture,
            "participants": 10,
            "hours": 20,
            "beneficiaries": 100,
            "team_ids": [t1, t2],
        }
    )
    act(
        {
            "occurred_on": "2026-10-15",
            "title": "走访高龄老人",
            "unit_id": u["town"],
            "category_id": elderly,
            "sessions": 2,
            "participants": 5,
            "hours": 7.5,
            "beneficiaries": 30,
            "team_ids": [t2],
        }
    )
    act(
        {
            "occurred_on": "2026-11-02",
            "title": "十一月宣讲",
            "unit_id": u["street"],
            "category_id": lecture,
            "participants": 4,
            "hours": 3,
            "beneficiaries": 40,
        }
    )
    act(
        {"occurred_on": "2026-10-20", "title": "县里集中宣讲", "category_id": lecture, "beneficiaries": 7}
    )  # no unit
    return {**u, "a": a, "b": b, "c": c, "t1": t1, "t2": t2}


def _ask(
    s: Services,
    measures: str,
    *rows: str,
    columns: tuple[str, ...] = (),
    where: tuple[str, ...] = (),
    unit: int | None = None,
    period: tuple[dt.date, dt.date] = OCT,
):
    return QueryService(s.ctx).ask(
        Question(
            tuple(measures.split(",")),
            *period,
            unit_id=unit,
            rows=tuple(DimRef.parse(r) for r in rows),
            columns=tuple(DimRef.parse(c) for c in columns),
            filters=tuple(Filter.parse(f) for f in where),
        )
    )


def _table(result) -> dict[tuple[str, ...], tuple]:
    return {row.labels: row.values for row in result.rows}


def check_breakdowns(s: Services) -> None:
    r = _records(s)
    by_unit = _ask(s, "场次,受益人次,服务时长,志愿者数,其中党员", "单位")
    assert _table(by_unit) == {
        ("城关街道",): (1, 100, 20.0, 2, 1),  # the community's activity rolls up; 张建国 and 李桂兰
        ("龙山镇",): (2, 30, 7.5, 1, 1),
        ("本级",): (1, 7, 0.0, 0, 0),  # the activity without a unit
    }
    assert by_unit.total == (4, 137, 27.5, 3, 2)
    assert by_unit.scope_name == "全县"
    # one level down: the community is its own row, the street's own records its 本级 row
    assert _table(_ask(s, "场次,志愿者数", "单位:社区村", unit=r["street"])) == {
        ("光明社区",): (1, 1),
        ("城关街道（本级）",): (0, 1),
    }
    # an activity of two teams counts for each team; the total counts it once
    by_team = _ask(s, "场次,受益人次", "服务队")
    assert _table(by_team) == {
        ("光明社区银发管家服务队",): (1, 100),
        ("龙山镇理论宣讲队",): (3, 130),
        ("未注明服务队",): (1, 7),
    }
    assert by_team.total == (4, 137)
    assert _table(_ask(s, "场次", "服务领域")) == {("理论宣讲",): (2,), ("为老服务",): (2,)}
    # a filter on a team (two teams named): the shared activity once
    assert _ask(s, "场次", where=("服务队=光明社区银发管家服务队,龙山镇理论宣讲队",)).total == (3,)
    # a person on two teams is one volunteer; rows by sex, columns by age at the period's end (张 76, 王 86,
    # 李 67), margins
    pivot = _ask(s, "志愿者数", "性别", columns=("年龄段",))
    assert _table(pivot) == {("男", "80—89岁"): (1,), ("女", "60—69岁"): (1,), ("男", "70—79岁"): (1,)}
    assert pivot.margins[(0,)] == {("男",): (2,), ("女",): (1,)}
    assert pivot.total == (3,)
    # months: November's activity in its own month, the window's end clipped
    months = _ask(s, "场次", "期间:月", period=(dt.date(2026, 9, 1), dt.date(2026, 11, 30)))
    assert _table(months) == {("2026年9月",): (0,), ("2026年10月",): (4,), ("2026年11月",): (1,)}
    # drill-down: the records behind 龙山镇's 场次
    question = Question(("场次",), *OCT, rows=(DimRef("单位"),))
    kind, ids = QueryService(s.ctx).records(question, "场次", [r["town"]])
    assert kind == "activity" and len(ids) == 1
    kind, ids = QueryService(s.ctx).records(Question(("志愿者数",), *OCT), "志愿者数", [])
    assert kind == "person" and sorted(ids) == sorted([r["a"], r["b"], r["c"]])


def test_breakdowns_by_hand(services: Services) -> None:
    check_breakdowns(services)


@pytest.mark.postgres
def test_breakdowns_on_postgresql(pg_services: Services) -> None:
    check_breakdowns(pg_services)


def test_what_a_clerk_gets_wrong_is_named(services: Services) -> None:
    _records(services)
    with pytest.raises(UserError, match=r"没有统计指标“场数”.*场次"):
        _ask(services, "场数")
    with pytest.raises(UserError, match="“场次”不能按“性别”分组"):
        _ask(services, "场次", "性别")
    with pytest.raises(UserError, match=r"服务领域”里没有“理论宣传”.*理论宣讲"):
        _ask(services, "场次", where=("服务领域=理论宣传",))
    with pytest.raises(UserError, match="没有层级“街道”"):
        _ask(services, "场次", "单位:街道")
    with pytest.raises(UserError, match="应写成 维度=值"):
        Filter.parse("性别")


def test_catalogue_states_every_rule(services: Services) -> None:
    cat = QueryService(services.ctx).catalogue()
    names = {m.name for m in cat.measures}
    assert {"场次", "参与人次", "服务时长", "受益人次", "志愿者数", "其中党员"} <= names
    assert all(m.rule and m.unit for m in cat.measures)
    assert all(d.rule for d in cat.dimensions)
    by_name = {m.name: m for m in cat.measures}
    assert "单位" in by_name["场次"].applies_to and "性别" not in by_name["场次"].applies_to


def test_pivot_layout_has_totals_both_ways(services: Services) -> None:
    from silverdesk.services.statistics.query.pivot import to_pivot

    _records(services)
    table = to_pivot(_ask(services, "志愿者数", "性别", columns=("年龄段",)), "志愿者", "2026年10月")
    assert table.header_lines() == [
        ["", "60—69岁", "70—79岁", "80—89岁", "合计"],
        ["性别", "志愿者数（人）", "志愿者数（人）", "志愿者数（人）", "志愿者数（人）"],
    ]
    assert [(r.labels, r.values) for r in table.rows] == [
        (("男",), (0, 1, 1, 2)),
        (("女",), (1, 0, 0, 1)),
        (("合计",), (1, 1, 1, 3)),
    ]
    flat = to_pivot(_ask(services, "场次,受益人次", "服务领域"), "活动", "2026年10月")
    assert [(r.labels, r.values) for r in flat.rows] == [
        (("理论宣讲",), (2, 107)),
        (("为老服务",), (2, 30)),
        (("合计",), (4, 137)),
    ]
