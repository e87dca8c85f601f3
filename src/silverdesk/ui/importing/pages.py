"""The four pages of the import wizard: ① the file, ② its columns, ③ the preview, ④ done.

Each page shows what a step found and holds the clerk's choices; the wizard (:mod:`wizard`) runs
the steps and moves between the pages.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.services.importing import IGNORE, KINDS, kind_spec
from silverdesk.services.importing.fields import FROM_UNIT
from silverdesk.services.importing.plan import DERIVED, PlanOptions
from silverdesk.services.importing.service import OpenedFile, PreparedSheet, given_by
from silverdesk.ui.context import UiContext
from silverdesk.ui.importing.choices import DecisionsPanel
from silverdesk.ui.models.columns import format_value

FATE_COLOURS = {"新增": "#e8f5e9", "更新": "#e3f2fd", "未变": "#f5f5f5", "拒绝": "#ffebee"}


def _cell_text(value: object) -> str:
    """A cell as the clerk typed it: 1 not 1.0, 13812345678 not 1.38123e+10, dates as 2026-10-15."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return format_value(value)


class FilePage(QtWidgets.QWidget):
    """① 选择文件: the file (typed, picked or dropped), what it holds, the sending unit, the sheet."""

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = QtWidgets.QLineEdit()
        self.path.setPlaceholderText("把文件拖到这里，或点“选择文件…”")
        self.pick_button = QtWidgets.QPushButton("选择文件…")
        self.kind = QtWidgets.QComboBox()
        self.kind.addItem("自动识别", None)
        for key, spec in KINDS.items():
            self.kind.addItem(spec.label, key)
        self.unit = QtWidgets.QComboBox()
        self.unit.setEditable(True)
        self.unit.addItem("")
        for node in ctx.services.units.tree():
            if node.depth >= 1:
                self.unit.addItem(node.name)
        self.unit.lineEdit().setPlaceholderText(
            "哪个单位报来的（花名册、活动必填；表头有“填报单位”的可不填）"
        )
        self.sheet = QtWidgets.QComboBox()
        self.sheet.setToolTip("选择文件后列出其中的工作表")
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.pick_button)
        form = QtWidgets.QFormLayout(self)
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

    def set_sheets(self, opened: OpenedFile) -> None:
        self.sheet.clear()
        for info in opened.sheets:
            self.sheet.addItem(info.name + ("" if info.visible else "（隐藏）"), info.index)


class ColumnsPage(QtWidgets.QWidget):
    """② 核对列: each column of the sheet with a sample and what it is imported as.

    Signals:
        mappingChanged(): the clerk chose another meaning for a column.
    """

    mappingChanged = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns_title = QtWidgets.QLabel()
        self.columns_title.setWordWrap(True)
        self.columns = QtWidgets.QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(["表中的列", "示例", "对应内容"])
        self.columns.horizontalHeader().setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.columns.verticalHeader().setVisible(False)
        self.missing = QtWidgets.QLabel()
        self.missing.setStyleSheet("color: #b71c1c")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.columns_title)
        layout.addWidget(self.columns, 1)
        layout.addWidget(self.missing)

    def fill(self, prepared: PreparedSheet) -> None:
        """The sheet as read: its columns, a sample of each and the meaning guessed for it."""
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
            combo.currentIndexChanged.connect(self._changed)
            self.columns.setCellWidget(r, 2, combo)
        self.columns.resizeColumnToContents(0)

    def _changed(self, _index: int) -> None:
        self.mappingChanged.emit()

    def choices(self, prepared: PreparedSheet) -> dict[int, str]:
        """Column index → the field it is imported as (``IGNORE``: not imported)."""
        return {
            column.index: self.columns.cellWidget(r, 2).currentData()
            for r, column in enumerate(prepared.table.columns)
        }

    def check(self, prepared: PreparedSheet) -> bool:
        """Say what is still missing (a required field, the sending unit); True when nothing is."""
        chosen = set(self.choices(prepared).values())
        spec = kind_spec(prepared.kind)
        given = (FROM_UNIT, *given_by(prepared.table))  # a title from 需求内容, a 大类 from section rows …
        missing = [spec.field(key).label for key in spec.missing(chosen, given)]
        lines = [f"还缺必填内容：{'、'.join(missing)}"] if missing else []
        if self._unit_missing(prepared, chosen):
            lines.append(
                f"还缺报送单位：{spec.label}的每一条都要记在一个单位名下。请点“上一步”选择报送单位，"
                f"或把表中写单位的列对应为“{spec.field('unit').label}”"
            )
        self.missing.setText("\n".join(lines))
        return not lines

    @staticmethod
    def _unit_missing(prepared: PreparedSheet, chosen: set[str]) -> bool:
        """No sending unit for a kind whose records need one, and no column to give each row's unit."""
        return kind_spec(prepared.kind).unit_required and not prepared.unit_name and "unit" not in chosen


class PreviewPage(QtWidgets.QWidget):
    """③ 预览: every row's fate, what the import worked out (:class:`DecisionsPanel`, the clerk may change
    it), and the fields where the file and the database disagree.

    Signals:
        choicesChanged(): a 采用文件值 tick changed (what 导入 would write changed with it).
    """

    choicesChanged = QtCore.Signal()

    MAX_PREVIEW_ROWS = 5000
    """Rows listed in the preview (the counts above it and the errors workbook cover all of them)."""
    MAX_CONFLICT_ROWS = 2000
    """Conflicts listed one by one; beyond that the two buttons still settle all of them."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.decisions = DecisionsPanel()  # 合并单元格, 规范写法 (汉 → 汉族) …, with the clerk's choices
        self.preview = QtWidgets.QTableWidget(0, 4)
        self.preview.setHorizontalHeaderLabels(["行号", "姓名", "结果", "说明"])
        self.preview.horizontalHeader().setSectionResizeMode(3, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.errors_button = QtWidgets.QPushButton("导出未通过的行…")
        self.errors_button.setToolTip("生成一个 Excel 文件：问题单元格标红并附说明，可退回报送单位修改")
        row = QtWidgets.QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.errors_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.decisions)
        layout.addWidget(self.preview, 2)
        layout.addWidget(self._conflicts_box(), 1)
        layout.addLayout(row)

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

    def fill(self, plan, prepared: PreparedSheet, options: PlanOptions | None = None) -> None:  # type: ignore[no-untyped-def]
        """The plan's counts, its decisions (planned with ``options``), its rows with their fate, and its
        conflicts (none ticked but the plan's)."""
        counts = plan.counts
        offers = "；将新建：" + "、".join(o.label for o in plan.offers) if plan.offers else ""
        warnings = "\n" + "\n".join(plan.warnings[:5]) if plan.warnings else ""
        if plan.merged_note:
            warnings = f"\n{plan.merged_note}{warnings}"
        if len(plan.rows) > self.MAX_PREVIEW_ROWS:
            warnings += f"\n下表列出前 {self.MAX_PREVIEW_ROWS} 行；未通过的行可全部导出。"
        self.summary.setText(
            f"共 {plan.rows_read} 行：新增 {counts['新增']}，更新 {counts['更新']}，未变 {counts['未变']}，"
            f"未通过 {counts['拒绝']}{offers}。点“导入”后才会写入。{warnings}"
        )
        table = prepared.table
        self.decisions.fill(
            plan, options or PlanOptions(), len(table.merged_cells), self._merged_values(prepared)
        )
        rows = plan.rows[: self.MAX_PREVIEW_ROWS]
        names = self._names_by_row(prepared, {row.row_number for row in rows})
        for row in rows:  # a title the file does not give but the import derived (推导)
            derived = next((after for kind, key, _before, after in row.decided or ()
                            if kind == DERIVED and key == "title"), "")  # fmt: skip
            if derived and not names.get(row.row_number):
                names[row.row_number] = derived
        self.preview.setHorizontalHeaderItem(1, QtWidgets.QTableWidgetItem(self._name_label(prepared)))
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
        self._fill_conflicts(plan, prepared)

    @staticmethod
    def _merged_values(prepared: PreparedSheet) -> dict[str, list[str]]:
        """Column label → the distinct values its merged data cells give to the rows below them."""
        table = prepared.table
        labels = {c.index: c.label for c in table.columns}
        rows = {r.row_number: r for r in table.rows}
        out: dict[str, dict[str, None]] = {}
        for row_number, index in table.merged_cells:
            text = _cell_text(rows[row_number].get(index)).strip()
            out.setdefault(labels.get(index, ""), {})[text] = None
        return {label: list(values) for label, values in out.items()}

    @staticmethod
    def _name_label(prepared: PreparedSheet) -> str:
        """姓名, 活动名称 … : the header of the column that says whose or which row it is."""
        spec = kind_spec(prepared.kind)
        return spec.field(spec.name_key).label

    @staticmethod
    def _names_by_row(prepared: PreparedSheet, wanted: set[int]) -> dict[int, str]:
        """Excel row → the name cell of that row as the file has it (refused rows included)."""
        key = kind_spec(prepared.kind).name_key
        column = next((i for i, k in prepared.mapping.assigned.items() if k == key), None)
        if column is None:
            return {}
        return {raw.row_number: _cell_text(raw.values[column]).strip()
                for raw in prepared.table.rows if raw.row_number in wanted and column < len(raw.values)}  # fmt: skip

    # -- conflicts: file value or stored value, per field ---------------------------------------
    def _fill_conflicts(self, plan, prepared: PreparedSheet) -> None:  # type: ignore[no-untyped-def]
        self._conflict_list = list(plan.conflicts())
        self._use_file = [c.use_file for _, c in self._conflict_list]
        shown = self._conflict_list[: self.MAX_CONFLICT_ROWS]
        names = self._names_by_row(prepared, {row.row_number for row, _ in shown})
        self.conflicts.setHorizontalHeaderItem(1, QtWidgets.QTableWidgetItem(self._name_label(prepared)))
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
            self.choicesChanged.emit()

    def _set_all_conflicts(self, use_file: bool) -> None:
        self._use_file = [use_file] * len(self._conflict_list)
        state = QtCore.Qt.CheckState.Checked if use_file else QtCore.Qt.CheckState.Unchecked
        self.conflicts.blockSignals(True)
        for r in range(self.conflicts.rowCount()):
            self.conflicts.item(r, 5).setCheckState(state)
        self.conflicts.blockSignals(False)
        self.choicesChanged.emit()

    def ticked_conflicts(self) -> set[tuple[int, str]]:
        """(Excel row, field) of every conflict ticked 采用文件值 (kept when the plan is made again)."""
        return {(row.row_number, c.field) for (row, c), use in zip(self._conflict_list, self._use_file, strict=True)
                if use}  # fmt: skip

    def takes_file_values(self) -> bool:
        """At least one field is to be updated from the file."""
        return any(self._use_file)

    def apply_choices(self, plan) -> None:  # type: ignore[no-untyped-def]
        """Hand the ticks to the plan (``ImportPlan.choose``): done once, just before the commit."""
        for (row, conflict), use_file in zip(self._conflict_list, self._use_file, strict=True):
            if conflict.use_file != use_file:
                plan.choose(row.row_number, conflict.field, use_file=use_file)


class DonePage(QtWidgets.QWidget):
    """④ 完成: what the batch wrote, and 撤销这批导入."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.done_text = QtWidgets.QLabel()
        self.done_text.setWordWrap(True)
        self.undo_button = QtWidgets.QPushButton("撤销这批导入")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.done_text)
        layout.addWidget(self.undo_button, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def committed(self, batch_id: int, counts: dict[str, int]) -> None:
        self.done_text.setText(
            f"导入完成（批次 {batch_id}）：新增 {counts['新增']} 行，更新 {counts['更新']} 行，"
            f"未变 {counts['未变']} 行，未通过 {counts['拒绝']} 行。\n"
            "导入前已自动备份数据库；如果导错了，可以整批撤销。"
        )

    def undone(self, batch_id: int | None) -> None:
        self.undo_button.setEnabled(False)
        self.done_text.setText(f"批次 {batch_id} 已撤销，数据库恢复到导入前的样子。")
