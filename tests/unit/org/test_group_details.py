import datetime as dt


def test_team_detail_lists_members_captain_first_and_categories(services, county):
    a = services.people.create({"name": "张建国"})
    b = services.people.create({"name": "李桂兰"})
    cat = services.lookups.items("activity_category")[0].id
    team = services.teams.create(
        {
            "name": "光明理论宣讲队",
            "unit_id": county["street"],
            "members": [(b, "队员"), (a, "队长")],
            "categories": [cat],
        }
    )
    detail = services.teams.detail(team)
    assert detail["name"] == "光明理论宣讲队" and detail["unit_id"] == county["street"]
    assert detail["members"] == [(a, "张建国", "队长"), (b, "李桂兰", "队员")]
    assert detail["categories"] == [cat]


def test_party_org_list_and_detail(services, county):
    sec = services.people.create({"name": "王德明"})
    org = services.party_orgs.create(
        {
            "name": "城关街道离退休干部党支部",
            "org_type": "党支部",
            "unit_id": county["street"],
            "members": [(sec, "书记")],
        }
    )
    services.party_orgs.add_agreement(org, "光明社区党委", dt.date(2026, 5, 1))
    listed = services.party_orgs.list()
    assert [(o["name"], o["secretary"], o["members"], o["agreements"]) for o in listed] == [
        ("城关街道离退休干部党支部", "王德明", 1, 1)
    ]
    detail = services.party_orgs.detail(org)
    assert detail["secretary_id"] == sec and detail["members"] == [(sec, "王德明", "书记")]
    assert detail["agreements"][0][1:] == ("光明社区党委", dt.date(2026, 5, 1))
    services.party_orgs.dissolve(org)
    assert services.party_orgs.list() == [] and len(services.party_orgs.list(include_dissolved=True)) == 1


def test_overview_lists_resources_and_demands(services, county):
    team = services.teams.create({"name": "光明理论宣讲队"})
    services.resources.create({"title": "政策宣讲", "team_id": team, "area_unit_id": county["street"]})
    services.demands.create(
        {
            "title": "暑期课业辅导",
            "requester_unit_id": county["community"],
            "contact_name": "刘芳",
            "contact_phone": "13800000001",
        }
    )
    (res,) = services.overview.resources()
    assert (res.title, res.provider, res.area, res.status) == (
        "政策宣讲",
        "光明理论宣讲队",
        "城关街道",
        "可用",
    )
    (dem,) = services.overview.demands()
    assert (dem.requester, dem.contact, dem.status) == ("光明社区", "刘芳 13800000001", "待对接")
    assert services.imports.batches() == []
