"""LookupService.resolve: exact, alias (a whole alias, not part of the "|"-joined column), folded, strong candidate."""

from __future__ import annotations

from silverdesk.db.models import Team, Unit
from silverdesk.services.hub import Services


def test_an_alias_matches_whole_never_as_part_of_the_column(services: Services) -> None:
    lk = services.lookups
    # 理论宣讲's aliases are "政策宣讲|宣讲": "讲|宣" is in that text but is no alias
    assert lk.resolve("activity_category", "讲|宣") is None
    found = lk.resolve("activity_category", "政策宣讲")
    assert found is not None and (found.name, found.how) == ("理论宣讲", "alias")


def test_folded_and_strong_candidates_say_how_they_were_found(services: Services) -> None:
    lk = services.lookups
    found = lk.resolve("resource_category", " 法律咨询 服务 ")
    assert found is not None and (found.name, found.how) == ("法律咨询服务", "folded")
    found = lk.resolve("resource_category", "法律服务")
    assert found is not None and (found.name, found.how) == ("法律咨询服务", "similar")
    found = lk.resolve("activity_category", "法制宣传")
    assert found is not None and (found.name, found.how) == ("法治宣传", "similar")
    assert lk.resolve("activity_category", "广场舞") is None  # nothing close enough to be taken unasked


def test_index_holds_the_active_entries_with_their_aliases(services: Services) -> None:
    lk = services.lookups
    item = lk.resolve("community_role", "楼长")
    assert item is not None
    lk.rename(item.id, "楼栋长")
    index = lk.index("community_role")
    assert [e.aliases for e in index.entries if e.name == "楼栋长"] == [("楼长",)]
    lk.set_active(item.id, False)
    assert lk.resolve("community_role", "楼栋长") is None


def test_units_and_teams_are_found_by_a_remembered_alias_whole(
    services: Services, county: dict[str, int]
) -> None:
    health = services.units.create({"name": "县卫生健康局", "kind": "部门", "parent_id": county["root"]})
    team = services.teams.create({"name": "夕阳红志愿服务队", "unit_id": county["town"]})
    with services.ctx.db.session() as session:
        session.get(Unit, health).aliases = "县卫健局|卫健局"
        session.get(Team, team).aliases = "夕阳红服务队"
    assert services.units.find("县卫健局") == health
    assert services.units.find("卫健局", ("部门",)) == health
    assert services.units.find("卫健局", ("社区",)) is None
    assert services.units.find("健局|卫") is None  # part of the column is no alias
    assert services.teams.find("夕阳红服务队") == team
    assert services.teams.find("夕阳") is None


def test_a_renamed_unit_or_team_is_still_found_by_its_old_name(
    services: Services, county: dict[str, int]
) -> None:
    health = services.units.create({"name": "县卫生局", "kind": "部门", "parent_id": county["root"]})
    services.units.update(health, {"name": "县卫生健康局"})
    team = services.teams.create({"name": "夕阳红服务队", "unit_id": county["town"]})
    services.teams.update(team, {"name": "夕阳红志愿服务队"})
    assert services.units.find("县卫生局") == health
    assert services.teams.find("夕阳红服务队") == team
    services.units.update(health, {"kind": "部门"})  # no new name: nothing added
    with services.ctx.db.reader() as session:
        assert session.get(Unit, health).aliases == "县卫生局"
