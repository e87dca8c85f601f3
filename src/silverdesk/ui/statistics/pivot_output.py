"""分组统计 on paper and in files: the table written to xlsx or PDF (``reports/pivot_xlsx.py``,
``reports/pivot_pdf.py``: the same :class:`PivotTable` the screen shows), and the print preview —
the PDF that would print, shown in the app, then 打印… or 另存为 PDF…."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6 import QtWidgets
from PySide6.QtPdf import QPdfDocument

from silverdesk.reports.pivot import PivotTable
from silverdesk.ui.context import UiContext

FILTERS = "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)"


def write_table(table: PivotTable, path: Path) -> Path:
    """Write ``table`` to ``path`` as xlsx or PDF, by its suffix (runs in a worker)."""
    if path.suffix.lower() == ".pdf":
        from silverdesk.reports.pivot_pdf import write_pivot_pdf  # type: ignore[import-not-found,unused-ignore]

        write_pivot_pdf(table, path)
    else:
        from silverdesk.reports.pivot_xlsx import write_pivot_xlsx  # type: ignore[import-not-found,unused-ignore]

        write_pivot_xlsx(table, path)
    return path


def export_target(chosen: str) -> Path:
    """The file the clerk chose, ``.xlsx`` unless ``.pdf`` was named."""
    path = Path(chosen)
    return path if path.suffix.lower() in (".xlsx", ".pdf") else path.with_name(path.name + ".xlsx")


def file_stem(table: PivotTable) -> str:
    name = f"{table.title}（{table.scope}，{table.period}）"
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)


class PrintPreviewDialog(QtWidgets.QDialog):
    """The pages of the table as they print (the PDF the export writes); 打印… asks for a printer."""

    def __init__(
        self, ctx: UiContext, table: PivotTable, pdf: Path, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from silverdesk.ui.widgets.print_preview import page_view

        self.ctx, self.table, self.pdf = ctx, table, pdf
        self.setWindowTitle(f"打印预览 — {table.title}")
        self.document = QPdfDocument(self)
        self.document.load(str(pdf))
        self.view = page_view(self.document)
        self.status = QtWidgets.QLabel(f"共 {self.document.pageCount()} 页")
        self.print_button = QtWidgets.QPushButton("打印…")
        self.print_button.setToolTip("选择打印机并打印全部页")
        self.print_button.clicked.connect(self.print_pages)
        save = QtWidgets.QPushButton("另存为 PDF…")
        save.clicked.connect(self.save_pdf)
        close = QtWidgets.QPushButton("关闭")
        close.clicked.connect(self.reject)
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(self.status, 1)
        for button in (self.print_button, save, close):
            bar.addWidget(button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        char = self.fontMetrics().horizontalAdvance("汉")
        self.resize(char * 70, char * 50)
        self.print_button.setFocus()

    def print_pages(self) -> None:
        from silverdesk.ui.widgets.print_preview import print_document

        if print_document(self, self.document):
            self.ctx.notify(self, f"已送打印：{self.document.pageCount()} 页")

    def save_pdf(self) -> None:
        target = self.ctx.ask_save_file(self, "另存为 PDF", f"{file_stem(self.table)}.pdf")
        if target is None:
            return
        shutil.copyfile(self.pdf, target)
        self.ctx.notify(self, f"已保存到 {target}")

    def done(self, result: int) -> None:
        self.document.close()
        shutil.rmtree(self.pdf.parent, ignore_errors=True)
        super().done(result)


def preview_path() -> Path:
    """A fresh file for the pages to print (its folder is removed when the preview closes)."""
    return Path(tempfile.mkdtemp(prefix="silverdesk-pivot-")) / "分组统计.pdf"
