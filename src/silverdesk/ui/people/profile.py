"""一人一档…: choose the span (本年 by default), then the page in the print preview, 打印… or 保存PDF….

The profile is gathered (``ctx.services.profiles``) and laid out (``reports/profile_pdf.py``) in a worker
through ``ctx.runner``; the preview shows the PDF that prints, phone and address masked unless the clerk
ticks the box for an internal copy.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import tempfile
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtPdf import QPdfDocument

from silverdesk.progress import CancelToken, Progress
from silverdesk.reports.profile import PersonProfile
from silverdesk.ui.context import UiContext
from silverdesk.ui.tasks import TaskHandle
from silverdesk.ui.widgets.privacy import UnmaskBox

SPANS = ("本年", "上年", "近12个月", "自定义")


def span_dates(name: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if name == "上年":
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    if name == "近12个月":  # this month and the 11 before it
        year, month = (
            (today.year, today.month - 11) if today.month == 12 else (today.year - 1, today.month + 1)
        )
        return dt.date(year, month, 1), today
    return dt.date(today.year, 1, 1), today


def _qdate(day: dt.date) -> QtCore.QDate:
    return QtCore.QDate(day.year, day.month, day.day)


class SpanDialog(QtWidgets.QDialog):
    """The span of the profile's activities and points: 本年 (to today), 上年, 近12个月 or two dates."""

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("一人一档 — 选择时段")
        self.today = ctx.services.ctx.today()
        self.span = QtWidgets.QComboBox()
        self.span.addItems(SPANS)
        self.date_from, self.date_to = QtWidgets.QDateEdit(), QtWidgets.QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        form = QtWidgets.QFormLayout()
        form.addRow("时段(&S)", self.span)
        form.addRow("起(&F)", self.date_from)
        form.addRow("止(&T)", self.date_to)
        note = QtWidgets.QLabel("时段内的活动、积分；任职、荣誉列到时段末；星级取时段末那一年")
        note.setWordWrap(True)
        buttons = QtWidgets.QDialogButtonBox()
        ok = buttons.addButton("预览", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton("取消", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._setting = False
        self.span.currentTextChanged.connect(self._span_chosen)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._dates_edited)
        self._span_chosen("本年")
        self.span.setFocus()

    def dates(self) -> tuple[dt.date, dt.date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()  # type: ignore[return-value]

    def _span_chosen(self, name: str) -> None:
        if name == "自定义":
            return
        start, end = span_dates(name, self.today)
        self._setting = True
        self.date_from.setDate(_qdate(start))
        self.date_to.setDate(_qdate(end))
        self._setting = False

    def _dates_edited(self) -> None:
        if not self._setting and self.span.currentText() != "自定义":
            self.span.blockSignals(True)
            self.span.setCurrentText("自定义")
            self.span.blockSignals(False)


class ProfilePreview(QtWidgets.QDialog):
    """The profile page as it prints, with 打印…, 保存PDF… and the masking choice."""

    def __init__(
        self,
        ctx: UiContext,
        person_id: int,
        start: dt.date,
        end: dt.date,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from silverdesk.ui.widgets.print_preview import page_view

        self.ctx, self.person_id, self.start, self.end = ctx, person_id, start, end
        self.setWindowTitle("打印预览 — 一人一档")
        self._tmp = Path(tempfile.mkdtemp(prefix="silverdesk-profile-"))
        self._renders = itertools.count(1)
        self.profile: PersonProfile | None = None
        self.path: Path | None = None
        self._job: TaskHandle | None = None
        self.document = QPdfDocument(self)
        self.view = page_view(self.document)
        self.full = UnmaskBox("不隐藏电话/住址（仅限内部留存）")
        self.full.toggled.connect(lambda _on: self.render())
        self.status = QtWidgets.QLabel()
        self.print_button = QtWidgets.QPushButton("打印…")
        self.print_button.setShortcut(QtGui.QKeySequence.StandardKey.Print)
        self.print_button.setToolTip("选择打印机并打印（Ctrl+P）")
        self.print_button.clicked.connect(self.print_pages)
        self.save_button = QtWidgets.QPushButton("保存PDF…")
        self.save_button.setToolTip("把这一页另存为 PDF 文件")
        self.save_button.clicked.connect(self.save_pdf)
        close = QtWidgets.QPushButton("关闭")
        close.clicked.connect(self.reject)
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(self.full)
        bar.addWidget(self.status, 1)
        for button in (self.print_button, self.save_button, close):
            bar.addWidget(button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        char = self.fontMetrics().horizontalAdvance("汉")
        self.resize(char * 60, char * 60)
        self.render()

    def render(self) -> None:
        """Gather the profile (first time) and lay the page out, in a worker."""
        from silverdesk.reports.profile_pdf import write_profile_pdf

        services, person_id, start, end = self.ctx.services, self.person_id, self.start, self.end
        known, policy = self.profile, self.full.policy()
        target = self._tmp / f"profile-{next(self._renders)}.pdf"  # a new name: the old one may be open
        self._set_busy(True)

        def work(_progress: Progress, cancel: CancelToken) -> tuple[PersonProfile, Path]:
            profile = known or services.profiles.profile(person_id, start, end)
            cancel.raise_if_set()
            write_profile_pdf(profile, target, mask=policy)
            return profile, target

        def failed(exc: BaseException) -> None:
            self._job = None
            self._set_busy(False)
            self.status.setText("未能生成一人一档")
            from silverdesk.ui.errors import show_error

            show_error(self, exc)

        if self._job is not None:
            self._job.discard()
        self._job = self.ctx.runner.run(
            work, self._rendered, on_error=failed, title="正在生成一人一档……", parent=self
        )

    def _rendered(self, result: tuple[PersonProfile, Path]) -> None:
        self._job = None
        self.profile, self.path = result
        self.document.load(str(self.path))
        self.setWindowTitle(f"打印预览 — 一人一档 {self.profile.name}")
        self._set_busy(False)
        self.status.setText(
            f"{self.profile.name}，{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}，共 {self.document.pageCount()} 页"
        )

    def _set_busy(self, busy: bool) -> None:
        self.print_button.setEnabled(not busy and self.path is not None)
        self.save_button.setEnabled(not busy and self.path is not None)
        if busy:
            self.status.setText("正在生成……")

    def file_name(self) -> str:
        name = self.profile.name if self.profile else "人员"
        return f"一人一档_{name}_{self.start:%Y%m%d}-{self.end:%Y%m%d}.pdf"

    def print_pages(self) -> None:
        from silverdesk.ui.widgets.print_preview import print_document

        if self.path is not None and print_document(self, self.document):
            self.ctx.notify(self, f"已送打印：{self.document.pageCount()} 页")

    def save_pdf(self) -> None:
        if self.path is None:
            return
        target = self.ctx.ask_save_file(self, "保存一人一档 PDF", self.file_name())
        if target is None:
            return
        shutil.copyfile(self.path, target)
        self.ctx.notify(self, f"已保存到 {target}")

    def done(self, result: int) -> None:
        if self._job is not None:
            self._job.discard()
        self.document.close()
        shutil.rmtree(self._tmp, ignore_errors=True)
        super().done(result)


def open_profile(ctx: UiContext, person_id: int, parent: QtWidgets.QWidget | None = None) -> None:
    """一人一档…: the span, then the preview (both modal)."""
    span = SpanDialog(ctx, parent)
    if span.exec() != QtWidgets.QDialog.DialogCode.Accepted:
        return
    start, end = span.dates()
    if start > end:
        ctx.notify(parent, f"起始日期 {start:%Y-%m-%d} 晚于截止日期 {end:%Y-%m-%d}，请重新选择时段")
        return
    ProfilePreview(ctx, person_id, start, end, parent).exec()
