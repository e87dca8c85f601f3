"""``silverdesk stats`` run as a command on a database whose figures are known: the aligned table with its
合计 row and numbers as people write them, the JSON object, the workbook and PDF, ``--list`` and the
Chinese sentences a clerk gets for a wrong measure, dimension or period."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from silverdesk.services.hub import Services
from tests.unit.statistics.query_helpers import small_county


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "silverdesk", "stats", *args],
        capture_output=True,
        text=True,
        env=os.environ,
        timeout=300,
    )


@pytest.fixture
def db(services: Services, db_path: Path) -> Path:
    u = small_county(services)
    lecture = services.lookups.resolve("activity_category", "理论宣讲").id
    elderly = services.lookups.resolve("activity_category", "为老服务").id
    act = services.activities.create
    act({"occurred_on": "2026-10-08", "title": "宣讲", "unit_id": u["community"], "category_id": lecture,
         "sessions": 1200, "participants": 12345, "hours": 98765.5, "beneficiaries": 54321})  # fmt: skip
    act({"occurred_on": "2026-10-15", "title": "走访", "unit_id": u["village"], "category_id": elderly,
         "sessions": 2, "participants": 5, "hours": 7.5, "beneficiaries": 30})  # fmt: skip
    act({"occurred_on": "2026-11-02", "title": "十一月", "unit_id": u["street"], "category_id": lecture})
    return db_path


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_table_on_screen(db: Path) -> None:
    out = run("场次,参与人次,服务时长", "--by", "单位", "--period", "2026-10", "--db", str(db))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "场次、参与人次、服务时长分组统计（全县，2026年10月）"
    body = {line.split()[0]: line.split()[1:] for line in lines[2:]}
    assert body == {
        "城关街道": ["1,200", "12,345", "98,765.5"],
        "龙山镇": ["2", "5", "7.5"],
        "合计": ["1,202", "12,350", "98,773.0"],
    }
    assert len({_width(line) for line in lines[2:]}) == 1  # right-aligned: every row ends in one column
    assert "e+" not in out.stdout


def test_json_object(db: Path) -> None:
    out = run("场次,服务时长", "--by", "服务领域", "--where", "单位=龙山镇,城关街道", "--period", "2026-10",
              "--json", "--db", str(db))  # fmt: skip
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data == {
        "scope": "全县",
        "period": "2026年10月",
        "measures": ["场次", "服务时长"],
        "dimensions": ["服务领域"],
        "rows": [{"服务领域": "理论宣讲", "场次": 1200, "服务时长": 98765.5},
                 {"服务领域": "为老服务", "场次": 2, "服务时长": 7.5}],
        "total": {"场次": 1202, "服务时长": 98773.0},
    }  # fmt: skip


def test_unit_scope_and_files(db: Path, tmp_path: Path) -> None:
    out = run(
        "场次", "--by", "单位:社区村", "--unit", "城关街道", "--period", "2026Q4", "--json", "--db", str(db)
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["scope"] == "城关街道" and data["period"] == "2026年第四季度"
    assert data["rows"] == [{"单位": "光明社区", "场次": 1200}, {"单位": "城关街道（本级）", "场次": 1}]
    xlsx, pdf = tmp_path / "场次.xlsx", tmp_path / "场次.pdf"
    for target in (xlsx, pdf):
        done = run(
            "场次,服务时长", "--by", "单位", "--period", "2026-10", "--out", str(target), "--db", str(db)
        )
        assert done.returncode == 0, done.stderr
        assert str(target) in done.stdout
    wb = load_workbook(xlsx)
    ws = wb.active
    assert ws is not None
    cells = {
        ws.cell(r, 1).value: (ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(1, ws.max_row + 1)
    }
    assert cells["城关街道"] == (1200, 98765.5) and cells["合计"] == (1202, 98773.0)
    wb.close()
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "98,765.5" in text and "1,202" in text and "编报说明" in text


def test_list_names_every_measure_with_its_rule(db: Path) -> None:
    out = run("--list", "--json", "--db", str(db))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    measures = {m["name"]: m for m in data["measures"]}
    report = ("场次", "参与人次", "服务时长", "受益人次", "志愿者数", "其中党员", "队伍数", "党组织数", "党员数",
              "共建协议数", "报到人数", "任职人数", "阵地数", "资源条目", "需求条目", "对接次数", "签约订单", "完成订单",
              "星级志愿者数", "星级服务队数", "积分", "人才数")  # fmt: skip
    assert set(report) <= set(measures)
    assert all(m["rule"] and m["unit"] and "单位" in m["dimensions"] for m in data["measures"])
    assert "人才库类别" in measures["人才数"]["dimensions"]
    dims = {d["name"]: d for d in data["dimensions"]}
    assert dims["单位"]["levels"][:2] == ["下一级单位", "区县"] and dims["阵地类型"]["rule"]
    text = run("--list", "--db", str(db)).stdout
    assert "  队伍数（支）" in text and "口径：统计时段末日存续" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("场数", "--period", "2026-10"), "没有统计指标“场数”。最接近的有：场次"),
        (("场次", "--by", "性别", "--period", "2026-10"), "“场次”不能按“性别”分组"),
        (("场次", "--period", "2026年10月"), "统计时段“2026年10月”无法识别"),
        (("场次", "--period", "2026-10", "--unit", "光明街道"), "找不到单位“光明街道”"),
        (("场次",), "请用 --period 写统计时段"),
        (("场次", "--period", "2026-10", "--out", "x.docx"), "应以 .xlsx 或 .pdf 结尾"),
    ],
)
def test_mistakes_are_told_in_chinese(db: Path, args: tuple[str, ...], message: str) -> None:
    out = run(*args, "--db", str(db))
    assert out.returncode == 2
    assert message in out.stderr, out.stderr


@pytest.fixture
def months(services: Services, db_path: Path) -> Path:
    """December 2025 and January 2026 (and a month either side, not compared)."""
    u = small_county(services)
    act = services.activities.create
    for day, unit, sessions, hours in (
        ("2025-11-30", "community", 50, 50.0),
        ("2025-12-05", "community", 4, 10.0),
        ("2025-12-20", "village", 2, 5.5),
        ("2026-01-08", "community", 5, 12.5),
        ("2026-01-15", "street", 1, 0.0),
        ("2026-01-31", "root", 3, 2.0),
        ("2026-02-01", "community", 100, 100.0),
    ):
        act({"occurred_on": day, "title": day, "unit_id": u[unit], "sessions": sessions, "hours": hours})
    return db_path


def test_compare_january_with_december(months: Path, tmp_path: Path) -> None:
    """环比 across the new year by hand — 场次: 城关街道 5+1 against 4, 龙山镇 0 against 2 (only December has
    it), 青山县 itself (本级) 3 against nothing (no rate), 合计 9 against 6; 服务时长 14.5 against 15.5."""
    args = ("场次,服务时长", "--by", "单位", "--period", "2026-01", "--compare", "环比", "--db", str(months))
    out = run(*args)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "场次、服务时长分组统计（全县，2026年1月）"
    assert lines[1].startswith("环比：本期 2026年1月，上期 2025年12月")
    assert lines[2].split() == ["单位", "场次（场）", "服务时长（小时）"]
    assert lines[3].split() == ["本期", "上期", "增减", "增长率"] * 2
    assert [line.split()[0] for line in lines[4:]] == ["城关街道", "龙山镇", "本级", "合计"]  # tree order
    body = {line.split()[0]: line.split()[1:] for line in lines[4:]}
    assert body == {
        "城关街道": ["6", "4", "+2", "+50.0%", "12.5", "10.0", "+2.5", "+25.0%"],
        "龙山镇": ["0", "2", "-2", "-100.0%", "0.0", "5.5", "-5.5", "-100.0%"],
        "本级": ["3", "0", "+3", "—", "2.0", "0.0", "+2.0", "—"],
        "合计": ["9", "6", "+3", "+50.0%", "14.5", "15.5", "-1.0", "-6.5%"],
    }
    assert len({_width(line) for line in lines[4:]}) == 1  # the figures line up

    data = json.loads(run(*args, "--json").stdout)
    compare = data["compare"]
    assert (compare["kind"], compare["base_period"]) == ("环比", "2025年12月")
    assert (compare["base_start"], compare["base_end"]) == ("2025-12-01", "2025-12-31")
    rows = {r["单位"]: r for r in compare["rows"]}
    assert rows["城关街道"]["场次"] == {"value": 6, "base": 4, "difference": 2, "ratio": 0.5}
    assert rows["龙山镇"]["服务时长"] == {"value": 0.0, "base": 5.5, "difference": -5.5, "ratio": -1.0}
    assert rows["本级"]["场次"]["ratio"] is None
    assert compare["total"]["服务时长"]["difference"] == -1.0
    assert compare["total"]["服务时长"]["ratio"] == pytest.approx(-1 / 15.5)
    assert data["total"] == {"场次": 9, "服务时长": 14.5}  # the period's own figures as without --compare

    xlsx = tmp_path / "环比.xlsx"
    assert run(*args, "--out", str(xlsx)).returncode == 0
    wb = load_workbook(xlsx)
    ws = wb.active
    assert ws is not None
    texts = [[ws.cell(r, c).value for c in range(1, 10)] for r in range(1, ws.max_row + 1)]
    assert any(str(t[0]).startswith("环比：本期 2026年1月，上期 2025年12月") for t in texts)
    assert ["本期", "上期", "增减", "增长率"] * 2 in [t[1:] for t in texts]
    cells = {t[0]: t[1:] for t in texts}
    assert cells["城关街道"] == [6, 4, 2, 0.5, 12.5, 10.0, 2.5, 0.25]
    assert cells["本级"][3] == "—" and cells["合计"][:3] == [9, 6, 3]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "城关街道")
    assert ws.cell(row, 5).number_format == "+0.0%;-0.0%;0.0%"  # read as +50.0% in the spreadsheet
    wb.close()
    pdf = tmp_path / "环比.pdf"
    assert run(*args, "--out", str(pdf)).returncode == 0
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "上期 2025年12月" in text and "增长率" in text and "+50.0%" in text and "-6.5%" in text


def test_compare_same_period_last_year_of_a_since_span_says_why_not(months: Path) -> None:
    out = run("场次", "--period", "2025-12-01..", "--compare", "同比", "--db", str(months))
    assert out.returncode == 0, out.stderr
    assert "累计时段（2025年12月1日以来累计）不作同比" in out.stdout
    assert out.stdout.splitlines()[-1].split() == ["合计", "115"]  # 4+2+5+1+3+100: no columns added
    data = json.loads(
        run("场次", "--period", "2025-12-01..", "--compare", "同比", "--json", "--db", str(months)).stdout
    )
    assert data["compare"]["base_period"] is None and "不作同比" in data["compare"]["not_applicable"]
