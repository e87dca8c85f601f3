"""Names sort as a Chinese phone book sorts them: full pinyin, then tones, then code point — in Python,
in SQL over the roster, in the team and party-organisation lists and their members."""

from __future__ import annotations

import json

import pypinyin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from silverdesk.db.models import AuditLog, Person
from silverdesk.domain.pinyin import SURNAMES, collation_key, name_sort_key
from silverdesk.services.people.roster import PersonFilter

PHONE_BOOK = ["安宁", "曹宝山", "程爱民", "崔爱民", "利民", "黎明", "李明", "利明", "李明华", "林一", "女娲", "单田芳",
              "曾国藩", "张三", "章三", "赵一"]  # fmt: skip
"""In the order a phone book lists them: li min before li ming; 黎 lí, 李 lǐ, 利 lì; 单 shàn and 曾 zēng
read as surnames."""


def _reference(name: str) -> tuple[list[str], list[int], str]:
    """What the order means, from pypinyin itself: (syllables, tones, the name) compared as tuples.

    A listed surname reads as a surname; ü compares as u, its tones after u's (+5); neutral tone 5.
    """
    toned: list[str] = []
    rest = name
    for surname in (name[:2], name[:1]):
        if surname in SURNAMES and len(name) > len(surname):
            toned += SURNAMES[surname][0].split()
            rest = name[len(surname) :]
            break
    toned += [s[0] for s in pypinyin.pinyin(rest, style=pypinyin.Style.TONE3, neutral_tone_with_five=True)]
    syllables = [s[:-1].replace("v", "u") for s in toned]
    tones = [int(s[-1]) + (5 if "v" in s else 0) for s in toned]
    return syllables, tones, name


def test_explicit_phone_book_order():
    assert sorted(reversed(PHONE_BOOK), key=name_sort_key) == PHONE_BOOK
    assert (
        name_sort_key("曹宝山") < name_sort_key("程爱民") < name_sort_key("崔爱民")
    )  # cao < cheng < cui, not initials
    assert name_sort_key("张三") < name_sort_key("章三")  # same pinyin and tones: 张 U+5F20 before 章 U+7AE0
    assert name_sort_key("利民") < name_sort_key(
        "黎明"
    )  # the full pinyin first: li min < li ming, whatever the tones
    assert name_sort_key("黎明") < name_sort_key("李明") < name_sort_key("利明")  # then the tones: lí, lǐ, lì
    assert name_sort_key("利明") < name_sort_key("李明华")  # a shorter name before a longer one it begins


def test_polyphonic_surnames_sort_by_their_surname_reading():
    keys = {n: name_sort_key(n) for n in ("曾国藩", "单田芳", "仇英", "单于乐", "曾经")}
    assert keys["曾国藩"].startswith("zeng guo fan ")  # not céng
    assert keys["单田芳"].startswith("shan tian fang ")  # not dān
    assert keys["仇英"].startswith("qiu ying ")  # not chóu
    assert keys["单于乐"].startswith("chan yu ")  # the two-character surname
    assert sorted(["张三", "曾国藩", "蔡明"], key=name_sort_key) == [
        "蔡明",
        "曾国藩",
        "张三",
    ]  # cai < zeng < zhang
    assert collation_key("曾经").startswith("ceng jing ")  # not a person's name: the word's reading


def test_numbers_letters_and_signs():
    teams = ["服务队12", "服务队3", "服务队4", "服务队", "A组", "夕阳红服务队"]
    assert sorted(teams, key=collation_key) == [
        "A组",
        "服务队",
        "服务队3",
        "服务队4",
        "服务队12",
        "夕阳红服务队",
    ]
    assert sorted(["阿依古丽·买买提", "阿依古丽买买提"], key=name_sort_key) == [
        "阿依古丽·买买提",
        "阿依古丽买买提",
    ]
    assert sorted(["", "王", "𠮷祥", "John Smith"], key=name_sort_key)[:2] == ["", "John Smith"]


HAN = "安阿曹程崔李利林明民华一女努绿吕张章三赵宝山爱国平长重行乐单曾仇区朴盖解查秀兰英强文"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=HAN, min_size=1, max_size=3), min_size=2, max_size=12))
def test_the_key_orders_as_pinyin_then_tones_then_code_points(names):
    assert sorted(names, key=name_sort_key) == sorted(names, key=_reference)


@given(st.text(alphabet=HAN + "ab1·", max_size=6), st.text(alphabet=HAN + "ab1·", max_size=6))
def test_keys_of_different_texts_differ(a, b):
    assert (collation_key(a) == collation_key(b)) == (a == b)


# ---- stored and sorted in SQL -------------------------------------------------------------------
def test_the_roster_sorts_in_sql_by_the_stored_key(services):
    shuffled = PHONE_BOOK[5:] + PHONE_BOOK[:5]
    for name in shuffled:
        services.people.create({"name": name})
    ids = services.people.search_ids(PersonFilter(), sort="name")
    assert [r.name for r in services.people.rows_by_ids(ids)] == PHONE_BOOK
    down = services.people.search_ids(PersonFilter(), sort="name", descending=True)
    assert [r.name for r in services.people.rows_by_ids(down)] == PHONE_BOOK[::-1]
    found = services.people.search_ids(PersonFilter(query="明"), sort="name")  # a search sorts the same way
    assert [r.name for r in services.people.rows_by_ids(found)] == ["黎明", "李明", "利明", "李明华"]


def test_a_rename_moves_the_person_and_the_log_shows_only_the_name(services):
    first = services.people.create({"name": "张三"})
    services.people.create({"name": "李四"})
    services.people.update(first, {"name": "安三"})
    ids = services.people.search_ids(PersonFilter(), sort="name")
    assert [r.name for r in services.people.rows_by_ids(ids)] == ["安三", "李四"]
    with services.ctx.db.reader() as s:
        entries = s.scalars(select(AuditLog).where(AuditLog.entity == "person").order_by(AuditLog.id))
        logged = [json.loads(a.changes_json) for a in entries]
    assert logged[-1] == {"name": ["张三", "安三"]}  # the computed keys are not shown in 操作日志
    assert all("name_sort" not in c and "name_pinyin" not in c for c in logged)


def test_the_roster_import_fills_the_sort_key(services, county, tmp_path):
    from tests.unit.importing.pipeline_helpers import roster_file

    rows = [
        [i + 1, name, None, None, None, None, None, None, None, None]
        for i, name in enumerate(PHONE_BOOK[::-1])
    ]
    out = services.imports.run(roster_file(tmp_path / "r.xlsx", rows), kind="roster", unit_name="龙山镇")
    assert out.batch_id
    ids = services.people.search_ids(PersonFilter(), sort="name")
    assert [r.name for r in services.people.rows_by_ids(ids)] == PHONE_BOOK
    with services.ctx.db.reader() as s:
        assert all(
            key == name_sort_key(name) for name, key in s.execute(select(Person.name, Person.name_sort))
        )


def test_the_migration_fills_the_key_of_people_already_there(tmp_path):
    from silverdesk.db.connect import connect
    from silverdesk.db.migrate import upgrade

    db = connect(tmp_path / "old.sqlite", migrate=False)
    upgrade(db, "0006", backup_dir=tmp_path / "backups")
    with db.engine.begin() as conn:
        for i, name in enumerate(PHONE_BOOK[::-1], start=1):
            conn.execute(
                text(
                    "INSERT INTO person (id, name, name_pinyin, ethnicity, political_status, former_employer,"
                    " former_post, rank, phone, address, health, status, notes)"
                    " VALUES (:id, :name, '', '', '', '', '', '', '', '', '', '在册', '')"
                ),
                {"id": i, "name": name},
            )
    upgrade(db, "head", backup_dir=tmp_path / "backups")
    with db.engine.connect() as conn:
        names = [
            r[0]
            for r in conn.execute(text("SELECT name FROM person WHERE status = '在册' ORDER BY name_sort"))
        ]
        plan = " ".join(
            r[-1]
            for r in conn.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT id FROM person WHERE status = '在册' ORDER BY name_sort LIMIT 40"
                )
            )
        )
    assert names == PHONE_BOOK
    assert (
        "ix_person_status_name_sort" in plan and "TEMP B-TREE" not in plan
    )  # first rows straight from the index
    db.dispose()


# ---- teams, party organisations, their members --------------------------------------------------
@pytest.fixture
def groups(services, county):
    people = {n: services.people.create({"name": n}) for n in ("张三", "崔爱民", "曹宝山", "程爱民", "章三")}
    for name in ("夕阳红服务队", "服务队12", "服务队3", "阿姨帮帮团"):
        services.teams.create(
            {"name": name, "unit_id": county["street"], "members": [(people[n], "队员") for n in people]}
        )
    for name in (
        "中共青山县老干部局离退休干部第二支部委员会",
        "城关街道老干部党支部",
        "白马社区离退休党支部",
    ):
        services.party_orgs.create(
            {"name": name, "org_type": "党支部", "members": [(people[n], "党员") for n in people]}
        )
    return people


def test_teams_party_orgs_and_their_members_in_phone_book_order(services, groups):
    assert [t["name"] for t in services.teams.list()] == ["阿姨帮帮团", "服务队3", "服务队12", "夕阳红服务队"]
    assert [o["name"] for o in services.party_orgs.list()] == ["白马社区离退休党支部", "城关街道老干部党支部",
                                                              "中共青山县老干部局离退休干部第二支部委员会"]  # fmt: skip
    team = services.teams.list()[0]["id"]
    assert [m[1] for m in services.teams.members(int(team))] == ["曹宝山", "程爱民", "崔爱民", "张三", "章三"]
    org = services.party_orgs.list()[0]["id"]
    members = services.party_orgs.detail(int(org))["members"]
    assert [m[1] for m in members] == ["曹宝山", "程爱民", "崔爱民", "张三", "章三"]  # type: ignore[union-attr]


def test_star_ratings_list_names_in_phone_book_order_within_a_level(services, groups):
    stars = services.stars
    for name, pid in groups.items():
        stars.set_manual("volunteer", pid, 2026, 3 if name != "张三" else 4, "年度表现突出")
    for team in services.teams.list():
        stars.set_manual("team", int(team["id"]), 2026, 2, "年度表现突出")  # type: ignore[call-overload]
    assert [r.name for r in stars.ratings("volunteer", 2026)] == [
        "张三",
        "曹宝山",
        "程爱民",
        "崔爱民",
        "章三",
    ]
    assert [r.name for r in stars.rated("volunteer", 2026)] == ["张三", "曹宝山", "程爱民", "崔爱民", "章三"]
    assert [r.name for r in stars.rated("team", 2026)] == [
        "阿姨帮帮团",
        "服务队3",
        "服务队12",
        "夕阳红服务队",
    ]
