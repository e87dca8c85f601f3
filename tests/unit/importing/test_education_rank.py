"""文化程度 (GB/T 4658) and 职级 (the 职级 list) written the way rosters write them, through the real path.

Rosters are written as real files (.xlsx, GBK .csv), imported with open → read → plan → commit into
the test's SQLite file, and every stored field of every person is compared with what the unit meant;
the person form's service, the paste and the template read the same tables.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from silverdesk.domain import enums
from silverdesk.services.hub import Services
from silverdesk.services.importing.fields import kind_spec
from silverdesk.services.importing.layout import Column
from silverdesk.services.importing.mapping import match_columns

from .pipeline_helpers import ID_LI, ID_WANG, ID_ZHANG, write_book
from .test_code_tables import ID_QIAN, ID_SUN, ID_ZHAO, ID_ZHOU, compare, expected_person, import_file, pairs


def test_the_roster_columns_map_and_store_normal_forms(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["序号", "姓名", "身份证号", "学历", "职级"]
    rows = [
        [1, "张建国", ID_ZHANG, "本科", "正科"],
        [2, "李秀英", ID_LI, "大专", "副县级"],
        [3, "王明", ID_WANG, "硕士", "乡科级副职"],  # already the list's word: no decision
        [4, "赵桂兰", ID_ZHAO, "私塾", "调研员"],  # not in either table: kept as written, with a warning
        [5, "孙立", ID_SUN, "中技", "正处级"],
        [6, "钱进", ID_QIAN, None, None],  # blank: unknown
        [7, "周红", ID_ZHOU, "大学本科", "科员"],
    ]
    path = write_book(tmp_path / "名册.xlsx", header, rows)
    plan, batch = import_file(services, path)
    assert batch > 0 and plan.counts == {"新增": 7, "更新": 0, "未变": 0, "拒绝": 0}
    assert plan.mapping.assigned[3] == "education" and plan.mapping.assigned[4] == "rank"
    assert pairs(plan) == {
        ("文化程度", "本科", "大学本科"): 1, ("文化程度", "大专", "大学专科"): 1, ("文化程度", "硕士", "研究生"): 1,
        ("文化程度", "中技", "中专"): 1, ("职级", "正科", "乡科级正职"): 1, ("职级", "副县级", "县处级副职"): 1,
        ("职级", "正处级", "县处级正职"): 1, ("职级", "科员", "科员及以下"): 1,
    }  # fmt: skip
    assert [d.text for d in plan.decisions() if d.field == "rank"] == [
        "职级：副县级 → 县处级副职（1 行）", "职级：正处级 → 县处级正职（1 行）", "职级：正科 → 乡科级正职（1 行）",
        "职级：科员 → 科员及以下（1 行）",
    ]  # fmt: skip
    assert plan.row(5).reason == (
        "学历“私塾”不在GB/T 4658文化程度表中，按原样保存，请核对；职级“调研员”不在职级列表中，按原样保存，请核对"
    )
    town = county["town"]
    born = {ID_ZHANG: dt.date(1956, 3, 1), ID_LI: dt.date(1958, 7, 15), ID_WANG: dt.date(1960, 1, 1),
            ID_ZHAO: dt.date(1952, 11, 3), ID_SUN: dt.date(1954, 5, 6), ID_QIAN: dt.date(1955, 6, 7),
            ID_ZHOU: dt.date(1957, 8, 9)}  # fmt: skip
    female = {ID_LI, ID_ZHAO, ID_ZHOU}

    def person(number: str, **fields: str) -> dict[str, object]:
        return expected_person(town, id_number=number, birth_date=born[number],
                               gender="女" if number in female else "男", **fields)  # fmt: skip

    compare(path.name, {name: i + 2 for i, (_, name, *_) in enumerate(rows)}, db_path, {
        "张建国": person(ID_ZHANG, education="大学本科", rank="乡科级正职"),
        "李秀英": person(ID_LI, education="大学专科", rank="县处级副职"),
        "王明": person(ID_WANG, education="研究生", rank="乡科级副职"),
        "赵桂兰": person(ID_ZHAO, education="私塾", rank="调研员"),
        "孙立": person(ID_SUN, education="中专", rank="县处级正职"),
        "钱进": person(ID_QIAN),
        "周红": person(ID_ZHOU, education="大学本科", rank="科员及以下"),
    })  # fmt: skip


def test_a_renamed_rank_list_is_followed_in_a_gbk_csv(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    item = next(i for i in services.lookups.items("rank") if i.name == "乡科级正职")
    services.lookups.rename(item.id, "正科级")  # the clerk keeps the list in the county's own words
    path = tmp_path / "名册.csv"
    path.write_bytes(f"姓名,身份证号,文化程度,职级\r\n张建国,{ID_ZHANG},高中毕业,正科\r\n".encode("gbk"))
    plan, _batch = import_file(services, path)
    assert pairs(plan) == {("文化程度", "高中毕业", "高中"): 1, ("职级", "正科", "正科级"): 1}
    compare(path.name, {"张建国": 2}, db_path, {
        "张建国": expected_person(county["town"], id_number=ID_ZHANG, birth_date=dt.date(1956, 3, 1), gender="男",
                                  education="高中", rank="正科级"),
    })  # fmt: skip


def test_the_labels_units_write_map_to_education() -> None:
    for label in ("文化程度", "学历", "文化", "最高学历"):
        mapping = match_columns([Column(0, "姓名"), Column(1, label)], "roster")
        assert mapping.assigned.get(1) == "education", label
    assert kind_spec("roster").field("education").type == "code"


def test_the_form_service_and_the_paste_store_the_same_forms(
    services: Services, county: dict[str, int]
) -> None:
    people = services.people
    pid = people.create({"name": "张建国", "education": "本科", "rank": "副县"})
    detail = people.detail(pid)
    assert (detail["education"], detail["rank"]) == ("大学本科", "县处级副职")
    people.update(pid, {"education": "扫盲班", "rank": "享受副县级待遇"})  # unknown: kept as typed
    detail = people.detail(pid)
    assert (detail["education"], detail["rank"]) == ("扫盲班", "享受副县级待遇")
    people.update(pid, {"education": "", "rank": ""})
    assert (people.detail(pid)["education"], people.detail(pid)["rank"]) == ("", "")
    from silverdesk.services.importing.paste import commit_paste, plan_paste

    pasted = plan_paste(services, "people", f"姓名\t身份证号\t学历\t职级\n李秀英\t{ID_LI}\t大专\t正科级\n")
    assert not pasted.refused and commit_paste(services, pasted) == 1
    stored = people.detail(people.search("李秀英")[0].id)
    assert (stored["education"], stored["rank"]) == ("大学专科", "乡科级正职")


def test_the_roster_template_offers_the_levels(
    services: Services, county: dict[str, int], tmp_path: Path
) -> None:
    out = services.imports.write_template("roster", tmp_path / "模板.xlsx")
    wb = load_workbook(out)
    try:
        ws = wb.worksheets[0]
        header = [c.value for c in ws[1]]
        column = header.index("文化程度") + 1
        assert ws.cell(row=2, column=column).value == "大学本科"  # the example row
        validations = [
            v
            for v in ws.data_validations.dataValidation
            if ws.cell(row=3, column=column).coordinate in v.sqref
        ]
        assert validations and all(level in validations[0].formula1 for level in enums.EDUCATION_LEVELS)
    finally:
        wb.close()
