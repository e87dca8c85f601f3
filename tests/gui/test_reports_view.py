"""The 报表 screen: pick a month, preview the PDF in the app, edit the narrative, save both formats."""

from __future__ import annotations

import openpyxl
from pypdf import PdfReader
from PySide6 import QtCore

from silverdesk.ui.views.reports_view import ReportsView

LEFT = QtCore.Qt.MouseButton.LeftButton
WAIT = 10000  # ms: the report is counted and drawn in the task runner


class Hidings(QtCore.QObject):
    """Counts how often a widget is hidden."""

    def __init__(self, widget: QtCore.QObject) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        self.count += event.type() == QtCore.QEvent.Type.Hide
        return False


def seed(services, county) -> None:
    cat = services.lookups.resolve("activity_category", "理论宣讲").id
    for day, unit, n in (("2026-10-08", county["street"], 1), ("2026-10-15", county["town"], 2)):
        services.activities.create({"occurred_on": day, "title": "宣讲", "unit_id": unit, "category_id": cat,
                                    "sessions": n, "participants": 10, "hours": 20, "beneficiaries": 100})


def test_preview_edit_and_save(qtbot, ui_ctx, services, county, tmp_path):
    seed(services, county)
    view = ReportsView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    scroll_bar = Hidings(view.view.verticalScrollBar())
    view.kind.setCurrentIndex(0)  # 月报
    view.year.setValue(2026)
    view.part.setValue(10)
    qtbot.mouseClick(view.preview_button, LEFT)
    assert not view.preview_button.isEnabled()  # while it is counted
    qtbot.waitUntil(lambda: "活动 3 场次" in view.status.text(), timeout=WAIT)
    assert view.document.pageCount() >= 4 and view.preview_button.isEnabled()
    assert "共开展志愿服务活动3场次" in view.narrative.toPlainText()
    assert view.save_button.isEnabled()

    view.narrative.setPlainText("本月，全县离退休干部志愿服务工作稳步推进。（已人工修改）")
    asked: list[str] = []
    ui_ctx.ask_save_path = lambda *_: asked.append("保存报表") or str(tmp_path / "十月月报.xlsx")
    qtbot.mouseClick(view.save_button, LEFT)
    assert not view.save_button.isEnabled()  # one save at a time
    view.save()  # Ctrl+S again meanwhile: nothing more is asked or written
    assert asked == ["保存报表"]
    qtbot.waitUntil(lambda: "已保存" in view.status.text(), timeout=WAIT)
    assert view.save_button.isEnabled()
    xlsx, pdf = tmp_path / "十月月报.xlsx", tmp_path / "十月月报.pdf"
    assert xlsx.exists() and pdf.exists()
    ws = openpyxl.load_workbook(xlsx)["表1 分单位"]
    assert any(r[1] == "合计" and r[5] == 3 for r in ws.iter_rows(values_only=True))
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "已人工修改" in text
    assert view.recent.count() == 2
    assert "已保存" in view.status.text()
    assert scroll_bar.count == 0  # the preview's pages stay put (a bar that came and went froze it)


def test_quarter_and_scope(qtbot, ui_ctx, services, county):
    seed(services, county)
    view = ReportsView(ui_ctx)
    qtbot.addWidget(view)
    view.kind.setCurrentIndex(1)  # 季报
    view.year.setValue(2026)
    view.part.setValue(4)
    view.scope.setCurrentIndex(view.scope.findData(county["town"]))
    qtbot.mouseClick(view.preview_button, LEFT)
    qtbot.waitUntil(lambda: "（2026年第四季度）" in view.status.text(), timeout=WAIT)
    assert view.data.period.label == "2026年第四季度"
    assert view.data.scope == "龙山镇"
    assert view.data.table1_total.activities == 2


def test_saved_report_masks_unless_the_checkbox_is_ticked(qtbot, ui_ctx, services, county, tmp_path):
    seed(services, county)
    view = ReportsView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    view.year.setValue(2026)
    view.part.setValue(10)
    assert not view.unmask.isChecked()  # masked unless the clerk asks
    view.preview()
    qtbot.waitUntil(lambda: "活动 3 场次" in view.status.text(), timeout=WAIT)
    view.as_pdf.setChecked(False)
    view.narrative.setPlainText("联系人李四，手机13812345678。")

    def saved_text(name: str) -> str:
        ui_ctx.ask_save_path = lambda *_: str(tmp_path / name)
        view.save()
        qtbot.waitUntil(lambda: view.status.text() == f"已保存：{tmp_path / name}", timeout=WAIT)
        wb = openpyxl.load_workbook(tmp_path / name)
        return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)

    masked = saved_text("masked.xlsx")
    assert "13812345678" not in masked and "138****5678" in masked
    view.unmask.setChecked(True)
    assert "13812345678" in saved_text("full.xlsx")
