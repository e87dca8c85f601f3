"""The import wizard's preview says which values are stored in their normal form (汉 → 汉族), never silently."""

from __future__ import annotations

import openpyxl
from PySide6 import QtCore

from silverdesk.ui.importing.wizard import ImportWizard

CLICK = QtCore.Qt.MouseButton.LeftButton


def test_the_preview_lists_the_normalised_values(qtbot, ui_ctx, services, county, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "花名册.xlsx"
    wb = openpyxl.Workbook()
    for row in (
        ["姓名", "民族", "是否党员"],
        ["张建国", "汉", "√"],
        ["李秀英", "汉", "否"],
        ["王明", "回", None],
    ):
        wb.active.append(row)
    wb.save(path)
    wizard = ImportWizard(ui_ctx, str(path))
    qtbot.addWidget(wizard)
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("roster"))
    wizard.file_page.unit.setEditText("龙山镇")
    for page in (1, 2):
        qtbot.mouseClick(wizard.next_button, CLICK)
        qtbot.waitUntil(lambda page=page: wizard.stack.currentIndex() == page, timeout=10_000)
    panel = wizard.preview_page.decisions
    assert not panel.isHidden()
    assert panel.counts.text().startswith("规范写法 5 处")
    table = panel.table
    assert [
        (table.item(r, 1).text(), table.item(r, 2).text(), table.cellWidget(r, 3).currentText(),
         table.item(r, 4).text())
        for r in range(table.rowCount())
    ] == [
        ("民族", "汉", "汉族", "2 行"), ("民族", "回", "回族", "1 行"),
        ("政治面貌", "是否党员：√", "中共党员", "1 行"), ("政治面貌", "是否党员：否", "群众", "1 行"),
    ]  # fmt: skip
