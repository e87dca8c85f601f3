"""分组统计 (a tab of the 报表 screen): any measures by any rows and columns, filtered, for a period and a
unit; the table with 合计 both ways and a chart; the records behind a figure; export, print; questions
saved under a name to run again next month.

Everything is asked of :class:`~silverdesk.services.statistics.query.QueryService` in the task runner
(progress, cancel); only the dimensions that apply to every chosen measure are offered. What the
service refuses is shown as its Chinese sentence above the table.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.errors import UserError
from silverdesk.progress import CancelToken, Progress
from silverdesk.reports.pivot import PivotTable
from silverdesk.services.statistics.periods import ReportPeriod
from silverdesk.services.statistics.query import DimRef, Filter, QueryService, Question
from silverdesk.services.statistics.saved_questions import SavedQuestion, SavedQuestions, latest_period
from silverdesk.ui.context import UiContext
from silverdesk.ui.statistics import pivot_output
from silverdesk.ui.statistics.pivot_controls import (
    DimensionSlot,
    FilterSlot,
    MeasureList,
    PeriodPicker,
    ValuesDialog,
)
from silverdesk.ui.statistics.pivot_drill import DrillDialog, Drilled, fetch
from silverdesk.ui.statistics.pivot_model import PivotModel, PivotTableView, chart_view
from silverdesk.ui.statistics.pivot_saved import SavedList

T = TypeVar("T")
Qt = QtCore.Qt
ROW_SLOTS = 2
COLUMN_SLOTS = 1
FILTER_SLOTS = 2
NO_FILTER_DIMENSIONS = ("单位", "期间")  # chosen with 统计范围 and 统计时段
EMPTY = "勾选统计指标，选好按什么分行、分列，再点“统计”（Ctrl+Enter）。\n双击表中的数字（或按 Enter）可查看它包含的记录。"


def _ask_text(parent: QtWidgets.QWidget, title: str, label: str, text: str) -> str | None:
    value, ok = QtWidgets.QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


class PivotView(QtWidgets.QWidget):
    """Signals:
    answered(): a table is shown (or the service's refusal).
    """

    answered = QtCore.Signal()

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.query = QueryService(ctx.services.ctx)
        self.store = SavedQuestions(ctx.services.ctx)
        self.catalogue = self.query.catalogue()
        self.rules = {e.name: e.rule for e in (*self.catalogue.measures, *self.catalogue.dimensions)}
        self.applies = {m.key: m.applies_to for m in self.catalogue.measures}
        self.pivot: PivotTable | None = None
        self.asked: Question | None = None  # the question behind the table shown
        self.busy = False
        self.drill_dialog: DrillDialog | None = None
        self.values_dialog: ValuesDialog | None = None
        self.preview: pivot_output.PrintPreviewDialog | None = None
        self.drill_seconds = 0.0  # from the request to the dialog shown, last drill-down
        self.ask_text: Callable[[QtWidgets.QWidget, str, str, str], str | None] = _ask_text
        self._build()
        ctx.events.changed.connect(self._data_changed)
        self.measures.set_checked([self.catalogue.measures[0].key] if self.catalogue.measures else [])
        self.row_slots[0].set_ref("单位")
        self.saved.load()

    # -- layout -----------------------------------------------------------------------------------
    def _build(self) -> None:
        today = self.ctx.services.ctx.today()
        self.period = PeriodPicker(today)
        self.compare = QtWidgets.QComboBox()
        for label, kind in (("不对比", ""), ("环比（与上期比）", "环比"), ("同比（与上年同期比）", "同比")):
            self.compare.addItem(label, kind)
        self.compare.setToolTip("每个指标再列出上期（或上年同期）、增减和增长率")
        self.scope = QtWidgets.QComboBox()
        self.scope.addItem(f"{self.ctx.services.units.whole_label()}（本级及全部下级）", None)
        for node in self.ctx.services.units.tree():
            if 0 < node.depth <= 3:  # down to the 社区: a community's scope counts who reports there too
                self.scope.addItem("　" * (node.depth - 1) + node.name, node.id)
        self.scope.setToolTip("统计哪个单位（含其全部下级）")
        self.measures = MeasureList(self.catalogue)
        self.measures.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.row_slots = [DimensionSlot(self.catalogue) for _ in range(ROW_SLOTS)]
        self.column_slots = [DimensionSlot(self.catalogue) for _ in range(COLUMN_SLOTS)]
        self.filter_slots = [FilterSlot(self.catalogue) for _ in range(FILTER_SLOTS)]
        for f in self.filter_slots:
            f.pick.connect(lambda f=f: self.pick_values(f))

        form = QtWidgets.QFormLayout()
        form.addRow("统计时段", self.period)
        form.addRow("对比", self.compare)
        form.addRow("统计范围", self.scope)
        form.addRow("统计指标", self.measures)
        for i, slot in enumerate(self.row_slots):
            form.addRow("分行" if i == 0 else "再分行", slot)
        for i, slot in enumerate(self.column_slots):
            form.addRow("分列" if i == 0 else "再分列", slot)
        for slot in self.filter_slots:
            form.addRow("筛选", slot)
        self.run_button = QtWidgets.QPushButton("统计 (Ctrl+Enter)")
        self.run_button.setToolTip("按所选指标、分组和筛选统计（Ctrl+Enter；F5 重新统计）")
        self.run_button.clicked.connect(self.run)
        keys = QtGui.QAction(self)
        keys.setShortcuts([QtGui.QKeySequence("Ctrl+Return"), QtGui.QKeySequence("Ctrl+Enter")])
        keys.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        keys.triggered.connect(lambda _checked=False: self.run())
        self.addAction(keys)
        # Ctrl+E / Ctrl+S and Ctrl+P are the main window's keys: the buttons only name them
        self.export_button = QtWidgets.QPushButton("导出… (Ctrl+E)")
        self.export_button.setToolTip("把表格保存为 Excel 或 PDF")
        self.export_button.clicked.connect(self.export)
        self.print_button = QtWidgets.QPushButton("打印… (Ctrl+P)")
        self.print_button.clicked.connect(self.print_report)
        buttons = QtWidgets.QHBoxLayout()
        for b in (self.run_button, self.export_button, self.print_button):
            buttons.addWidget(b)

        self.saved = SavedList(self.ctx, self.store)
        self.saved.chosen.connect(self.run_saved)
        self.saved.failed.connect(self._problem)
        self.save_question_button = QtWidgets.QPushButton("保存当前统计…")
        self.save_question_button.setToolTip("起个名字保存这些选择（不含具体时段），下月一点即可再统计")
        self.save_question_button.clicked.connect(self.save_question)
        self.run_saved_button = QtWidgets.QPushButton("运行")
        self.run_saved_button.clicked.connect(lambda: self.run_saved())
        self.delete_saved_button = QtWidgets.QPushButton("删除")
        self.delete_saved_button.clicked.connect(self.saved.delete_current)
        self.saved.filled.connect(self.run_saved_button.setEnabled)
        self.saved.filled.connect(self.delete_saved_button.setEnabled)
        saved_buttons = QtWidgets.QHBoxLayout()
        for b in (self.save_question_button, self.run_saved_button, self.delete_saved_button):
            saved_buttons.addWidget(b)

        left = QtWidgets.QVBoxLayout()
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(QtWidgets.QLabel("保存的统计"))
        left.addWidget(self.saved, 1)
        left.addLayout(saved_buttons)
        left_box = QtWidgets.QWidget()
        left_box.setLayout(left)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(left_box)
        char = self.fontMetrics().horizontalAdvance("汉")
        scroll.setMinimumWidth(char * 26)
        scroll.setMaximumWidth(char * 34)

        self.heading = QtWidgets.QLabel(EMPTY)
        self.heading.setWordWrap(True)
        bigger = QtGui.QFont(self.font())
        bigger.setPointSizeF(self.font().pointSizeF() * 1.15)
        self.heading.setFont(bigger)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b8322a;")
        self.message.setVisible(False)
        self.model = PivotModel(self)
        self.table = PivotTableView()
        self.table.setModel(self.model)
        self.table.drill.connect(self.drill)
        self.chart_box = QtWidgets.QWidget()
        self.chart_layout = QtWidgets.QVBoxLayout(self.chart_box)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart: QtWidgets.QWidget | None = None
        self.results = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        self.results.addWidget(self.table)
        self.results.addWidget(self.chart_box)
        self.results.setStretchFactor(0, 3)
        self.results.setStretchFactor(1, 2)
        self.chart_box.setMinimumHeight(self.fontMetrics().height() * 16)
        self.results.setSizes([self.fontMetrics().height() * 20, self.fontMetrics().height() * 20])
        right = QtWidgets.QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(self.message)
        right.addWidget(self.results, 1)
        right_box = QtWidgets.QWidget()
        right_box.setLayout(right)
        splitter = QtWidgets.QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right_box)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)
        self.measures.changed.connect(self._offer_dimensions)
        self._offer_dimensions()
        self._set_results_enabled()

    def _offer_dimensions(self) -> None:
        """Only the dimensions every chosen measure can be broken down by (the catalogue's applies_to)."""
        chosen = self.measures.checked()
        names = [d.name for d in self.catalogue.dimensions]
        for key in chosen:
            names = [n for n in names if n in self.applies.get(key, ())]
        for slot in (*self.row_slots, *self.column_slots):
            slot.offer(names)
        for f in self.filter_slots:
            f.slot.offer([n for n in names if n not in NO_FILTER_DIMENSIONS])

    def _set_results_enabled(self) -> None:
        for b in (self.export_button, self.print_button):
            b.setEnabled(self.pivot is not None and not self.busy)
        self.run_button.setEnabled(not self.busy)

    def focus_main(self) -> None:
        self.measures.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- the question -------------------------------------------------------------------------------
    def question(self) -> tuple[Question, ReportPeriod]:
        measures = tuple(self.measures.checked())
        if not measures:
            raise UserError("请至少勾选一个统计指标")
        period = self.period.period()
        filters = tuple(
            Filter(DimRef.parse(ref), values)
            for f in self.filter_slots
            if (chosen := f.filter())
            for ref, values in [chosen]
        )
        question = Question(
            measures,
            period.start,
            period.end,
            unit_id=self.scope.currentData(),
            rows=tuple(DimRef.parse(r) for s in self.row_slots if (r := s.ref())),
            columns=tuple(DimRef.parse(c) for s in self.column_slots if (c := s.ref())),
            filters=filters,
        )
        return question, period

    def _title(self, q: Question) -> str:
        names = {m.key: m.name for m in self.catalogue.measures}
        title = "、".join(names.get(m, m) for m in q.measures)
        by = [d.dimension for d in q.rows]
        across = [d.dimension for d in q.columns]
        if by:
            title += f"（按{'、'.join(by)}"
            title += f"，分{'、'.join(across)}）" if across else "）"
        elif across:
            title += f"（分{'、'.join(across)}）"
        return title

    def _notes(self, q: Question) -> list[str]:
        names = {m.key: m.name for m in self.catalogue.measures}
        used = [names.get(m, m) for m in q.measures] + list(dict.fromkeys(d.dimension for d in q.dimensions))
        return [f"{name}：{self.rules[name]}" for name in used if name in self.rules]

    # -- running ------------------------------------------------------------------------------------
    def reload(self) -> None:
        """F5: ask again with what is chosen now."""
        self.run()

    def run(self) -> None:
        if self.busy:
            return
        try:
            question, period = self.question()
        except UserError as exc:
            self._problem(str(exc))
            return
        title, notes, query = self._title(question), self._notes(question), self.query
        kind = str(self.compare.currentData() or "")

        def work(progress: Progress, cancel: CancelToken) -> tuple[Question, PivotTable]:
            from silverdesk.services.statistics.query.pivot import to_pivot

            if not kind:
                return question, to_pivot(query.ask(question, cancel), title, period.label, notes)
            compared = query.compare(question, kind, period, cancel)
            return question, to_pivot(compared.current, title, period.label, notes, compared)

        self.busy = True
        self._set_results_enabled()
        self.heading.setText("正在统计……")
        self.ctx.runner.run(
            work,
            self._answered,
            on_error=self._failed,
            on_cancelled=self._cancelled,
            title="正在分组统计",
            parent=self,
        )

    def _answered(self, answer: tuple[Question, PivotTable]) -> None:
        self.busy = False
        self.asked, self.pivot = answer
        self.model.set_table(self.pivot, len(self.asked.rows))
        self.table.fit()
        self.message.setVisible(False)
        p = self.pivot
        filters = f"　筛选：{'；'.join(p.filters)}" if p.filters else ""
        compared = f"\n{p.comparison}" if p.compared else ""
        self.heading.setText(f"{p.title}\n统计范围：{p.scope}　统计时段：{p.period}{filters}{compared}")
        if p.comparison and not p.compared:  # 同比 of a 累计 span: why there is none, over the table
            self._problem(p.comparison)
        self._draw_chart()
        self._set_results_enabled()
        self.answered.emit()

    def _draw_chart(self) -> None:
        if self.chart is not None:
            self.chart_layout.removeWidget(self.chart)
            self.chart.deleteLater()
            self.chart = None
        if self.pivot is not None and self.pivot.columns:
            self.chart = chart_view(self.pivot, self.font())
            self.chart_layout.addWidget(self.chart)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self._set_results_enabled()
        if isinstance(exc, UserError):
            self._problem(str(exc))
            self.heading.setText("未能统计，请按提示修改后再统计。")
            self.answered.emit()
            return
        self.heading.setText("未能统计。")
        from silverdesk.ui.errors import show_error

        show_error(self, exc)

    def _cancelled(self) -> None:
        self.busy = False
        self._set_results_enabled()
        self.heading.setText("已取消统计。")

    def _in_background(
        self, work: Callable[[Progress, CancelToken], T], done: Callable[[T], None], title: str
    ) -> None:
        """Run ``work`` in the task runner with the screen busy (its results' buttons off) until ``done``,
        a failure or 取消."""

        def finished(result: T) -> None:
            self.busy = False
            self._set_results_enabled()
            done(result)

        self.busy = True
        self._set_results_enabled()
        self.ctx.runner.run(
            work, finished, on_error=self._failed, on_cancelled=self._cancelled, title=title, parent=self
        )

    def _data_changed(self, _entity: str) -> None:
        """A record was changed (in a form opened from the drill-down, or elsewhere): the table is older."""
        if self.pivot is not None:
            self._problem("记录已有修改：按 F5 或 Ctrl+Enter 重新统计，表中数字才是最新的。")

    def _problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)

    # -- drill-down ---------------------------------------------------------------------------------
    def drill(self, index: QtCore.QModelIndex) -> None:
        """The records behind the figure at ``index``, fetched in the worker, listed in a dialog."""
        cell = self.model.cell(index)
        if cell is None or self.asked is None or self.busy:
            return
        question, query, services = self.asked, self.query, self.ctx.services
        labels = [x for x in (*cell.row.labels, *cell.column.labels) if x]
        title = " · ".join([cell.measure, *labels])
        figure = f"{self.model.data(index)} {cell.column.unit}"
        started = time.perf_counter()

        def work(progress: Progress, cancel: CancelToken) -> Drilled:
            kind, ids = query.records(question, cell.measure, cell.keys, cell.positions)
            cancel.raise_if_set()
            return Drilled(title, figure, kind, fetch(services, kind, ids))

        def done(drilled: Drilled) -> None:
            self.drill_dialog = DrillDialog(self.ctx, drilled, self)
            self.drill_dialog.open()
            self.drill_seconds = time.perf_counter() - started

        self._in_background(work, done, "正在列出明细")

    # -- filters' values ----------------------------------------------------------------------------
    def pick_values(self, slot: FilterSlot) -> None:
        """List the values of the filter's dimension that the chosen period and unit hold, to tick."""
        ref = slot.slot.ref()
        if ref is None or self.busy:
            return
        try:
            question, _period = self.question()
        except UserError as exc:
            self._problem(str(exc))
            return
        ask = Question(
            question.measures, question.start, question.end, question.unit_id, rows=(DimRef.parse(ref),)
        )
        query = self.query

        def work(progress: Progress, cancel: CancelToken) -> list[str]:
            result = query.ask(ask, cancel)
            return [row.labels[0] for row in result.rows if row.keys[0] is not None]

        def done(values: list[str]) -> None:
            self.values_dialog = ValuesDialog(slot.slot.name() or "", values, slot.values, self)
            self.values_dialog.accepted.connect(
                lambda: slot.set_values(self.values_dialog.chosen() if self.values_dialog else ())
            )
            self.values_dialog.open()

        self._in_background(work, done, "正在列出可选的值")

    # -- export and print ---------------------------------------------------------------------------
    def export(self) -> None:
        if self.pivot is None:
            self._problem("请先统计（Ctrl+Enter），再导出。")
            return
        if self.busy:
            return
        suggested = str(
            Path(self.ctx.state.last_folder() or Path.home()) / f"{pivot_output.file_stem(self.pivot)}.xlsx"
        )
        chosen = self.ctx.ask_save_path(self, "导出分组统计", suggested, pivot_output.FILTERS)
        if not chosen:
            return
        target = pivot_output.export_target(chosen)
        self.ctx.state.set_last_folder(str(target.parent))
        table = self.pivot

        def work(progress: Progress, cancel: CancelToken) -> Path:
            return pivot_output.write_table(table, target)

        def done(path: Path) -> None:
            self.message.setVisible(False)
            self.heading.setText(f"{self.pivot.title if self.pivot else ''}\n已导出：{path}")
            self.ctx.notify(self, f"分组统计已导出到 {path}")

        self._in_background(work, done, "正在导出分组统计")

    def save(self) -> None:
        """Ctrl+S: the table to a file, as 导出."""
        self.export()

    def print_report(self) -> None:
        """Ctrl+P: the pages as they print, previewed; 打印… from there."""
        if self.pivot is None:
            self._problem("请先统计（Ctrl+Enter），再打印。")
            return
        if self.busy:
            return
        table, target = self.pivot, pivot_output.preview_path()

        def work(progress: Progress, cancel: CancelToken) -> Path:
            return pivot_output.write_table(table, target)

        def done(path: Path) -> None:
            self.preview = pivot_output.PrintPreviewDialog(self.ctx, table, path, self)
            self.preview.open()

        self._in_background(work, done, "正在排版")

    # -- saved questions ----------------------------------------------------------------------------
    def current_saved(self) -> SavedQuestion:
        question, _period = self.question()
        return SavedQuestion(
            name="",
            measures=question.measures,
            rows=tuple(str(r) for r in question.rows),
            columns=tuple(str(c) for c in question.columns),
            filters=tuple((str(f.dimension), f.values) for f in question.filters),
            period=self.period.kind_key(),
            unit_id=question.unit_id,
            since=question.start if self.period.kind_key() == "since" else None,
        )

    def save_question(self) -> None:
        try:
            current = self.current_saved()
            suggested = self._title(self.question()[0])
            name = self.ask_text(
                self, "保存当前统计", "名称（下月在“保存的统计”里双击即可再统计）：", suggested
            )
            if name is None:
                return
            if " ".join(name.split()) in self.saved.names() and not self.ctx.confirm(
                self, "保存当前统计", f"已有名为“{' '.join(name.split())}”的统计，要用现在的选择替换它吗？"
            ):
                return
            saved = self.store.save(dataclasses.replace(current, name=name))
        except UserError as exc:
            self._problem(str(exc))
            return
        self.saved.load(select=saved.name)
        self.ctx.notify(self, f"已保存统计“{saved.name}”")

    def run_saved(self, name: str | None = None) -> None:
        """Put a saved question's choices on screen (the latest period of its kind) and run it."""
        name = name or self.saved.current_name()
        if not name or self.busy:
            return
        try:
            q = self.store.get(name)
            self.apply(q)
        except UserError as exc:
            self._problem(str(exc))
            return
        self.run()

    def apply(self, q: SavedQuestion) -> None:
        """Show ``q``'s choices; raises UserError naming what no longer applies."""
        unknown = self.measures.set_checked(q.measures)
        if unknown:
            raise UserError(f"保存的统计“{q.name}”里的指标已不存在：{'、'.join(unknown)}")
        period = latest_period(q.period, self.ctx.services.ctx.today(), q.since)
        if period is not None:
            self.period.set_period(period)
        else:
            self.period.set_kind("custom")
        index = self.scope.findData(q.unit_id) if q.unit_id is not None else 0
        if index < 0:
            raise UserError(f"保存的统计“{q.name}”的统计范围单位已不在单位列表中，请重新选择统计范围")
        self.scope.setCurrentIndex(index)
        for slots, refs in ((self.row_slots, q.rows), (self.column_slots, q.columns)):
            for i, slot in enumerate(slots):
                ref = refs[i] if i < len(refs) else None
                if not slot.set_ref(ref):
                    raise UserError(f"保存的统计“{q.name}”里的“{ref}”不能用于所选指标")
            if len(refs) > len(slots):
                raise UserError(f"保存的统计“{q.name}”的分组超过本页可选的数目")
        for i, f in enumerate(self.filter_slots):
            dim, values = q.filters[i] if i < len(q.filters) else (None, ())
            if not f.slot.set_ref(dim):
                raise UserError(f"保存的统计“{q.name}”里的筛选“{dim}”不能用于所选指标")
            f.set_values(values)
