"""Ctrl+P on a list: the list as paginated A4 pages, previewed, then printed or saved as PDF.

A screen that can print offers ``print_source()``, returning a :class:`PrintSource`: the title,
the filter in force, the visible columns and a callable yielding the records in view order
(called in a worker).  The pages come from ``reports/list_pdf.py`` (the same embedded font as
the reports, header row on every page, page numbers), so what is previewed is what prints.
ID numbers, phones and addresses are masked unless the clerk ticks the box for an internal copy.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView

from silverdesk.domain.privacy import ADDRESS_FIELDS, ID_FIELDS, PHONE_FIELDS
from silverdesk.progress import CancelToken, Progress
from silverdesk.ui.context import UiContext
from silverdesk.ui.models.columns import Column, format_value
from silverdesk.ui.tasks import TaskHandle
from silverdesk.ui.widgets.privacy import UnmaskBox

PERSONAL_FIELDS = ID_FIELDS | PHONE_FIELDS | ADDRESS_FIELDS


@dataclass(frozen=True)
class PrintSource:
    title: str
    subtitle: str
    columns: Sequence[Column]
    total: int
    records: Callable[[], Iterable[Any]]  # runs in a worker thread


def field_value(record: Any, key: str) -> object:
    return record.get(key) if isinstance(record, dict) else getattr(record, key, None)


def cell_text(column: Column, value: object) -> str:
    """A cell as printed: the column's own formatting (积分 “+12”, 逾期 …), except for personal data,
    which prints as the masking choice left it — never in the screen's partly hidden form."""
    if column.key in PERSONAL_FIELDS:
        return format_value(value)
    return column.text(value)


def page_through(
    ids: Sequence[int], fetch: Callable[[Sequence[int]], Sequence[Any]], size: int = 500
) -> Iterator[Any]:
    """Records for ``ids`` fetched a page at a time (flat memory on long lists)."""
    for start in range(0, len(ids), size):
        yield from fetch(ids[start : start + size])


def filter_summary(widgets: Iterable[QtWidgets.QWidget]) -> str:
    """What a filter bar says in words: the search text and every combo not on its "all" entry."""
    parts, dates = [], []
    for widget in widgets:
        if isinstance(
            widget, QtWidgets.QDateEdit
        ):  # before QLineEdit-like checks: a date range reads "A 至 B"
            if widget.isEnabled() and widget.isVisible():
                dates.append(widget.date().toString("yyyy-MM-dd"))
        elif isinstance(widget, QtWidgets.QLineEdit) and widget.text().strip():
            parts.append(f"搜索“{widget.text().strip()}”")
        elif isinstance(widget, QtWidgets.QComboBox) and widget.currentIndex() > 0 and widget.isEnabled():
            parts.append(widget.currentText())
    if dates:
        parts.insert(0, " 至 ".join(dates))
    return "筛选：" + "，".join(parts) if parts else ""


def paint_pdf(document: QPdfDocument, printer: QtGui.QPagedPaintDevice) -> None:
    """Print every page of ``document`` at the printer's resolution."""
    painter = QtGui.QPainter(printer)
    try:
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            rect = painter.viewport()
            size = document.pagePointSize(index).scaled(
                rect.size().toSizeF(), QtCore.Qt.AspectRatioMode.KeepAspectRatio
            )
            image = document.render(index, size.toSize())
            painter.drawImage(QtCore.QPoint(0, 0), image)
    finally:
        painter.end()


def page_view(document: QPdfDocument) -> QPdfView:
    """The pages of ``document`` one under another, fitted to the width.  The vertical scroll bar
    is always there: were it to come and go, the pages' fitted width would change with it, and a
    document about as tall as the view would make it come and go for ever (the window busy)."""
    view = QPdfView()
    view.setDocument(document)
    view.setPageMode(QPdfView.PageMode.MultiPage)
    view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
    view.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    return view


def print_document(parent: QtWidgets.QWidget, document: QPdfDocument) -> bool:
    """Ask for a printer and print ``document``; False when the clerk cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    if document.pageCount() == 0:
        return False
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4))
    first = document.pagePointSize(0)
    if first.width() > first.height():
        printer.setPageOrientation(QtGui.QPageLayout.Orientation.Landscape)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
        return False
    paint_pdf(document, printer)
    return True


class PrintPreview(QtWidgets.QDialog):
    """The pages of a list, with 打印…, 另存为 PDF… and the masking choice."""

    def __init__(self, ctx: UiContext, source: PrintSource, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.source = ctx, source
        self.setWindowTitle(f"打印预览 — {source.title}")
        self._tmp = Path(tempfile.mkdtemp(prefix="silverdesk-print-"))
        self._renders = itertools.count(1)
        self.path: Path | None = None
        self._job: TaskHandle | None = None
        self.document = QPdfDocument(self)
        self.view = page_view(self.document)
        self.full = UnmaskBox("不隐藏身份证号/电话（仅限内部留存）")
        self.full.toggled.connect(lambda _on: self.render())
        self.status = QtWidgets.QLabel()
        self.print_button = QtWidgets.QPushButton("打印…")
        self.print_button.setShortcut(QtGui.QKeySequence.StandardKey.Print)
        self.print_button.setToolTip("选择打印机并打印全部页（Ctrl+P）")
        self.print_button.clicked.connect(self.print_pages)
        self.save_button = QtWidgets.QPushButton("另存为 PDF…")
        self.save_button.clicked.connect(self.save_pdf)
        self.again_button = QtWidgets.QPushButton("重新排版")
        self.again_button.setToolTip("排版被取消后，再排一次")
        self.again_button.clicked.connect(self.render)
        self.again_button.setVisible(False)
        close = QtWidgets.QPushButton("关闭")
        close.clicked.connect(self.reject)
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(self.full)
        bar.addWidget(self.status, 1)
        for button in (self.again_button, self.print_button, self.save_button, close):
            bar.addWidget(button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        char = self.fontMetrics().horizontalAdvance("汉")
        self.resize(char * 70, char * 50)
        self.render()

    def render(self) -> None:
        """Lay the pages out again (in a worker); the preview shows them when done."""
        from silverdesk.reports.list_pdf import write_list_pdf

        source, columns = self.source, list(self.source.columns)
        policy = self.full.policy()
        target = self._tmp / f"list-{next(self._renders)}.pdf"  # a new name: the old file may still be open
        self._set_busy(True)

        def rows() -> Iterator[list[str]]:
            for record in source.records():
                yield [cell_text(c, policy.value(c.key, field_value(record, c.key))) for c in columns]

        def work(progress: Progress, cancel: CancelToken) -> Path:
            write_list_pdf(
                target,
                source.title,
                [c.title for c in columns],
                [c.width for c in columns],
                rows(),
                subtitle=source.subtitle,
                total=source.total,
                progress=progress,
                cancel=cancel,
            )
            return target

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.status.setText("未能生成打印页")
            from silverdesk.ui.errors import show_error

            show_error(self, exc)

        def cancelled() -> None:
            self._job = None
            self._set_busy(False)
            self.again_button.setVisible(True)
            self.status.setText(
                "已取消排版" + ("，仍显示上次排好的页" if self.path else "") + "；点“重新排版”可再排一次"
            )

        if self._job is not None:
            self._job.discard()  # the box was toggled again: only the newest layout counts
        self._job = self.ctx.runner.run(
            work,
            self._rendered,
            on_error=failed,
            on_cancelled=cancelled,
            title=f"正在排版 {source.total:,} 行……",
            parent=self,
        )

    def _rendered(self, path: Path) -> None:
        self._job = None
        self.document.load(str(path))
        self.path = path
        self._set_busy(False)
        self.status.setText(f"共 {self.document.pageCount()} 页")

    def _set_busy(self, busy: bool) -> None:
        self.print_button.setEnabled(not busy and self.path is not None)
        self.save_button.setEnabled(not busy and self.path is not None)
        if busy:
            self.again_button.setVisible(False)
            self.status.setText("正在排版……")

    def print_pages(self) -> None:
        if self.path is not None and print_document(self, self.document):
            self.ctx.notify(self, f"已送打印：{self.document.pageCount()} 页")

    def save_pdf(self) -> None:
        if self.path is None:
            return
        target = self.ctx.ask_save_file(self, "另存为 PDF", f"{self.source.title}.pdf")
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
