"""The clerk accepts or changes what the import worked out, in the wizard's preview, before 导入 (issue 16).

Through the real wizard with its worker threads: a roster written the short way (党员, 汉) with
原工作单位 merged over rows; the preview's panel lists the decisions with their counts; the clerk
changes 党员 → 中共预备党员 with the keyboard (or unticks 填入合并单元格的值), the wizard plans again in its
worker and 导入 writes what the clerk chose.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from PySide6 import QtCore

from silverdesk.domain.idcard import make_id_number
from silverdesk.services.importing.plan import (
    DERIVED,
    MATCHED,
    NEW_ENTRY,
    OVER_LIMIT,
    ImportPlan,
    PlanOptions,
    RowPlan,
)
from silverdesk.services.importing.service import ImportService
from silverdesk.ui.importing.choices import DecisionsPanel
from silverdesk.ui.importing.wizard import ImportWizard
from tests.gui.long_jobs import no_progress_dialog, press_cancel, slow_down, wait_for_progress_dialog

CLICK = QtCore.Qt.MouseButton.LeftButton
Key = QtCore.Qt.Key
PEOPLE = [  # 姓名, 性别, 民族, 政治面貌, 原工作单位 (None under a merge)
    ("张建国", "男", "汉", "党员", "县教育局"),
    ("李秀英", "女", "汉", "党员", None),
    ("王明", "男", "回族", "群众", None),
    ("赵红", "女", "汉", "中共党员", "县财政局"),
]


def write_roster(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append(["龙山镇离退休干部名册"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "姓名", "身份证号", "民族", "政治面貌", "原工作单位"])
    for i, (name, gender, ethnicity, status, employer) in enumerate(PEOPLE):
        number = make_id_number("370102", dt.date(1950 + i, 3, 1), 111 + 2 * i + (gender == "女"))
        ws.append([i + 1, name, number, ethnicity, status, employer])
    ws.merge_cells("F3:F5")  # 县教育局 over 张建国, 李秀英, 王明
    wb.save(path)
    return path


def stored(services: Any) -> dict[str, tuple[str, str, str]]:
    con = sqlite3.connect(services.ctx.db.path)
    try:
        rows = con.execute("SELECT name, ethnicity, political_status, former_employer FROM person").fetchall()
    finally:
        con.close()
    return {name: (ethnicity, status, employer) for name, ethnicity, status, employer in rows}


def _next(qtbot, wizard, page: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(wizard.next_button, CLICK)
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == page, timeout=10_000)


@pytest.fixture
def wizard(qtbot, ui_ctx, county, tmp_path):  # type: ignore[no-untyped-def]
    w = ImportWizard(ui_ctx, str(write_roster(tmp_path / "龙山镇名册.xlsx")))
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    w.file_page.kind.setCurrentIndex(w.file_page.kind.findData("roster"))
    w.file_page.unit.setEditText("龙山镇")
    _next(qtbot, w, 1)
    _next(qtbot, w, 2)
    yield w
    w.close()


def listed(wizard: ImportWizard) -> list[tuple[str, ...]]:
    """The panel's list as the clerk reads it: 处理, 列, 表中写法, 保存为 (the drop-down's text), 行数."""
    table = wizard.preview_page.decisions.table
    out = []
    for r in range(table.rowCount()):
        combo = table.cellWidget(r, 3)
        after = combo.currentText() if combo is not None else table.item(r, 3).text()
        out.append((table.item(r, 0).text(), table.item(r, 1).text(), table.item(r, 2).text(), after,
                    table.item(r, 4).text()))  # fmt: skip
    return out


def replanned(qtbot, wizard: ImportWizard) -> None:  # type: ignore[no-untyped-def]
    """Wait until the plan made with the clerk's change is shown and 导入 may be pressed again."""
    qtbot.waitUntil(lambda: not wizard.preview_page.decisions.pending() and not wizard.busy(), timeout=10_000)
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=5_000)


def test_the_clerk_changes_a_normal_form_with_the_keyboard_and_it_is_stored(qtbot, wizard, services):  # type: ignore[no-untyped-def]
    panel = wizard.preview_page.decisions
    assert not panel.isHidden() and not panel.fill_merged.isHidden() and panel.fill_merged.isChecked()
    assert panel.confirm_over_limit.isHidden()  # nothing above its plausible limit in this file
    assert (
        panel.counts.text()
        == "合并单元格 2 个单元格　规范写法 5 处"  # kinds with nothing to show are left out
    )
    assert listed(wizard) == [
        ("合并单元格", "原工作单位", "（空，取上方合并单元格的值）", "县教育局", "2 个单元格"),
        ("规范写法", "民族", "汉", "汉族", "3 行"),
        ("规范写法", "政治面貌", "党员", "中共党员", "2 行"),
    ]
    combo = panel.combo("规范写法", "政治面貌", "党员")
    assert [combo.itemText(i) for i in range(3)] == ["中共党员", "中共预备党员", "农工党党员"]
    assert combo.itemText(combo.count() - 1) == "（留空）"

    # the keyboard: Tab from the tick into the list, down to the 党员 row, Space opens its drop-down,
    # Down and Enter choose 中共预备党员
    panel.fill_merged.setFocus()
    qtbot.keyClick(panel.fill_merged, Key.Key_Tab)
    assert wizard.focusWidget() is panel.table
    panel.table.setCurrentCell(0, 0)
    qtbot.keyClick(panel.table, Key.Key_Down)
    qtbot.keyClick(panel.table, Key.Key_Down)
    qtbot.keyClick(panel.table, Key.Key_Space)
    qtbot.waitUntil(combo.view().isVisible, timeout=3_000)
    qtbot.keyClick(combo.view(), Key.Key_Down)
    qtbot.keyClick(combo.view(), Key.Key_Return)
    assert combo.currentText() == "中共预备党员"
    assert not wizard.next_button.isEnabled()  # the plan shown is out of date until planned again
    replanned(qtbot, wizard)
    assert ("规范写法", "政治面貌", "党员", "中共预备党员", "2 行") in listed(wizard)
    assert wizard.focusWidget() is panel.combo("规范写法", "政治面貌", "党员")

    _next(qtbot, wizard, 3)
    assert stored(services) == {
        "张建国": ("汉族", "中共预备党员", "县教育局"),
        "李秀英": ("汉族", "中共预备党员", "县教育局"),
        "王明": ("回族", "群众", "县教育局"),
        "赵红": ("汉族", "中共党员", "县财政局"),
    }
    # the import history keeps what the import worked out, as the clerk settled it
    from silverdesk.ui.importing.screen import ImportsView

    history = ImportsView(wizard.ctx)
    qtbot.addWidget(history)
    history.reload()
    qtbot.waitUntil(lambda: history.model.rowCount() == 1)
    assert history.model.record(0).decisions == "合并单元格 2 个单元格，规范写法 5 处"


def test_unticking_the_merged_fill_leaves_the_spanned_cells_empty(qtbot, wizard, services):  # type: ignore[no-untyped-def]
    panel = wizard.preview_page.decisions
    panel.fill_merged.setFocus()
    qtbot.keyClick(panel.fill_merged, Key.Key_Space)
    assert not panel.fill_merged.isChecked()
    replanned(qtbot, wizard)
    assert not panel.fill_merged.isChecked() and wizard.focusWidget() is panel.fill_merged
    assert panel.counts.text().startswith("合并单元格 未填入（2 个单元格留空）")
    assert [row[0] for row in listed(wizard)] == ["规范写法", "规范写法"]
    assert "合并单元格" not in wizard.preview_page.summary.text()
    _next(qtbot, wizard, 3)
    assert {name: person[2] for name, person in stored(services).items()} == {
        "张建国": "县教育局", "李秀英": "", "王明": "", "赵红": "县财政局",
    }  # fmt: skip


def test_planning_again_runs_in_the_worker_and_can_be_cancelled(qtbot, wizard, services, monkeypatch):  # type: ignore[no-untyped-def]
    panel = wizard.preview_page.decisions
    slowed = slow_down(monkeypatch, ImportService, "plan")
    combo = panel.combo("规范写法", "民族", "汉")
    combo.setCurrentIndex(combo.findText("（留空）"))
    dialog = wait_for_progress_dialog(qtbot, "正在按您的选择重新检查")
    assert slowed.started.is_set() and not panel.isEnabled() and not wizard.next_button.isEnabled()
    assert dialog.isVisible()  # the GUI thread kept painting while the worker plans
    press_cancel(qtbot, slowed, title="正在按您的选择重新检查")
    qtbot.waitUntil(lambda: not wizard.busy() and no_progress_dialog(), timeout=10_000)
    # the preview is the plan shown before, with its choices: 导入 writes that one
    assert panel.isEnabled() and panel.combo("规范写法", "民族", "汉").currentText() == "汉族"
    assert "已取消" in wizard.steps.text() and wizard.next_button.isEnabled()
    _next(qtbot, wizard, 3)
    assert stored(services)["张建国"][0] == "汉族"


def activity_plan() -> ImportPlan:
    """An activity plan with a decision of every kind (what 近似匹配, 推导 and 超出常见范围 record)."""
    plan = ImportPlan("activities", "活动台账.xlsx", "", "台账", "龙山镇", None, [], None, {}, rows_read=4)  # type: ignore[arg-type]
    plan.merged_filled = {"活动日期": 3}
    rows = [RowPlan(n, "新增", "activity") for n in (3, 4, 5)] + [RowPlan(6, "拒绝", "activity")]
    for row in rows[:2]:
        row.decide(MATCHED, "unit", "县卫健局", "县卫生健康局")
        row.decide(DERIVED, "title", "", "重阳节敬老慰问")
    rows[2].decide(MATCHED, "teams", "夕阳红", NEW_ENTRY)
    rows[3].decide(OVER_LIMIT, "participants", "20261015", "20261015")  # refused until confirmed
    plan.rows = rows
    plan.choice_options[(MATCHED, "unit", "县卫健局")] = ("县卫生局", "县教育局")
    plan.choice_options[(MATCHED, "teams", "夕阳红")] = ("夕阳红志愿服务队",)
    return plan


def test_the_panel_offers_new_entries_not_linking_and_the_over_limit_tick(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    panel = DecisionsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.fill(activity_plan(), PlanOptions(), merged_cells=3)
    assert (
        panel.counts.text() == "合并单元格 3 个单元格　近似匹配 3 处　推导 2 处　"
        "超出常见范围 1 行（核对后勾选“已核对，数字无误”才导入）"
    )
    assert not panel.confirm_over_limit.isHidden() and not panel.confirm_over_limit.isChecked()
    unit = panel.combo(MATCHED, "组织单位", "县卫健局")
    assert [unit.itemText(i) for i in range(unit.count())] == [
        "县卫生健康局",
        "县卫生局",
        "县教育局",
        "（新建）",
        "（不关联）",
    ]
    team = panel.combo(MATCHED, "服务队", "夕阳红")
    assert [team.itemText(i) for i in range(team.count())] == ["（新建）", "夕阳红志愿服务队", "（不关联）"]
    table = panel.table
    derived = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == DERIVED)
    assert table.item(derived, 2).text() == "（表中未写）"
    title = table.cellWidget(derived, 3)
    assert title.isEditable() and [title.itemText(i) for i in range(title.count())] == [
        "重阳节敬老慰问",
        "（留空）",
    ]
    title.lineEdit().setFocus()
    title.lineEdit().setText("重阳敬老")  # typed (QTest types no Chinese)
    qtbot.keyClick(title.lineEdit(), QtCore.Qt.Key.Key_Return)  # typed as the clerk wants it

    unit.setCurrentIndex(unit.findText("（不关联）"))
    team.setCurrentIndex(team.findText("夕阳红志愿服务队"))
    panel.confirm_over_limit.setChecked(True)
    assert panel.pending()
    with qtbot.waitSignal(panel.changed, timeout=2_000):
        pass
    options = panel.options()
    assert options.chosen == {
        (DERIVED, "title", ""): "重阳敬老",
        (MATCHED, "unit", "县卫健局"): "",
        (MATCHED, "teams", "夕阳红"): "夕阳红志愿服务队",
    }
    assert options.confirm_over_limit and options.fill_merged
    panel.resize(900, panel.sizeHint().height())
    panel.grab().save(str(tmp_path / "decisions.png"))  # looked at: nothing clipped, Chinese only


def test_the_clerk_types_a_derived_title_and_it_is_stored(qtbot, ui_ctx, services, county, db_path, tmp_path):  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.append(["光明社区需求清单"])
    ws.append(["填报单位：光明社区"])
    ws.append(["序号", "需求内容", "需求类别", "联系人"])
    ws.append([1, "上门理发，每月一次", "生活照料", "王芳"])
    path = tmp_path / "光明社区需求清单.xlsx"
    wb.save(path)
    wizard = ImportWizard(ui_ctx, str(path))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("demands"))
    _next(qtbot, wizard, 1)
    _next(qtbot, wizard, 2)
    panel = wizard.preview_page.decisions
    assert ("推导", "需求名称", "上门理发，每月一次", "上门理发", "1 行") in listed(wizard)
    title = panel.combo("推导", "需求名称", "上门理发，每月一次")
    title.lineEdit().setFocus()
    title.lineEdit().setText("每月上门理发")  # typed (QTest types no Chinese)
    qtbot.keyClick(title.lineEdit(), Key.Key_Tab)  # leaving the field takes it
    replanned(qtbot, wizard)
    assert ("推导", "需求名称", "上门理发，每月一次", "每月上门理发", "1 行") in listed(wizard)
    _next(qtbot, wizard, 3)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT title, content FROM demand").fetchall() == [
            ("每月上门理发", "上门理发，每月一次")
        ]
