"""The report's 编报说明 and the 首页 are the query model's: each rule printed is a measure's own text, each
首页 figure is what ``QueryService.ask`` answers for the same question."""

from __future__ import annotations

import datetime as dt

from silverdesk.services.hub import Services
from silverdesk.services.statistics import asof
from silverdesk.services.statistics.periods import month
from silverdesk.services.statistics.query import DimRef, QueryService, Question
from silverdesk.services.statistics.query.registry import registry
from silverdesk.services.statistics.questions import ACTIVITY, MARKET, ORG, PEOPLE, TEAMS
from silverdesk.services.statistics.reporting import ReportService
from tests.unit.statistics.test_query import _records


def test_the_notes_print_each_measures_own_rule(services: Services) -> None:
    _records(services)
    notes = "".join(ReportService(services.ctx).build(month(2026, 10)).notes)
    reg = registry()
    for name in (*ACTIVITY, *PEOPLE, TEAMS, *ORG, *MARKET):
        m = reg.find_measure(name)
        assert f"{m.name}：{m.rule}" in notes, name
        assert reg.facts[m.fact].rule in notes, name
    assert reg.find_dimension("单位").rule in notes
    assert asof.RULES["membership_during"] in notes  # a dated rule no measure's text states


def test_the_dashboards_figures_are_the_models(services: Services) -> None:
    _records(services)
    today = dt.date(2026, 11, 20)
    board = services.dashboard.load(today)
    q = QueryService(services.ctx)

    def total(measures: tuple[str, ...], start: dt.date, end: dt.date = today) -> tuple[object, ...]:
        return q.ask(Question(measures, start, end)).total

    for figures, start in ((board.month, dt.date(2026, 11, 1)), (board.year, dt.date(2026, 1, 1))):
        assert (
            figures.activities,
            figures.sessions,
            figures.participations,
            figures.hours,
            figures.beneficiaries,
        ) == total(("活动项数", "场次", "参与人次", "服务时长", "受益人次"), start)
        assert (figures.teams_active,) == total(("开展活动的服务队数",), start)
    assert (board.month.sessions, board.year.sessions, board.year.teams_active) == (1, 5, 2)
    assert (board.volunteers, board.teams) == total(("志愿者数", "队伍数"), today) == (3, 2)
    by_month = q.ask(Question(("场次",), dt.date(2025, 12, 1), today, rows=(DimRef("期间", "month"),)))
    assert [p.sessions for p in board.trend] == [
        dict((r.keys[0], r.values[0]) for r in by_month.rows).get(f"{p.year}-{p.month:02d}", 0)
        for p in board.trend
    ]
    assert board.trend[-2].sessions == 4 and board.scope == "全县"
