"""Bad input found by fuzzing, and the refused-rows workbook, through the real path (issue #16).

Every test writes a real file (.xlsx through openpyxl, .csv as bytes), runs it through
``ImportService`` into the test's SQLite file and looks at what was refused, why, and what the
database holds afterwards.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from silverdesk import paths
from silverdesk.errors import ValidationError
from silverdesk.services.hub import Services
from silverdesk.services.importing import FileRefused

from .pipeline_helpers import ID_LI, ID_WANG, ID_ZHANG, dump, table_counts, write_book

_FULL_ID = re.compile(r"\d{17}[\dXx]")
_FULL_MOBILE = re.compile(r"1[3-9]\d{9}")


def _every_text(path: Path) -> list[str]:
    """Every cell value and comment of every sheet, as text."""
    out: list[str] = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    out.append(str(cell.value))
                if cell.comment is not None:
                    out.append(cell.comment.text)
    return out


def test_errors_workbook_masks_every_personal_value_including_the_faulty_one(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["姓名", "身份证号", "联系电话", "家庭住址", "备注"]
    short_id = ID_ZHANG[:17]  # one digit lost: the faulty cell itself
    rows = [
        ["张建国", short_id, "13812345678", "光明社区12号楼3单元401室", "老伴电话13900001111"],
        ["李秀英", ID_LI, "1390000111", "青河镇张庄村三组", f"原身份证{ID_WANG}已换"],
        [None, ID_WANG, 13700001111, "城关街道光明社区5号", "无"],
    ]
    source = write_book(tmp_path / "名册.xlsx", header, rows)
    before = table_counts(db_path)
    out = services.imports.run(source, kind="roster", unit_name="龙山镇", dry_run=True)
    assert out.plan.counts["拒绝"] == 3
    assert table_counts(db_path) == before
    book = services.imports.write_errors(out.plan, tmp_path / "退回.xlsx")
    texts = _every_text(book)
    joined = "\n".join(texts)
    assert not _FULL_ID.search(joined), joined
    assert not _FULL_MOBILE.search(joined), joined
    for secret in (short_id, "1390000111", "12号楼", "401室", "5号", "三组"):
        assert secret not in joined, secret
    ws = load_workbook(book).active
    assert ws["B2"].value == short_id[:4] + "*" * 9 + short_id[-4:]
    assert "18位" in ws["B2"].comment.text  # the reason still says what is wrong
    assert ws["D2"].value == "光明社区****" and ws["E2"].value == "老伴电话139****1111"
    assert ws["C3"].value == "139***0111" and "11位" in ws["C3"].comment.text
    assert ws["E3"].value == f"原身份证{ID_WANG[:4]}**********{ID_WANG[-4:]}已换"
    assert ws["C4"].value == "137****1111"
    # the unmasked copy, on request, for internal use
    full = load_workbook(services.imports.write_errors(out.plan, tmp_path / "内部.xlsx", mask=False)).active
    assert full["B2"].value == short_id and full["C3"].value == "1390000111"
    assert full["D2"].value == "光明社区12号楼3单元401室"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_header_only_file_is_refused_and_writes_nothing(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path, suffix: str
) -> None:
    header = ["姓名", "性别", "身份证号", "联系电话"]
    if suffix == ".xlsx":
        path = write_book(tmp_path / "空名册.xlsx", header, [["填表人：张三"]], title="龙山镇离退休干部名册")
    else:
        path = tmp_path / "空名册.csv"
        path.write_bytes((",".join(header) + "\r\n,,,\r\n").encode("gbk"))
    before = table_counts(db_path)
    with pytest.raises(FileRefused) as err:
        services.imports.run(path, kind="roster", unit_name="龙山镇")
    assert err.value.code == "no_rows"
    assert "只有表头，没有数据行" in str(err.value)
    assert table_counts(db_path) == before
    assert list(paths.backups_dir().iterdir()) == []


PERSON_FIELDS = (
    "name, gender, ethnicity, birth_date, id_number, political_status, retirement_type, retired_on, "
    "former_employer, former_post, rank, phone, community_id, address, registered_on, health, status, "
    "unit_id, notes, import_batch_id"
)


def _refusals(plan) -> dict[int, list[str]]:  # type: ignore[no-untyped-def]
    return {r.row_number: [i.reason for i in r.issues or ()] for r in plan.rows if r.fate == "拒绝"}


def test_names_that_are_formulas_or_hide_bidi_controls_are_refused_in_import_and_forms(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["姓名", "性别", "身份证号", "联系电话", "备注"]
    rows = [
        ['=HYPERLINK("http://x","点此")', "男", None, None, None],
        ["+赵六", None, None, None, None],
        ["@钱七", None, None, None, None],
        ["王\u202e明", None, None, None, None],
        ["孙\x9b八", None, None, None, None],
        ["张建国", "男", ID_ZHANG, "13812345678", "楼长"],
    ]
    path = write_book(tmp_path / "名册.xlsx", header, rows)
    wb = load_workbook(path)
    wb.active["A2"].data_type = "s"  # text that looks like a formula, as exports from other systems hold
    wb.save(path)
    before = table_counts(db_path)
    out = services.imports.run(path, kind="roster", unit_name="龙山镇")
    refused = _refusals(out.plan)
    assert sorted(refused) == [2, 3, 4, 5, 6]
    assert "以“=”开头，表格软件会把它当作公式" in refused[2][0]
    assert "以“+”开头" in refused[3][0] and "以“@”开头" in refused[4][0]
    assert "U+202E" in refused[5][0] and "“王明”" in refused[5][0]
    assert "U+009B" in refused[6][0]
    after = table_counts(db_path)
    assert after["person"] == before["person"] + 1
    assert dump(db_path, "person", PERSON_FIELDS) == [
        (
            "张建国",
            "男",
            "",
            "1956-03-01",
            ID_ZHANG,
            "",
            None,
            None,
            "",
            "",
            "",
            "13812345678",
            None,
            "",
            None,
            "",
            "在册",
            county["town"],
            "楼长",
            out.batch_id,
        )
    ]
    # the same rule in the form
    for bad in ("=1+1", "@钱七", "王\u202e明"):
        with pytest.raises(ValidationError) as info:
            services.people.create({"name": bad})
        assert info.value.for_field("name")
    assert table_counts(db_path)["person"] == after["person"]
