"""报表 on the real task runner: a preview and a save long enough for the progress dialog, each
finishing on screen, and each cancelled midway with nothing left behind."""

from __future__ import annotations

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6 import QtCore

from silverdesk.services.statistics import reporting
from silverdesk.services.statistics.periods import month
from silverdesk.services.statistics.reporting import ReportService
from silverdesk.services.statistics.tables import StatisticsService
from silverdesk.services.system.audit import AuditFilter
from silverdesk.ui.statistics.reports import ReportsView
from silverdesk.ui.statistics.signatories import ASKED_KEY
from tests.gui.long_jobs import demo_copy, files_in, press_cancel, slow_down, wait_for_progress_dialog

LEFT = QtCore.Qt.MouseButton.LeftButton


@pytest.fixture
def db_path(tmp_path, tmp_path_factory, template_db):
    return demo_copy(tmp_path, tmp_path_factory, template_db)


@pytest.fixture
def view(qtbot, threaded_ctx):
    threaded_ctx.state.qsettings.setValue(ASKED_KEY, True)  # the signatories were asked about before
    v = ReportsView(threaded_ctx)
    qtbot.addWidget(v)
    v.show()
    v.kind.setCurrentIndex(0)  # 月报
    v.year.setValue(2026)
    v.part.setValue(10)
    return v


def october_sessions(services) -> int:
    return ReportService(services.ctx).build(month(2026, 10)).table1_total.activities


def exported(services) -> int:
    return len(services.audit_log.ids(AuditFilter(action="导出报表")))


def preview(qtbot, view) -> None:
    qtbot.mouseClick(view.preview_button, LEFT)
    qtbot.waitUntil(lambda: "场次" in view.status.text(), timeout=15000)


def test_a_long_preview_shows_progress_then_the_report(qtbot, view, services, monkeypatch):
    expected = october_sessions(services)
    assert expected > 0
    slowed = slow_down(monkeypatch, StatisticsService, "report")
    qtbot.mouseClick(view.preview_button, LEFT)
    assert not view.preview_button.isEnabled()
    dialog = wait_for_progress_dialog(qtbot, "正在生成报表")
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=3000)  # the statistics say how far they are
    qtbot.waitUntil(lambda: "场次" in view.status.text(), timeout=15000)
    assert slowed.calls == 1
    assert f"活动 {expected} 场次" in view.status.text()
    assert view.document.pageCount() >= 4 and view.save_button.isEnabled() and view.preview_button.isEnabled()
    assert f"{expected}场次" in view.narrative.toPlainText()


def test_cancelling_a_preview_leaves_the_screen_ready_for_the_next(qtbot, view, services, monkeypatch):
    slowed = slow_down(monkeypatch, StatisticsService, "report")
    qtbot.mouseClick(view.preview_button, LEFT)
    press_cancel(qtbot, slowed)
    qtbot.waitUntil(lambda: "已取消" in view.status.text(), timeout=5000)
    assert view.preview_button.isEnabled() and not view.save_button.isEnabled()
    assert view.document.pageCount() == 0 and list(view._tmp.iterdir()) == []  # no preview was written
    slowed.seconds = 0
    preview(qtbot, view)  # the screen is usable: the same preview now runs through
    assert f"活动 {october_sessions(services)} 场次" in view.status.text()


def test_a_long_save_writes_both_files(qtbot, view, services, threaded_ctx, monkeypatch, tmp_path):
    preview(qtbot, view)
    view.narrative.setPlainText("本月志愿服务稳步推进。（人工修改）")
    slowed = slow_down(monkeypatch, reporting, "_render", 1.5, interruptible=False)  # per file: 3 s in all
    out = tmp_path / "报表"
    out.mkdir()
    threaded_ctx.ask_save_path = lambda *_: str(out / "十月月报.xlsx")
    qtbot.mouseClick(view.save_button, LEFT)
    wait_for_progress_dialog(qtbot, "正在保存报表")
    qtbot.waitUntil(lambda: "已保存" in view.status.text(), timeout=15000)
    assert slowed.calls == 2 and sorted(files_in(out)) == ["十月月报.pdf", "十月月报.xlsx"]
    sheet = openpyxl.load_workbook(out / "十月月报.xlsx")["表1 分单位"]
    total = october_sessions(services)
    assert any(r[1] == "合计" and r[5] == total for r in sheet.iter_rows(values_only=True))
    assert "人工修改" in "".join(p.extract_text() for p in PdfReader(out / "十月月报.pdf").pages)
    assert exported(services) == 2 and view.recent.count() == 2


def test_cancelling_a_save_midway_leaves_the_folder_as_it_was(
    qtbot, view, services, threaded_ctx, monkeypatch, tmp_path
):
    preview(qtbot, view)
    out = tmp_path / "报表"
    out.mkdir()
    (out / "十月月报.xlsx").write_bytes(b"the file the clerk chose to replace")
    before = files_in(out)
    slowed = slow_down(monkeypatch, reporting, "_render", 2.0, interruptible=False)
    threaded_ctx.ask_save_path = lambda *_: str(out / "十月月报.xlsx")
    qtbot.mouseClick(view.save_button, LEFT)
    # midway: the workbook is written (under its temporary name), the PDF is being drawn
    press_cancel(qtbot, slowed, when=lambda: (out / "十月月报.pdf.part").exists())
    assert (out / "十月月报.xlsx.part").stat().st_size > 0
    qtbot.waitUntil(lambda: "已取消" in view.status.text(), timeout=8000)
    assert files_in(out) == before  # no new file, no part file, the old workbook untouched
    assert exported(services) == 0 and view.recent.count() == 0
    slowed.seconds = 0
    qtbot.mouseClick(view.save_button, LEFT)
    qtbot.waitUntil(lambda: "已保存" in view.status.text(), timeout=15000)
    assert sorted(files_in(out)) == ["十月月报.pdf", "十月月报.xlsx"] and exported(services) == 2
    assert openpyxl.load_workbook(out / "十月月报.xlsx")["表1 分单位"] is not None
