"""``silverdesk import`` / ``import undo`` / ``template`` through a real subprocess: JSON contract and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from silverdesk.services.hub import Services

from .pipeline_helpers import ID_LI, ID_ZHANG, table_counts

SRC = Path(__file__).resolve().parents[3] / "src"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "SILVERDESK_OPERATOR": "命令行"}
    return subprocess.run([sys.executable, "-m", "silverdesk", *args], capture_output=True, text=True, env=env,
                          timeout=300, cwd=cwd)  # fmt: skip


@pytest.fixture
def county_db(services: Services, county: dict[str, int], db_path: Path) -> Path:
    services.close()
    return db_path


def roster_with_title(path: Path) -> Path:
    """A title row and a 填报单位 row above the header: Excel row numbers differ from record indexes."""
    wb = Workbook()
    ws = wb.active
    ws.append(["龙山镇离退休干部名册"])
    ws.append(["填报单位：龙山镇", None, None, "填报日期：2026年11月1日"])
    ws.append(["序号", "姓名", "身份证号", "联系电话", "所在服务队"])
    ws.append([1, "张建国", ID_ZHANG, "13812345678", "银发先锋队"])
    ws.append([2, "李秀英", ID_LI, "1390000", None])
    ws.append([3, "王明", None, None, None])
    wb.save(path)
    return path


def test_import_json_contract_reimport_and_undo(county_db: Path, tmp_path: Path) -> None:
    path = roster_with_title(tmp_path / "龙山镇名册.xlsx")
    errors = tmp_path / "退回.xlsx"
    first = run(
        "import",
        str(path),
        "--kind",
        "roster",
        "--unit",
        "石桥镇",
        "--json",
        "--errors",
        str(errors),
        "--db",
        str(county_db),
        cwd=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    assert len(first.stdout.strip().splitlines()) == 1
    result = json.loads(first.stdout)
    contract = {
        "file",
        "kind",
        "rows_read",
        "imported",
        "updated",
        "unchanged",
        "rejected",
        "batch_id",
        "errors",
    }
    assert contract <= set(result)
    assert (result["file"], result["kind"], result["rows_read"]) == ("龙山镇名册.xlsx", "roster", 3)
    assert (result["imported"], result["updated"], result["unchanged"], result["rejected"]) == (2, 0, 0, 1)
    assert isinstance(result["batch_id"], int)
    assert result["errors"] == [
        {"row": 5, "column": "联系电话", "value": "1390000", "reason": result["errors"][0]["reason"]}
    ]
    assert "11位" in result["errors"][0]["reason"]
    assert result["created"] == ["单位“石桥镇”（属青山县）", "志愿服务队“银发先锋队”（属石桥镇）"]
    assert errors.exists()
    assert table_counts(county_db)["person"] == 2

    again = run(
        "import",
        str(path),
        "--kind",
        "roster",
        "--unit",
        "石桥镇",
        "--json",
        "--db",
        str(county_db),
        cwd=tmp_path,
    )
    second = json.loads(again.stdout)
    assert (second["imported"], second["updated"], second["unchanged"], second["rejected"]) == (0, 0, 2, 1)
    assert table_counts(county_db)["person"] == 2

    undo_second = run("import", "undo", str(second["batch_id"]), "--db", str(county_db), cwd=tmp_path)
    assert undo_second.returncode == 0, undo_second.stderr
    undo = run("import", "undo", str(result["batch_id"]), "--json", "--db", str(county_db), cwd=tmp_path)
    assert undo.returncode == 0, undo.stderr
    assert json.loads(undo.stdout)["deleted"] == 2
    assert table_counts(county_db)["person"] == 0
    twice = run("import", "undo", str(result["batch_id"]), "--db", str(county_db), cwd=tmp_path)
    assert twice.returncode == 2 and "已" in twice.stderr and "撤销" in twice.stderr


def test_dry_run_and_detected_kind_write_nothing(county_db: Path, tmp_path: Path) -> None:
    path = roster_with_title(tmp_path / "r.xlsx")
    before = table_counts(county_db)
    out = run("import", str(path), "--dry-run", "--json", "--db", str(county_db), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["kind"] == "roster" and result["batch_id"] is None and result["imported"] == 2
    assert table_counts(county_db) == before


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 this zip was cut short", b"\x00\x01\x02 junk" * 50])
def test_a_refused_file_exits_2_with_one_line_and_writes_nothing(
    county_db: Path, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(content)
    before = table_counts(county_db)
    out = run(
        "import",
        str(path),
        "--kind",
        "roster",
        "--unit",
        "新单位",
        "--json",
        "--db",
        str(county_db),
        cwd=tmp_path,
    )
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])
    assert table_counts(county_db) == before


def test_a_roster_without_a_unit_is_refused_with_the_way_to_give_one(county_db: Path, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["姓名", "身份证号", "居住社区"])
    wb.active.append(["张建国", ID_ZHANG, "新建社区"])
    wb.save(tmp_path / "名册.xlsx")
    before = table_counts(county_db)
    out = run("import", str(tmp_path / "名册.xlsx"), "--kind", "花名册", "--db", str(county_db), cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert "没有报送单位" in out.stderr and "请用 --unit 写明报送单位（如 --unit 城关街道）" in out.stderr
    assert table_counts(county_db) == before
    done = run(
        "import",
        str(tmp_path / "名册.xlsx"),
        "--kind",
        "花名册",
        "--unit",
        "城关街道",
        "--db",
        str(county_db),
        cwd=tmp_path,
    )
    assert done.returncode == 0 and "已新建：单位“新建社区”（属城关街道）" in done.stdout


def test_unknown_kind_asks_for_kind(county_db: Path, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["甲", "乙", "丙"])
    wb.active.append(["1", "2", "3"])
    wb.active.append(["4", "5", "6"])
    wb.save(tmp_path / "x.xlsx")
    out = run("import", str(tmp_path / "x.xlsx"), "--db", str(county_db), cwd=tmp_path)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    wb = Workbook()
    wb.active.append(["名称", "内容", "备注"])  # a header, but of no kind in particular
    wb.active.append(["a", "b", "c"])
    wb.save(tmp_path / "y.xlsx")
    out = run("import", str(tmp_path / "y.xlsx"), "--db", str(county_db), cwd=tmp_path)
    assert out.returncode == 2 and "--kind" in out.stderr


def test_template_command_and_report_kind(county_db: Path, tmp_path: Path, template_db: Path) -> None:
    out = run(
        "template",
        "activities",
        "--out",
        str(tmp_path / "活动模板.xlsx"),
        "--db",
        str(county_db),
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "活动模板.xlsx").exists()
    report = tmp_path / "青山县10月.xlsx"
    made = run("report", "--period", "2026-10", "--out", str(report), "--db", str(county_db), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    city = tmp_path / "city.sqlite"
    shutil.copy(template_db, city)
    svc = Services.open(city)
    svc.units.ensure_root("临川市")
    svc.close()
    first = json.loads(
        run("import", str(report), "--kind", "report", "--json", "--db", str(city), cwd=tmp_path).stdout
    )
    assert (first["kind"], first["rows_read"], first["imported"], first["updated"]) == ("report", 1, 1, 0)
    assert isinstance(first["batch_id"], int) and first["errors"] == []
    second = json.loads(
        run("import", str(report), "--kind", "report", "--json", "--db", str(city), cwd=tmp_path).stdout
    )
    assert (second["imported"], second["updated"]) == (0, 1)


def test_themes_template_filled_imported_and_undone_on_the_command_line(
    county_db: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    template = tmp_path / "月度主题模板.xlsx"
    made = run("template", "月度主题", "--out", str(template), "--db", str(county_db), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    row = next(r for r in range(2, ws.max_row + 2) if ws.cell(r, 1).value != "示例")
    for i, (month, name) in enumerate((("1月", "银龄暖冬"), (2, "新春送福"), ("十三月", "错"))):
        for col, value in enumerate((i + 1, 2027, month, name), start=1):
            ws.cell(row + i, col, value)
    wb.save(template)
    wb.close()
    out = run("import", str(template), "--kind", "themes", "--json", "--db", str(county_db), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert (result["kind"], result["imported"], result["rejected"]) == ("themes", 2, 1)
    svc = Services.open(county_db)
    assert svc.themes.names(2027) == {1: "银龄暖冬", 2: "新春送福"}
    svc.close()
    undo = run("import", "undo", str(result["batch_id"]), "--json", "--db", str(county_db), cwd=tmp_path)
    assert undo.returncode == 0, undo.stderr
    assert json.loads(undo.stdout)["deleted"] == 2
    assert table_counts(county_db)["monthly_theme"] == 0
