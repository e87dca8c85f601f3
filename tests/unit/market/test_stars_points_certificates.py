"""星级 rules and ratings, the 积分存折, and certificate PDFs (issue #6)."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader

from silverdesk.db.models import Setting
from silverdesk.errors import UserError
from silverdesk.reports.certificates import render_honour_certificates, render_service_certificate

D = dt.date


@pytest.fixture
def record(services, county):
    """𠮷祥 serves six times a year (6 h each by head count), 李桂兰 less; one team throughout."""
    a = services.people.create({"name": "𠮷祥", "id_number": "11010519491231002X"})
    b = services.people.create({"name": "李桂兰"})
    team = services.teams.create({"name": "光明社区银发管家志愿服务队", "unit_id": county["community"]})
    activities = {}
    for year in (2025, 2026):
        for month in range(1, 7):
            # 24 person-hours by 4 people, only 𠮷祥 named: his share is 24 / 4 = 6 hours
            activities[(year, month)] = services.activities.create(
                {
                    "occurred_on": D(year, month, 10),
                    "title": f"{month}月健康义诊进社区",
                    "participants": 4,
                    "hours": 24,
                    "participant_ids": [a],
                    "team_ids": [team],
                    "unit_id": county["street"],
                }
            )
    # 李桂兰 and 𠮷祥 together: 20 person-hours by 4 people → 5 hours each
    services.activities.create(
        {
            "occurred_on": D(2026, 8, 1),
            "title": "防诈骗宣传",
            "participants": 4,
            "hours": 20,
            "participant_ids": [a, b],
        }
    )
    services.settings.update({"bureau_name": "中共青山县委老干部局"})
    return {"a": a, "b": b, "team": team, "activities": activities, **county}


def test_hours_are_split_by_head_count_when_not_recorded(services, record):
    from silverdesk.services.market.hours import participant_hours

    with services.ctx.db.reader() as s:
        hours = participant_hours(s, D(2026, 1, 1), D(2026, 12, 31))
    mine = [h.hours for h in hours if h.person_id == record["a"]]
    assert mine == [6.0] * 6 + [5.0]
    assert [h.hours for h in hours if h.person_id == record["b"]] == [5.0]


def test_recorded_hours_count_and_the_rest_is_shared(services, record):
    from sqlalchemy import update

    from silverdesk.db.models import ActivityParticipant
    from silverdesk.services.market.hours import participant_hours

    aid = services.activities.create(
        {
            "occurred_on": D(2026, 9, 1),
            "title": "议事会",
            "participants": 2,
            "hours": 10,
            "participant_ids": [record["a"], record["b"]],
        }
    )
    with services.ctx.db.session() as s:
        s.execute(
            update(ActivityParticipant)
            .where(ActivityParticipant.activity_id == aid, ActivityParticipant.person_id == record["a"])
            .values(hours=7)
        )
    with services.ctx.db.reader() as s:
        hours = {h.person_id: h.hours for h in participant_hours(s, D(2026, 9, 1), D(2026, 9, 1))}
    assert hours == {record["a"]: 7.0, record["b"]: 3.0}


def test_rule_change_recomputes_stars_and_keeps_history(services, record):
    stars, a, b = services.stars, record["a"], record["b"]
    result = stars.recompute("volunteer", 2026)
    assert stars.level_of("volunteer", a, 2026) == 2  # 41 h, 7 activities: 2星 needs 30 h and 6
    assert stars.level_of("volunteer", b, 2026) == 0
    assert result.by_level == {2: 1, 0: 1}
    basis = stars.ratings("volunteer", 2026)[0].basis
    assert basis.startswith("2026年服务时长41小时，参加活动7次，无订单评价；达到2星标准（≥30小时、≥6次")
    stars.recompute("volunteer", 2025)
    assert stars.level_of("volunteer", a, 2025) == 2

    # from 2026 on, 2星 needs 45 hours; 2025 keeps the rule of its time
    stars.set_rule("volunteer", 2, min_hours=45, min_activities=6, valid_from=D(2026, 1, 1))
    stars.recompute("volunteer", 2026)
    stars.recompute("volunteer", 2025)
    assert stars.level_of("volunteer", a, 2026) == 1
    assert stars.level_of("volunteer", a, 2025) == 2
    history = [
        (r.min_hours, r.valid_from, r.valid_to) for r in stars.rule_history("volunteer") if r.level == 2
    ]
    assert history == [(30, D(2020, 1, 1), D(2025, 12, 31)), (45, D(2026, 1, 1), None)]
    assert stars.rules("volunteer", D(2025, 6, 1))[1].min_hours == 30
    with pytest.raises(UserError, match="历史规则不能改写"):
        stars.set_rule("volunteer", 2, min_hours=10, min_activities=1, valid_from=D(2025, 1, 1))


def test_manual_ratings_survive_recomputing(services, record):
    stars = services.stars
    stars.set_manual("volunteer", record["b"], 2026, 5, "局务会议定为五星")
    result = stars.recompute("volunteer", 2026)
    assert result.kept_manual == 1
    row = next(r for r in stars.ratings("volunteer", 2026) if r.subject_id == record["b"])
    assert (row.level, row.manual, row.basis) == (5, True, "局务会议定为五星")
    stars.clear_manual("volunteer", record["b"], 2026)
    stars.recompute("volunteer", 2026)
    assert stars.level_of("volunteer", record["b"], 2026) == 0


def test_a_poor_evaluation_blocks_a_star_that_needs_a_score(services, record):
    stars, orders = services.stars, services.orders
    stars.set_rule("volunteer", 1, min_hours=10, min_activities=3, min_score=4.5, valid_from=D(2026, 1, 1))
    oid = orders.create(title="健康义诊", team_id=record["team"], published_on=D(2026, 1, 5))
    for step in ("claim", "sign", "start", "complete"):
        getattr(orders, step)(oid, D(2026, 1, 6))
    orders.evaluate(oid, 3, "一般", D(2026, 1, 7))
    orders.link_activity(oid, record["activities"][(2026, 1)])
    stars.recompute("volunteer", 2026)
    # 𠮷祥 meets the hours of 1星 and 2星 but his linked order scored 3 < 4.5 for 1星 (2星 has no score rule)
    assert stars.level_of("volunteer", record["a"], 2026) == 2
    assert "订单平均评价3.0分（1单）" in stars.ratings("volunteer", 2026)[0].basis
    stars.set_rule("volunteer", 2, min_hours=30, min_activities=6, min_score=4.5, valid_from=D(2026, 2, 1))
    stars.recompute("volunteer", 2026)
    assert stars.level_of("volunteer", record["a"], 2026) == 0


def test_team_stars_come_from_its_activities(services, record):
    stars = services.stars
    stars.recompute("team", 2026)
    # 6 activities, 144 hours: 1星 needs 50 h and 6 activities, 2星 150 h
    assert stars.level_of("team", record["team"], 2026) == 1
    assert services.teams.get(record["team"])["star_level"] == 1
    stars.recompute("team", 2025)  # an older year does not change the team's current star
    assert services.teams.get(record["team"])["star_level"] == 1


def test_points_balance_statement_and_refused_redemption(services, record):
    points, a = services.points, record["a"]
    assert points.award(D(2026, 1, 1), D(2026, 12, 31)) == 8
    assert points.award(D(2026, 1, 1), D(2026, 12, 31)) == 0  # nothing twice
    assert points.balance(a) == 41
    with pytest.raises(UserError, match="积分不足：𠮷祥现有积分41分，本次兑换需要50分") as info:
        points.redeem(a, 50, "兑换体检套餐")
    assert info.value.code == "points_insufficient"
    points.redeem(a, 30, "兑换日用品一份", D(2026, 11, 1))
    assert points.balance(a) == 11
    with pytest.raises(UserError, match="积分将为负数"):
        points.adjust(a, -12, "更正")
    points.adjust(a, 2.5, "补录活动", D(2026, 11, 2))
    services.settings.update({"points_per_hour": "2"})
    assert points.award(D(2025, 1, 1), D(2025, 12, 31)) == 6
    assert points.balance(a) == 11 + 2.5 + 6 * 6 * 2
    statement = points.statement(a, D(2026, 7, 1), D(2026, 11, 30))
    assert statement.opening == 72 + 36  # 2025 at 2 points an hour, then Jan–Jun 2026
    assert [(line.kind, line.points, line.balance) for line in statement.lines] == [
        ("获得", 5.0, 113.0),
        ("兑换", -30.0, 83.0),
        ("调整", 2.5, 85.5),
    ]
    with pytest.raises(UserError, match="“很多”不是数字"):
        services.settings.update({"points_per_hour": "很多"})
    with pytest.raises(UserError, match="0 到 1000 之间"):
        services.settings.update({"points_per_hour": "-1"})
    assert services.settings.get("points_per_hour") == "2"  # refused: unchanged
    with services.ctx.db.session() as session:  # a value stored by hand (an old database, a script)
        session.get(Setting, "points_per_hour").value = "很多"
    with pytest.raises(UserError, match="不是数字"):
        points.award(D(2026, 1, 1), D(2026, 12, 31))


def test_service_certificate_pdf_names_the_person_with_a_rare_character(services, record, tmp_path):
    services.stars.recompute("volunteer", 2026)
    cert = services.certificates.service_certificate(record["a"], D(2026, 1, 1), D(2026, 11, 20))
    assert (len(cert.records), cert.total_hours, cert.star_level, cert.id_number_masked) == (
        7,
        41.0,
        2,
        "1101**********002X",
    )
    assert cert.records[0].organiser == "光明社区银发管家志愿服务队"
    path = tmp_path / "证明.pdf"
    render_service_certificate(cert, path)
    assert path.read_bytes()[:5] == b"%PDF-"
    text = "".join(page.extract_text() for page in PdfReader(path).pages).replace(" ", "")
    for expected in (
        "志愿服务证明",
        "𠮷祥",
        "累计服务时长41小时",
        "二星级志愿者",
        "中共青山县委老干部局",
        "2026年11月20日",
        "6月健康义诊进社区",
    ):
        assert expected in text


def test_honour_certificates_one_landscape_page_each(services, record, tmp_path):
    certs = services.certificates.honour_certificates([record["a"], record["b"]], "五星级志愿者", year=2026)
    assert (
        certs[0].body
        == "𠮷祥同志在2026年度离退休干部志愿服务工作中表现突出，被评为“五星级志愿者”。特发此证，以资鼓励。"
    )
    path = tmp_path / "荣誉证书.pdf"
    render_honour_certificates(certs, path)
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    first = reader.pages[0].extract_text().replace(" ", "")
    assert "𠮷祥" in first and "荣誉证书" in first and "RY2026-0001" in first
    assert "李桂兰" in reader.pages[1].extract_text().replace(" ", "")
    with pytest.raises(UserError, match="占位符"):
        services.certificates.honour_certificates([record["a"]], "优秀", body="{姓名}同志")
    services.settings.update({"bureau_name": ""})
    with pytest.raises(UserError, match="本局名称"):
        services.certificates.honour_certificates([record["a"]], "优秀")


def test_rated_list_shows_the_figures_behind_each_rating(services, record, tmp_path):
    from openpyxl import load_workbook

    stars = services.stars
    stars.recompute("volunteer", 2026)
    stars.set_manual("volunteer", record["b"], 2026, 3, "局务会议定为三星")
    rows = {r.name: r for r in stars.rated("volunteer", 2026)}
    a = rows["𠮷祥"]
    assert (a.hours, a.activities, a.score, a.level, a.manual) == (41.0, 7, None, 2, False)
    b = rows["李桂兰"]
    assert (b.hours, b.activities, b.level, b.manual, b.basis) == (5.0, 1, 3, True, "局务会议定为三星")
    assert [r.name for r in stars.rated("volunteer", 2026, min_level=3)] == ["李桂兰"]
    stars.recompute("team", 2026)
    (team,) = stars.rated("team", 2026)
    assert (team.name, team.unit, team.hours, team.activities, team.level) == (
        "光明社区银发管家志愿服务队",
        "光明社区",
        144.0,
        6,
        1,
    )

    path = tmp_path / "星级.xlsx"
    assert services.market_export.ratings(path, "volunteer", 2026) == 2
    sheet = load_workbook(path).active
    assert sheet.title == "2026年志愿者星级"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["姓名", "单位"]
    assert values[1][0] == "李桂兰" and "三星级" in values[1] and "是" in values[1]
    assert values[2][0] == "𠮷祥" and "二星级" in values[2] and 41 in values[2]


def test_award_status_tells_what_is_still_to_be_credited(services, record):
    points = services.points
    services.settings.update({"points_per_hour": "1.5"})
    status = points.award_status(D(2026, 1, 1), D(2026, 12, 31))
    assert (status.pending, status.pending_hours, status.pending_points, status.done, status.rate) == (
        8,
        46.0,
        69.0,
        0,
        1.5,
    )
    assert points.award(D(2026, 1, 1), D(2026, 6, 30)) == 6
    status = points.award_status(D(2026, 1, 1), D(2026, 12, 31))
    assert (status.pending, status.pending_points, status.done) == (2, 15.0, 6)
