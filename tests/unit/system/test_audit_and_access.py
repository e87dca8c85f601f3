"""The audit log screen's queries and export; the operator name; the opening password."""

import datetime as dt
import zipfile

import pytest
from openpyxl import load_workbook

from silverdesk.domain.idcard import make_id_number
from silverdesk.domain.privacy import MaskPolicy
from silverdesk.errors import UserError
from silverdesk.services.system.audit import AuditFilter
from silverdesk.services.system.password import (
    ITERATIONS,
    MIN_ITERATIONS,
    SETTING,
    WrongPassword,
    check_password,
    hash_password,
)

ID = make_id_number("370402", dt.date(1956, 3, 1), 123)


@pytest.fixture
def logged(services, county):
    """A few days of changes by two clerks."""
    clock = {"now": dt.datetime(2026, 11, 18, 9, 0)}
    services.ctx.clock = lambda: clock["now"]
    services.ctx.operator = "张三"
    person = services.people.create(
        {
            "name": "王建国",
            "id_number": ID,
            "phone": "13812345678",
            "address": "城关街道光明社区3号楼2单元401",
            "unit_id": county["street"],
        }
    )
    clock["now"] = dt.datetime(2026, 11, 19, 10, 0)
    services.ctx.operator = "李四"
    services.people.update(person, {"phone": "13987654321", "notes": '=HYPERLINK("http://x","点我")'})
    clock["now"] = dt.datetime(2026, 11, 20, 11, 0)
    services.units.create({"name": "杏花乡", "kind": "乡镇", "parent_id": county["root"]})
    return person


def test_filters_and_paging(services, logged):
    q = services.audit_log
    everything = q.ids()
    assert len(everything) == q.count() >= 7
    newest = q.fetch(everything[:1])[0]
    assert newest.summary == "新增单位：杏花乡" and newest.entity_label == "单位"

    li = AuditFilter(operator="李四")
    assert {e.operator for e in q.fetch(q.ids(li))} == {"李四"}
    on_19th = q.fetch(q.ids(AuditFilter(start=dt.date(2026, 11, 19), end=dt.date(2026, 11, 19))))
    assert [e.action for e in on_19th] == ["修改"]
    change = {c.field: c for c in on_19th[0].changes}
    assert change["phone"].old == "13812345678" and change["phone"].new == "13987654321"
    assert change["phone"].label == "联系电话"

    assert q.count(AuditFilter(entity="person")) == 2
    assert q.count(AuditFilter(action="新增", entity="person")) == 1
    assert q.count(AuditFilter(text="13987654321")) == 1  # found inside the changed values
    assert q.count(AuditFilter(text="100%_")) == 0  # LIKE wildcards are literal
    assert "李四" in q.operators() and ("person", "人员") in q.entities() and "修改" in q.actions()

    pages = [q.page(AuditFilter(), page=i, size=3) for i in range(3)]
    ids = [e.id for p in pages for e in p.entries]
    assert ids == everything[: len(ids)] and pages[0].total == len(everything)
    with pytest.raises(UserError):
        q.page(AuditFilter(), size=0)
    with pytest.raises(UserError, match="开始日期晚于结束日期"):
        q.count(AuditFilter(start=dt.date(2026, 11, 20), end=dt.date(2026, 11, 1)))


def test_export_is_masked_and_formula_free_by_default(services, logged, tmp_path):
    dest = tmp_path / "操作日志.xlsx"
    written = services.audit_log.export_xlsx(AuditFilter(entity="person"), dest)
    assert written == 2
    with zipfile.ZipFile(dest) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()
    rows = [[c for c in r] for r in load_workbook(dest).active.iter_rows(values_only=True)]
    assert rows[0] == ["时间", "操作人", "操作", "对象", "编号", "摘要", "字段", "原值", "新值"]
    text = "|".join(str(v) for r in rows for v in r)
    assert ID not in text and "13812345678" not in text and "401" not in text
    assert "3704**********" in text and "138****5678" in text and "139****4321" in text
    assert '=HYPERLINK("http://x","点我")' in text  # shown as the text it is

    internal = tmp_path / "internal.xlsx"
    services.audit_log.export_xlsx(AuditFilter(entity="person"), internal, mask=MaskPolicy.off())
    plain = "|".join(str(v) for r in load_workbook(internal).active.iter_rows(values_only=True) for v in r)
    assert ID in plain and "13812345678" in plain


def test_operator_is_remembered_without_filling_the_log(services):
    assert services.operators.last() == ""
    before = services.audit_log.count()
    assert services.operators.remember("  张 三 ") == "张 三"
    assert services.operators.last() == "张 三" and services.ctx.operator == "张 三"
    services.operators.remember("李四")
    assert services.operators.last() == "李四"
    assert services.audit_log.count() == before
    with pytest.raises(UserError, match="请填写操作人"):
        services.operators.remember("   ")


def test_password_hash_format_and_constant_time_check():
    stored = hash_password("银龄2026!")
    scheme, iterations, _salt, _digest = stored.split("$")
    assert scheme == "pbkdf2_sha256" and int(iterations) == ITERATIONS >= MIN_ITERATIONS
    assert stored != hash_password("银龄2026!")  # a fresh salt each time
    assert check_password("银龄2026!", stored) and not check_password("银龄2026", stored)
    weak = hash_password("secret", iterations=1000)
    assert not check_password("secret", weak)  # below the floor: never accepted
    for broken in ("", "plain", "pbkdf2_sha256$x$y$z", "md5$1$AA==$AA=="):
        assert not check_password("x", broken)


def test_password_set_verify_change_remove(services):
    pw = services.app_password
    assert not pw.is_set() and pw.verify("anything")
    with pytest.raises(UserError, match="至少 6 位"):
        pw.set("12345")
    pw.set("初始密码123")
    assert pw.is_set() and pw.verify("初始密码123") and not pw.verify("初始密码124")
    stored = services.settings.get(SETTING)
    assert "初始密码" not in stored and stored.startswith("pbkdf2_sha256$")
    with pytest.raises(WrongPassword):
        pw.set("新密码456789", current="wrong")
    with pytest.raises(WrongPassword):
        pw.set("新密码456789")
    pw.set("新密码456789", current="初始密码123")
    assert pw.verify("新密码456789") and not pw.verify("初始密码123")
    with pytest.raises(WrongPassword):
        pw.remove("初始密码123")
    pw.remove("新密码456789")
    assert not pw.is_set()
    summaries = [
        e.summary for e in services.audit_log.fetch(services.audit_log.ids(AuditFilter(entity="setting")))
    ]
    assert summaries == ["取消开机密码", "修改开机密码", "设置开机密码"]
    assert all("pbkdf2" not in e.summary for e in services.audit_log.fetch(services.audit_log.ids()))
