"""设置 › 操作日志: who changed what, when, from which value to which (issue #7).

Filters (date range, operator, object, action, text) run in SQL through ``AuditQuery``; the
table shows one page of 200 entries at a time (PgUp/PgDn), so a log of 100,000 entries stays as
fast as a small one.  The detail pane below shows the selected entry's fields with old and new
values.  ID numbers and phones are masked on screen unless 安全 says otherwise, and the export
masks them unless “不隐藏身份证号/电话” is ticked.
"""

from __future__ import annotations

import datetime as dt

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.domain.privacy import MaskPolicy
from silverdesk.errors import SilverdeskError
from silverdesk.progress import CancelToken, Progress
from silverdesk.services.system.audit import AuditEntry, AuditFilter, AuditPage, value_text
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.org.lists import KeyHandler
from silverdesk.ui.widgets.data_table import read_only_table, selected_item
from silverdesk.ui.widgets.privacy import UnmaskBox

PAGE_SIZE = 200
COLUMNS = ("时间", "操作人", "操作", "对象", "编号", "摘要")
SCREEN_MASK_KEY = "privacy/mask_audit_screen"


def screen_mask_enabled(ctx: UiContext) -> bool:
    """Mask ID numbers and phones in the 操作日志 tab (default: yes; see 安全)."""
    value = ctx.state.qsettings.value(SCREEN_MASK_KEY, True)
    return value not in (False, "false", "0", 0)


def set_screen_mask(ctx: UiContext, enabled: bool) -> None:
    ctx.state.qsettings.setValue(SCREEN_MASK_KEY, bool(enabled))


class AuditTab(QtWidgets.QWidget):
    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page_no = 0
        self.total = 0
        self.entries: list[AuditEntry] = []
        self._generation = 0  # the page asked for last: an older one that arrives later is dropped
        today = ctx.services.ctx.today()
        self.use_dates = QtWidgets.QCheckBox("日期")
        self.use_dates.setToolTip("勾选后只看这段日期内的记录")
        self.start = QtWidgets.QDateEdit(QtCore.QDate(today.year, today.month, 1))
        self.end = QtWidgets.QDateEdit(QtCore.QDate(today.year, today.month, today.day))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(lambda _d: self.apply())
        self.use_dates.toggled.connect(self._dates_toggled)
        self.operator = QtWidgets.QComboBox()
        self.operator.setToolTip("只看某位操作人的记录")
        self.entity = QtWidgets.QComboBox()
        self.entity.setToolTip("只看某类对象（人员、活动、设置……）的记录")
        self.action = QtWidgets.QComboBox()
        self.action.setToolTip("只看某种操作（新增、修改、导入、恢复……）")
        for combo in (self.operator, self.entity, self.action):
            combo.setMinimumContentsLength(6)
            combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.activated.connect(lambda _i: self.apply())
        self.text = QtWidgets.QLineEdit()
        self.text.setPlaceholderText("搜索摘要、字段值或操作人，Enter 查找")
        self.text.setClearButtonEnabled(True)
        self.text.returnPressed.connect(self.apply)
        search = QtWidgets.QPushButton("查找")
        search.clicked.connect(self.apply)
        self.unmask_export = UnmaskBox()
        self.export_button = QtWidgets.QPushButton("导出 Excel…")
        self.export_button.setToolTip("把筛选出的全部记录导出为 Excel（Ctrl+E）")
        self.export_button.clicked.connect(self.export)

        first = QtWidgets.QHBoxLayout()
        first.addWidget(self.use_dates)
        first.addWidget(self.start)
        first.addWidget(QtWidgets.QLabel("至"))
        first.addWidget(self.end)
        for label, combo in (("操作人", self.operator), ("对象", self.entity), ("操作", self.action)):
            first.addSpacing(12)
            first.addWidget(QtWidgets.QLabel(label))
            first.addWidget(combo)
        first.addStretch(1)
        second = QtWidgets.QHBoxLayout()
        second.addWidget(self.text, 1)
        second.addWidget(search)
        filters = QtWidgets.QVBoxLayout()
        filters.addLayout(first)
        filters.addLayout(second)

        self.table = read_only_table(COLUMNS)
        self.table.setWordWrap(False)
        self.table.itemSelectionChanged.connect(self._show_detail)

        self.prev_button = QtWidgets.QPushButton("上一页(&P)")
        self.prev_button.setToolTip("Alt+P；或在第一行按 PgUp")
        self.prev_button.clicked.connect(lambda: self.go_page(self.page_no - 1))
        self.next_button = QtWidgets.QPushButton("下一页(&N)")
        self.next_button.setToolTip("Alt+N；或在最后一行按 PgDn")
        self.next_button.clicked.connect(lambda: self.go_page(self.page_no + 1))
        self.page_label = QtWidgets.QLabel()
        pager = QtWidgets.QHBoxLayout()
        pager.addWidget(self.page_label, 1)
        pager.addWidget(self.prev_button)
        pager.addWidget(self.next_button)
        pager.addSpacing(24)
        pager.addWidget(self.unmask_export)
        pager.addWidget(self.export_button)

        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QtWidgets.QTableWidget(0, 3)
        self.detail.setHorizontalHeaderLabels(("字段", "原值", "新值"))
        self.detail.verticalHeader().setVisible(False)
        self.detail.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Stretch)
        detail_box = QtWidgets.QWidget()
        dbox = QtWidgets.QVBoxLayout(detail_box)
        dbox.setContentsMargins(0, 0, 0, 0)
        dbox.addWidget(self.summary)
        dbox.addWidget(self.detail, 1)
        top = QtWidgets.QWidget()
        tbox = QtWidgets.QVBoxLayout(top)
        tbox.setContentsMargins(0, 0, 0, 0)
        tbox.addWidget(self.table, 1)
        tbox.addLayout(pager)
        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(detail_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)
        self._keys = KeyHandler(
            self.table,
            {
                QtCore.Qt.Key.Key_PageDown: lambda: self._page_key(1),
                QtCore.Qt.Key.Key_PageUp: lambda: self._page_key(-1),
            },
        )
        export = QtGui.QShortcut(QtGui.QKeySequence("Ctrl+E"), self)
        export.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        export.activated.connect(self.export)

    def _page_key(self, step: int) -> bool:
        """PgDn on the last row shows the next page, PgUp on the first row the previous one;
        elsewhere the keys scroll the page as usual."""
        row = self.table.currentRow()
        if step > 0 and row == self.table.rowCount() - 1 and self.next_button.isEnabled():
            self.go_page(self.page_no + 1)
            return True
        if step < 0 and row <= 0 and self.prev_button.isEnabled():
            self.go_page(self.page_no - 1, at_end=True)
            return True
        return False

    # -- filters ----------------------------------------------------------------------------------
    def load(self) -> None:
        """Fill the drop-downs from the log and show the first page."""
        log = self.ctx.services.audit_log
        for combo, values in (
            (self.operator, [(o, o) for o in log.operators()]),
            (self.entity, [(label, e) for e, label in log.entities()]),
            (self.action, [(a, a) for a in log.actions()]),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("全部", None)
            for label, value in sorted(values):
                combo.addItem(label, value)
            found = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
        self.apply()

    def filter(self) -> AuditFilter:
        start = end = None
        if self.use_dates.isChecked():
            start, end = self.start.date().toPython(), self.end.date().toPython()
        return AuditFilter(
            start=start,
            end=end,
            operator=self.operator.currentData(),  # type: ignore[arg-type]
            entity=self.entity.currentData(),
            action=self.action.currentData(),
            text=self.text.text().strip() or None,
        )

    def _dates_toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self.apply()

    def apply(self) -> None:
        """Run the filter from the first page."""
        self.go_page(0)

    def go_page(self, page: int, *, at_end: bool = False) -> None:
        """Show page ``page`` (fetched in the task runner) with its first row selected, or its last
        (``at_end``: PgUp from the first row of the next page)."""
        pages = max(1, -(-self.total // PAGE_SIZE))
        if page < 0 or (page > 0 and page >= pages and self.entries):
            return
        try:
            flt = self.filter()
        except SilverdeskError as exc:
            show_error(self, exc)
            return
        log = self.ctx.services.audit_log

        def work(_p: Progress, _c: CancelToken) -> AuditPage:
            return log.page(flt, page, PAGE_SIZE)

        self._generation += 1
        generation = self._generation

        def done(result: AuditPage) -> None:
            if generation == self._generation:
                self._show(page, result, at_end)

        self.ctx.runner.run(work, done, parent=self)

    def _show(self, page: int, result: AuditPage, at_end: bool = False) -> None:
        self.page_no, self.total, self.entries = page, result.total, list(result.entries)
        mask = MaskPolicy(enabled=screen_mask_enabled(self.ctx))
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            cells = (
                f"{entry.at:%Y-%m-%d %H:%M:%S}",
                entry.operator,
                entry.action,
                entry.entity_label,
                "" if entry.entity_id is None else str(entry.entity_id),
                value_text(mask.value("summary", entry.summary)),
            )
            for col, text in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(text)
                if col == 5:
                    item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        pages = max(1, -(-self.total // PAGE_SIZE))
        self.page_label.setText(
            f"共 {self.total:,} 条，第 {page + 1}/{pages} 页（每页 {PAGE_SIZE} 条，最新的在上）"
        )
        self.prev_button.setEnabled(page > 0)
        self.next_button.setEnabled(page + 1 < pages)
        self.export_button.setEnabled(self.total > 0)
        if self.entries:
            self.table.selectRow(len(self.entries) - 1 if at_end else 0)
        else:
            self._show_detail()

    # -- detail -----------------------------------------------------------------------------------
    def selected_entry(self) -> AuditEntry | None:
        return selected_item(self.table, self.entries)

    def _show_detail(self) -> None:
        entry = self.selected_entry()
        self.detail.setRowCount(0)
        if entry is None:
            self.summary.setText("没有符合条件的记录。" if not self.entries else "")
            return
        mask = MaskPolicy(enabled=screen_mask_enabled(self.ctx))
        ident = f" #{entry.entity_id}" if entry.entity_id is not None else ""
        self.summary.setText(
            f"{entry.at:%Y-%m-%d %H:%M:%S}　{entry.operator}　{entry.action}　"
            f"{entry.entity_label}{ident}：{value_text(mask.value('summary', entry.summary))}"
        )
        self.detail.setRowCount(len(entry.changes))
        for row, change in enumerate(entry.changes):
            values = (
                change.label,
                value_text(mask.value(change.field, value_text(change.old))),
                value_text(mask.value(change.field, value_text(change.new))),
            )
            for col, text in enumerate(values):
                item = QtWidgets.QTableWidgetItem(text)
                item.setToolTip(text)
                self.detail.setItem(row, col, item)

    # -- export -----------------------------------------------------------------------------------
    def export(self) -> None:
        try:
            flt = self.filter()
        except SilverdeskError as exc:
            show_error(self, exc)
            return
        dest = self.ctx.ask_save_file(self, "导出操作日志", f"操作日志_{dt.date.today():%Y%m%d}.xlsx")
        if dest is None:
            return
        mask = self.unmask_export.policy()
        log = self.ctx.services.audit_log

        def work(progress: Progress, cancel: CancelToken) -> int:
            return log.export_xlsx(flt, dest, mask=mask, progress=progress, cancel=cancel)

        def done(count: int) -> None:
            self.ctx.notify(self, f"已导出 {count} 条操作日志到 {dest}")

        self.ctx.runner.run(
            work,
            done,
            on_cancelled=lambda: self.ctx.notify(self, f"已取消导出，没有生成 {dest.name}"),
            title="正在导出操作日志",
            parent=self,
        )
