"""The import wizard's preview says how many cells were filled from merged cells (issue 16)."""

from __future__ import annotations

from PySide6 import QtCore

from silverdesk.ui.importing.wizard import ImportWizard

CLICK = QtCore.Qt.MouseButton.LeftButton


def _next(qtbot, wizard, page: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(wizard.next_button, CLICK)
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == page, timeout=10_000)


def test_the_preview_counts_the_cells_filled_from_merges(qtbot, ui_ctx, services, county, tmp_path):  # type: ignore[no-untyped-def]
    from tests.unit.importing.test_merged_cells import sheets, write_xlsx

    path = write_xlsx(tmp_path / "活动台账.xlsx", sheets.ACTIVITIES)
    wizard = ImportWizard(ui_ctx, str(path))
    qtbot.addWidget(wizard)
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("activities"))
    wizard.file_page.unit.setEditText("龙山镇")
    _next(qtbot, wizard, 1)
    _next(qtbot, wizard, 2)
    summary = wizard.preview_page.summary.text()
    assert "合并单元格：已为 4 个单元格填入合并区域的值（活动日期 2 个、服务队 2 个）" in summary
    assert "新增 5" in summary and "未通过 1" in summary
    _next(qtbot, wizard, 3)
    wizard.close()
