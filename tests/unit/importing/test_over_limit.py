"""超出常见范围: a figure above its plausible limit is held until the clerk confirms it (issue #16).

Real workbooks go through ``ImportService`` and ``silverdesk import`` (a real subprocess) into the
test's SQLite file: without confirmation the row is refused with a reason that says how to confirm
and listed as a decision; with ``--confirm-large`` (``PlanOptions.confirm_over_limit``) it is stored
as written, the decision recorded in ``--json`` and in the batch's audit entry.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from silverdesk.services.hub import Services
from silverdesk.services.importing.plan import OVER_LIMIT, PlanOptions

from .pipeline_helpers import dump, write_book

SRC = Path(__file__).resolve().parents[3] / "src"
HEADER = ["活动日期", "活动名称", "场次", "参与人次", "服务时长", "受益人次"]
ROWS = [
    [dt.date(2026, 10, 15), "重阳敬老", 1, 20, 40, 30],
    [dt.date(2026, 10, 16), "全县健步走", 1, "6000人", 12000, 6000],  # a real county event, above 5,000
    [dt.date(2026, 10, 17), "义诊", 1, 20261017, "五千", 30],  # a date in 参与人次 and a held figure in words
]
FIELDS = "occurred_on, title, sessions, participants, hours, beneficiaries, import_batch_id"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "SILVERDESK_OPERATOR": "命令行"}
    return subprocess.run([sys.executable, "-m", "silverdesk", *args], capture_output=True, text=True, env=env,
                          timeout=300, cwd=cwd)  # fmt: skip


def audit_decisions(db_path: Path, batch_id: int) -> list[dict[str, object]]:
    con = sqlite3.connect(db_path)
    try:
        (changes,) = con.execute(
            "SELECT changes_json FROM audit_log WHERE entity = 'import_batch' AND entity_id = ?", (batch_id,)
        ).fetchone()
    finally:
        con.close()
    return list(json.loads(changes)["decisions"])


@pytest.fixture
def county_db(services: Services, county: dict[str, int], db_path: Path) -> Path:
    services.close()
    return db_path


def test_held_rows_are_refused_with_the_way_to_confirm_and_listed_as_decisions(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = write_book(tmp_path / "活动.xlsx", HEADER, ROWS)
    out = services.imports.run(path, kind="activities", unit_name="龙山镇")
    plan = out.plan
    assert plan.counts == {"新增": 1, "更新": 0, "未变": 0, "拒绝": 2}
    assert plan.held_count == 2 and plan.row(3).held and plan.row(4).held
    assert plan.row(3).reason == (
        "数字超出常见范围（参与人次“6000人”，一条活动记录通常不超过 5,000），如确认无误，"
        "请在预览中勾选“已核对”或用 --confirm-large 导入"
    )
    assert "参与人次“20261017”，一条活动记录通常不超过 5,000；看起来是日期 2026-10-17" in plan.row(4).reason
    assert plan.row(4).reason.count("数字超出常见范围") == 1  # 五千 is 5,000: within 服务时长's limit
    assert [(d.kind, d.field, d.label, d.before, d.after, d.count) for d in plan.decisions()] == [
        (OVER_LIMIT, "participants", "参与人次", "20261017", "20261017", 1),
        (OVER_LIMIT, "participants", "参与人次", "6000人", "6000", 1),
    ]
    assert plan.decision_counts()[OVER_LIMIT] == 2
    assert plan.decisions(include_held=False) == [d for d in plan.decisions() if d.kind != OVER_LIMIT]
    assert dump(db_path, "activity", FIELDS) == [("2026-10-15", "重阳敬老", 1, 20, 40.0, 30, out.batch_id)]
    assert [d["kind"] for d in audit_decisions(db_path, out.batch_id)] == []  # nothing held was stored


def test_a_row_refused_for_another_reason_too_is_not_held(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    rows = [[dt.date(2026, 10, 16), None, 1, 6000, 12, 30]]  # no 活动名称 (required) besides the figure
    out = services.imports.run(write_book(tmp_path / "活动.xlsx", HEADER, rows), kind="activities",
                               unit_name="龙山镇", dry_run=True)  # fmt: skip
    assert out.plan.counts["拒绝"] == 1 and out.plan.held_count == 0
    assert out.plan.decisions() == []  # confirming would not store it: nothing to confirm
    confirmed = services.imports.run(write_book(tmp_path / "活动2.xlsx", HEADER, rows), kind="activities",
                                     unit_name="龙山镇", dry_run=True,
                                     options=PlanOptions(confirm_over_limit=True))  # fmt: skip
    assert (
        confirmed.plan.row(2).reason
        == "活动名称未填写，也没有活动内容可以推导；请填写活动名称或活动内容后重新导入"
    )
    # unconfirmed, the row's reason names the figure too (confirming alone would not store it)
    assert out.plan.row(2).reason.startswith("活动名称未填写") and "超出常见范围" in out.plan.row(2).reason


def test_confirmed_figures_are_stored_as_written_with_the_decision_in_the_audit(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = write_book(tmp_path / "活动.xlsx", HEADER, ROWS)
    out = services.imports.run(path, kind="activities", unit_name="龙山镇",
                               options=PlanOptions(confirm_over_limit=True))  # fmt: skip
    plan = out.plan
    assert plan.counts == {"新增": 3, "更新": 0, "未变": 0, "拒绝": 0} and plan.held_count == 0
    assert plan.row(3).reason == "参与人次“6000人”超出常见范围，已按核对无误保存"
    assert dump(db_path, "activity", FIELDS) == [
        ("2026-10-15", "重阳敬老", 1, 20, 40.0, 30, out.batch_id),
        ("2026-10-16", "全县健步走", 1, 6000, 12000.0, 6000, out.batch_id),
        ("2026-10-17", "义诊", 1, 20261017, 5000.0, 30, out.batch_id),
    ]
    assert [(d["kind"], d["field"], d["before"], d["after"], d["rows"])
            for d in audit_decisions(db_path, out.batch_id)] == [
        (OVER_LIMIT, "参与人次", "20261017", "20261017", 1),
        (OVER_LIMIT, "参与人次", "6000人", "6000", 1),
    ]  # fmt: skip


def test_the_command_line_holds_then_imports_with_confirm_large(county_db: Path, tmp_path: Path) -> None:
    path = write_book(tmp_path / "活动.xlsx", HEADER, ROWS)
    base = ("import", str(path), "--kind", "活动", "--unit", "龙山镇", "--db", str(county_db))
    held = cli(*base, "--dry-run", "--json", cwd=tmp_path)
    assert held.returncode == 0, held.stderr
    result = json.loads(held.stdout)
    assert (result["imported"], result["rejected"], result["held"]) == (1, 2, 2)
    assert result["decision_counts"][OVER_LIMIT] == 2
    assert [(d["kind"], d["field"], d["before"], d["after"], d["rows"]) for d in result["decisions"]] == [
        (OVER_LIMIT, "参与人次", "20261017", "20261017", 1),
        (OVER_LIMIT, "参与人次", "6000人", "6000", 1),
    ]
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(3, "参与人次"), (4, "参与人次")]
    assert all(e["reason"].endswith("用 --confirm-large 导入") for e in result["errors"])

    text = cli(*base, "--dry-run", cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert (
        "超出常见范围，2 行暂不导入（待核对）：参与人次：20261017 → 20261017（1 行）；参与人次：6000人 → 6000（1 行）。"
        "如确认无误，请加 --confirm-large 重新导入"
    ) in text.stdout

    done = cli(*base, "--confirm-large", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["imported"], result["rejected"], result["held"]) == (3, 0, 0)
    assert result["decision_counts"][OVER_LIMIT] == 2
    assert dump(county_db, "activity", FIELDS) == [
        ("2026-10-15", "重阳敬老", 1, 20, 40.0, 30, result["batch_id"]),
        ("2026-10-16", "全县健步走", 1, 6000, 12000.0, 6000, result["batch_id"]),
        ("2026-10-17", "义诊", 1, 20261017, 5000.0, 30, result["batch_id"]),
    ]
    assert len(audit_decisions(county_db, result["batch_id"])) == 2
