"""The import wizard on a real file: columns checked, preview with every row's fate, commit, undo."""

from __future__ import annotations

import datetime as dt

import openpyxl
from PySide6 import QtCore

from silverdesk.domain.idcard import make_id_number
from silverdesk.importing import IGNORE
from silverdesk.services.people import PersonFilter
from silverdesk.ui.views.import_wizard import ImportWizard


def roster_file(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["城关街道离退休干部花名册"])
    ws.append(["姓名", "性别", "身份证号码", "手机", "备注栏"])
    ws.append(["张建国", "男", make_id_number("370402", dt.date(1956, 3, 1), 123), "13812345678", ""])
    ws.append(["李桂兰", "女", "370402195603011238", "13912345678", ""])  # bad check digit
    ws.append(["合计", "", "", "", ""])
    wb.save(path)
    return path


def test_wizard_imports_then_undoes(qtbot, ui_ctx, services, county, tmp_path):
    path = roster_file(tmp_path / "花名册.xlsx")
    wizard = ImportWizard(ui_ctx, str(path))
    qtbot.addWidget(wizard)
    wizard.kind.setCurrentIndex(wizard.kind.findData("roster"))
    wizard.unit.setEditText("城关街道")
    qtbot.mouseClick(wizard.next_button, QtCore.Qt.MouseButton.LeftButton)  # → columns
    assert wizard.stack.currentIndex() == 1
    combos = {wizard.columns.item(r, 0).text(): wizard.columns.cellWidget(r, 2) for r in range(wizard.columns.rowCount())}
    assert combos["身份证号码"].currentData() == "id_number"
    assert combos["手机"].currentData() == "phone"
    name_combo = combos["姓名"]
    name_combo.setCurrentIndex(name_combo.findData(IGNORE))
    assert "姓名" in wizard.missing.text() and not wizard.next_button.isEnabled()
    name_combo.setCurrentIndex(name_combo.findData("name"))
    assert wizard.next_button.isEnabled()

    qtbot.mouseClick(wizard.next_button, QtCore.Qt.MouseButton.LeftButton)  # → preview
    assert wizard.stack.currentIndex() == 2
    fates = {wizard.preview.item(r, 0).text(): (wizard.preview.item(r, 1).text(), wizard.preview.item(r, 2).text())
             for r in range(wizard.preview.rowCount())}
    assert fates["3"][0] == "新增"
    assert fates["4"][0] == "拒绝" and "校验位" in fates["4"][1]
    assert services.people.count(PersonFilter()) == 0  # nothing written before 导入

    errors = tmp_path / "退回.xlsx"
    ui_ctx.ask_save_path = lambda *_: str(errors)
    qtbot.mouseClick(wizard.errors_button, QtCore.Qt.MouseButton.LeftButton)
    assert errors.exists()

    qtbot.mouseClick(wizard.next_button, QtCore.Qt.MouseButton.LeftButton)  # 导入
    assert wizard.stack.currentIndex() == 3 and wizard.batch_id
    assert [r.name for r in services.people.search("张建国")] == ["张建国"]
    qtbot.mouseClick(wizard.undo_button, QtCore.Qt.MouseButton.LeftButton)
    assert services.people.count(PersonFilter()) == 0
    assert "已撤销" in wizard.done_text.text()
