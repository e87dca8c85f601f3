import datetime as dt

import pytest

from silverdesk.errors import Conflict, ValidationError


def test_unit_tree_is_depth_first(services, county):
    tree = services.units.tree()
    assert [(n.name, n.depth) for n in tree] == [
        ("青山县", 0),
        ("城关街道", 1),
        ("光明社区", 2),
        ("龙山镇", 1),
        ("县教育局", 1),
    ]


def test_unit_rules(services, county):
    with pytest.raises(Conflict, match="已有“光明社区”"):
        services.units.create({"name": "光明社区", "kind": "社区", "parent_id": county["street"]})
    with pytest.raises(ValidationError, match="只能有一个顶级单位"):
        services.units.create({"name": "另一个县", "kind": "县"})
    with pytest.raises(ValidationError, match="自己或它的下级"):
        services.units.update(county["street"], {"parent_id": county["community"]})
    with pytest.raises(ValidationError, match="单位类型"):
        services.units.create({"name": "某单位", "kind": "公司", "parent_id": county["root"]})


def test_default_lists_and_category_matching(services):
    assert "促进乡村振兴" in services.lookups.names("activity_category")
    majors = [i for i in services.lookups.items("resource_category") if i.parent_id is None]
    minors = [i for i in services.lookups.items("resource_category") if i.parent_id is not None]
    assert (len(majors), len(minors)) == (10, 25)
    assert services.lookups.resolve("activity_category", "乡村振兴").name == "促进乡村振兴"
    assert services.lookups.resolve("activity_category", "乡村振兴").how == "alias"
    assert services.lookups.resolve("activity_category", "理论宣讲").how == "exact"
    assert services.lookups.resolve("activity_category", "足球比赛") is None


def test_renamed_list_entry_still_matches_its_old_name(services):
    item = services.lookups.resolve("activity_category", "健康义诊")
    services.lookups.rename(item.id, "医疗健康服务")
    assert services.lookups.resolve("activity_category", "健康义诊").name == "医疗健康服务"


def test_team_with_members_and_roles(services, county):
    a = services.people.create({"name": "张建国"})
    b = services.people.create({"name": "李桂兰"})
    tid = services.teams.create(
        {
            "name": "光明社区银发管家志愿服务队",
            "unit_id": county["community"],
            "members": [(a, "队长"), (b, "队员")],
        }
    )
    assert services.teams.members(tid) == [(a, "张建国", "队长"), (b, "李桂兰", "队员")]
    with pytest.raises(ValidationError, match="只能有一名队长"):
        services.teams.update(tid, {"members": [(a, "队长"), (b, "队长")]})
    services.teams.retire(tid)
    assert services.teams.list() == []
    assert services.teams.list(include_retired=True)[0]["status"] == "撤销"


def test_party_org_with_secretary_and_agreement(services, county):
    sec = services.people.create({"name": "王德明", "political_status": "中共党员"})
    oid = services.party_orgs.create(
        {
            "name": "城关街道离退休干部党支部",
            "org_type": "党支部",
            "unit_id": county["street"],
            "members": [(sec, "书记")],
        }
    )
    assert services.party_orgs.get(oid)["secretary_id"] == sec
    aid = services.party_orgs.add_agreement(oid, "光明社区党委", dt.date(2026, 3, 1), county["community"])
    assert aid > 0
    with pytest.raises(ValidationError, match="类型"):
        services.party_orgs.create({"name": "某组织", "org_type": "协会"})


def test_activity_rules(services, county):
    cat = services.lookups.resolve("activity_category", "理论宣讲").id
    services.lookups.set_theme(2026, 10, "榴花红·国庆颂歌")
    aid = services.activities.create(
        {
            "occurred_on": "2026年10月8日",
            "title": "老党员讲党课",
            "unit_id": county["street"],
            "category_id": cat,
            "participants": "约30",
            "hours": "60",
            "beneficiaries": "200余人",
        }
    )
    saved = services.activities.get(aid)
    assert (saved["sessions"], saved["participants"], saved["hours"], saved["beneficiaries"]) == (
        1,
        30,
        60.0,
        200,
    )
    assert saved["theme_id"] is not None  # filled from the month's theme
    assert services.activities.likely_duplicates(dt.date(2026, 10, 8), "老党员讲党课") == [aid]
    with pytest.raises(ValidationError) as info:
        services.activities.create(
            {"occurred_on": "2026-10-09", "title": "x", "participants": -1, "hours": "很久"}
        )
    assert {e.field for e in info.value.errors} == {"participants", "hours"}
    with pytest.raises(ValidationError, match="在未来"):
        services.activities.create({"occurred_on": "2027-01-01", "title": "x"})
    services.activities.delete(aid, "重复录入")
    assert services.activities.likely_duplicates(dt.date(2026, 10, 8), "老党员讲党课") == []


def test_activity_attachment_is_kept_in_the_database(services, tmp_path):
    aid = services.activities.create({"occurred_on": "2026-10-08", "title": "义诊"})
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * 1000)
    att = services.activities.attach(aid, photo)
    assert att > 0


def test_honour_needs_exactly_one_holder(services):
    pid = services.people.create({"name": "张建国"})
    services.honours.create({"title": "全国最美志愿者", "level": "全国", "person_id": pid})
    with pytest.raises(ValidationError, match="一个对象"):
        services.honours.create({"title": "优秀", "level": "县级"})


def test_resources_and_demands(services, county):
    rid = services.resources.create({"title": "健康讲座", "capacity": "50", "area_unit_id": county["street"]})
    assert services.resources.get(rid)["listed_on"] == dt.date(2026, 11, 20)
    did = services.demands.create(
        {"title": "老年人防诈骗宣传", "urgency": "紧急", "contact_phone": "13800001111"}
    )
    assert services.demands.get(did)["status"] == "待对接"
    services.demands.retire(did)
    assert services.demands.get(did)["status"] == "撤销"


def test_hours_per_person_make_the_service_hours(services):
    acts = services.activities
    aid = acts.create(
        {"occurred_on": "2026-11-02", "title": "重阳节慰问", "participants": "12", "hours_each": "2"}
    )
    assert acts.get(aid)["hours"] == 24.0  # person-hours: what the reports add up
    named = [services.people.create({"name": n}) for n in ("张建国", "李秀英", "王明")]
    aid = acts.create(
        {"occurred_on": "2026-11-02", "title": "义务理发", "participant_ids": named, "hours_each": "1.5"}
    )
    assert (acts.get(aid)["participants"], acts.get(aid)["hours"]) == (3, 4.5)
    with pytest.raises(ValidationError, match="算服务时长要知道人数") as info:
        acts.create({"occurred_on": "2026-11-02", "title": "植树", "hours_each": "3"})
    assert [e.field for e in info.value.errors] == ["hours_each"]
    with pytest.raises(ValidationError, match="每人时长“很久”不是数字"):
        acts.create({"occurred_on": "2026-11-02", "title": "植树", "participants": 5, "hours_each": "很久"})
