"""Code tables (民族, 政治面貌, 性别, 是/否) through the real path: files → ImportService → SQLite, every field compared.

Each roster is written the way units write it (short 民族, 党员 for 中共党员, 男性/1/2, a 是否党员
column with √/×/Y/N/是/否 instead of 政治面貌), imported with open → read → plan → commit into a
real SQLite file, and every stored field of every person is compared with what the unit meant.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from silverdesk.domain import enums
from silverdesk.domain.codes import code_table, yes_no
from silverdesk.domain.idcard import make_id_number
from silverdesk.errors import ValidationError
from silverdesk.services.hub import Services
from silverdesk.services.importing.plan import ImportPlan

from .pipeline_helpers import ID_LI, ID_WANG, ID_ZHANG, write_book

SRC = Path(__file__).resolve().parents[3] / "src"
ID_ZHAO = make_id_number("370102", dt.date(1952, 11, 3), 224)  # female
ID_SUN = make_id_number("370102", dt.date(1954, 5, 6), 115)  # male
ID_QIAN = make_id_number("370102", dt.date(1955, 6, 7), 117)  # male
ID_ZHOU = make_id_number("370102", dt.date(1957, 8, 9), 246)  # female
ID_WU = make_id_number("370102", dt.date(1959, 9, 10), 119)  # male

SKIPPED = {"id", "name_pinyin", "name_sort", "import_batch_id", "created_at", "updated_at"}
"""Bookkeeping the import computes (pinyin keys, the batch, timestamps): checked elsewhere, not what the unit wrote."""

DEFAULTS: dict[str, Any] = {
    "gender": None, "ethnicity": "", "birth_date": None, "id_number": None, "political_status": "", "education": "",
    "retirement_type": None, "retired_on": None, "former_employer": "", "former_post": "", "rank": "",
    "phone": "", "community_id": None, "address": "", "registered_on": None, "health": "", "status": "在册",
    "status_changed_on": None, "notes": "",
}  # fmt: skip


def expected_person(unit_id: int, **fields: Any) -> dict[str, Any]:
    return {**DEFAULTS, "unit_id": unit_id, **fields}


def stored_people(db_path: Path) -> dict[str, dict[str, Any]]:
    con = sqlite3.connect(db_path)
    con.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in con.execute("SELECT * FROM person")]
    finally:
        con.close()
    return {r["name"]: r for r in rows}


def compare(file_name: str, rows: dict[str, int], db_path: Path, expected: dict[str, dict[str, Any]]) -> None:
    """Every stored field of every person equals the expectation; a mismatch names file, row and field."""
    stored = stored_people(db_path)
    assert set(stored) == set(expected), f"{file_name}: stored {sorted(stored)}, expected {sorted(expected)}"
    mismatches = []
    for name, want in expected.items():
        got = stored[name]
        columns = set(got) - SKIPPED - {"name"}
        assert columns == set(want), f"{file_name}: fields not compared: {sorted(columns ^ set(want))}"
        for column in sorted(columns):
            value = want[column]
            value = value.isoformat() if isinstance(value, dt.date) else value
            if got[column] != value:
                mismatches.append(
                    f"{file_name} 第 {rows[name]} 行 {name} {column}: 存为 {got[column]!r}，应为 {value!r}"
                )
    assert not mismatches, "\n".join(mismatches)


def import_file(services: Services, path: Path, unit: str = "龙山镇") -> tuple[ImportPlan, int]:
    """open → read → plan → commit, as the wizard does."""
    imports = services.imports
    opened = imports.open_file(path)
    prepared = imports.read(opened, kind="roster", unit_name=unit)
    assert not prepared.mapping.missing_required
    plan = imports.plan(prepared)
    return plan, imports.commit(plan)


def pairs(plan: ImportPlan) -> dict[tuple[str, str, str], int]:
    return {(c.label, c.before, c.after): c.count for c in plan.normalised()}


def test_the_tables_hold_the_standard_forms_and_the_apps_own() -> None:
    ethnicity = code_table("ethnicity")
    assert len(ethnicity.forms) == 56 and ethnicity.forms[:3] == ("汉族", "蒙古族", "回族")
    assert set(enums.ETHNICITIES_COMMON) <= set(ethnicity.forms)
    assert {ethnicity.normal(s) for s in ("汉", " 汉 ", "汉族")} == {"汉族"}
    assert ethnicity.normal("维吾尔") == "维吾尔族" and ethnicity.normal("蒙古") == "蒙古族"
    status = code_table("political_status")
    assert set(enums.POLITICAL_STATUSES) <= set(status.forms)  # the forms the app stores stay the forms
    assert enums.PARTY_MEMBER_STATUS == status.normal("党员") == status.normal("共产党员") == "中共党员"
    assert status.normal("预备党员") == "中共预备党员"
    assert status.normal("民革") == "民革会员" and status.normal("九三学社") == "九三学社社员"
    assert status.normal("无党派") == "无党派人士" and status.normal("群众") == "群众"
    gender = code_table("gender")
    assert [gender.normal(s) for s in ("男", "男性", "M", "ｍ", "1", "女", "女性", "F", "2")] == list(
        "男男男男男女女女女"
    )
    assert gender.normal("未知") is None
    assert [yes_no(s) for s in ("是", "√", "✓", "Y", "1", "有", "否", "×", "N", "0", "无", "", "也许")] == [
        True, True, True, True, True, True, False, False, False, False, False, None, None,
    ]  # fmt: skip


def test_a_roster_xlsx_written_the_short_way_is_stored_in_normal_forms(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["序号", "姓名", "性别", "民族", "出生年月", "身份证号", "是否党员", "原工作单位", "联系电话"]
    rows = [
        [1, "张建国", "男性", "汉", None, ID_ZHANG, "√", "县财政局", "13812345678"],
        [2, "李秀英", "女", "回", dt.date(1958, 7, 15), ID_LI, "否", "县教育局", None],
        [3, "王明", 1, "蒙古", None, ID_WANG, None, None, None],  # blank: unknown, not 群众
        [4, "赵桂兰", "2", "维吾尔族", None, ID_ZHAO, "Y", None, None],
        [5, "孙立", "男", "汉族", None, ID_SUN, "不清楚", None, None],  # refused: not a yes/no word
        [6, "钱进", "X", "汉", None, ID_QIAN, "是", None, None],  # refused: not a gender
        [7, "周红", "女", "穿青人", None, ID_ZHOU, "×", None, None],  # kept as written, with a warning
    ]
    path = write_book(tmp_path / "龙山镇名册.xlsx", header, rows)
    plan, batch = import_file(services, path)
    assert batch > 0
    assert plan.counts == {"新增": 5, "更新": 0, "未变": 0, "拒绝": 2}
    refused = {row: issue for row, issue in plan.issues()}
    assert set(refused) == {6, 7}
    assert refused[6].column_label == "是否党员" and "“不清楚”无法识别" in refused[6].reason
    assert "是" in refused[6].reason and "否" in refused[6].reason  # names the expected forms
    assert (
        refused[7].column_label == "性别" and "“X”无法识别" in refused[7].reason and "男" in refused[7].reason
    )
    assert "穿青人" in plan.row(8).reason and "按原样保存" in plan.row(8).reason
    con = sqlite3.connect(db_path)
    (logged,) = con.execute(
        "SELECT changes_json FROM audit_log WHERE entity = 'import_batch' AND entity_id = ?", (batch,)
    ).fetchone()
    con.close()
    assert {"field": "民族", "before": "汉", "after": "汉族", "rows": 1} in json.loads(logged)["normalised"]
    assert pairs(plan) == {
        ("民族", "汉", "汉族"): 1, ("民族", "回", "回族"): 1, ("民族", "蒙古", "蒙古族"): 1,
        ("性别", "男性", "男"): 1, ("性别", "1", "男"): 1, ("性别", "2", "女"): 1,
        ("政治面貌", "是否党员：√", "中共党员"): 1, ("政治面貌", "是否党员：否", "群众"): 1,
        ("政治面貌", "是否党员：Y", "中共党员"): 1, ("政治面貌", "是否党员：×", "群众"): 1,
    }  # fmt: skip
    town = county["town"]
    expected = {
        "张建国": expected_person(town, gender="男", ethnicity="汉族", birth_date=dt.date(1956, 3, 1),
                                  id_number=ID_ZHANG, political_status="中共党员", former_employer="县财政局",
                                  phone="13812345678"),
        "李秀英": expected_person(town, gender="女", ethnicity="回族", birth_date=dt.date(1958, 7, 15),
                                  id_number=ID_LI, political_status="群众", former_employer="县教育局"),
        "王明": expected_person(town, gender="男", ethnicity="蒙古族", birth_date=dt.date(1960, 1, 1),
                                id_number=ID_WANG),
        "赵桂兰": expected_person(town, gender="女", ethnicity="维吾尔族", birth_date=dt.date(1952, 11, 3),
                                  id_number=ID_ZHAO, political_status="中共党员"),
        "周红": expected_person(town, gender="女", ethnicity="穿青人", birth_date=dt.date(1957, 8, 9),
                                id_number=ID_ZHOU, political_status="群众"),
    }  # fmt: skip
    compare(path.name, {name: i + 2 for i, (_, name, *_) in enumerate(rows)}, db_path, expected)


def test_a_political_status_column_says_more_than_the_yes_no_column(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["姓名", "身份证号", "政治面貌", "是否中共党员"]
    rows = [
        ["张建国", ID_ZHANG, "民革", "否"],  # 否 and a democratic party: the party
        ["李秀英", ID_LI, None, "是"],  # only the yes/no column speaks
        ["王明", ID_WANG, "预备党员", "是"],  # a probationary member is a member
        ["赵桂兰", ID_ZHAO, "群众", "是"],  # contradiction: refused, nothing guessed
        ["孙立", ID_SUN, "共产党员", None],
        ["钱进", ID_QIAN, "无党派", "否"],
    ]
    path = write_book(tmp_path / "政治面貌.xlsx", header, rows)
    plan, _ = import_file(services, path)
    refused = {row: issue for row, issue in plan.issues()}
    assert set(refused) == {5}
    assert refused[5].column_label == "是否中共党员"
    assert "“是”与政治面貌“群众”不一致" in refused[5].reason
    town = county["town"]
    expected = {
        "张建国": expected_person(town, gender="男", birth_date=dt.date(1956, 3, 1), id_number=ID_ZHANG,
                                  political_status="民革会员"),
        "李秀英": expected_person(town, gender="女", birth_date=dt.date(1958, 7, 15), id_number=ID_LI,
                                  political_status="中共党员"),
        "王明": expected_person(town, gender="男", birth_date=dt.date(1960, 1, 1), id_number=ID_WANG,
                                political_status="中共预备党员"),
        "孙立": expected_person(town, gender="男", birth_date=dt.date(1954, 5, 6), id_number=ID_SUN,
                                political_status="中共党员"),
        "钱进": expected_person(town, gender="男", birth_date=dt.date(1955, 6, 7), id_number=ID_QIAN,
                                political_status="无党派人士"),
    }  # fmt: skip
    compare(path.name, {name: i + 2 for i, (name, *_) in enumerate(rows)}, db_path, expected)
    assert pairs(plan) == {
        ("政治面貌", "民革", "民革会员"): 1, ("政治面貌", "是否中共党员：是", "中共党员"): 1,
        ("政治面貌", "预备党员", "中共预备党员"): 1, ("政治面貌", "共产党员", "中共党员"): 1,
        ("政治面貌", "无党派", "无党派人士"): 1,
    }  # fmt: skip


def test_a_yes_no_column_holding_the_status_itself_is_read_as_the_status(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["姓名", "身份证号", "党员"]
    rows = [
        ["张建国", ID_ZHANG, "党员"],
        ["李秀英", ID_LI, "预备党员"],
        ["王明", ID_WANG, "群众"],
        ["孙立", ID_SUN, "是"],
    ]
    path = write_book(tmp_path / "党员列.xlsx", header, rows)
    plan, _ = import_file(services, path)
    assert plan.counts["新增"] == 4
    town = county["town"]
    expected = {
        "张建国": expected_person(town, gender="男", birth_date=dt.date(1956, 3, 1), id_number=ID_ZHANG,
                                  political_status="中共党员"),
        "李秀英": expected_person(town, gender="女", birth_date=dt.date(1958, 7, 15), id_number=ID_LI,
                                  political_status="中共预备党员"),
        "王明": expected_person(town, gender="男", birth_date=dt.date(1960, 1, 1), id_number=ID_WANG,
                                political_status="群众"),
        "孙立": expected_person(town, gender="男", birth_date=dt.date(1954, 5, 6), id_number=ID_SUN,
                                political_status="中共党员"),
    }  # fmt: skip
    compare(path.name, {name: i + 2 for i, (name, *_) in enumerate(rows)}, db_path, expected)
    assert pairs(plan) == {
        ("政治面貌", "党员：党员", "中共党员"): 1, ("政治面貌", "党员：预备党员", "中共预备党员"): 1,
        ("政治面貌", "党员：群众", "群众"): 1, ("政治面貌", "党员：是", "中共党员"): 1,
    }  # fmt: skip


def test_a_gbk_csv_roster_is_stored_in_normal_forms(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    lines = [
        "姓名,性别,民族,身份证号,政治面貌,家庭住址",
        f"张建国,男,满,{ID_ZHANG},党员,光明小区3号楼",
        f"李秀英,女性,汉,{ID_LI},群众,",
        f"王明,M,汉,{ID_WANG},中国共产党党员,",
        f"吴刚,男,土家,{ID_WU},九三学社,",
    ]
    path = tmp_path / "城关街道名册.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    plan, _ = import_file(services, path, unit="城关街道")
    assert plan.counts["新增"] == 4 and plan.counts["拒绝"] == 0
    assert pairs(plan)[("民族", "汉", "汉族")] == 2
    street = county["street"]
    expected = {
        "张建国": expected_person(street, gender="男", ethnicity="满族", birth_date=dt.date(1956, 3, 1),
                                  id_number=ID_ZHANG, political_status="中共党员", address="光明小区3号楼"),
        "李秀英": expected_person(street, gender="女", ethnicity="汉族", birth_date=dt.date(1958, 7, 15),
                                  id_number=ID_LI, political_status="群众"),
        "王明": expected_person(street, gender="男", ethnicity="汉族", birth_date=dt.date(1960, 1, 1),
                                id_number=ID_WANG, political_status="中共党员"),
        "吴刚": expected_person(street, gender="男", ethnicity="土家族", birth_date=dt.date(1959, 9, 10),
                                id_number=ID_WU, political_status="九三学社社员"),
    }  # fmt: skip
    compare(path.name, {"张建国": 2, "李秀英": 3, "王明": 4, "吴刚": 5}, db_path, expected)


def test_the_person_form_uses_the_same_rule(
    services: Services, county: dict[str, int], db_path: Path
) -> None:
    person_id = services.people.create(
        {
            "name": "张建国",
            "gender": "男性",
            "ethnicity": "汉",
            "political_status": "党员",
            "unit_id": county["town"],
        }
    )
    stored = stored_people(db_path)["张建国"]
    assert (stored["id"], stored["gender"], stored["ethnicity"], stored["political_status"]) == (
        person_id, "男", "汉族", "中共党员",
    )  # fmt: skip
    with pytest.raises(ValidationError) as err:
        services.people.create({"name": "李秀英", "gender": "未知", "unit_id": county["town"]})
    assert "性别“未知”无法识别" in str(err.value) and "男、女" in str(err.value)
    services.people.update(person_id, {"ethnicity": "穿青人", "political_status": "民盟"})
    stored = stored_people(db_path)["张建国"]
    assert (stored["ethnicity"], stored["political_status"]) == ("穿青人", "民盟盟员")  # open list: kept


def test_dry_run_json_lists_the_normalised_pairs(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = write_book(
        tmp_path / "r.xlsx", ["姓名", "民族", "党员"], [["张建国", "汉", "是"], ["李秀英", "汉", ""]]
    )
    services.close()
    env = {**os.environ, "PYTHONPATH": str(SRC), "SILVERDESK_OPERATOR": "命令行"}
    args = [
        "import",
        str(path),
        "--kind",
        "roster",
        "--unit",
        "龙山镇",
        "--dry-run",
        "--json",
        "--db",
        str(db_path),
    ]
    done = subprocess.run([sys.executable, "-m", "silverdesk", *args], capture_output=True, text=True, env=env,
                          timeout=300, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["imported"] == 2 and result["batch_id"] is None
    assert result["normalised"] == [
        {"field": "民族", "before": "汉", "after": "汉族", "rows": 2},
        {"field": "政治面貌", "before": "党员：是", "after": "中共党员", "rows": 1},
    ]
    assert result["decision_counts"]["规范写法"] == 3
    assert [(d["kind"], d["before"], d["after"]) for d in result["decisions"]] == [
        ("规范写法", "汉", "汉族"),
        ("规范写法", "党员：是", "中共党员"),
    ]
    assert stored_people(db_path) == {}  # a dry run writes nothing
