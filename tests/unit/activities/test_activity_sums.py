"""The activity list's sums (issue #17): COUNT and SUM over the list's own query, for every criterion of
its filter, hand-computed from the records made here; and the order list's, over the activities linked."""

from __future__ import annotations

import datetime as dt

from silverdesk.services.activities.log import ActivityFilter
from silverdesk.services.list_sums import ListSums
from silverdesk.services.market.orders import OrderFilter


def sums(services, **criteria) -> ListSums:
    return services.activities.list_sums(ActivityFilter(**criteria))


def test_sums_follow_every_criterion_of_the_list_filter(services, county):
    cats = services.lookups.items("activity_category")
    team = services.teams.create({"name": "龙山镇银发管家服务队", "unit_id": county["town"]})
    make = services.activities.create
    make({"occurred_on": "2026-11-01", "title": "红色故事进校园", "unit_id": county["community"],
          "category_id": cats[0].id, "sessions": 2, "participants": 10, "hours": 20.5, "beneficiaries": 300})  # fmt: skip
    make({"occurred_on": "2026-10-01", "title": "健康义诊", "unit_id": county["town"], "category_id": cats[1].id,
          "team_ids": [team], "sessions": 1, "participants": 6, "hours": 12, "beneficiaries": 80})  # fmt: skip
    make({"occurred_on": "2026-09-15", "title": "红色故事会", "unit_id": county["dept"], "category_id": cats[1].id,
          "sessions": 3, "participants": 25, "hours": 50.25, "beneficiaries": 120})  # fmt: skip

    everything = sums(services)
    assert everything.count == 3
    assert everything.values == {"sessions": 6, "participants": 41, "hours": 82.75, "beneficiaries": 500}
    assert sums(services, unit_id=county["street"]).values["hours"] == 20.5  # 光明社区 is under 城关街道
    assert sums(services, category_id=cats[1].id).values["participants"] == 31
    assert sums(services, team_id=team).values == {
        "sessions": 1,
        "participants": 6,
        "hours": 12,
        "beneficiaries": 80,
    }
    story = sums(services, query="红色故事")
    assert (story.count, story.values["sessions"], story.values["beneficiaries"]) == (2, 5, 420)
    autumn = sums(services, date_from=dt.date(2026, 9, 20), date_to=dt.date(2026, 10, 31))
    assert (autumn.count, autumn.values["hours"]) == (1, 12)
    nothing = sums(services, query="没有这样的活动")
    assert nothing.count == 0 and nothing.values == {
        "sessions": 0,
        "participants": 0,
        "hours": 0,
        "beneficiaries": 0,
    }
    for flt in (ActivityFilter(), ActivityFilter(query="红色"), ActivityFilter(category_id=cats[1].id)):
        assert services.activities.list_sums(flt).count == len(services.activities.search_ids(flt))


def test_order_list_sums_its_linked_activities_and_averages_the_scores(services, county):
    orders = services.orders
    team = services.teams.create({"name": "城关街道义诊队", "unit_id": county["street"]})
    first = orders.create(title="上门义诊", team_id=team, published_on=dt.date(2026, 9, 1))
    second = orders.create(title="上门理发", team_id=team, published_on=dt.date(2026, 9, 2))
    orders.create(title="代购药品", team_id=team, published_on=dt.date(2026, 9, 3))  # not rated, no activity
    for oid, score in ((first, 5), (second, 4)):
        for step in (orders.claim, orders.sign, orders.start, orders.complete):
            step(oid, dt.date(2026, 9, 10))
        orders.evaluate(oid, score, "满意", dt.date(2026, 9, 20))
    for oid, sessions, hours in ((first, 2, 7.5), (first, 1, 3), (second, 1, 4)):
        aid = services.activities.create(
            {"occurred_on": "2026-09-12", "title": "服务", "sessions": sessions, "hours": hours}
        )
        orders.link_activity(oid, aid)

    all_orders = orders.list_sums(OrderFilter())
    assert all_orders.count == 3
    assert all_orders.values == {"sessions": 4, "hours": 14.5, "score": 4.5}  # the mean of 5 and 4
    assert all_orders.means == {"score"}
    just_one = orders.list_sums(OrderFilter(query="理发"))
    assert (just_one.count, just_one.values) == (1, {"sessions": 1, "hours": 4, "score": 4})
    unrated = orders.list_sums(OrderFilter(query="代购"))
    assert (unrated.count, unrated.values) == (1, {"sessions": 0, "hours": 0})  # no score: no mean
