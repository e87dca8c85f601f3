"""是否… columns that answer for another field (是否离休 → 离退休类别, 是否在册/是否去世/是否健在 → 状态).

Real rosters (.xlsx, UTF-8 .csv) go through open → read → plan → commit into the test's SQLite file;
every stored field of every person is compared. A blank answer is unknown (never the negative), an
answer that names no value (是否在册 否) or contradicts the row's own column refuses the row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from silverdesk.domain.codes import YES_NO_COLUMNS, code_table, yes_no
from silverdesk.services.hub import Services
from silverdesk.services.importing.fields import kind_spec

from .pipeline_helpers import ID_LI, ID_WANG, ID_ZHANG, write_book
from .test_code_tables import (
    ID_QIAN,
    ID_SUN,
    ID_WU,
    ID_ZHAO,
    ID_ZHOU,
    compare,
    expected_person,
    import_file,
    pairs,
)

BORN = {ID_ZHANG: dt.date(1956, 3, 1), ID_LI: dt.date(1958, 7, 15), ID_WANG: dt.date(1960, 1, 1),
        ID_ZHAO: dt.date(1952, 11, 3), ID_SUN: dt.date(1954, 5, 6), ID_QIAN: dt.date(1955, 6, 7),
        ID_ZHOU: dt.date(1957, 8, 9), ID_WU: dt.date(1959, 9, 10)}  # fmt: skip
FEMALE = {ID_LI, ID_ZHAO, ID_ZHOU}


def person(unit: int, number: str, **fields: object) -> dict[str, object]:
    return expected_person(unit, id_number=number, birth_date=BORN[number],
                           gender="女" if number in FEMALE else "男", **fields)  # fmt: skip


def test_every_yes_no_column_is_a_roster_field_read_with_the_one_yes_no_table() -> None:
    roster = kind_spec("roster")
    for column in YES_NO_COLUMNS:
        assert roster.field(column.key).type == "yes_no"
        assert roster.field(column.target).type != "yes_no"
    assert code_table("yes_no").normal("√") == "是" and yes_no("√") is True and yes_no("") is None


def test_lixiu_and_alive_columns_fill_retirement_type_and_status(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["序号", "姓名", "身份证号", "是否离休", "是否健在"]
    rows = [
        [1, "张建国", ID_ZHANG, "√", "是"],  # 健在 是 says nothing of 在册/迁出: the default 在册
        [2, "李秀英", ID_LI, "否", "否"],
        [3, "王明", ID_WANG, None, None],  # blank: unknown, not 退休
        [4, "赵桂兰", ID_ZHAO, "Y", "×"],
    ]
    path = write_book(tmp_path / "名册.xlsx", header, rows)
    plan, batch = import_file(services, path)
    assert batch > 0 and plan.counts == {"新增": 4, "更新": 0, "未变": 0, "拒绝": 0}
    assert pairs(plan) == {
        ("离退休类别", "是否离休：√", "离休"): 1, ("离退休类别", "是否离休：否", "退休"): 1,
        ("离退休类别", "是否离休：Y", "离休"): 1, ("状态", "是否健在：否", "去世"): 1, ("状态", "是否健在：×", "去世"): 1,
    }  # fmt: skip
    town = county["town"]
    compare(path.name, {name: i + 2 for i, (_, name, *_) in enumerate(rows)}, db_path, {
        "张建国": person(town, ID_ZHANG, retirement_type="离休"),
        "李秀英": person(town, ID_LI, retirement_type="退休", status="去世"),
        "王明": person(town, ID_WANG),
        "赵桂兰": person(town, ID_ZHAO, retirement_type="离休", status="去世"),
    })  # fmt: skip


def test_answers_contradicting_the_row_or_naming_no_status_refuse_it(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    lines = [
        "姓名,身份证号,离退休类别,是否离休,状态,是否在册",
        f"孙立,{ID_SUN},退休,是,,",  # 是否离休 是 against 退休
        f"钱进,{ID_QIAN},离休,是,,否",  # 否: 去世 or 迁出? refused, not stored as 在册
        f"周红,{ID_ZHOU},,否,迁出,否",  # the 状态 column says which
        f"吴刚,{ID_WU},退休,否,去世,是",  # 在册 against 去世
        f"张建国,{ID_ZHANG},,,,是",
    ]
    path = tmp_path / "名册.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    plan, _batch = import_file(services, path)
    assert plan.counts == {"新增": 2, "更新": 0, "未变": 0, "拒绝": 3}
    assert {row: (issue.column_label, issue.reason) for row, issue in plan.issues()} == {
        2: ("是否离休", "是否离休“是”与离退休类别“退休”不一致，请核对后改正其中一个"),
        3: ("是否在册", "是否在册“否”没有说明是去世还是迁出；请在“状态”列写明“去世”或“迁出”后重新导入"),
        5: ("是否在册", "是否在册“是”与状态“去世”不一致，请核对后改正其中一个"),
    }
    assert pairs(plan) == {  # 周红's 是否在册 否 agrees with 迁出: no status derived
        ("离退休类别", "是否离休：否", "退休"): 1, ("状态", "是否在册：是", "在册"): 1,
    }  # fmt: skip
    town = county["town"]
    compare(path.name, {"周红": 4, "张建国": 6}, db_path, {
        "周红": person(town, ID_ZHOU, retirement_type="退休", status="迁出"),
        "张建国": person(town, ID_ZHANG),
    })  # fmt: skip


def test_a_deceased_column_marks_the_dead_and_leaves_the_living_as_the_row_says(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["姓名", "身份证号", "状态", "是否去世"]
    rows = [["张建国", ID_ZHANG, None, "是"], ["李秀英", ID_LI, "迁出", "否"], ["王明", ID_WANG, None, "否"]]
    path = write_book(tmp_path / "名册.xlsx", header, rows)
    plan, _batch = import_file(services, path)
    assert plan.counts["新增"] == 3 and pairs(plan) == {("状态", "是否去世：是", "去世"): 1}
    town = county["town"]
    compare(path.name, {"张建国": 2, "李秀英": 3, "王明": 4}, db_path, {
        "张建国": person(town, ID_ZHANG, status="去世"),
        "李秀英": person(town, ID_LI, status="迁出"),
        "王明": person(town, ID_WANG),  # 否: alive; 在册 as every new person without a status
    })  # fmt: skip
