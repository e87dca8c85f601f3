"""导入: undoing a batch from the list, and what an import tells the other screens."""

from __future__ import annotations

import datetime as dt

import openpyxl
from PySide6 import QtCore

from silverdesk.domain.idcard import make_id_number
from silverdesk.ui.importing.screen import ImportsView
from silverdesk.ui.importing.wizard import ImportWizard
from silverdesk.ui.market.screen import RESOURCES, MarketView
from silverdesk.ui.people.screen import PeopleView

LEFT = QtCore.Qt.MouseButton.LeftButton


def test_undoing_a_batch_from_the_list_runs_behind_the_screen_and_says_so(
    qtbot, threaded_ctx, county, tmp_path
):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别", "身份证号码"])
    wb.active.append(["张建国", "男", make_id_number("370402", dt.date(1956, 3, 1), 123)])
    wb.save(tmp_path / "花名册.xlsx")
    threaded_ctx.services.imports.run(tmp_path / "花名册.xlsx", kind="roster", unit_name="城关街道")
    people = PeopleView(threaded_ctx)
    qtbot.addWidget(people)
    people.reload()
    qtbot.waitUntil(lambda: people.count_label.text() == "共 1 人")
    screen = ImportsView(threaded_ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.table.selectRow(0)
    qtbot.mouseClick(screen.undo_button, LEFT)
    qtbot.waitUntil(lambda: screen.model.record(0).status == "已撤销", timeout=10000)
    assert threaded_ctx.notices[-1] == "批次 1（花名册.xlsx）已撤销，数据恢复到导入前的样子"
    qtbot.waitUntil(lambda: people.count_label.text() == "共 0 人")


def test_resources_imported_through_the_wizard_show_on_the_resource_list(qtbot, ui_ctx, county, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["资源类别", "小项", "资源名称", "提供者", "服务区域"])
    wb.active.append(["医疗健康服务", "健康义诊", "社区义诊", "县医院退休医生组", "光明社区"])
    wb.save(tmp_path / "资源清单.xlsx")
    market = MarketView(ui_ctx)
    qtbot.addWidget(market)
    market.show()
    market.tabs.setCurrentIndex(RESOURCES)
    assert market.resource_list.model.rowCount() == 0
    wizard = ImportWizard(ui_ctx, str(tmp_path / "资源清单.xlsx"))
    qtbot.addWidget(wizard)
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("resources"))
    for step in (1, 2, 3):  # → columns → preview → 导入
        qtbot.mouseClick(wizard.next_button, LEFT)
        qtbot.waitUntil(
            lambda step=step: wizard.stack.currentIndex() == step and not wizard.busy(), timeout=10000
        )
    assert [r.title for r in market.resource_list.model.rows()] == [
        "社区义诊"
    ]  # told: a resource, not an activity
    assert market.tabs.tabText(RESOURCES) == "资源清单（1）"
