"""Migration 0010 on a database written before it: the dates it can find, what it says it could not."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from silverdesk.db.connect import connect
from silverdesk.db.migrate import current_revision, head_revision, upgrade
from silverdesk.services.base import Context
from silverdesk.services.statistics.periods import month
from silverdesk.services.statistics.tables import StatisticsService
from silverdesk.services.system.check import run_check

TEAM = (
    "INSERT INTO team (id, name, brand, status, star_level, notes, founded_on, created_at, updated_at)"
    " VALUES (:id, :name, '', :status, 0, '', NULL, '2024-01-01 09:00:00', :updated)"
)
RESOURCE = (
    "INSERT INTO resource (id, title, content, provider_text, available_text, capacity, contact_phone,"
    " status, listed_on, created_at, updated_at)"
    " VALUES (:id, :title, '', '', '', 0, '', :status, '2025-01-01', '2025-01-01 09:00:00', :updated)"
)
AUDIT = (
    "INSERT INTO audit_log (at, operator, action, entity, entity_id, summary, changes_json)"
    " VALUES (:at, '王会计', :action, :entity, :id, '', :changes)"
)


@pytest.fixture
def before_0010(tmp_path):
    """A database at 0009: three teams (two 撤销: one with its audit entry, one without), three members
    without dates, three resources (撤销 with its entry, 暂停 without, 可用), a role without a date."""
    path = tmp_path / "old.sqlite"
    db = connect(path, migrate=False)
    upgrade(db, "0009", backup_dir=tmp_path / "backups")
    with db.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO unit (id, name, kind, sort_order, active, notes) VALUES (1, '青山县', '县', 0, 1, '')"
            )
        )
        for pid, name in ((1, "张建国"), (2, "李桂兰"), (3, "王德明")):
            c.execute(
                text(
                    "INSERT INTO person (id, name, name_pinyin, ethnicity, political_status, former_employer,"
                    " former_post, rank, phone, address, health, status, notes, unit_id, community_id,"
                    " registered_on) VALUES (:id, :name, '', '汉族', '群众', '', '', '', '', '', '', '在册', '', 1,"
                    " 1, :reg)"
                ),
                {"id": pid, "name": name, "reg": "2025-05-01" if pid == 1 else None},
            )
        c.execute(text(TEAM), {"id": 1, "name": "甲队", "status": "撤销", "updated": "2025-08-01 10:00:00"})
        c.execute(text(TEAM), {"id": 2, "name": "乙队", "status": "撤销", "updated": "2025-06-30 16:00:00"})
        c.execute(text(TEAM), {"id": 3, "name": "丙队", "status": "活跃", "updated": "2025-01-01 10:00:00"})
        for team, person in ((1, 1), (2, 2), (3, 3)):
            c.execute(
                text("INSERT INTO team_member (team_id, person_id, role) VALUES (:t, :p, '队员')"),
                {"t": team, "p": person},
            )
        c.execute(
            text(AUDIT),
            {
                "at": "2025-03-04 15:20:00",
                "action": "修改",
                "entity": "team",
                "id": 1,
                "changes": json.dumps({"status": ["活跃", "撤销"]}, ensure_ascii=False),
            },
        )
        c.execute(
            text(RESOURCE), {"id": 1, "title": "健康讲座", "status": "撤销", "updated": "2026-05-01 10:00:00"}
        )
        c.execute(
            text(RESOURCE), {"id": 2, "title": "法律咨询", "status": "暂停", "updated": "2026-03-15 10:00:00"}
        )
        c.execute(
            text(RESOURCE), {"id": 3, "title": "书法课", "status": "可用", "updated": "2026-03-15 10:00:00"}
        )
        c.execute(
            text(AUDIT),
            {
                "at": "2026-02-01 09:00:00",
                "action": "注销",
                "entity": "resource",
                "id": 1,
                "changes": json.dumps({"status": ["可用", "撤销"]}, ensure_ascii=False),
            },
        )
        role = c.execute(
            text("SELECT id FROM lookup WHERE kind = 'community_role' AND name = '楼长'")
        ).scalar()
        c.execute(
            text("INSERT INTO person_community_role (person_id, role_id, community_id) VALUES (1, :r, 1)"),
            {"r": role},
        )
    db.dispose()
    return path


def test_the_migration_fills_the_dates_it_can_find_and_says_what_it_could_not(before_0010):
    db = connect(before_0010)  # opening migrates, after a backup
    assert current_revision(db) == head_revision() == "0011"
    with db.engine.connect() as c:
        dissolved = dict(c.execute(text("SELECT id, dissolved_on FROM team ORDER BY id")).all())
        assert dissolved == {1: "2025-03-04", 2: "2025-06-30", 3: None}  # the log's day, else the last change
        events = c.execute(
            text(
                "SELECT resource_id, from_status, to_status, happened_on FROM resource_event ORDER BY resource_id"
            )
        ).all()
        assert [tuple(e) for e in events] == [
            (1, "可用", "撤销", "2026-02-01"),
            (2, "可用", "暂停", "2026-03-15"),
        ]
        note = c.execute(text("SELECT summary, changes_json FROM audit_log WHERE action = '数据迁移'")).one()
    unknown = json.loads(note.changes_json)["unknown"]
    assert unknown["撤销日期按最后修改日推定的服务队"] == 1
    assert unknown["状态日期按最后修改日推定的资源"] == 1
    assert unknown["入队日期不详的队员"] == 3
    assert unknown["起始日期不详的社区任职"] == 1
    assert unknown["有居住社区而无报到日期的人员"] == 2
    assert "入队日期不详的队员3" in note.summary and "一直有效" in note.summary

    ctx = Context(db, operator="测试员", clock=lambda: dt.datetime(2026, 11, 20, 10))
    stats = StatisticsService(ctx)
    # teams at the end of the month: Feb 2025 all three (no founding dates: always), July only 丙队
    assert stats.report(month(2025, 2)).table1_total.teams == 3
    assert stats.report(month(2025, 7)).table1_total.teams == 1
    assert stats.report(month(2025, 6)).table1_total.volunteers == 2  # 乙队 until 06-30, 丙队
    # 表4 of January 2026: all three resources were 可用 then; April: only 书法课
    assert stats.report(month(2026, 1)).table4.resources == 3
    assert stats.report(month(2026, 4)).table4.resources == 1
    t3 = stats.report(month(2026, 10)).table3
    assert (t3.registered, dict(t3.community_roles)["楼长"]) == (1, 1)
    check = run_check(ctx)
    assert check.ok and any(
        line.startswith("数据迁移说明：") and "入队日期不详的队员3" in line for line in check.lines()
    )
    db.dispose()


def test_after_the_migration_a_membership_can_end_and_start_again_but_not_be_open_twice(before_0010):
    db = connect(before_0010)
    with db.engine.begin() as c:
        c.execute(text("UPDATE team_member SET left_on = '2026-01-31' WHERE team_id = 3 AND person_id = 3"))
        c.execute(
            text(
                "INSERT INTO team_member (team_id, person_id, role, joined_on) VALUES (3, 3, '队长', '2026-02-01')"
            )
        )
    with pytest.raises(IntegrityError), db.engine.begin() as c:
        c.execute(text("INSERT INTO team_member (team_id, person_id, role) VALUES (3, 3, '队员')"))
    db.dispose()
