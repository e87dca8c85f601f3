"""合并单位: every kind of record follows to the kept unit, counted by hand; a past month's 合计 is unchanged."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from silverdesk.db import models as m
from silverdesk.errors import Conflict, UserError
from silverdesk.services.hub import Services
from silverdesk.services.importing.resolve import Resolver
from silverdesk.services.statistics.query import DimRef, QueryService, Question

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
MEASURES = ("场次", "人员数", "队伍数", "党组织数", "阵地数")


def _fill(s: Services, county: dict[str, int]) -> dict[str, int]:
    """幸福社区 (to be merged into 光明社区) with two of every kind of record that names a unit."""
    happy = s.units.add_child(county["street"], "幸福社区")
    bright, town = county["community"], county["town"]
    lecture = s.lookups.resolve("activity_category", "理论宣讲").id
    a = s.people.create({"name": "张建国", "gender": "男", "unit_id": happy, "community_id": happy})
    s.people.create({"name": "李桂兰", "gender": "女", "unit_id": happy})
    s.people.create({"name": "王德明", "gender": "男", "unit_id": town, "community_id": happy})
    s.people.create({"name": "赵秀英", "gender": "女", "unit_id": bright})
    s.teams.create({"name": "幸福社区银发管家服务队", "unit_id": happy, "members": [(a, "队长")]})
    s.party_orgs.create({"name": "幸福社区离退休干部党支部", "org_type": "党支部", "unit_id": happy})
    s.places.create({"name": "幸福社区银龄驿站", "kind": "驿站", "unit_id": happy, "opened_on": "2026-01-01"})
    for day, unit, community in (("2026-10-08", happy, None), ("2026-10-15", happy, happy),
                                 ("2026-10-20", town, happy), ("2026-10-21", bright, None)):  # fmt: skip
        s.activities.create({"occurred_on": day, "title": "讲党课", "unit_id": unit, "community_id": community,
                             "category_id": lecture, "participants": 5})  # fmt: skip
    with s.ctx.db.session() as session:
        batch = m.ImportBatch(kind="roster", file_name="幸福社区.xlsx", file_sha256="0" * 64, unit_id=happy)
        session.add(batch)
        session.add(m.Resource(title="上门理发", area_unit_id=happy, listed_on=dt.date(2026, 9, 1)))
        session.add(m.Demand(title="老人助浴", requester_unit_id=happy, raised_on=dt.date(2026, 9, 2)))
        for unit, month in ((happy, 9), (bright, 10)):
            session.add(m.SubmittedReport(unit_id=unit, period_start=dt.date(2026, month, 1),
                                          period_end=dt.date(2026, month, 28), figures_json="{}"))  # fmt: skip
    return {**county, "happy": happy}


def _ask(s: Services) -> tuple[tuple[object, ...], dict[str, tuple[object, ...]]]:
    result = QueryService(s.ctx).ask(Question(MEASURES, *OCT, rows=(DimRef("单位", "社区村"),)))
    return result.total, {r.labels[0]: r.values for r in result.rows}


def test_merge_moves_every_kind_of_record(services: Services, county: dict[str, int]) -> None:
    s = services
    u = _fill(s, county)
    total_before, rows_before = _ask(s)
    assert rows_before["幸福社区"][0] == 2 and rows_before["光明社区"][0] == 1  # 场次 organised there

    result = s.units.merge(u["happy"], u["community"])

    assert result.counts == {
        "人员（所属单位）": 2, "人员（居住社区）": 2, "服务队": 1, "党组织": 1, "阵地": 1,
        "活动（组织单位）": 2, "活动（服务社区）": 2, "资源": 1, "需求": 1, "报送的报表": 1, "导入批次": 1,
    }  # fmt: skip
    with s.ctx.db.reader() as session:
        for model, column in ((m.Person, m.Person.unit_id), (m.Person, m.Person.community_id),
                              (m.Team, m.Team.unit_id), (m.Activity, m.Activity.community_id),
                              (m.SubmittedReport, m.SubmittedReport.unit_id)):  # fmt: skip
            assert not session.scalar(select(func.count()).select_from(model).where(column == u["happy"]))
        assert session.scalar(select(func.count()).where(m.Person.unit_id == u["community"])) == 3
    gone = s.units.get(u["happy"])
    assert gone["name"] == "幸福社区（已并入光明社区）" and gone["active"] is False
    assert s.units.find("幸福社区") == u["community"]  # files that still say 幸福社区
    with s.ctx.db.reader() as session:  # and the import's resolver reads them into 光明社区
        assert Resolver(session, s.lookups.index, create_units=False).community("幸福社区", 2) == (
            u["community"],
            "",
        )
    assert "幸福社区" not in [n.name for n in s.units.tree()]

    total_after, rows_after = _ask(s)
    assert total_after == total_before  # the past month's 合计 is the same
    assert rows_after["光明社区"][0] == 3
    entry = s.audit_log.fetch(s.audit_log.ids())[0]
    assert entry.action == "合并" and entry.summary.startswith("“幸福社区”并入“光明社区”：人员（所属单位） 2")
    with s.ctx.db.reader() as session:
        logged = json.loads(session.scalar(select(m.AuditLog.changes_json).order_by(m.AuditLog.id.desc())))
    assert logged["counts"]["活动（组织单位）"] == 2


def test_merge_refusals(services: Services, county: dict[str, int]) -> None:
    s = services
    u = _fill(s, county)
    with s.ctx.db.session() as session:  # both sent September's return
        session.add(m.SubmittedReport(unit_id=u["community"], period_start=dt.date(2026, 9, 1),
                                      period_end=dt.date(2026, 9, 28), figures_json="{}"))  # fmt: skip
    with pytest.raises(
        Conflict, match="“幸福社区”和“光明社区”都报送了 2026年09月01日至2026年09月28日 的报表"
    ):
        s.units.merge(u["happy"], u["community"])
    with pytest.raises(UserError, match="不能把上级并入下级"):
        s.units.merge(u["street"], u["community"])
    with pytest.raises(UserError, match="本级单位不能并入"):
        s.units.merge(u["root"], u["street"])
    with s.ctx.db.reader() as session:  # nothing moved
        assert session.scalar(select(func.count()).where(m.Person.unit_id == u["happy"])) == 2
