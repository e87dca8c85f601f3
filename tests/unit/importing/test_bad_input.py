"""Bad input found by fuzzing, and the refused-rows workbook, through the real path (issue #16).

Every test writes a real file (.xlsx through openpyxl, .csv as bytes), runs it through
``ImportService`` into the test's SQLite file and looks at what was refused, why, and what the
database holds afterwards.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from silverdesk import paths
from silverdesk.domain.idcard import make_id_number
from silverdesk.errors import ValidationError
from silverdesk.services.hub import Services
from silverdesk.services.importing import FileRefused
from silverdesk.services.importing.plan import PlanOptions

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


def _roster_csv(path: Path, lines: list[list[str]]) -> Path:
    header = ["姓名", "性别", "身份证号", "联系电话", "备注"]
    path.write_bytes("\r\n".join(",".join(cells) for cells in [header, *lines]).encode("utf-8") + b"\r\n")
    return path


@pytest.mark.parametrize("where", ["near the start", "after 64 KiB"])
def test_control_characters_are_removed_alike_anywhere_in_a_csv_with_a_warning(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path, where: str
) -> None:
    padding = [] if where == "near the start" else [
        [f"测试{_cn(i)}", "", make_id_number("370102", dt.date(1950, 1, 1) + dt.timedelta(days=i), 11), "", ""]
        for i in range(2500)
    ]  # fmt: skip
    bad = ["张\x00建国", "男", ID_ZHANG, "138\x0012345678", "楼长\x07\x1b"]
    path = _roster_csv(tmp_path / "名册.csv", [*padding, bad])
    assert where == "near the start" or path.read_text("utf-8").index("\x00") > 65536
    before = table_counts(db_path)
    out = services.imports.run(path, kind="roster", unit_name="龙山镇")
    assert out.plan.counts["拒绝"] == 0
    row = len(padding) + 2
    warning = next(w for w in out.plan.warnings if "控制字符" in w)
    assert "有 4 个看不见的控制字符（U+0000、U+0007、U+001B）" in warning and f"第 {row} 行" in warning
    assert table_counts(db_path)["person"] == before["person"] + len(padding) + 1
    stored = dump(db_path, "person", PERSON_FIELDS + ", id", "id DESC")[0][:-1]
    assert stored == (
        "张建国", "男", "", "1956-03-01", ID_ZHANG, "", None, None, "", "", "", "13812345678", None, "",
        None, "", "在册", county["town"], "楼长", out.batch_id,
    )  # fmt: skip


def _cn(i: int) -> str:
    digits = "零一二三四五六七八九"
    return "".join(digits[int(d)] for d in str(i))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_csv_without_a_byte_order_mark_is_read(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path, encoding: str
) -> None:
    text = "姓名\t性别\t身份证号\t联系电话\t备注\r\n" + f"张建国\t男\t{ID_ZHANG}\t13812345678\t楼长\r\n"
    path = tmp_path / "名册.csv"
    path.write_bytes(text.encode(encoding))  # "Unicode 文本" as some tools save it: no BOM
    out = services.imports.run(path, kind="roster", unit_name="龙山镇")
    assert out.plan.counts["拒绝"] == 0
    assert dump(db_path, "person", PERSON_FIELDS) == [
        ("张建国", "男", "", "1956-03-01", ID_ZHANG, "", None, None, "", "", "", "13812345678", None, "",
         None, "", "在册", county["town"], "楼长", out.batch_id),
    ]  # fmt: skip


ACTIVITY_FIELDS = (
    "occurred_on, title, unit_id, category_id, theme_id, place_id, place_text, community_id, sessions, "
    "participants, hours, beneficiaries, description, order_id, source, import_batch_id"
)


def test_counts_over_their_plausible_limit_hold_the_row_until_confirmed(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["活动日期", "活动名称", "场次", "参与人次", "服务时长", "受益人次"]
    rows = [
        [dt.date(2026, 10, 15), "重阳敬老", 1, 20261015, 2, 30],  # a date typed into 参与人次
        [dt.date(2026, 10, 16), "义诊", 400, 20, 40, 100],
        [dt.date(2026, 10, 17), "理论宣讲", 366, 5000, 20000, 100000],  # every limit reached, none passed
        [dt.date(2026, 10, 18), "环境清扫", 1, 20, 30000.5, 0],
        [dt.date(2026, 10, 19), "普法", 1, 10, 20, "100001"],
    ]
    path = write_book(tmp_path / "活动.xlsx", header, rows)
    before = table_counts(db_path)
    out = services.imports.run(path, kind="activities", unit_name="龙山镇")
    refused = _refusals(out.plan)
    assert sorted(refused) == [2, 3, 5, 6]
    assert refused[2] == [
        "数字超出常见范围（参与人次“20261015”，一条活动记录通常不超过 5,000；看起来是日期 2026-10-15，"
        "可能填错了列），如确认无误，请在预览中勾选“已核对”或用 --confirm-large 导入"
    ]
    assert "（场次“400”，一条活动记录通常不超过 366）" in refused[3][0]
    assert "（服务时长“30000.5”，一条活动记录通常不超过 20,000）" in refused[5][0]
    assert "（受益人次“100001”，一条活动记录通常不超过 100,000）" in refused[6][0]
    assert out.plan.held_count == 4  # held, not refused for good: the preview asks for the confirmation
    assert [(d.kind, d.label, d.before, d.after, d.count) for d in out.plan.decisions()] == [
        ("超出常见范围", "场次", "400", "400", 1),
        ("超出常见范围", "参与人次", "20261015", "20261015", 1),
        ("超出常见范围", "服务时长", "30000.5", "30000.5", 1),
        ("超出常见范围", "受益人次", "100001", "100001", 1),
    ]
    assert table_counts(db_path)["activity"] == before["activity"] + 1
    assert dump(db_path, "activity", ACTIVITY_FIELDS) == [
        ("2026-10-17", "理论宣讲", county["town"], None, None, None, "", None, 366, 5000, 20000.0, 100000, "",
         None, "导入", out.batch_id),
    ]  # fmt: skip

    confirmed = services.imports.run(
        path, kind="activities", unit_name="龙山镇", options=PlanOptions(confirm_over_limit=True)
    )
    assert (
        confirmed.plan.counts == {"新增": 4, "更新": 0, "未变": 1, "拒绝": 0}
        and confirmed.plan.held_count == 0
    )
    assert confirmed.plan.decision_counts()["超出常见范围"] == 4
    assert confirmed.plan.row(2).reason == "参与人次“20261015”超出常见范围，已按核对无误保存"
    assert sorted(dump(db_path, "activity", ACTIVITY_FIELDS))[:2] == [
        ("2026-10-15", "重阳敬老", county["town"], None, None, None, "", None, 1, 20261015, 2.0, 30, "",
         None, "导入", confirmed.batch_id),
        ("2026-10-16", "义诊", county["town"], None, None, None, "", None, 400, 20, 40.0, 100, "",
         None, "导入", confirmed.batch_id),
    ]  # fmt: skip


def test_a_very_wide_header_is_cut_to_the_first_columns_with_a_warning(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    width = 20000
    header = ["姓名", "性别", "身份证号", "联系电话", "备注", *(f"附加{i}" for i in range(width))]
    row = ["张建国", "男", ID_ZHANG, "13812345678", "楼长", *("x" for _ in range(width))]
    path = tmp_path / "宽表.csv"
    path.write_bytes(("\r\n".join(",".join(r) for r in (header, row)) + "\r\n").encode("utf-8"))
    started = time.perf_counter()
    out = services.imports.run(path, kind="roster", unit_name="龙山镇")
    assert time.perf_counter() - started < 30  # 69 s before the cap
    assert f"表格有 {width + 5} 列有内容，只读取了前 200 列" in "".join(out.plan.warnings)
    assert len(out.plan.columns) == 200
    assert dump(db_path, "person", PERSON_FIELDS) == [
        ("张建国", "男", "", "1956-03-01", ID_ZHANG, "", None, None, "", "", "", "13812345678", None, "",
         None, "", "在册", county["town"], "楼长", out.batch_id),
    ]  # fmt: skip


def test_a_note_longer_than_a_worksheet_cell_refuses_its_row(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = _roster_csv(
        tmp_path / "名册.csv",
        [["张建国", "男", ID_ZHANG, "13812345678", "长" * 40000], ["李秀英", "女", ID_LI, "", "x" * 32767]],
    )
    out = services.imports.run(path, kind="roster", unit_name="龙山镇")
    assert _refusals(out.plan) == {
        2: [
            "备注有 40,000 个字，超过表格单元格最多能放的 32,767 个字（Excel 的上限，导出时会被截断）；"
            "请精简或把多余内容另行保存后重新导入"
        ]
    }
    assert dump(db_path, "person", PERSON_FIELDS) == [
        ("李秀英", "女", "", "1958-07-15", ID_LI, "", None, None, "", "", "", "", None, "",
         None, "", "在册", county["town"], "x" * 32767, out.batch_id),
    ]  # fmt: skip


def test_formula_cells_without_a_stored_result_are_read_empty_with_a_warning(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    header = ["姓名", "性别", "身份证号", "联系电话", "备注"]
    rows = [["张建国", "男", ID_ZHANG, "13812345678", '=CONCATENATE("楼","长")']]
    path = write_book(tmp_path / "名册.xlsx", header, rows)  # openpyxl stores no result: <f>…</f><v />
    out = services.imports.run(path, kind="roster", unit_name="龙山镇")
    assert any("表中有 1 个公式单元格没有保存计算结果" in w for w in out.plan.warnings)
    assert dump(db_path, "person", PERSON_FIELDS) == [
        ("张建国", "男", "", "1956-03-01", ID_ZHANG, "", None, None, "", "", "", "13812345678", None, "",
         None, "", "在册", county["town"], "", out.batch_id),
    ]  # fmt: skip
