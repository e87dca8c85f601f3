"""导入向导: file → sheet and columns → preview → commit, with nothing written before 导入.

Each step runs in the task runner (progress and cancel on big files); the steps are the
import service's (``services.imports``): open_file, read, remap, plan, commit, undo.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.progress import CancelToken, Progress
from silverdesk.services.importing import IGNORE, KINDS, kind_spec
from silverdesk.services.importing.plan import CHANGED_BY_KIND
from silverdesk.services.importing.service import OpenedFile, PreparedSheet
from silverdesk.ui.context import UiContext
from silverdesk.ui.models.columns import format_value
from silverdesk.ui.tasks import TaskHandle

FILE_FILTER = "表格文件 (*.xlsx *.xlsm *.xls *.csv *.ods *.txt);;所有文件 (*)"
FATE_COLOURS = {"新增": "#e8f5e9", "更新": "#e3f2fd", "未变": "#f5f5f5", "拒绝": "#ffebee"}


def _cell_text(value: object) -> str:
    """A cell as the clerk typed it: 1 not 1.0, 13812345678 not 1.38123e+10, dates as 2026-10-15."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return format_value(value)


class ImportWizard(QtWidgets.QDialog):
    """Signals:
    imported(int): a batch was committed (its id).
    """

    imported = QtCore.Signal(int)

    def __init__(
        self, ctx: UiContext, path: str | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.imports = ctx.services.imports
        self.opened: OpenedFile | None = None
        self.prepared: PreparedSheet | None = None
        self.plan = None
        self.batch_id: int | None = None
        self._job: TaskHandle | None = None  # the step running now, if any
        self._after_open: Callable[[], None] | None = None  # 下一步 pressed while the file was being checked
        self._undone = False
        self.setWindowTitle("导入表格")
        self.resize(1000, 680)
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self._file_page())
        self.stack.addWidget(self._columns_page())
        self.stack.addWidget(self._preview_page())
        self.stack.addWidget(self._done_page())
        self.back_button = QtWidgets.QPushButton("上一步")
        self.back_button.clicked.connect(self.back)
        self.next_button = QtWidgets.QPushButton("下一步")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        self.close_button = QtWidgets.QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(b)
        self.steps = QtWidgets.QLabel()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.steps)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.setAcceptDrops(True)
        self._show(0)
        if path:
            self.path.setText(path)

    # -- pages ----------------------------------------------------------------------------------
    def reject(self) -> None:
        if self.busy():  # a step is running: closing asks it to stop; the wizard closes after
            self._job.cancel()  # type: ignore[union-attr]
            self.steps.setText("正在停止当前步骤，数据库不会被改动……")
            return
        super().reject()

    def done(self, result: int) -> None:
        self.imports.close_file()  # an .xls parsed to list its sheets is not kept once the wizard closes
        super().done(result)

    def _file_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        self.path = QtWidgets.QLineEdit()
        self.path.setPlaceholderText("把文件拖到这里，或点“选择文件…”")
        pick = QtWidgets.QPushButton("选择文件…")
        pick.clicked.connect(self._pick)
        self.kind = QtWidgets.QComboBox()
        self.kind.addItem("自动识别", None)
        for key, spec in KINDS.items():
            self.kind.addItem(spec.label, key)
        self.unit = QtWidgets.QComboBox()
        self.unit.setEditable(True)
        self.unit.addItem("")
        for node in self.ctx.services.units.tree():
            if node.depth >= 1:
                self.unit.addItem(node.name)
        self.unit.lineEdit().setPlaceholderText(
            "哪个单位报来的（花名册、活动必填；表头有“填报单位”的可不填）"
        )
        self.sheet = QtWidgets.QComboBox()
        self.sheet.setToolTip("选择文件后列出其中的工作表")
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(pick)
        form = QtWidgets.QFormLayout(page)
        form.addRow("文件", row)
        form.addRow("内容", self.kind)
        form.addRow("报送单位", self.unit)
        form.addRow("工作表", self.sheet)
        note = QtWidgets.QLabel(
            "支持 .xlsx / .xls / .csv（UTF-8 或 GBK）/ .ods。标题行、填报单位行、合并表头、"
            "合计和填表人等行会自动识别；下一步可以核对每一列对应的内容。导入前不会写入任何数据。"
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.path.editingFinished.connect(self._open)
        return page

    def _columns_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        self.columns_title = QtWidgets.QLabel()
        self.columns_title.setWordWrap(True)
        self.columns = QtWidgets.QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(["表中的列", "示例", "对应内容"])
        self.columns.horizontalHeader().setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.columns.verticalHeader().setVisible(False)
        self.missing = QtWidgets.QLabel()
        self.missing.setStyleSheet("color: #b71c1c")
        layout = QtWidgets.QVBoxLayout(page)
        layout.addWidget(self.columns_title)
        layout.addWidget(self.columns, 1)
        layout.addWidget(self.missing)
        return page

    def _preview_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.preview = QtWidgets.QTableWidget(0, 4)
        self.preview.setHorizontalHeaderLabels(["行号", "姓名", "结果", "说明"])
        self.preview.horizontalHeader().setSectionResizeMode(3, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.errors_button = QtWidgets.QPushButton("导出未通过的行…")
        self.errors_button.setToolTip("生成一个 Excel 文件：问题单元格标红并附说明，可退回报送单位修改")
        self.errors_button.clicked.connect(self._export_errors)
        row = QtWidgets.QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.errors_button)
        layout = QtWidgets.QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 2)
        layout.addWidget(self._conflicts_box(), 1)
        layout.addLayout(row)
        return page

    def _conflicts_box(self) -> QtWidgets.QWidget:
        """Fields where the file and the database disagree: kept as stored unless the clerk ticks 采用文件值."""
        self.conflicts_group = QtWidgets.QGroupBox("与库中不一致的内容")
        note = QtWidgets.QLabel("默认保留库中原值；勾选“采用文件值”的项目在导入时按文件更新。")
        note.setWordWrap(True)
        self.conflicts = QtWidgets.QTableWidget(0, 6)
        self.conflicts.setHorizontalHeaderLabels(
            ["行号", "姓名", "内容", "库中原值", "文件中的值", "采用文件值"]
        )
        header = self.conflicts.horizontalHeader()
        for c in (3, 4):
            header.setSectionResizeMode(c, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.conflicts.verticalHeader().setVisible(False)
        self.conflicts.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conflicts.itemChanged.connect(self._conflict_ticked)
        self.take_all_button = QtWidgets.QPushButton("全部采用文件值")
        self.take_all_button.clicked.connect(lambda: self._set_all_conflicts(True))
        self.keep_all_button = QtWidgets.QPushButton("全部保留原值")
        self.keep_all_button.clicked.connect(lambda: self._set_all_conflicts(False))
        self.conflicts_more = QtWidgets.QLabel()
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.conflicts_more, 1)
        buttons.addWidget(self.take_all_button)
        buttons.addWidget(self.keep_all_button)
        layout = QtWidgets.QVBoxLayout(self.conflicts_group)
        layout.addWidget(note)
        layout.addWidget(self.conflicts, 1)
        layout.addLayout(buttons)
        self.conflicts_group.setVisible(False)
        self._conflict_list: list = []  # (RowPlan, FieldConflict) of the plan, in sheet order
        self._use_file: list[bool] = []  # the clerk's choice per conflict, applied at 导入
        return self.conflicts_group

    def _done_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        self.done_text = QtWidgets.QLabel()
        self.done_text.setWordWrap(True)
        self.undo_button = QtWidgets.QPushButton("撤销这批导入")
        self.undo_button.clicked.connect(self._undo)
        layout = QtWidgets.QVBoxLayout(page)
        layout.addWidget(self.done_text)
        layout.addWidget(self.undo_button, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    # -- navigation -----------------------------------------------------------------------------
    def _show(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        names = ["① 选择文件", "② 核对列", "③ 预览", "④ 完成"]
        self.steps.setText("　→　".join(f"<b>{n}</b>" if i == index else n for i, n in enumerate(names)))
        self.back_button.setEnabled(0 < index < 3)
        self.next_button.setText("导入" if index == 2 else "下一步")
        if index == 1 and self.prepared is not None:
            self._mapping_changed()
        elif index == 2 and self.plan is not None:
            self._update_commit_enabled()
        else:
            self.next_button.setEnabled(True)
        done = index == 3  # 导入完成: one button, 关闭 (Enter presses it)
        self.back_button.setVisible(not done)
        self.next_button.setVisible(not done)
        self.next_button.setDefault(not done)
        self.close_button.setDefault(done)
        if done:
            self.close_button.setFocus()

    # -- the steps run in the task runner, one at a time ------------------------------------------
    def busy(self) -> bool:
        return self._job is not None and not self._job.finished.is_set()

    def _run_step(
        self,
        work: Callable[[Progress, CancelToken], Any],
        done: Callable[[Any], None],
        title: str,
        *,
        on_error: Callable[[BaseException], None] | None = None,
        opening: bool = False,
    ) -> None:
        """Run one step; the wizard's buttons wait for it, whatever it ends with.  While a file is
        being checked (``opening``: its name was typed or dropped), 下一步 stays: the read follows."""
        from silverdesk.ui.errors import show_error

        self._set_busy(True, opening)

        def finished(result: Any) -> None:
            self._job = None
            done(result)  # may start the next step (a file opened, then read)
            if not self.busy():
                self._set_busy(False)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            (on_error or (lambda e: show_error(self, e)))(exc)

        def cancelled() -> None:
            self._set_busy(False)
            self.steps.setText(self.steps.text() + f"　（已取消：{title}，数据库未改动）")

        self._job = self.ctx.runner.run(
            work, finished, on_error=failed, on_cancelled=cancelled, title=title, parent=self
        )

    def _set_busy(self, busy: bool, opening: bool = False) -> None:
        if busy:
            self.next_button.setEnabled(opening)
            self.back_button.setEnabled(False)
            self.undo_button.setEnabled(False)
        else:
            self._job = None
            self._after_open = None
            self._show(self.stack.currentIndex())
            self.undo_button.setEnabled(self.batch_id is not None and not self._undone)

    def back(self) -> None:
        self._show(max(0, self.stack.currentIndex() - 1))

    def next(self) -> None:
        if self.busy():  # only while a file is being checked: read it once it is open
            self._after_open = self._read
            return
        step = self.stack.currentIndex()
        if step == 0:
            self._read()
        elif step == 1:
            self._plan()
        elif step == 2:
            self._commit()

    # -- step 1: the file -------------------------------------------------------------------------
    def _pick(self) -> None:
        paths = self.ctx.ask_open_paths(self, "选择要导入的表格", str(Path.home()), FILE_FILTER)
        if paths:
            self.path.setText(paths[0])
            self._open()

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.path.setText(urls[0])
            self._show(0)
            self._open()

    def _open(self, then: Callable[[], None] | None = None) -> None:
        """Check the file and list its sheets; ``then`` runs once it is open."""
        text = self.path.text().strip()
        if not text or self.busy():
            return
        if self.opened and str(self.opened.path) == text:
            if then is not None:
                then()
            return

        def opened(result: OpenedFile) -> None:
            self._opened(result)
            follow, self._after_open = then or self._after_open, None
            if follow is not None:
                follow()

        self._run_step(
            lambda _p, cancel: self.imports.open_file(text, cancel=cancel),
            opened,
            "正在检查文件",
            opening=True,
        )

    def _opened(self, opened: OpenedFile) -> None:
        self.opened = opened
        self.sheet.clear()
        for info in opened.sheets:
            self.sheet.addItem(info.name + ("" if info.visible else "（隐藏）"), info.index)

    def _read(self) -> None:
        if self.opened is None or str(self.opened.path) != self.path.text().strip():
            self.opened = None
            self._open(then=self._read)
            return
        opened, sheet, kind, unit = (
            self.opened,
            self.sheet.currentData(),
            self.kind.currentData(),
            self.unit.currentText().strip() or None,
        )

        def work(progress: Progress, cancel: CancelToken) -> PreparedSheet:
            return self.imports.read(
                opened, sheet, kind=kind, unit_name=unit, progress=progress, cancel=cancel
            )

        self._run_step(work, self._read_done, "正在读取表格")

    # -- step 2: columns ----------------------------------------------------------------------------
    def _read_done(self, prepared: PreparedSheet) -> None:
        self.prepared = prepared
        spec = kind_spec(prepared.kind)
        guessed = "（自动识别）" if prepared.detected else ""
        self.columns_title.setText(
            f"{prepared.file.name} · {prepared.sheet}：{spec.label}{guessed}，表头在第 "
            f"{'、'.join(map(str, prepared.table.header_row_numbers))} 行，共 {len(prepared.table.rows)} 行数据；"
            f"报送单位：{prepared.unit_name or '未选择'}。请核对每一列对应的内容，不需要的列选“不导入”。"
        )
        self.columns.setRowCount(len(prepared.table.columns))
        for r, column in enumerate(prepared.table.columns):
            label = f"{column.group} › {column.label}" if column.group else column.label
            self.columns.setItem(r, 0, QtWidgets.QTableWidgetItem(label))
            sample = next(
                (
                    row.values[column.index]
                    for row in prepared.table.rows[:20]
                    if column.index < len(row.values) and row.values[column.index] not in (None, "")
                ),
                "",
            )
            self.columns.setItem(r, 1, QtWidgets.QTableWidgetItem(_cell_text(sample)))
            combo = QtWidgets.QComboBox()
            combo.addItem("不导入", IGNORE)
            for field in spec.fields:
                combo.addItem(field.label + ("（必填）" if field.required else ""), field.key)
            combo.setCurrentIndex(max(0, combo.findData(prepared.mapping.assigned.get(column.index, IGNORE))))
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.columns.setCellWidget(r, 2, combo)
        self.columns.resizeColumnToContents(0)
        self._mapping_changed()
        self._show(1)

    def _choices(self) -> dict[int, str]:
        assert self.prepared is not None
        return {
            column.index: self.columns.cellWidget(r, 2).currentData()
            for r, column in enumerate(self.prepared.table.columns)
        }

    def _mapping_changed(self) -> None:
        assert self.prepared is not None
        chosen = set(self._choices().values())
        spec = kind_spec(self.prepared.kind)
        missing = [f.label for f in spec.fields if f.required and f.key not in chosen]
        lines = [f"还缺必填内容：{'、'.join(missing)}"] if missing else []
        if self._unit_missing(chosen):
            lines.append(
                f"还缺报送单位：{spec.label}的每一条都要记在一个单位名下。请点“上一步”选择报送单位，"
                f"或把表中写单位的列对应为“{spec.field('unit').label}”"
            )
        self.missing.setText("\n".join(lines))
        self.next_button.setEnabled(not lines)

    def _unit_missing(self, chosen: set[str]) -> bool:
        """No sending unit for a kind whose records need one, and no column to give each row's unit."""
        assert self.prepared is not None
        return (
            kind_spec(self.prepared.kind).unit_required
            and not self.prepared.unit_name
            and "unit" not in chosen
        )

    def _units_from_rows_confirmed(self) -> bool:
        """Without a sending unit the unit column gives each row's unit: the clerk says so, or goes back."""
        assert self.prepared is not None
        spec = kind_spec(self.prepared.kind)
        if not spec.unit_required or self.prepared.unit_name:
            return True
        column = next(
            (c for c in self.prepared.table.columns if self._choices().get(c.index) == "unit"), None
        )
        if column is None:
            return True  # nothing gives a unit: 下一步 is disabled (and the service refuses it too)
        question = (
            f"没有选择报送单位。表中的“{column.label}”列逐行写明了单位：按各行所填的单位导入吗？\n\n"
            f"“{column.label}”为空的行不会导入（预览中列为未通过）。\n选“否”回到第一步选择报送单位。"
        )
        if self.ctx.confirm(self, "没有选择报送单位", question):
            return True
        self._show(0)
        self.unit.setFocus()
        return False

    # -- step 3: preview ----------------------------------------------------------------------------
    def _plan(self) -> None:
        assert self.prepared is not None
        if not self._units_from_rows_confirmed():
            return
        prepared = self.imports.remap(self.prepared, self._choices())

        def work(progress: Progress, cancel: CancelToken):  # type: ignore[no-untyped-def]
            return self.imports.plan(prepared, progress=progress, cancel=cancel)

        self.prepared = prepared
        self._run_step(work, self._planned, "正在逐行检查")

    def _planned(self, plan) -> None:  # type: ignore[no-untyped-def]
        self.plan = plan
        counts = plan.counts
        offers = "；将新建：" + "、".join(o.label for o in plan.offers) if plan.offers else ""
        warnings = "\n" + "\n".join(plan.warnings[:5]) if plan.warnings else ""
        if len(plan.rows) > self.MAX_PREVIEW_ROWS:
            warnings += f"\n下表列出前 {self.MAX_PREVIEW_ROWS} 行；未通过的行可全部导出。"
        self.summary.setText(
            f"共 {plan.rows_read} 行：新增 {counts['新增']}，更新 {counts['更新']}，未变 {counts['未变']}，"
            f"未通过 {counts['拒绝']}{offers}。点“导入”后才会写入。{warnings}"
        )
        rows = plan.rows[: self.MAX_PREVIEW_ROWS]
        names = self._names_by_row({row.row_number for row in rows})
        self.preview.setHorizontalHeaderItem(1, QtWidgets.QTableWidgetItem(self._name_label()))
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            colour = QtGui.QColor(FATE_COLOURS.get(row.fate, "#ffffff"))
            for c, text in enumerate(
                (str(row.row_number), names.get(row.row_number, ""), row.fate, row.reason)
            ):
                item = QtWidgets.QTableWidgetItem(text)
                item.setBackground(colour)
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnToContents(1)
        self.errors_button.setEnabled(counts["拒绝"] > 0)
        self._fill_conflicts(plan)
        self._show(2)
        self._update_commit_enabled()

    MAX_PREVIEW_ROWS = 5000
    """Rows listed in the preview (the counts above it and the errors workbook cover all of them)."""

    def _name_label(self) -> str:
        """姓名, 活动名称 … : the header of the column that says whose or which row it is."""
        assert self.prepared is not None
        spec = kind_spec(self.prepared.kind)
        return spec.field(spec.name_key).label

    def _names_by_row(self, wanted: set[int]) -> dict[int, str]:
        """Excel row → the name cell of that row as the file has it (refused rows included)."""
        prepared = self.prepared
        if prepared is None:
            return {}
        key = kind_spec(prepared.kind).name_key
        column = next((i for i, k in prepared.mapping.assigned.items() if k == key), None)
        if column is None:
            return {}
        return {raw.row_number: _cell_text(raw.values[column]).strip()
                for raw in prepared.table.rows if raw.row_number in wanted and column < len(raw.values)}  # fmt: skip

    # -- conflicts: file value or stored value, per field ---------------------------------------
    MAX_CONFLICT_ROWS = 2000
    """Conflicts listed one by one; beyond that the two buttons still settle all of them."""

    def _fill_conflicts(self, plan) -> None:  # type: ignore[no-untyped-def]
        self._conflict_list = list(plan.conflicts())
        self._use_file = [c.use_file for _, c in self._conflict_list]
        shown = self._conflict_list[: self.MAX_CONFLICT_ROWS]
        names = self._names_by_row({row.row_number for row, _ in shown})
        self.conflicts.setHorizontalHeaderItem(1, QtWidgets.QTableWidgetItem(self._name_label()))
        self.conflicts.blockSignals(True)
        self.conflicts.setRowCount(len(shown))
        for r, (row, conflict) in enumerate(shown):
            texts = (str(row.row_number), names.get(row.row_number, ""), conflict.label, conflict.stored_text,
                     conflict.incoming_text)  # fmt: skip
            for c, text in enumerate(texts):
                self.conflicts.setItem(r, c, QtWidgets.QTableWidgetItem(text))
            tick = QtWidgets.QTableWidgetItem("采用文件值")
            tick.setFlags(QtCore.Qt.ItemFlag.ItemIsUserCheckable | QtCore.Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(
                QtCore.Qt.CheckState.Checked if conflict.use_file else QtCore.Qt.CheckState.Unchecked
            )
            self.conflicts.setItem(r, 5, tick)
        self.conflicts.blockSignals(False)
        self.conflicts.resizeColumnsToContents()
        for c in (3, 4):
            self.conflicts.horizontalHeader().setSectionResizeMode(
                c, QtWidgets.QHeaderView.ResizeMode.Stretch
            )
        hidden = len(self._conflict_list) - len(shown)
        self.conflicts_more.setText(f"共 {len(self._conflict_list)} 处，仅列出前 {len(shown)} 处；"
                                    "“全部…”按钮对全部生效" if hidden > 0 else f"共 {len(self._conflict_list)} 处")  # fmt: skip
        self.conflicts_group.setTitle(f"与库中不一致的内容（{len(self._conflict_list)} 处）")
        self.conflicts_group.setVisible(bool(self._conflict_list))

    def _conflict_ticked(self, item: QtWidgets.QTableWidgetItem) -> None:
        if item.column() == 5 and item.row() < len(self._use_file):
            self._use_file[item.row()] = item.checkState() == QtCore.Qt.CheckState.Checked
            self._update_commit_enabled()

    def _set_all_conflicts(self, use_file: bool) -> None:
        self._use_file = [use_file] * len(self._conflict_list)
        state = QtCore.Qt.CheckState.Checked if use_file else QtCore.Qt.CheckState.Unchecked
        self.conflicts.blockSignals(True)
        for r in range(self.conflicts.rowCount()):
            self.conflicts.item(r, 5).setCheckState(state)
        self.conflicts.blockSignals(False)
        self._update_commit_enabled()

    def _apply_conflict_choices(self) -> None:
        """Hand the ticks to the plan (``ImportPlan.choose``): done once, just before the commit."""
        for (row, conflict), use_file in zip(self._conflict_list, self._use_file, strict=True):
            if conflict.use_file != use_file:
                self.plan.choose(row.row_number, conflict.field, use_file=use_file)

    def _update_commit_enabled(self) -> None:
        counts = self.plan.counts
        something = counts["新增"] + counts["更新"] > 0 or any(self._use_file)
        self.next_button.setEnabled(something)

    def _export_errors(self) -> None:
        if self.plan is None:
            return
        suggested = str(Path(self.path.text()).with_name(Path(self.path.text()).stem + "_退回修改.xlsx"))
        out = self.ctx.ask_save_path(self, "导出未通过的行", suggested, "Excel 工作簿 (*.xlsx)")
        if out:
            self.imports.write_errors(self.plan, out)
            self.ctx.notify(self, f"未通过的行已导出到 {out}")

    # -- step 4: commit -----------------------------------------------------------------------------
    def _commit(self) -> None:
        self._apply_conflict_choices()
        plan = self.plan

        def work(progress: Progress, cancel: CancelToken) -> int:
            return self.imports.commit(plan, progress=progress, cancel=cancel)

        self._run_step(work, self._committed, "正在导入")

    def _committed(self, batch_id: int) -> None:
        self.batch_id = batch_id
        counts = self.plan.counts
        self.done_text.setText(
            f"导入完成（批次 {batch_id}）：新增 {counts['新增']} 行，更新 {counts['更新']} 行，"
            f"未变 {counts['未变']} 行，未通过 {counts['拒绝']} 行。\n"
            "导入前已自动备份数据库；如果导错了，可以整批撤销。"
        )
        self._show(3)
        self.ctx.events.changed.emit(CHANGED_BY_KIND[self.plan.kind])
        self.imported.emit(batch_id)

    def _undo(self) -> None:
        batch_id = self.batch_id
        if batch_id is None or not self.ctx.confirm(
            self, "撤销导入", f"撤销批次 {batch_id} 写入的全部内容？"
        ):
            return

        def work(progress: Progress, cancel: CancelToken) -> None:
            self.imports.undo(batch_id, progress=progress, cancel=cancel)

        self._run_step(work, self._undone_batch, "正在撤销导入")

    def _undone_batch(self, _result: None) -> None:
        self._undone = True
        self.undo_button.setEnabled(False)
        self.done_text.setText(f"批次 {self.batch_id} 已撤销，数据库恢复到导入前的样子。")
        self.ctx.events.changed.emit(CHANGED_BY_KIND[self.plan.kind])
