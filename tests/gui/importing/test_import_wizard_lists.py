"""The import wizard and a 需求清单 as a community writes it: no 需求名称, 需求单位 or 类别 column (issue 16)."""

from __future__ import annotations

import sqlite3

import openpyxl
from PySide6 import QtCore

from silverdesk.ui.importing.wizard import ImportWizard

CLICK = QtCore.Qt.MouseButton.LeftButton


def _next(qtbot, wizard, page: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(wizard.next_button, CLICK)
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == page, timeout=10_000)


def test_a_list_without_title_requester_or_category_columns_goes_through(
    qtbot, ui_ctx, services, county, db_path, tmp_path
):  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["光明社区需求清单"])
    ws.append(["填报单位：光明社区"])
    ws.append(["序号", "需求内容", "联系人"])
    ws.append(["一、为老助老服务类"])
    ws.append([1, "上门理发，每月一次", "王芳"])
    path = tmp_path / "光明社区需求清单.xlsx"
    wb.save(path)
    wizard = ImportWizard(ui_ctx, str(path))
    qtbot.addWidget(wizard)
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("demands"))
    _next(qtbot, wizard, 1)
    assert wizard.columns_page.missing.text() == "" and wizard.next_button.isEnabled()
    _next(qtbot, wizard, 2)
    summary = wizard.preview_page.summary.text()
    assert (
        "第 4 行“一、为老助老服务类”是分类标题行，不是记录；其下 1 行未填类别，按“为老助老服务”导入"
        in summary
    )
    _next(qtbot, wizard, 3)
    with sqlite3.connect(db_path) as conn:
        stored = conn.execute(
            "SELECT d.title, d.content, l.name, d.requester_unit_id, d.contact_name "
            "FROM demand d JOIN lookup l ON l.id = d.category_id"
        ).fetchall()
    assert stored == [("上门理发", "上门理发，每月一次", "为老助老服务", county["community"], "王芳")]
