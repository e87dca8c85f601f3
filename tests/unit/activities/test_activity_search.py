import datetime as dt

from silverdesk.services.activities.log import ActivityFilter


def test_filter_by_date_unit_subtree_category_team_and_text(services, county):
    cats = services.lookups.items("activity_category")
    team = services.teams.create({"name": "龙山镇银发管家服务队", "unit_id": county["town"]})
    a = services.activities.create(
        {
            "occurred_on": "2026-11-01",
            "title": "红色故事进校园",
            "unit_id": county["community"],
            "category_id": cats[0].id,
        }
    )
    b = services.activities.create(
        {
            "occurred_on": "2026-10-01",
            "title": "健康义诊",
            "unit_id": county["town"],
            "category_id": cats[1].id,
            "team_ids": [team],
        }
    )
    acts = services.activities
    assert acts.search_ids(ActivityFilter()) == [a, b]  # newest first
    assert acts.search_ids(ActivityFilter(), sort="occurred_on", descending=False) == [b, a]
    assert acts.search_ids(ActivityFilter(unit_id=county["street"])) == [a]
    assert acts.search_ids(ActivityFilter(category_id=cats[1].id)) == [b]
    assert acts.search_ids(ActivityFilter(team_id=team)) == [b]
    assert acts.search_ids(ActivityFilter(query="故事")) == [a]
    assert acts.search_ids(ActivityFilter(query="银发管家")) == [b]  # by team name
    assert acts.search_ids(ActivityFilter(date_from=dt.date(2026, 10, 15))) == [a]
    assert acts.search_ids(ActivityFilter(date_to=dt.date(2026, 10, 15))) == [b]
    assert acts.search_ids(ActivityFilter(query="100%")) == []
    assert acts.search_ids(ActivityFilter(), sort="unit", descending=False) == [
        a,
        b,
    ]  # 光明社区 < 龙山镇 by code point
    assert acts.count() == 2 and acts.count(ActivityFilter(unit_id=county["town"])) == 1


def test_completion_lists_and_detail(services, county):
    place = services.places.create({"name": "城关银龄驿站", "kind": "驿站"})
    aid = services.activities.create(
        {
            "occurred_on": "2026-11-01",
            "title": "智慧助老培训",
            "place_text": "光明社区会议室",
            "place_id": place,
        }
    )
    services.activities.create({"occurred_on": "2026-11-02", "title": "防范养老诈骗宣传"})
    assert services.activities.recent_titles() == ["防范养老诈骗宣传", "智慧助老培训"]
    assert services.activities.place_names() == ["城关银龄驿站", "光明社区会议室"]
    detail = services.activities.detail(aid)
    assert detail["title"] == "智慧助老培训" and detail["team_ids"] == [] and detail["attachments"] == []
