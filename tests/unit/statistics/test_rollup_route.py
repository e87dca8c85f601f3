"""The activity sums of whole months come from the month roll-up when it is fresh, with the same figures as
the activity table; the days around them and other measures from the activity table; a changed activity
is counted at once (its month is stale until refreshed)."""

from __future__ import annotations

import datetime as dt

from silverdesk.services.hub import Services
from silverdesk.services.statistics.query import QueryService
from silverdesk.services.statistics.query.model import Window
from silverdesk.services.statistics.query.registry import registry
from silverdesk.services.statistics.query.summary import ROLLUP, plan
from silverdesk.services.statistics.query.units import UnitScope
from silverdesk.services.statistics.rollup import Rollup
from tests.unit.statistics.test_query import _ask, _records, _table

Q4 = (dt.date(2026, 9, 1), dt.date(2026, 11, 30))
ODD = (dt.date(2026, 9, 15), dt.date(2026, 11, 10))  # October whole, a fortnight before, ten days after


def _answers(s: Services) -> list[object]:
    out: list[object] = []
    for period in (Q4, ODD):
        out += [
            _table(_ask(s, "场次,参与人次,服务时长,受益人次", "单位", period=period)),
            _table(_ask(s, "场次,受益人次", "服务领域:大类", "期间:月", period=period)),
            _table(_ask(s, "场次", "单位:社区村", where=("服务领域=理论宣讲",), period=period)),
            _ask(s, "场次,服务时长,活动项数", period=period).total,
        ]
    return out


def _parts(
    s: Services, start: dt.date, end: dt.date, *measures: str, attribute: str = "unit"
) -> list[tuple[object, ...]]:
    """How the engine counts ``measures`` over the window: (from the roll-up?, start, end, measures)."""
    reg = registry()
    with s.ctx.db.reader() as session:
        w = Window(start, end, UnitScope.load(session, None))
        found = [reg.find_measure(m) for m in measures]
        return [
            (p.fact is ROLLUP, p.window.start, p.window.end, tuple(found[n].name for n in p.measures))
            for p in plan(session, reg.facts["activity"], w, [attribute], found, None)
        ]


def _routed(s: Services, start: dt.date, end: dt.date, *measures: str, attribute: str = "unit") -> bool:
    return any(part[0] for part in _parts(s, start, end, *measures, attribute=attribute))


def test_the_roll_up_answers_whole_months_with_the_activity_tables_figures(services: Services) -> None:
    r = _records(services)
    assert not _routed(services, *Q4, "场次")  # the months just written are stale: counted from activity
    plain = _answers(services)
    Rollup(services.ctx.db).refresh()
    assert _routed(services, *Q4, "场次", "受益人次")
    assert _answers(services) == plain
    assert _table(_ask(services, "场次,受益人次", "单位", period=Q4))[("龙山镇",)] == (2, 30)
    # not from the roll-up: part of a month, a measure it does not hold, a dimension it does not hold
    assert not _routed(services, dt.date(2026, 10, 2), dt.date(2026, 10, 31), "场次")
    assert not _routed(services, *Q4, "活动项数")
    assert not _routed(services, *Q4, "场次", attribute="team")
    # a window of odd days: its whole month from the roll-up, the days around it and 活动项数 from activity
    assert _parts(services, *ODD, "场次", "活动项数") == [
        (True, dt.date(2026, 10, 1), dt.date(2026, 10, 31), ("场次",)),
        (False, dt.date(2026, 9, 15), dt.date(2026, 9, 30), ("场次",)),
        (False, dt.date(2026, 11, 1), dt.date(2026, 11, 10), ("场次",)),
        (False, *ODD, ("活动项数",)),
    ]
    # a change is counted at once: its month is stale, so that question goes to the activity table
    services.activities.create(
        {
            "occurred_on": "2026-10-30",
            "title": "补登",
            "unit_id": r["town"],
            "sessions": 3,
            "beneficiaries": 9,
        }
    )
    assert not _routed(services, *Q4, "场次")
    assert _table(_ask(services, "场次,受益人次", "单位", period=Q4))[("龙山镇",)] == (5, 39)
    Rollup(services.ctx.db).refresh()
    assert _routed(services, *Q4, "场次")
    assert _table(_ask(services, "场次,受益人次", "单位", period=Q4))[("龙山镇",)] == (5, 39)
    assert QueryService(services.ctx).ask(_ask(services, "场次", period=Q4).question).total == (8,)
    assert _ask(services, "场次,活动项数", period=ODD).total == (8, 5)
