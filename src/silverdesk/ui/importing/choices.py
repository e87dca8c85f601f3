"""③ 预览's panel of decisions: what the import worked out for the clerk, and what the clerk makes of it.

Every distinct decision of the plan (``ImportPlan.decisions()``: 合并单元格, 规范写法, 近似匹配, 推导,
超出常见范围) is a row: the column, the value as written, what is stored — a drop-down where something
else may be stored — and how many rows.  Above them a one-line count per kind and two ticks: 填入合并单元格的值
and 已核对，数字无误.  A change says :attr:`DecisionsPanel.edited` at once (the plan shown is out of date)
and :attr:`DecisionsPanel.changed` a moment later (the wizard plans again with :meth:`DecisionsPanel.options`),
so a clerk stepping through a drop-down with the arrow keys starts one planning, not ten.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.services.importing.plan import (
    DECISION_KINDS,
    DERIVED,
    MATCHED,
    MERGED,
    NEW_ENTRY,
    NORMALISED,
    OVER_LIMIT,
    Decision,
    ImportPlan,
    PlanOptions,
)

EMPTY_CHOICE = {NORMALISED: "（留空）", DERIVED: "（留空）", MATCHED: "（不关联）"}
"""What "store nothing" is called for each kind that may store nothing."""
UNITS = {MERGED: "个单元格"}
"""What a decision's count counts (rows unless named here)."""
NOT_WRITTEN = {MERGED: "（空，取上方合并单元格的值）", DERIVED: "（表中未写）"}
"""The 表中写法 cell of a decision whose value was not written in its cell."""
_OPEN_KEYS = (
    QtCore.Qt.Key.Key_Return,
    QtCore.Qt.Key.Key_Enter,
    QtCore.Qt.Key.Key_Space,
    QtCore.Qt.Key.Key_F2,
)
KIND_COLUMN, LABEL_COLUMN, BEFORE_COLUMN, AFTER_COLUMN, COUNT_COLUMN = range(5)


class DecisionsPanel(QtWidgets.QGroupBox):
    """The plan's decisions with the clerk's choices (see the module docstring).

    Signals:
        edited(): the clerk changed something; the plan shown no longer says what 导入 would write.
        changed(): the change settled (:data:`DELAY_MS` later): plan again with :meth:`options`.
    """

    edited = QtCore.Signal()
    changed = QtCore.Signal()

    DELAY_MS = 400
    MAX_ROWS = 300
    """Decisions listed (the most rows first within each kind); the counts above cover all of them."""
    VISIBLE_ROWS = 6
    """Rows the list shows before it scrolls (the preview of the rows stays the larger part)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("导入时的自动处理（可逐项修改，改后自动重新检查）", parent)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Maximum)
        self.counts = QtWidgets.QLabel()
        self.counts.setWordWrap(True)
        self.fill_merged = QtWidgets.QCheckBox("填入合并单元格的值")
        self.fill_merged.setToolTip("不勾选：合并单元格下方各行的这一格留空（必填的列为空时该行不导入）")
        self.fill_merged.toggled.connect(self._ticked)
        self.confirm_over_limit = QtWidgets.QCheckBox("已核对，数字无误")
        self.confirm_over_limit.setToolTip("勾选后，超出常见范围的数字按表中所填保存；不勾选则这些行不导入")
        self.confirm_over_limit.toggled.connect(self._ticked)
        ticks = QtWidgets.QHBoxLayout()
        ticks.addWidget(self.fill_merged)
        ticks.addWidget(self.confirm_over_limit)
        ticks.addStretch(1)
        self.table = _DecisionTable(0, 5)
        self.table.setHorizontalHeaderLabels(["处理", "列", "表中写法", "保存为", "行数"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        self.table.setTabKeyNavigation(False)  # Tab goes from one drop-down to the next
        self.more = QtWidgets.QLabel()
        self.more.setVisible(False)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addLayout(ticks)
        layout.addWidget(self.table)
        layout.addWidget(self.more)
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self.changed)
        self._planned_with = PlanOptions()  # the options of the plan shown
        self._chosen: dict[tuple[str, str, str], str] = {}
        self._combos: dict[tuple[str, str, str], QtWidgets.QComboBox] = {}
        self._key_of: dict[QtWidgets.QComboBox, tuple[str, str, str]] = {}
        self._planned_after: dict[tuple[str, str, str], str] = {}  # a derived value as planned
        # where the clerk changed something last (the focus goes back there once planned again)
        self._focus: tuple[str, str, str] | QtWidgets.QWidget | None = None
        self._filling = False
        self._merged_values: dict[str, list[str]] = {}

    # -- what the wizard asks -----------------------------------------------------------------------
    def options(self) -> PlanOptions:
        """The options to plan with: the plan's own, with the clerk's choices and ticks."""
        return replace(self._planned_with, chosen=dict(self._chosen),
                       fill_merged=self.fill_merged.isChecked(),
                       confirm_over_limit=self.confirm_over_limit.isChecked())  # fmt: skip

    def pending(self) -> bool:
        """The clerk changed something the plan shown does not have yet."""
        return self._timer.isActive() or self.options() != self._planned_with

    def combo(self, kind: str, label: str, before: str) -> QtWidgets.QComboBox:
        """The drop-down of one decision (by its kind, column label and value as written)."""
        for (k, _key, b), combo in self._combos.items():
            row = self._row_of(combo)
            if k == kind and b == before and self.table.item(row, LABEL_COLUMN).text() == label:
                return combo
        raise KeyError((kind, label, before))

    def restore_focus(self) -> None:
        """Give the focus back to the drop-down the clerk last changed (after planning again)."""
        focus = self._focus
        combo = focus if isinstance(focus, QtWidgets.QWidget) else self._combos.get(focus) if focus else None
        if combo is not None and self.isEnabled() and self.isVisible():
            combo.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
            self._focus = None

    # -- filling ------------------------------------------------------------------------------------
    def fill(self, plan: ImportPlan, options: PlanOptions, merged_cells: int,
             merged_values: dict[str, list[str]] | None = None) -> None:  # fmt: skip
        """Show ``plan``'s decisions as planned with ``options``; ``merged_cells``: cells the file's merges
        fill when 填入合并单元格的值 is ticked (0: the file has none, the tick is not shown);
        ``merged_values``: column label → the distinct values they fill (shown as what is stored)."""
        self._merged_values = merged_values or {}
        self._timer.stop()
        self._filling = True
        self._planned_with = options
        self._chosen = dict(options.chosen)
        decisions = plan.decisions()
        # refused rows too: a figure above its limit is not stored until the clerk confirms it
        over_limit = sum(1 for r in plan.rows if any(d[0] == OVER_LIMIT for d in r.decided or ()))
        self.fill_merged.setChecked(options.fill_merged)
        self.fill_merged.setText(f"填入合并单元格的值（{merged_cells} 个单元格）")
        self.fill_merged.setVisible(merged_cells > 0)
        self.confirm_over_limit.setChecked(options.confirm_over_limit)
        self.confirm_over_limit.setVisible(bool(over_limit) or options.confirm_over_limit)
        counts = plan.decision_counts(decisions)
        self.counts.setText(self._counts_line(counts, merged_cells, over_limit, options))
        self._fill_table(decisions[: self.MAX_ROWS])
        hidden = len(decisions) - self.table.rowCount()
        self.more.setText(f"另有 {hidden} 项未列出（数量最少的），均按上表规则自动处理" if hidden > 0 else "")
        self.more.setVisible(hidden > 0)
        self._filling = False
        self.setVisible(bool(decisions) or merged_cells > 0 or bool(over_limit) or bool(options.chosen))

    @staticmethod
    def _counts_line(counts: dict[str, int], merged_cells: int, over_limit: int, options: PlanOptions) -> str:
        parts = []
        for kind in DECISION_KINDS:
            n = counts.get(kind, 0)
            if kind == MERGED and merged_cells and not options.fill_merged:
                parts.append(f"{kind} 未填入（{merged_cells} 个单元格留空）")
            elif kind == OVER_LIMIT and over_limit and not options.confirm_over_limit:
                parts.append(f"{kind} {over_limit} 行（核对后勾选“已核对，数字无误”才导入）")
            elif n:  # a kind with nothing to show is left out (“合并单元格 0 个单元格” said nothing)
                parts.append(f"{kind} {n} {UNITS.get(kind, '处')}")  # 处: a row may hold several
        return "　".join(parts)

    def _fill_table(self, decisions: list[Decision]) -> None:
        self.table.clearContents()
        self._combos = {}
        self._key_of = {}
        self._planned_after = {}
        self.table.setRowCount(len(decisions))
        for r, d in enumerate(decisions):
            before = d.before or NOT_WRITTEN.get(d.kind, "")
            after = self._merged_text(d.label) if d.kind == MERGED else self._shown(d.kind, d.after)
            for c, text in ((KIND_COLUMN, d.kind), (LABEL_COLUMN, d.label), (BEFORE_COLUMN, before),
                            (AFTER_COLUMN, after), (COUNT_COLUMN, f"{d.count} {UNITS.get(d.kind, '行')}")):  # fmt: skip
                item = QtWidgets.QTableWidgetItem(text)
                if c == COUNT_COLUMN:
                    item.setTextAlignment(
                        QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
            if d.options or (d.kind == MATCHED and d.before) or d.kind == DERIVED:
                self.table.setCellWidget(r, AFTER_COLUMN, self._combo(d))
        header = self.table.horizontalHeader()
        for c in (KIND_COLUMN, LABEL_COLUMN, COUNT_COLUMN):
            header.setSectionResizeMode(c, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        for c in (BEFORE_COLUMN, AFTER_COLUMN):  # as written and as stored share the width
            header.setSectionResizeMode(c, QtWidgets.QHeaderView.ResizeMode.Stretch)
        # one line per decision, as tall as a drop-down (rows sized before the columns are laid out
        # would wrap the text in narrow columns and come out several lines tall)
        combo_height = max((c.sizeHint().height() for c in self._combos.values()), default=0)
        row_height = max(combo_height, self.table.fontMetrics().height() + 8)
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        for r in range(len(decisions)):
            self.table.setRowHeight(r, row_height)
        shown = min(len(decisions), self.VISIBLE_ROWS)
        height = header.sizeHint().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(shown))
        if len(decisions) > shown:
            height += self.table.rowHeight(0) // 2  # half a row: the list visibly goes on
        self.table.setFixedHeight(height)
        self.table.setVisible(bool(decisions))

    def _merged_text(self, label: str) -> str:
        """What a column's merged cells store: its first values (short), else "合并单元格的值"."""
        values = self._merged_values.get(label) or []
        if not values:
            return "合并单元格的值"
        shown = "、".join(v if len(v) <= 10 else v[:9] + "…" for v in values[:3])
        return shown + (f" 等 {len(values)} 个值" if len(values) > 3 else "")

    @staticmethod
    def _shown(kind: str, value: str) -> str:
        if value == NEW_ENTRY:
            return NEW_ENTRY
        return value or EMPTY_CHOICE.get(kind, "（空）")

    def _combo(self, d: Decision) -> QtWidgets.QComboBox:
        combo = QtWidgets.QComboBox()
        # reached from the list (Enter, Space, F2 on its row), so Tab never lands on a row scrolled away
        combo.setFocusPolicy(QtCore.Qt.FocusPolicy.ClickFocus)
        combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        values = [d.after, *d.options]
        if d.kind == MATCHED:
            values.append(NEW_ENTRY)
        if d.kind in EMPTY_CHOICE:
            values.append("")
        for value in dict.fromkeys(values):
            combo.addItem(self._shown(d.kind, value), value)
        combo.setCurrentIndex(0)
        combo.setToolTip(f"{d.label}写作“{d.before}”的 {d.count} 行保存为所选的值")
        key = (d.kind, d.field, d.before)
        self._combos[key] = combo
        self._key_of[combo] = key
        combo.currentIndexChanged.connect(self._chose)  # a bound method: gone with the panel, unlike a lambda
        if d.kind == DERIVED:  # a derived title or requester may be typed as the clerk wants it
            combo.setEditable(True)
            combo.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
            combo.lineEdit().editingFinished.connect(self._typed)
            self._planned_after[key] = d.after
        return combo

    # -- the clerk's changes -----------------------------------------------------------------------
    def _chose(self, _index: int) -> None:
        combo = self.sender()
        key = self._key_of.get(combo) if isinstance(combo, QtWidgets.QComboBox) else None
        if self._filling or key is None:
            return
        self._chosen[key] = combo.currentData()  # type: ignore[union-attr]
        self._focus = key
        self._edited()

    def _typed(self) -> None:
        """A derived value typed over (Enter or leaving the field): stored as typed ("（留空）": nothing)."""
        line = self.sender()
        combo = line.parent() if isinstance(line, QtWidgets.QLineEdit) else None
        key = self._key_of.get(combo) if isinstance(combo, QtWidgets.QComboBox) else None
        if self._filling or key is None:
            return
        text = line.text().strip()  # type: ignore[union-attr]
        value = "" if text == self._shown(key[0], "") else text
        if self._chosen.get(key, self._planned_after.get(key)) == value:
            return  # nothing changed (the focus only left the field)
        self._chosen[key] = value
        self._focus = key
        self._edited()

    def _ticked(self, _checked: bool) -> None:
        box = self.sender()
        if not self._filling and isinstance(box, QtWidgets.QCheckBox):
            self._focus = box
            self._edited()

    def _edited(self) -> None:
        if self._filling:
            return
        self._timer.start()
        self.edited.emit()

    def _row_of(self, combo: QtWidgets.QWidget) -> int:
        for r in range(self.table.rowCount()):
            if self.table.cellWidget(r, AFTER_COLUMN) is combo:
                return r
        return -1


class _DecisionTable(QtWidgets.QTableWidget):
    """The list of decisions: Enter, Space or F2 opens the current row's drop-down."""

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        combo = self.cellWidget(self.currentRow(), AFTER_COLUMN)
        if isinstance(combo, QtWidgets.QComboBox) and event.key() in _OPEN_KEYS:
            combo.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
            combo.showPopup()
            return
        super().keyPressEvent(event)
