"""一人一档 (issue #18): the service gathers every section for a span; the PDF page prints the figures."""

import datetime as dt

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from silverdesk.db.models import (
    Honour,
    Lookup,
    PartyOrg,
    PartyOrgMember,
    PersonCommunityRole,
    PersonRegistration,
    PointsEntry,
    StarRating,
    Team,
    TeamMember,
)
from silverdesk.domain.privacy import MaskPolicy
from silverdesk.errors import UserError
from silverdesk.reports.profile_pdf import MAX_ACTIVITIES, write_profile_pdf


def lookup_id(services, kind, name):
    with services.ctx.db.reader() as s:
        return s.scalar(select(Lookup.id).where(Lookup.kind == kind, Lookup.name == name))


@pytest.fixture
def zhang(services, county):
    """张建国 with a talent, a current and a past team, a branch, a role held and one ended, a past and a
    current 社区报到, three activities (one before the span), two honours (one after it), points, 三星级."""
    pid = services.people.create(
        {
            "name": "张建国",
            "gender": "男",
            "birth_date": "1956-03-01",
            "political_status": "中共党员",
            "education": "大学本科",
            "former_employer": "县教育局",
            "former_post": "副局长",
            "rank": "乡科级正职",
            "unit_id": county["street"],
            "community_id": county["community"],
            "registered_on": "2025-05-01",
            "phone": "13812345678",
            "address": "光明路12号3单元",
            "talents": "文化艺术",
        }
    )
    cat = lookup_id(services, "activity_category", "理论宣讲")
    for day, title, hours in (
        ("2025-12-20", "去年的活动", 4),
        ("2026-03-05", "老党员讲党课", 3),
        ("2026-10-08", "重阳义诊", 2.5),
    ):
        services.activities.create(
            {
                "occurred_on": day,
                "title": title,
                "unit_id": county["street"],
                "category_id": cat,
                "participants": 1,
                "hours": hours,
                "participant_ids": [pid],
            }
        )
    role, grid = (
        lookup_id(services, "community_role", "楼长"),
        lookup_id(services, "community_role", "网格员"),
    )
    with services.ctx.db.session() as s:
        s.query(PersonCommunityRole).filter_by(person_id=pid).delete()
        team, old_team = Team(name="夕阳红服务队"), Team(name="银发宣讲团")
        org = PartyOrg(name="光明社区离退休干部党支部", org_type="党支部")
        s.add_all([team, old_team, org])
        s.flush()
        s.add_all(
            [
                TeamMember(team_id=team.id, person_id=pid, role="队长", joined_on=dt.date(2024, 3, 1)),
                TeamMember(
                    team_id=old_team.id,
                    person_id=pid,
                    role="队员",
                    joined_on=dt.date(2021, 1, 1),
                    left_on=dt.date(2025, 6, 30),
                ),
                PartyOrgMember(org_id=org.id, person_id=pid, role="书记", joined_on=dt.date(2020, 7, 1)),
                PersonCommunityRole(
                    person_id=pid, role_id=role, community_id=county["community"], since=dt.date(2025, 1, 1)
                ),
                PersonCommunityRole(
                    person_id=pid,
                    role_id=grid,
                    community_id=county["community"],
                    since=dt.date(2023, 1, 1),
                    until=dt.date(2024, 12, 31),
                ),
                PersonRegistration(
                    person_id=pid,
                    community_id=county["town"],
                    since=dt.date(2022, 1, 1),
                    until=dt.date(2025, 4, 30),
                ),
                Honour(
                    title="全省最美志愿者",
                    level="省级",
                    issuer="省委老干部局",
                    awarded_on=dt.date(2024, 9, 1),
                    person_id=pid,
                ),
                Honour(title="明年的荣誉", level="县级", awarded_on=dt.date(2027, 1, 1), person_id=pid),
                PointsEntry(person_id=pid, entry_date=dt.date(2025, 12, 31), points=40, kind="获得"),
                PointsEntry(person_id=pid, entry_date=dt.date(2026, 3, 5), points=30, kind="获得"),
                PointsEntry(person_id=pid, entry_date=dt.date(2026, 6, 1), points=-20, kind="兑换"),
                PointsEntry(person_id=pid, entry_date=dt.date(2026, 7, 1), points=5, kind="调整"),
                StarRating(subject="volunteer", subject_id=pid, year=2026, level=3),
            ]
        )
    return pid


def test_the_profile_has_every_section_for_the_span(services, zhang):
    p = services.profiles.profile(zhang)  # default: this year to today (2026-11-20)
    assert (p.start, p.end) == (dt.date(2026, 1, 1), dt.date(2026, 11, 20))
    assert (p.name, p.gender, p.birth_date, p.political_status) == (
        "张建国",
        "男",
        dt.date(1956, 3, 1),
        "中共党员",
    )
    assert (p.former_employer, p.former_post, p.rank, p.unit, p.community) == (
        "县教育局",
        "副局长",
        "乡科级正职",
        "城关街道",
        "光明社区",
    )
    assert p.talents == (("文化艺术", ""),)
    assert [(t.name, t.role, t.current) for t in p.teams] == [
        ("银发宣讲团", "队员", False),
        ("夕阳红服务队", "队长", True),
    ]
    assert [(o.name, o.role) for o in p.party_orgs] == [("光明社区离退休干部党支部", "书记")]
    assert [(r.role, r.until) for r in p.community_roles] == [
        ("网格员", dt.date(2024, 12, 31)),
        ("楼长", None),
    ]
    assert [(r.name, r.until) for r in p.registrations] == [
        ("龙山镇", dt.date(2025, 4, 30)),
        ("光明社区", None),
    ]
    assert [(a.title, a.hours) for a in p.activities] == [("老党员讲党课", 3.0), ("重阳义诊", 2.5)]
    assert (p.activity_count, p.activity_hours) == (2, 5.5)
    assert [h.title for h in p.honours] == ["全省最美志愿者"]  # the 2027 one is after the span
    pts = p.points
    assert (pts.opening, pts.earned, pts.redeemed, pts.adjusted, pts.entries, pts.closing) == (
        40,
        30,
        -20,
        5,
        3,
        55,
    )
    assert (p.star_year, p.star_level) == (2026, 3)
    last_year = services.profiles.profile(zhang, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert [a.title for a in last_year.activities] == ["去年的活动"]
    assert last_year.star_level is None and last_year.points.closing == 40


def test_a_span_backwards_is_refused(services, zhang):
    with pytest.raises(UserError, match="晚于"):
        services.profiles.profile(zhang, dt.date(2026, 5, 1), dt.date(2026, 4, 1))


def pdf_text(path):
    reader = PdfReader(str(path))
    return len(reader.pages), "".join(page.extract_text() for page in reader.pages)


def test_the_pdf_page_prints_the_figures_with_the_phone_masked(services, zhang, tmp_path):
    profile = services.profiles.profile(zhang)
    pages, text = pdf_text(write_profile_pdf(profile, tmp_path / "一人一档.pdf"))
    assert pages == 1
    for expected in (
        "张建国",
        "1956-03-01",
        "中共党员",
        "县教育局",
        "乡科级正职",
        "光明社区",
        "文化艺术",
        "三星级",
        "夕阳红服务队",
        "队长",
        "银发宣讲团",
        "光明社区离退休干部党支部",
        "楼长",
        "网格员",
        "龙山镇",
        "老党员讲党课",
        "重阳义诊",
        "共 2 项，服务时长 5.5 小时",
        "全省最美志愿者",
        "期末余额 55 分",
        "兑换 20 分",
        "138****5678",
    ):
        assert expected in text, expected
    assert "13812345678" not in text and "12号" not in text
    _, full = pdf_text(write_profile_pdf(profile, tmp_path / "full.pdf", mask=MaskPolicy.off()))
    assert "13812345678" in full


def test_many_activities_still_fit_one_page_with_the_count_and_hours(services, zhang, tmp_path):
    import dataclasses

    from silverdesk.reports.profile import ProfileActivity

    profile = services.profiles.profile(zhang)
    many = tuple(
        ProfileActivity(dt.date(2026, 1, 1) + dt.timedelta(days=i), f"活动{i:02d}", 2) for i in range(40)
    )
    busy = dataclasses.replace(profile, activities=many, activity_count=40, activity_hours=80)
    pages, text = pdf_text(write_profile_pdf(busy, tmp_path / "busy.pdf"))
    assert pages == 1
    assert "共 40 项，服务时长 80 小时" in text
    assert f"另有 {40 - MAX_ACTIVITIES} 项（{(40 - MAX_ACTIVITIES) * 2} 小时）" in text
