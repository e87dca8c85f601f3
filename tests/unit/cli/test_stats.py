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
