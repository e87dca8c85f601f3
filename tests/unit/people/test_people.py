import datetime as dt
import json

import pytest
from sqlalchemy import select

from silverdesk.db.models import AuditLog
from silverdesk.domain.idcard import make_id_number
from silverdesk.errors import Conflict, ValidationError
from silverdesk.services.people.roster import PersonFilter

ID_ZHANG = make_id_number("370402", dt.date(1956, 3, 1), 123)  # male
ID_LI = make_id_number("370403", dt.date(1950, 7, 9), 44)  # female


def audit_rows(services, entity="person"):
    with services.ctx.db.reader() as s:
        return s.scalars(select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id)).all()


def test_create_derives_birth_and_sex_from_the_id_number(services, county):
    pid = services.people.create(
        {
            "name": "张建国",
            "id_number": ID_ZHANG,
            "unit_id": county["street"],
            "phone": "138 1234 5678",
            "community_roles": "楼长、网格员",
        }
    )
    person = services.people.detail(pid)
    assert person["birth_date"] == dt.date(1956, 3, 1)
    assert person["gender"] == "男"
    assert person["phone"] == "13812345678"
    assert sorted(person["community_roles"]) == ["楼长", "网格员"]


def test_bad_id_number_is_refused_with_a_field_message(services):
    with pytest.raises(ValidationError) as info:
        services.people.create(
            {"name": "张建国", "id_number": ID_ZHANG[:-1] + ("0" if ID_ZHANG[-1] != "0" else "1")}
        )
    assert info.value.for_field("id_number") == ["身份证号校验位不对（可能有数字录错），请核对原件"]


def test_typed_birth_date_must_agree_with_the_id(services):
    with pytest.raises(ValidationError) as info:
        services.people.create(
            {"name": "张建国", "id_number": ID_ZHANG, "birth_date": "1956-03-02", "gender": "女"}
        )
    fields = {e.field for e in info.value.errors}
    assert fields == {"birth_date", "gender"}
    assert "1956-03-01" in info.value.for_field("birth_date")[0]


def test_all_problems_are_reported_at_once(services):
    with pytest.raises(ValidationError) as info:
        services.people.create({"name": "", "phone": "12345", "birth_date": "1956-13-01"})
    assert {e.field for e in info.value.errors} == {"name", "phone", "birth_date"}


def test_one_person_per_id_number(services):
    services.people.create({"name": "张建国", "id_number": ID_ZHANG})
    with pytest.raises(Conflict, match="已登记为“张建国”"):
        services.people.create({"name": "张建军", "id_number": ID_ZHANG})


def test_update_is_audited_with_old_and_new_values(services):
    pid = services.people.create({"name": "李桂兰", "id_number": ID_LI, "phone": "13800000001"})
    changes = services.people.update(pid, {"phone": "13900000002", "address": "光明小区3号楼"})
    assert changes["phone"] == ["13800000001", "13900000002"]
    last = audit_rows(services)[-1]
    assert (last.action, last.operator) == ("修改", "测试员")
    assert json.loads(last.changes_json)["phone"] == ["13800000001", "13900000002"]
    assert last.at == dt.datetime(2026, 11, 20, 10, 0)


def test_unchanged_update_writes_no_audit(services):
    pid = services.people.create({"name": "李桂兰", "phone": "13800000001"})
    before = len(audit_rows(services))
    assert services.people.update(pid, {"phone": "138-0000-0001"}) == {}
    assert len(audit_rows(services)) == before


def test_people_are_never_deleted_only_change_status(services):
    pid = services.people.create({"name": "王德明"})
    services.people.set_status(pid, "去世", dt.date(2026, 5, 1), note="病故")
    person = services.people.detail(pid)
    assert person["status"] == "去世"
    assert person["status_changed_on"] == dt.date(2026, 5, 1)
    assert services.people.search("王德明") == []  # the default list shows 在册 only
    assert [r.name for r in services.people.search("王德明", status=None)] == ["王德明"]
    assert audit_rows(services)[-1].summary == "王德明：在册 → 去世"


@pytest.fixture
def roster(services, county):
    people = {}
    for name, number, phone in [
        ("张建国", ID_ZHANG, "13812345678"),
        ("李桂兰", ID_LI, "13987654321"),
        ("单雄信", None, "0533-2223334"),
        ("曾国藩", None, ""),
        ("𠮷祥", None, ""),
        ("张建华", None, "13700001111"),
    ]:
        people[name] = services.people.create(
            {
                "name": name,
                "id_number": number,
                "phone": phone,
                "unit_id": county["community"] if name.startswith("张") else county["dept"],
            }
        )
    return people


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("建国", {"张建国"}),
        ("张建", {"张建国", "张建华"}),
        ("zjg", {"张建国"}),
        ("ZJ", {"张建国", "张建华"}),
        ("zhangjianguo", {"张建国"}),
        ("sxx", {"单雄信"}),  # 单 read as the surname shàn
        ("zgf", {"曾国藩"}),  # 曾 read as the surname zēng
        ("𠮷", {"𠮷祥"}),
        ("1234", {"张建国"}),  # phone fragment
        ("195603", {"张建国"}),  # ID fragment
        ("0533", {"单雄信"}),
        ("123X", set()),
        ("%", set()),
    ],
)
def test_search(services, roster, query, expected):
    assert {r.name for r in services.people.search(query)} == expected


def test_filter_by_unit_includes_sub_units(services, roster, county):
    ids = services.people.search_ids(PersonFilter(unit_id=county["street"]))
    assert {r.name for r in services.people.rows_by_ids(ids)} == {"张建国", "张建华"}


def test_sorting_in_sql(services, roster):
    ids = services.people.search_ids(PersonFilter(), sort="name")
    names = [r.name for r in services.people.rows_by_ids(ids)]
    assert names.index("李桂兰") < names.index("张建国")  # by pinyin: li < zhang
    desc = services.people.search_ids(PersonFilter(), sort="name", descending=True)
    assert desc == list(reversed(ids))
