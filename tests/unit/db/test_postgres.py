"""The same services against a PostgreSQL server (skipped when SILVERDESK_TEST_PG_URL is unset)."""

import datetime as dt

import pytest

from silverdesk.domain.idcard import make_id_number
from silverdesk.errors import Conflict
from silverdesk.services import demo
from silverdesk.services.system.check import run_check

pytestmark = pytest.mark.postgres


def test_migrations_services_and_search_on_postgres(pg_services):
    svc = pg_services
    root = svc.units.ensure_root("青山县")
    street = svc.units.create({"name": "城关街道", "kind": "街道", "parent_id": root})
    number = make_id_number("370402", dt.date(1956, 3, 1), 123)
    pid = svc.people.create({"name": "单雄信", "id_number": number, "unit_id": street})
    assert svc.people.detail(pid)["gender"] == "男"
    with pytest.raises(Conflict):
        svc.people.create({"name": "别人", "id_number": number})
    assert [r.name for r in svc.people.search("sxx")] == ["单雄信"]
    assert [r.name for r in svc.people.search("0301")] == ["单雄信"]
    assert "促进乡村振兴" in svc.lookups.names("activity_category")


def test_demo_and_check_on_postgres(pg_services):
    result = demo.generate(pg_services.ctx, people=200, activities=1000)
    assert result.people == 200
    report = run_check(pg_services.ctx)
    assert report.ok, report.lines()
    assert report.counts["活动"] == 1000
    # sequences were moved past the explicit ids: a normal insert still works
    assert pg_services.people.create({"name": "新来的"}) == 201


def test_statistics_and_roll_up_on_postgres(pg_services):
    from silverdesk.services.statistics.periods import month
    from silverdesk.services.statistics.tables import StatisticsService

    svc = pg_services
    root = svc.units.ensure_root("青山县")
    town = svc.units.create({"name": "龙山镇", "kind": "乡镇", "parent_id": root})
    svc.activities.create(
        {"occurred_on": "2026-10-08", "title": "宣讲", "unit_id": town, "beneficiaries": 40}
    )
    stats = StatisticsService(svc.ctx)
    first = stats.report(month(2026, 10))
    assert [(r.unit, r.activities, r.beneficiaries) for r in first.table1] == [("龙山镇", 1, 40)]
    svc.activities.create({"occurred_on": "2026-10-09", "title": "义诊", "unit_id": town, "sessions": 2})
    assert stats.report(month(2026, 10)).table1_total.activities == 3


def test_import_commit_and_undo_on_postgres(pg_services, tmp_path):
    """The import's batch insert has its own non-SQLite branch: a roster goes in and comes out again."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["龙山镇离退休干部花名册"])
    book.active.append(["姓名", "性别", "身份证号码", "手机"])
    for i, name in enumerate(("张建国", "李秀英", "王明")):
        book.active.append(
            [name, "男", make_id_number("370402", dt.date(1956, 3, 1 + i), 123), f"1381234567{i}"]
        )
    book.save(tmp_path / "r.xlsx")
    root = pg_services.units.ensure_root("青山县")
    pg_services.units.create({"name": "龙山镇", "kind": "乡镇", "parent_id": root})
    out = pg_services.imports.run(tmp_path / "r.xlsx", kind="roster", unit_name="龙山镇")
    assert out.batch_id is not None and out.plan.counts["新增"] == 3
    assert sorted(r.name for r in pg_services.people.search("")) == ["张建国", "李秀英", "王明"]
    assert [r.name for r in pg_services.people.search("zjg")] == ["张建国"]
    assert pg_services.imports.undo(out.batch_id).deleted == 3
    assert pg_services.people.search("") == []


def test_the_roster_sorts_bytewise_whatever_the_servers_collation(pg_services):
    """name_sort is collated "C": a server collating by locale would skip the spaces between syllables."""
    from sqlalchemy import text

    from silverdesk.services.people.roster import PersonFilter

    names = ["利民", "黎明", "李明", "曹宝山", "程爱民", "崔爱民", "张三", "章三", "Anna Li", "单田芳"]
    for name in names:
        pg_services.people.create({"name": name})
    with pg_services.ctx.db.reader() as session:
        collation = session.execute(
            text(
                "SELECT collation_name FROM information_schema.columns "
                "WHERE table_name = 'person' AND column_name = 'name_sort'"
            )
        ).scalar()
    assert collation == "C"
    ids = pg_services.people.search_ids(PersonFilter(), sort="name")
    assert [r.name for r in pg_services.people.rows_by_ids(ids)] == [
        "Anna Li",
        "曹宝山",
        "程爱民",
        "崔爱民",
        "利民",
        "黎明",
        "李明",
        "单田芳",
        "张三",
        "章三",
    ]


def test_history_true_counting_on_postgres(pg_services):
    """Issue #17 on PostgreSQL: the partial unique index lets a member leave and come back in another
    role, and 表4 reads a resource's status as of the period end (correlated LIMIT subqueries)."""
    from silverdesk.services.statistics.periods import month
    from silverdesk.services.statistics.tables import StatisticsService

    svc = pg_services
    root = svc.units.ensure_root("青山县")
    street = svc.units.create({"name": "城关街道", "kind": "街道", "parent_id": root})
    people = [svc.people.create({"name": n, "unit_id": street}) for n in ("张建国", "李桂兰", "王德明")]
    team = svc.teams.create(
        {
            "name": "银发管家服务队",
            "unit_id": street,
            "founded_on": "2026-01-01",
            "members": [(p, "队员") for p in people],
        }
    )
    resource = svc.resources.create({"title": "健康讲座", "area_unit_id": street, "listed_on": "2026-09-01"})
    stats = StatisticsService(svc.ctx)
    svc.teams.update(team, {"members": [(people[0], "队长"), (people[1], "队员")]})  # 11-20
    svc.resources.retire(resource)
    october = stats.report(month(2026, 10))
    assert (october.table1_total.volunteers, october.table4.resources) == (3, 1)
    december = stats.report(month(2026, 12))
    assert (december.table1_total.volunteers, december.table4.resources) == (2, 0)
    assert [m[1:] for m in svc.teams.members(team)] == [("张建国", "队长"), ("李桂兰", "队员")]


def test_migration_0010_fills_dates_on_postgres():
    """A PostgreSQL database at 0009 with a 撤销 team and a 暂停 resource migrates to head with their dates."""
    import uuid

    from sqlalchemy import create_engine, text

    from silverdesk.db.connect import connect
    from silverdesk.db.migrate import upgrade
    from tests.conftest import PG_URL, _pg_admin_url

    if not PG_URL:
        pytest.skip("SILVERDESK_TEST_PG_URL not set: no PostgreSQL server for this run")
    name = f"sdtest_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        db = connect(_pg_admin_url(name), migrate=False)
        upgrade(db, "0009")
        changed = dt.datetime(2025, 6, 30, 16)
        with db.engine.begin() as c:
            c.execute(
                text(
                    "INSERT INTO team (id, name, brand, status, star_level, notes, updated_at)"
                    " VALUES (1, '乙队', '', '撤销', 0, '', :at)"
                ),
                {"at": changed},
            )
            c.execute(
                text(
                    "INSERT INTO resource (id, title, content, provider_text, available_text, capacity,"
                    " contact_phone, status, listed_on, updated_at) VALUES (1, '法律咨询', '', '', '', 0, '',"
                    " '暂停', :listed, :at)"
                ),
                {"listed": dt.date(2025, 1, 1), "at": changed},
            )
        db.dispose()
        db = connect(_pg_admin_url(name))
        with db.engine.connect() as c:
            assert c.execute(text("SELECT dissolved_on FROM team")).scalar() == dt.date(2025, 6, 30)
            assert tuple(
                c.execute(text("SELECT from_status, to_status, happened_on FROM resource_event")).one()
            ) == (
                "可用",
                "暂停",
                dt.date(2025, 6, 30),
            )
            assert c.execute(text("SELECT count(*) FROM audit_log WHERE action = '数据迁移'")).scalar() == 1
        db.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
