"""Each family of figures the seeds boast of, entered through the services as a clerk would, then read
back three ways that must agree with each other and with the hand count: ``silverdesk stats --json`` run as
a command, the 分组统计 screen's table (real screen, real task runner), and a placeholder of a province's
form filled by ``ReportService.write``. The families: 人才库 by category, 星级志愿者 by level, 阵地 by kind,
服务队 by brand, 场次 by monthly theme, and 场次 down the unit tree (四级联动, here 县 → 乡镇街道 → 社区村)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from silverdesk.services.hub import Services
from silverdesk.services.statistics.periods import month
from silverdesk.services.statistics.reporting import ReportService
from tests.gui.statistics.test_pivot_screen import choose, october, pick, run, screen
from tests.unit.statistics.query_helpers import small_county

#: family → (measure, dimension, level shown on the screen or None, {value: figure} counted by hand)
FAMILIES: dict[str, tuple[str, str, str | None, dict[str, int]]] = {
    "talent": ("人才数", "人才库类别", None, {"政治理论": 3, "文化艺术": 2, "医疗卫生": 1}),
    "stars": ("星级志愿者数", "星级", None, {"五星": 1, "三星": 2}),
    "places": ("阵地数", "阵地类型", None, {"驿站": 2, "工作室": 1}),
    "brands": ("队伍数", "队伍品牌", None, {"榴花红": 2, "6020红色集结号": 1}),
    "themes": ("场次", "月度主题", None, {"10月·敬老月": 6}),
    "units": ("场次", "单位", "社区村", {"光明社区": 2, "石桥村": 3, "城关街道（本级）": 1}),
}


def _enter(s: Services) -> dict[str, int]:
    u = small_county(s)
    names = iter(f"{a}{b}" for a in "张王李赵刘陈" for b in "建国桂兰德明")
    for category, count in (("政治理论", 2), ("文化艺术", 1), ("医疗卫生", 1)):
        for _ in range(count):
            s.people.create({"name": next(names), "unit_id": u["street"], "talents": [category]})
    s.people.create({"name": next(names), "unit_id": u["town"], "talents": ["政治理论", "文化艺术"]})
    for level in (5, 3, 3):
        pid = s.people.create({"name": next(names), "unit_id": u["community"]})
        s.stars.set_manual("volunteer", pid, 2026, level, "年度评定")
    for i, kind in enumerate(("驿站", "驿站", "工作室")):
        s.places.create({"name": f"银龄阵地{i}", "kind": kind, "unit_id": u["community"]})
    for i, brand in enumerate(("榴花红", "榴花红", "6020红色集结号")):
        s.teams.create(
            {"name": f"银发服务队{i}", "brand": brand, "unit_id": u["street"], "founded_on": "2025-01-01"}
        )
    s.lookups.set_theme(2026, 10, "敬老月")
    for unit, sessions in ((u["community"], 2), (u["village"], 3), (u["street"], 1)):
        s.activities.create(
            {"occurred_on": "2026-10-09", "title": "活动", "unit_id": unit, "sessions": sessions}
        )
    return u


def _stats(db: Path, measure: str, dimension: str, level: str | None) -> dict[str, int]:
    by = f"{dimension}:{level}" if level else dimension
    done = subprocess.run(
        [sys.executable, "-m", "silverdesk", "stats", measure, "--by", by, "--period", "2026-10", "--json", "--db", str(db),
         ],
        capture_output=True, text=True, env=os.environ, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    return {row[dimension]: row[measure] for row in answer["rows"]}


def _form(
    s: Services, tmp_path: Path, measure: str, values: list[str], unit: int | None
) -> dict[str, object]:
    form = tmp_path / "省表.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for i, value in enumerate(values, start=1):
        ws.cell(i, 1, f"{{{{{measure}.{value}}}}}")
    wb.save(form)
    reports = ReportService(s.ctx)
    out = reports.write(reports.build(month(2026, 10), unit), tmp_path / "填好.xlsx", form=form, unit_id=unit)
    filled = load_workbook(out).worksheets[0]
    return {value: filled.cell(i, 1).value for i, value in enumerate(values, start=1)}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_a_seed_family_reads_back_equal_through_stats_screen_and_form(
    family, qtbot, ui_ctx, services, db_path, tmp_path
):
    measure, dimension, level, expected = FAMILIES[family]
    u = _enter(services)
    del u

    assert _stats(db_path, measure, dimension, level) == expected

    view = screen(qtbot, ui_ctx)
    october(view)
    choose(view, measure)
    rows = view.row_slots[0]
    pick(rows, dimension)
    if level:  # the level as the screen names it (社区村)
        rows.level.setCurrentIndex(
            next(i for i in range(rows.level.count()) if level in rows.level.itemText(i))
        )
    run(qtbot, view)
    assert not view.message.isVisible(), view.message.text()
    table = view.model.table
    assert table is not None
    on_screen = {row.labels[0]: row.values[0] for row in table.rows if not row.total}
    assert on_screen == expected

    # the form names a value as a clerk writes it: a theme by its name (敬老月), a unit by its name (a
    # 本级 row is no name: {{场次.城关街道}} is the street with everything below it)
    on_form = {v.split("·")[-1]: n for v, n in expected.items() if "（本级）" not in v}
    filled = _form(services, tmp_path, measure, list(on_form), None)
    assert filled == on_form
