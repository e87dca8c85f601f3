import datetime as dt

from silverdesk.services.statistics.dashboard import month_start


def _activity(services, day, unit, **extra):
    return services.activities.create(
        {"occurred_on": day, "title": "健康义诊进社区", "unit_id": unit, **extra}
    )


def test_month_start_walks_back_across_years():
    assert month_start(dt.date(2026, 3, 15)) == dt.date(2026, 3, 1)
    assert month_start(dt.date(2026, 3, 15), 3) == dt.date(2025, 12, 1)
    assert month_start(dt.date(2026, 3, 15), -1) == dt.date(2026, 4, 1)


def test_month_and_year_figures_and_trend(services, county):
    cat = services.lookups.items("activity_category")[0]
    team = services.teams.create({"name": "光明理论宣讲队", "unit_id": county["street"]})
    _activity(
        services,
        "2026-11-03",
        county["community"],
        participants=10,
        hours=20,
        beneficiaries=100,
        category_id=cat.id,
        team_ids=[team],
    )
    _activity(
        services, "2026-11-05", county["street"], sessions=2, participants=5, hours=7.5, beneficiaries=40
    )
    _activity(services, "2026-02-01", county["town"], participants=3, hours=6, beneficiaries=30)
    _activity(
        services, "2025-11-20", county["town"], participants=1, hours=1, beneficiaries=1
    )  # 13 months ago
    board = services.dashboard.load()
    assert board.today == dt.date(2026, 11, 20)
    assert (board.month.activities, board.month.sessions, board.month.participations) == (2, 3, 15)
    assert (board.month.hours, board.month.beneficiaries, board.month.teams_active) == (27.5, 140, 1)
    assert (board.year.activities, board.year.beneficiaries) == (3, 170)
    assert [(p.year, p.month) for p in board.trend][:2] == [(2025, 12), (2026, 1)]
    assert len(board.trend) == 12 and board.trend[-1].sessions == 3 and board.trend[2].beneficiaries == 30
    assert (board.by_category[0].name, board.by_category[0].sessions) == ("未分类", 3)  # largest first
    assert {c.name for c in board.by_category} == {cat.name, "未分类"}
    assert board.teams == 1


def test_units_without_an_activity_this_month(services, county):
    _activity(services, "2026-11-02", county["community"])  # a community counts for its street
    board = services.dashboard.load()
    assert [u.name for u in board.silent_units] == ["龙山镇", "县教育局"]


def test_open_demands_are_listed_oldest_first(services, county):
    services.demands.create({"title": "青少年暑期辅导", "raised_on": "2026-10-01"})
    services.demands.create({"title": "健康讲座", "raised_on": "2026-09-01"})
    done = services.demands.create({"title": "政策宣讲", "raised_on": "2026-08-01"})
    services.demands.update(done, {"status": "已完成"})
    board = services.dashboard.load()
    assert board.unmatched_demand_count == 2
    assert [d.title for d in board.unmatched_demands] == ["健康讲座", "青少年暑期辅导"]
    assert board.open_order_count == 0


def test_empty_database_gives_zeros(services):
    board = services.dashboard.load()
    assert board.month.activities == 0 and board.year.hours == 0.0
    assert board.silent_units == () and board.volunteers == 0
