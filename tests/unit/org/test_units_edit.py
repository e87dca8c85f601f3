"""设置 › 单位 in the services: add by the parent's level, rename keeps the old name, move, reorder, retire."""

from __future__ import annotations

import datetime as dt

import pytest

from silverdesk.domain.names import aliases_of
from silverdesk.domain.unit_kinds import child_kinds, kind_by_name, plan_units, split_unit_list
from silverdesk.errors import UserError, ValidationError
from silverdesk.services.hub import Services
from silverdesk.services.importing.resolve import Resolver
from silverdesk.services.statistics.query import DimRef, QueryService, Question

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def test_kinds_follow_the_parents_level_and_the_names_ending(services: Services) -> None:
    assert child_kinds("县") == child_kinds("市") == ("乡镇", "街道", "部门")
    assert child_kinds("街道") == ("社区", "村") and child_kinds("社区") == ()
    assert [kind_by_name(n) for n in ("龙山镇", "石桥乡", "城关街道", "县教育局", "县直机关工委", "县委办",
                                      "光明社区", "新华村", "别的")] == [
        "乡镇", "乡镇", "街道", "部门", "部门", "部门", "社区", "村", ""]  # fmt: skip
    assert split_unit_list("龙山镇\n 青河镇\r\n\n柳林镇、石桥乡，龙山镇\t杏花乡") == [
        "龙山镇", "青河镇", "柳林镇", "石桥乡", "杏花乡"]  # fmt: skip
    root = services.units.ensure_root("青山县")
    town = services.units.add_child(root, "龙山镇")
    village = services.units.add_child(town, "石桥村")
    assert services.units.get(town)["kind"] == "乡镇" and services.units.get(village)["kind"] == "村"
    with pytest.raises(ValidationError, match="县之下的单位只能是乡镇、街道、部门"):
        services.units.add_child(root, "光明社区", "社区")
    with pytest.raises(UserError, match="其下不能再建单位"):
        services.units.add_child(village, "一组")


def test_rename_keeps_the_old_name_for_imports(services: Services, county: dict[str, int]) -> None:
    changes = services.units.rename(county["community"], "光明里社区")
    assert changes["name"] == ["光明社区", "光明里社区"]
    assert aliases_of(str(services.units.get(county["community"])["aliases"])) == ("光明社区",)
    assert services.units.find("光明社区") == county["community"]
    with services.ctx.db.reader() as session:  # the import's resolver: the old name is an exact alias
        resolver = Resolver(session, services.lookups.index, create_units=False)
        assert resolver.community("光明社区", 2) == (county["community"], "")
    log = services.audit_log.fetch(services.audit_log.ids())
    assert log[0].summary == "修改单位：光明里社区"


def test_move_refuses_its_own_subtree_and_a_wrong_level(services: Services, county: dict[str, int]) -> None:
    units = services.units
    with pytest.raises(UserError, match="不能把“城关街道”移到它自己或它的下级单位“光明社区”之下"):
        units.move(county["street"], county["community"])
    with pytest.raises(UserError, match="社区“光明社区”不能放在县“青山县”之下"):
        units.move(county["community"], county["root"])
    units.move(county["community"], county["town"])
    assert units.get(county["community"])["parent_id"] == county["town"]
    # reorder among siblings: 县教育局 to the top
    assert [n.name for n in units.tree() if n.depth == 1] == ["城关街道", "龙山镇", "县教育局"]
    assert units.reorder(county["dept"], -1) and units.reorder(county["dept"], -1)
    assert not units.reorder(county["dept"], -1)
    assert [n.name for n in units.tree() if n.depth == 1] == ["县教育局", "城关街道", "龙山镇"]


def test_retire_hides_from_pick_lists_and_keeps_past_figures(
    services: Services, county: dict[str, int]
) -> None:
    s = services
    lecture = s.lookups.resolve("activity_category", "理论宣讲").id
    for day in ("2026-10-08", "2026-10-20"):
        s.activities.create({"occurred_on": day, "title": "讲党课", "unit_id": county["dept"],
                             "category_id": lecture, "participants": 5})  # fmt: skip
    question = Question(("场次",), *OCT, rows=(DimRef("单位", "下一级"),))
    before = QueryService(s.ctx).ask(question)
    with pytest.raises(UserError, match="下还有 1 个在用的下级单位"):
        s.units.retire(county["street"])
    with pytest.raises(UserError, match="本级单位不能停用"):
        s.units.retire(county["root"])
    s.units.retire(county["dept"])
    entry = s.audit_log.fetch(s.audit_log.ids())[0]
    assert (entry.action, entry.summary) == ("停用", "单位“县教育局”停用")
    assert "县教育局" not in [n.name for n in s.units.tree()]  # the pickers' list
    assert "县教育局" in [n.name for n in s.units.tree(include_inactive=True) if not n.active]
    after = QueryService(s.ctx).ask(question)
    assert after.total == before.total == (2,)
    assert after.value("场次", "县教育局") == 2
    s.units.reactivate(county["dept"])
    assert "县教育局" in [n.name for n in s.units.tree()]


def test_a_pasted_list_is_laid_out_as_a_tree() -> None:
    pasted = "龙山镇\t新华村\n龙山镇\t石桥村\n城关街道\n光明社区\n县教育局\n县直机关工委\n和平村\n孤山村"
    planned = plan_units(pasted)
    assert [(u.name, u.kind, u.parent) for u in planned if not u.problem] == [
        ("龙山镇", "乡镇", None), ("新华村", "村", 0), ("石桥村", "村", 0), ("城关街道", "街道", None),
        ("光明社区", "社区", 3), ("县教育局", "部门", None), ("县直机关工委", "部门", None),
    ]  # fmt: skip
    assert [(u.name, u.problem) for u in planned if u.problem] == [
        ("和平村", "社区、村请写在所属街道或乡镇的下面一行"), ("孤山村", "社区、村请写在所属街道或乡镇的下面一行")]  # fmt: skip
