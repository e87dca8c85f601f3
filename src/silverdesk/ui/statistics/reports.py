"""报表: pick period, scope and layout; preview the PDF inside the app; edit the narrative; save as
Excel and/or PDF, print, open the folder; recent reports listed.

The statistics and the files are made in a worker (progress and cancel on big databases); the
preview is the very PDF that would be saved, shown with QtPdf.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtPdf import QPdfDocument

from silverdesk.domain.privacy import MaskPolicy
from silverdesk.progress import CancelToken, Progress
from silverdesk.reports.model import ReportData
from silverdesk.services.statistics.periods import ReportPeriod, month, quarter, since, year
from silverdesk.services.statistics.reporting import ReportService
from silverdesk.services.statistics.tables import report_footer
from silverdesk.ui.context import UiContext
from silverdesk.ui.statistics import signatories
from silverdesk.ui.widgets.privacy import UnmaskBox

if TYPE_CHECKING:
    from silverdesk.ui.statistics.pivot_screen import PivotView

KINDS = (
    ("month", "月报"),
    ("quarter", "季报"),
    ("year", "年报"),
    ("custom", "自定义时段"),
    ("since", "累计（自某日起至今）"),
)
RECENT_KEY = "reports/recent"
RECENT_MAX = 12
EMPTY_PREVIEW = (
    "这里将显示报表的预览。\n\n"
    "先在左边选好报表类型（月报、季报、年报或自定义时段）、统计时段和统计范围，"
    "再按 F5 或点“生成预览”。\n\n"
    "预览就是将要保存的报表：核对无误后按 Ctrl+S 保存为 Excel 和 PDF，或按 Ctrl+P 打印。"
)


class ReportsView(QtWidgets.QWidget):
    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: ReportData | None = None
        self.signatories_dialog: signatories.SignatoriesDialog | None = None  # asked once, see preview()
        self._tmp = Path(tempfile.mkdtemp(prefix="silverdesk-report-"))
        self.document = QPdfDocument(self)
        self._build()
        self._load_recent()

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        today = self.ctx.services.ctx.today()
        last_month = today.replace(day=1) - dt.timedelta(days=1)
        self.kind = QtWidgets.QComboBox()
        for key, label in KINDS:
            self.kind.addItem(label, key)
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(last_month.year)
        self.year.setSuffix(" 年")
        self.part = QtWidgets.QSpinBox()
        self.part.setRange(1, 12)
        self.part.setValue(last_month.month)
        self.start = QtWidgets.QDateEdit(QtCore.QDate(today.year, 1, 1))
        self.end = QtWidgets.QDateEdit(QtCore.QDate(today.year, today.month, today.day))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.scope = QtWidgets.QComboBox()
        self.scope.addItem(f"{self.ctx.services.units.whole_label()}（本级及全部下级）", None)
        for node in self.ctx.services.units.tree():
            if 0 < node.depth <= 2:
                self.scope.addItem("　" * (node.depth - 1) + node.name, node.id)
        self.as_xlsx = QtWidgets.QCheckBox("Excel（.xlsx）")
        self.as_xlsx.setChecked(True)
        self.as_pdf = QtWidgets.QCheckBox("PDF")
        self.as_pdf.setChecked(True)
        self.layout_file = QtWidgets.QLineEdit()
        self.layout_file.setPlaceholderText("内置版式（可选：省里的表格模板或版式文件）")
        self.layout_file.setReadOnly(True)
        pick_layout = QtWidgets.QPushButton("选择…")
        pick_layout.clicked.connect(self._pick_layout)
        clear_layout = QtWidgets.QPushButton("用内置版式")
        clear_layout.clicked.connect(self.layout_file.clear)

        form = QtWidgets.QFormLayout()
        form.addRow("报表类型", self.kind)
        period_row = QtWidgets.QHBoxLayout()
        period_row.addWidget(self.year)
        period_row.addWidget(self.part)
        form.addRow("统计时段", period_row)
        custom_row = QtWidgets.QHBoxLayout()
        custom_row.addWidget(self.start)
        self.to_label = QtWidgets.QLabel("至")
        custom_row.addWidget(self.to_label)
        custom_row.addWidget(self.end)
        self.custom_label = QtWidgets.QLabel("自定义")
        form.addRow(self.custom_label, custom_row)
        form.addRow("统计范围", self.scope)
        self.reported_on = QtWidgets.QDateEdit(QtCore.QDate(today.year, today.month, today.day))
        self.reported_on.setCalendarPopup(True)
        self.reported_on.setDisplayFormat("yyyy-MM-dd")
        self.reported_on.setToolTip("印在报表末尾的报送日期；默认今天")
        form.addRow("报送日期", self.reported_on)
        formats = QtWidgets.QHBoxLayout()
        formats.addWidget(self.as_xlsx)
        formats.addWidget(self.as_pdf)
        form.addRow("保存格式", formats)
        self.unmask = UnmaskBox()
        self.unmask.setToolTip("默认隐藏文字中出现的身份证号和手机号的中间几位；只有仅供内部使用时才勾选")
        form.addRow("个人信息", self.unmask)
        layout_row = QtWidgets.QHBoxLayout()
        layout_row.addWidget(self.layout_file, 1)
        layout_row.addWidget(pick_layout)
        layout_row.addWidget(clear_layout)
        form.addRow("版式", layout_row)

        # F5 (the main window's 刷新 calls ``reload``), Ctrl+S and Ctrl+P are the main window's keys;
        # the buttons only name them — a second binding of the same key would make Qt fire neither
        self.preview_button = QtWidgets.QPushButton("生成预览 (F5)")
        self.preview_button.setToolTip("按所选时段和范围统计，在右边显示报表（F5 或 Ctrl+Enter）")
        self.preview_button.clicked.connect(self.preview)
        preview_keys = QtGui.QAction(self)
        preview_keys.setShortcuts([QtGui.QKeySequence("Ctrl+Return"), QtGui.QKeySequence("Ctrl+Enter")])
        preview_keys.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        preview_keys.triggered.connect(lambda _checked=False: self.preview())
        self.preview_keys = preview_keys  # on the 报表 tab only: 分组统计 has its own Ctrl+Enter
        self.save_button = QtWidgets.QPushButton("保存… (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.print_button = QtWidgets.QPushButton("打印… (Ctrl+P)")
        self.print_button.clicked.connect(self.print_report)
        for button in (self.save_button, self.print_button):
            button.setEnabled(False)
        buttons = QtWidgets.QHBoxLayout()
        for button in (self.preview_button, self.save_button, self.print_button):
            buttons.addWidget(button)

        self.narrative = QtWidgets.QPlainTextEdit()
        self.narrative.setPlaceholderText(
            "生成预览后，这里是报表的文字说明，可以修改；修改后点“生成预览”查看效果。"
        )
        self.narrative.setMinimumHeight(120)
        self.status = QtWidgets.QLabel("选择时段和范围后点“生成预览”。")
        self.status.setWordWrap(True)
        self.recent = QtWidgets.QListWidget()
        self.recent.setToolTip("双击打开；右侧按钮打开所在文件夹")
        self.recent.itemActivated.connect(self._open_recent)
        open_folder = QtWidgets.QPushButton("打开所在文件夹")
        open_folder.clicked.connect(self._open_folder)

        left = QtWidgets.QVBoxLayout()
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(self.status)
        left.addWidget(QtWidgets.QLabel("文字说明（可修改）"))
        left.addWidget(self.narrative, 1)
        left.addWidget(QtWidgets.QLabel("最近生成的报表"))
        left.addWidget(self.recent)
        left.addWidget(open_folder)
        left_box = QtWidgets.QWidget()
        left_box.setLayout(left)
        left_box.setMaximumWidth(460)

        from silverdesk.ui.widgets.print_preview import page_view

        self.view = page_view(self.document)
        self.view.setMinimumWidth(self.fontMetrics().horizontalAdvance("汉") * 24)
        self.empty = QtWidgets.QLabel(EMPTY_PREVIEW)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(self.fontMetrics().horizontalAdvance("汉") * 3)
        self.empty.setAutoFillBackground(True)
        self.empty.setBackgroundRole(QtGui.QPalette.ColorRole.Base)
        self.pages = QtWidgets.QStackedWidget()  # the hint until the first preview, then the PDF
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.view)
        splitter = QtWidgets.QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.addAction(self.preview_keys)
        # 分组统计 is a tab beside the report; built when first shown (Ctrl+0, or Ctrl+Tab in the tabs)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(splitter, "报表")
        self.pivot_page = QtWidgets.QWidget()
        QtWidgets.QVBoxLayout(self.pivot_page).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.pivot_page, "分组统计")
        self.tabs.setTabToolTip(1, "任意指标按任意分组统计，可查看明细、导出、打印和保存（Ctrl+0）")
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())
        self.pivot: PivotView | None = None
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    # -- the 分组统计 tab -------------------------------------------------------------------------------
    def _tab_changed(self) -> None:
        if self.tabs.currentWidget() is self.pivot_page and self.pivot is None:
            from silverdesk.ui.statistics.pivot_screen import PivotView

            self.pivot = PivotView(self.ctx)
            layout = self.pivot_page.layout()
            assert layout is not None
            layout.addWidget(self.pivot)

    def show_pivot(self) -> PivotView:
        """Show the 分组统计 tab, the keyboard in its measures."""
        self.tabs.setCurrentWidget(self.pivot_page)
        self._tab_changed()
        assert self.pivot is not None
        self.pivot.focus_main()
        return self.pivot

    def _on_pivot(self) -> PivotView | None:
        """The 分组统计 tab when it is the one shown (the menus' 导出, 保存, 打印, 刷新 act on it)."""
        return self.pivot if self.tabs.currentWidget() is self.pivot_page else None

    def export(self) -> None:
        """Ctrl+E: the 分组统计 table to a file; on the 报表 tab, the report is saved (Ctrl+S)."""
        pivot = self._on_pivot()
        if pivot is not None:
            pivot.export()
        else:
            self.save()

    def _kind_changed(self) -> None:
        key = self.kind.currentData()
        self.part.setVisible(key in ("month", "quarter"))
        self.year.setVisible(key not in ("custom", "since"))
        for widget in (self.start, self.custom_label):
            widget.setVisible(key in ("custom", "since"))
        for widget in (self.end, self.to_label):
            widget.setVisible(key == "custom")
        self.custom_label.setText("起始日期" if key == "since" else "自定义")
        if key == "month":
            self.part.setRange(1, 12)
            self.part.setSuffix(" 月")
        elif key == "quarter":
            self.part.setRange(1, 4)
            self.part.setValue(min(self.part.value(), 4))
            self.part.setSuffix(" 季度")

    # -- actions --------------------------------------------------------------------------------
    def period(self) -> ReportPeriod:
        key = self.kind.currentData()
        if key == "month":
            return month(self.year.value(), self.part.value())
        if key == "quarter":
            return quarter(self.year.value(), self.part.value())
        if key == "year":
            return year(self.year.value())
        if key == "since":
            return since(self.start.date().toPython(), self.ctx.services.ctx.today())
        start, end = self.start.date().toPython(), self.end.date().toPython()
        return ReportPeriod(min(start, end), max(start, end), "custom")

    def reload(self) -> None:
        """F5: make the preview again, with the period, scope and 报送日期 chosen now (分组统计: ask again)."""
        pivot = self._on_pivot()
        if pivot is not None:
            pivot.reload()
            return
        self.preview()

    def preview(self) -> None:
        if not self.preview_button.isEnabled():
            return  # one is being made
        if signatories.should_ask(self.ctx):  # the first report while 填表人… are not set: ask once
            self.signatories_dialog = signatories.SignatoriesDialog(self.ctx, self)
            self.signatories_dialog.finished.connect(lambda _result: self._make_preview())
            self.signatories_dialog.open()
            return
        self._make_preview()

    def _make_preview(self) -> None:
        period, unit_id = self.period(), self.scope.currentData()
        reported_on = self.reported_on.date().toPython()
        edited = self.narrative.toPlainText().strip() if self.data and self._same(period, unit_id) else None
        target = self._tmp / f"预览-{dt.datetime.now():%H%M%S%f}.pdf"
        mask = self.mask_policy()
        reports = ReportService(self.ctx.services.ctx)

        def work(progress: Progress, cancel: CancelToken) -> tuple[ReportData, Path]:
            data = reports.build(
                period,
                unit_id,
                narrative=edited or None,
                reported_on=reported_on,
                progress=progress,
                cancel=cancel,
            )
            from silverdesk.reports.masking import mask_report
            from silverdesk.reports.pdf import write_pdf

            cancel.raise_if_set()
            return data, write_pdf(mask_report(data, mask), target)  # the preview is what would be saved

        self.status.setText("正在统计……")
        self.preview_button.setEnabled(False)
        self.ctx.runner.run(
            work,
            self._previewed,
            on_error=self._failed,
            on_cancelled=self._cancelled,
            title="正在生成报表",
            parent=self,
        )

    def _cancelled(self) -> None:
        self.preview_button.setEnabled(True)
        self.status.setText("已取消生成报表。")

    def mask_policy(self) -> MaskPolicy:
        """Masked unless the clerk ticked “不隐藏身份证号/电话”."""
        return self.unmask.policy()

    def _same(self, period: ReportPeriod, unit_id: int | None) -> bool:
        assert self.data is not None
        return (self.data.period.start, self.data.period.end) == (
            period.start,
            period.end,
        ) and self._unit_id == unit_id

    def _previewed(self, result: tuple[ReportData, Path]) -> None:
        self.data, pdf = result
        self._unit_id = self.scope.currentData()
        self.preview_button.setEnabled(True)
        self.narrative.setPlainText(self.data.narrative)
        self.document.load(str(pdf))
        self.pages.setCurrentWidget(self.view)
        total = self.data.table1_total
        self.status.setText(
            f"{self.data.title}（{self.data.period.label}）：活动 {total.activities} 场次，"
            f"受益 {total.beneficiaries} 人次；共 {self.document.pageCount()} 页。"
        )
        for button in (self.save_button, self.print_button):
            button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.preview_button.setEnabled(True)
        self.status.setText("未能生成报表，请看提示。")
        from silverdesk.ui.errors import show_error

        show_error(self, exc)

    def save(self) -> None:
        pivot = self._on_pivot()
        if pivot is not None:
            pivot.save()
            return
        if self.data is None:
            self.status.setText("请先生成预览（F5），核对后再保存。")
            return
        if not self.save_button.isEnabled():
            return  # a save is being written
        if not (self.as_xlsx.isChecked() or self.as_pdf.isChecked()):
            self.status.setText("请至少勾选一种保存格式。")
            return
        data = dataclasses.replace(
            self.data,
            narrative=self.narrative.toPlainText().strip() or self.data.narrative,
            footer=report_footer(
                self.ctx.services.settings.all(),  # as set now
                self.reported_on.date().toPython(),
            ),
        )
        suggested = str(Path(self._last_folder()) / f"{data.title}（{data.period.label}）.xlsx")
        chosen = self.ctx.ask_save_path(self, "保存报表", suggested, "Excel 工作簿 (*.xlsx);;PDF (*.pdf)")
        if not chosen:
            return
        stem = Path(chosen).with_suffix("")
        layout = Path(self.layout_file.text()) if self.layout_file.text() else None
        form = layout if layout and layout.suffix.lower() == ".xlsx" else None
        layout_json = layout if layout and layout.suffix.lower() == ".json" else None
        formats = [f for f, box in (("xlsx", self.as_xlsx), ("pdf", self.as_pdf)) if box.isChecked()]
        reports = ReportService(self.ctx.services.ctx)
        mask = self.mask_policy()
        unit_id = self._unit_id  # the scope the shown report was made for

        def work(progress: Progress, cancel: CancelToken) -> list[Path]:
            return reports.save(
                data,
                [(stem.with_suffix(f".{fmt}"), fmt) for fmt in formats],
                layout=layout_json,
                form=form,
                mask=mask,
                progress=progress,
                cancel=cancel,
                unit_id=unit_id,
            )  # all files or none

        def cancelled() -> None:
            self.save_button.setEnabled(True)
            self.status.setText("已取消保存报表，没有写入任何文件。")

        def failed(exc: BaseException) -> None:
            from silverdesk.ui.errors import show_error

            self.save_button.setEnabled(True)
            show_error(self, exc)

        self.save_button.setEnabled(
            False
        )  # one save at a time: Ctrl+S meanwhile asks nothing, writes nothing
        self.ctx.runner.run(
            work, self._saved, on_error=failed, on_cancelled=cancelled, title="正在保存报表", parent=self
        )

    def _saved(self, paths: list[Path]) -> None:
        self.save_button.setEnabled(True)
        for path in paths:
            self._remember(path)
        self.status.setText("已保存：" + "；".join(str(p) for p in paths))
        self.ctx.notify(self, f"报表已保存到 {paths[0].parent}")

    def print_report(self) -> None:
        pivot = self._on_pivot()
        if pivot is not None:
            pivot.print_report()
            return
        if self.data is None:
            self.status.setText("请先生成预览（F5），核对后再打印。")
            return
        from silverdesk.ui.widgets.print_preview import print_document

        print_document(self, self.document)

    # -- recent reports and files ---------------------------------------------------------------
    def _recent_paths(self) -> list[str]:
        value = self.ctx.state.qsettings.value(RECENT_KEY, [])
        return [v for v in (value if isinstance(value, list) else [value]) if v]

    def _remember(self, path: Path) -> None:
        paths = [str(path)] + [p for p in self._recent_paths() if p != str(path)]
        self.ctx.state.qsettings.setValue(RECENT_KEY, paths[:RECENT_MAX])
        self._load_recent()

    def _load_recent(self) -> None:
        self.recent.clear()
        for path in self._recent_paths():
            item = QtWidgets.QListWidgetItem(Path(path).name)
            item.setToolTip(path)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, path)
            if not Path(path).exists():
                item.setText(item.text() + "（已移走）")
            self.recent.addItem(item)

    def _last_folder(self) -> str:
        recent = self._recent_paths()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def _open_recent(self, item: QtWidgets.QListWidgetItem) -> None:
        QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(item.data(QtCore.Qt.ItemDataRole.UserRole)))

    def _open_folder(self) -> None:
        item = self.recent.currentItem() or self.recent.item(0)
        folder = (
            Path(item.data(QtCore.Qt.ItemDataRole.UserRole)).parent if item else Path(self._last_folder())
        )
        QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(folder)))

    def _pick_layout(self) -> None:
        paths = self.ctx.ask_open_paths(
            self, "选择版式", self._last_folder(), "省里的表格模板 (*.xlsx);;版式文件 (*.json)"
        )
        if paths:
            self.layout_file.setText(paths[0])
