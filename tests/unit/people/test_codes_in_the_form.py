"""文化程度 and 职级 through ``PeopleService`` (the person form's and the paste's path) into SQLite."""

import sqlite3

from silverdesk.services.people.roster import PERSON_SPECS


def stored(db_path, pid):
    con = sqlite3.connect(db_path)
    try:
        return con.execute("SELECT education, rank, ethnicity FROM person WHERE id = ?", (pid,)).fetchone()
    finally:
        con.close()


def test_the_form_stores_education_and_rank_in_their_normal_forms(services, county, db_path):
    assert [s.label for s in PERSON_SPECS if s.key == "education"] == ["文化程度"]
    people = services.people
    pid = people.create({"name": "张建国", "education": "大本", "rank": "正处", "ethnicity": "汉"})
    assert stored(db_path, pid) == ("大学本科", "县处级正职", "汉族")
    changes = people.update(pid, {"education": "硕士", "rank": "副科级"})
    assert changes == {
        "education": ["大学本科", "研究生"],
        "rank": ["县处级正职", "乡科级副职"],
    }  # what undo restores
    assert stored(db_path, pid) == ("研究生", "乡科级副职", "汉族")
    assert (
        people.update(pid, {"education": "研究生", "rank": "乡科级副职"}) == {}
    )  # already so: nothing changes


def test_values_the_tables_do_not_know_are_kept_as_typed(services, county, db_path):
    people = services.people
    pid = people.create({"name": "李秀英", "education": "私塾", "rank": "调研员"})
    assert stored(db_path, pid) == ("私塾", "调研员", "")
    people.update(pid, {"education": " ", "rank": ""})
    assert stored(db_path, pid) == ("", "", "")


def test_a_rank_follows_the_list_the_clerk_renamed(services, county, db_path):
    item = next(i for i in services.lookups.items("rank") if i.name == "县处级副职")
    services.lookups.rename(item.id, "副县级")
    pid = services.people.create({"name": "王明", "rank": "副处"})
    assert stored(db_path, pid)[1] == "副县级"
