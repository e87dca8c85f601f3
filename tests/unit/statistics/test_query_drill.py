"""Drill-down into a pivot's margins and its 未填 rows: the records behind the 合计 row under a column
(the column dimension's key alone) and behind a row of records without a value."""

from __future__ import annotations

from silverdesk.services.hub import Services
from silverdesk.services.statistics.query import DimRef, QueryService, Question
from tests.unit.statistics.test_query import OCT, _records


def test_margin_and_missing_rows_drill_down(services: Services) -> None:
    r = _records(services)
    query = QueryService(services.ctx)
    question = Question(("场次",), *OCT, rows=(DimRef("单位", "下一级"),), columns=(DimRef("服务队"),))
    result = query.ask(question)
    t2 = next(k for row in result.rows for k in row.keys[1:] if k == r["t2"])
    # the 合计 row under 龙山镇理论宣讲队: both October activities of that team, whatever their unit
    kind, ids = query.records(question, "场次", [t2], positions=[1])
    assert kind == "activity" and len(ids) == 2
    # 未注明服务队: the activity with no team (县里集中宣讲), in the 合计 row and in the root's 本级 row
    no_team = query.records(question, "场次", [None], positions=[1])[1]
    titles = [row.title for row in services.activities.rows_by_ids(no_team)]
    assert titles == ["县里集中宣讲"]
    assert query.records(question, "场次", [r["root"], None])[1] == no_team
    assert [row.values for row in result.rows if row.keys[1] is None] == [(1,)]  # its one 场次


def test_a_theme_filter_takes_the_theme_as_its_row_shows_it(services: Services) -> None:
    from silverdesk.services.statistics.query import Filter

    u = _records(services)
    theme = services.lookups.set_theme(2026, 10, "银龄助老")
    services.activities.create(
        {"occurred_on": "2026-10-09", "title": "助老", "unit_id": u["town"], "theme_id": theme, "sessions": 4}
    )
    query = QueryService(services.ctx)
    shown = query.ask(Question(("场次",), *OCT, rows=(DimRef("月度主题"),)))
    label = next(row.labels[0] for row in shown.rows if row.keys[0] == theme)
    assert label == "10月·银龄助老"
    for value in (label, "银龄助老"):  # picked from the rows, or typed
        asked = query.ask(Question(("场次",), *OCT, filters=(Filter.parse(f"月度主题={value}"),)))
        assert asked.value("场次") == 4
