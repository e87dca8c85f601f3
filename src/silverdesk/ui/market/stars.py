"""星级评定: a year and a subject (志愿者 / 服务队), the rules that year is rated by, and the rated list.

The rules are edited through :mod:`star_rules`' dialogs; 重新评定 runs in the task runner; the rated
list shows the figures behind each star and can be adjusted by hand (with a basis), handed back to
the rules, and exported to Excel.  Every dialog opens through :func:`market_common.run_dialog`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtWidgets

from silverdesk.progress import CancelToken, Progress
from silverdesk.services.market.stars import SUBJECTS, RatedRow, RecomputeResult
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.market import common as market_common
from silverdesk.ui.market.common import FormDialog
from silverdesk.ui.market.star_rules import LEVEL_NAMES, RuleDialog, RuleHistoryDialog, rule_cells, rules_tree
from silverdesk.ui.models.columns import Column
from silverdesk.ui.models.record_table import RecordTableModel
from silverdesk.ui.widgets.data_table import DataTable


def stars_cell(level: object) -> str:
    return f"{'★' * level}　{LEVEL_NAMES[level]}" if isinstance(level, int) and 1 <= level <= 5 else "未达标"


def _score(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else "—"


def rated_columns(subject: str) -> tuple[Column, ...]:
    return (
        Column(
            "name",
            "姓名" if subject == "volunteer" else "服务队",
            6 if subject == "volunteer" else 14,
            person_name=subject == "volunteer",
        ),
        Column("unit", "单位", 8),
        Column("hours", "服务时长", 5, numeric=True),
        Column("activities", "活动次数", 5, numeric=True),
        Column("score", "平均评价", 5, numeric=True, fmt=_score),
        Column("level", "星级", 9, fmt=stars_cell),
        Column("manual", "评定方式", 5, fmt=lambda v: "手工调整" if v else "按标准"),
        Column("basis", "评定依据", 40),
    )


class ManualDialog(FormDialog):
    """手工调整 one rating: a level and the basis (required); 重新评定 leaves it alone afterwards."""

    def __init__(self, ctx: UiContext, row: RatedRow, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(f"手工调整星级：{row.name}", parent)
        self.ctx, self.row = ctx, row
        self.level = QtWidgets.QComboBox()
        for lv in range(0, 6):
            self.level.addItem(stars_cell(lv) if lv else "不评星", lv)
        self.level.setCurrentIndex(row.level)
        self.basis = QtWidgets.QLineEdit()
        self.basis.setPlaceholderText("如：经2026年12月局务会议研究，评为五星级")
        self.form.addRow(
            "对象", QtWidgets.QLabel(f"{row.name}（{row.year}年度，现为{stars_cell(row.level)}）")
        )
        self.form.addRow("调整为", self.level)
        self.form.addRow("调整依据＊", self.basis)
        note = QtWidgets.QLabel("手工调整后，“重新评定”不再改动此人（队）的星级；需要时可“取消手工调整”。")
        note.setWordWrap(True)
        self.form.addRow(note)
        self.fit(36)
        self.basis.setFocus()

    def submit(self) -> None:
        if not self.basis.text().strip():
            self.refuse("请填写调整依据（如：局务会议研究决定），以备查考")
            self.basis.setFocus()
            return
        row, level = self.row, int(self.level.currentData())
        if self._attempt(
            lambda: self.ctx.services.stars.set_manual(
                row.subject, row.id, row.year, level, self.basis.text()
            )
        ):
            self.ctx.events.changed.emit("rating")


class StarsPanel(QtWidgets.QWidget):
    """Signals:
    loaded(int): the rated list was filled (how many rows).
    """

    loaded = QtCore.Signal(int)

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        today = ctx.services.ctx.today()
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(2000, today.year + 1)
        self.year.setValue(today.year)
        self.year.setSuffix(" 年度")
        self.subject = QtWidgets.QComboBox()
        for key, text in SUBJECTS.items():
            self.subject.addItem(text, key)
        self.min_level = QtWidgets.QComboBox()
        self.min_level.addItem("全部（含未达标）", 0)
        for lv in range(1, 6):
            self.min_level.addItem(f"{LEVEL_NAMES[lv]}及以上", lv)
        self.recompute_button = QtWidgets.QPushButton("重新评定(&R)")
        self.recompute_button.setToolTip("按本年度适用的标准，重新计算全年星级（手工调整过的不变）")
        self.recompute_button.clicked.connect(self.recompute)
        top = QtWidgets.QHBoxLayout()
        for text, widget in (("年度", self.year), ("对象", self.subject), ("显示", self.min_level)):
            label = QtWidgets.QLabel(text)
            label.setBuddy(widget)
            top.addWidget(label)
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.recompute_button)

        # --- rules -------------------------------------------------------------------------------
        self.rules_box = QtWidgets.QGroupBox()
        self.rules = rules_tree(self)
        self.rules.setToolTip("双击或回车修改该星级的标准")
        self.rules.itemActivated.connect(
            lambda item, _c: self.edit_rule(item.data(0, QtCore.Qt.ItemDataRole.UserRole))
        )
        self._fit_rules()
        self.rule_button = QtWidgets.QPushButton("修改规则…")
        self.rule_button.setToolTip("修改选中星级的标准；原标准保留在历史中，以前的年度仍按原标准评定")
        self.rule_button.clicked.connect(lambda: self.edit_rule(self._rule_level()))
        self.history_button = QtWidgets.QPushButton("规则历史…")
        self.history_button.clicked.connect(self.show_history)
        rule_buttons = QtWidgets.QVBoxLayout()
        rule_buttons.addWidget(self.rule_button)
        rule_buttons.addWidget(self.history_button)
        rule_buttons.addStretch(1)
        rules_layout = QtWidgets.QHBoxLayout(self.rules_box)
        rules_layout.addWidget(self.rules, 1)
        rules_layout.addLayout(rule_buttons)

        # --- rated list --------------------------------------------------------------------------
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = RecordTableModel(rated_columns("volunteer"), self)
        self.table = DataTable("star_ratings_volunteer", ctx.state)
        self.table.setModel(self.model)
        self.table.enable_sorting(5, QtCore.Qt.SortOrder.DescendingOrder)
        self.table.recordActivated.connect(lambda _id: self.adjust())
        self.table.setToolTip("双击或回车：手工调整；点击列标题排序；Ctrl+C 复制选中行")
        self.table.copied.connect(lambda n: ctx.notify(self, f"已复制 {n} 行，可直接粘贴到 Excel 或 WPS"))
        self.count_label = QtWidgets.QLabel()
        self.basis_label = QtWidgets.QLabel()
        self.basis_label.setWordWrap(True)
        self.basis_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.manual_button = QtWidgets.QPushButton("手工调整…")
        self.manual_button.clicked.connect(self.adjust)
        self.clear_button = QtWidgets.QPushButton("取消手工调整")
        self.clear_button.setToolTip("改回按标准计算，并立即重新评定本年度")
        self.clear_button.clicked.connect(self.clear_manual)
        self.export_button = QtWidgets.QPushButton("导出 Excel…")
        self.export_button.setToolTip("按当前年度、对象和星级筛选导出评定名单")
        self.export_button.clicked.connect(self.export)
        bottom = QtWidgets.QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        for button in (self.manual_button, self.clear_button, self.export_button):
            bottom.addWidget(button)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.rules_box)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.basis_label)
        layout.addLayout(bottom)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.subject.currentIndexChanged.connect(lambda _i: self._subject_changed())
        self.min_level.currentIndexChanged.connect(lambda _i: self.reload_list())
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._buttons())

    # --- state ---------------------------------------------------------------------------------
    @property
    def current_subject(self) -> str:
        return str(self.subject.currentData())

    def set_subject(self, subject: str) -> None:
        self.subject.setCurrentIndex(self.subject.findData(subject))

    def current_row(self) -> RatedRow | None:
        index = self.table.currentIndex()
        rows = self.table.selected_rows()
        row = index.row() if index.isValid() else (rows[0] if rows else -1)
        return self.model.record(row) if 0 <= row < self.model.rowCount() else None

    def select_subject_id(self, subject_id: int) -> None:
        self.table.select_id(subject_id)
        self._buttons()

    def _subject_changed(self) -> None:
        subject = self.current_subject
        self.model = RecordTableModel(rated_columns(subject), self)
        self.table.name = f"star_ratings_{subject}"
        self.table.setModel(self.model)
        self.table.enable_sorting(5, QtCore.Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._buttons())
        self.summary.clear()
        self.reload()

    def _buttons(self) -> None:
        row = self.current_row()
        self.basis_label.setText(
            f"{row.name}　{stars_cell(row.level)}　{'手工调整' if row.manual else '按标准评定'}：{row.basis}"
            if row is not None
            else "选中一行查看评定依据；双击或回车手工调整"
        )
        self.manual_button.setEnabled(row is not None)
        self.clear_button.setEnabled(row is not None and row.manual)

    # --- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        self.reload_rules()
        self.reload_list()

    def reload_rules(self) -> None:
        year, subject = self.year.value(), self.current_subject
        rules = self.ctx.services.stars.rules_for_year(subject, year)
        self.rules_box.setTitle(
            f"{year}年度适用的{SUBJECTS[subject]}星级标准（按当年12月31日有效的标准；各项都达到才评该星级）"
        )
        keep = self._rule_level()
        self.rules.clear()
        for level, rule in sorted(rules.items()):
            item = QtWidgets.QTreeWidgetItem(rule_cells(rule))
            item.setData(0, QtCore.Qt.ItemDataRole.UserRole, level)
            self.rules.addTopLevelItem(item)
            if level == keep:
                self.rules.setCurrentItem(item)
        if not rules:
            item = QtWidgets.QTreeWidgetItem([f"{year}年没有有效的标准，请点“修改规则…”设置"])
            item.setFirstColumnSpanned(True)
            self.rules.addTopLevelItem(item)
        elif self.rules.currentItem() is None:
            self.rules.setCurrentItem(self.rules.topLevelItem(0))
        self._fit_rules()

    def _fit_rules(self) -> None:
        """As tall as the five levels (no scrolling, no empty space)."""
        line = max(self.rules.sizeHintForRow(0), self.fontMetrics().height() + 4)
        self.rules.setFixedHeight(
            self.rules.header().sizeHint().height() + line * 5 + 2 * self.rules.frameWidth() + 4
        )

    def reload_list(self) -> None:
        """Fill the rated list in the task runner (counting a year's hours takes a moment on a big county)."""
        self._generation += 1
        generation, year, subject = self._generation, self.year.value(), self.current_subject
        min_level, keep = int(self.min_level.currentData()), self.current_row()
        stars = self.ctx.services.stars

        def work(_p: Progress, _c: CancelToken) -> list[RatedRow]:
            return stars.rated(subject, year, min_level=min_level)

        def done(rows: list[RatedRow]) -> None:
            if generation != self._generation:
                return  # a newer choice of year or subject is on its way
            self.model.set_rows(rows)
            unit = "人" if subject == "volunteer" else "个"
            if rows:
                self.count_label.setText(
                    f"共 {len(rows)} {unit}，其中手工调整 {sum(r.manual for r in rows)} {unit}"
                )
            elif min_level:
                self.count_label.setText("没有达到所选星级的，可在“显示”中选“全部”")
            else:
                self.count_label.setText(f"{year}年度尚未评定{SUBJECTS[subject]}星级：请点“重新评定”")
            if keep is not None and self.model.row_of(keep.id) >= 0:
                self.table.select_id(keep.id)
            self._buttons()
            self.loaded.emit(len(rows))

        self.ctx.runner.run(work, done, parent=self)

    def _rule_level(self) -> int:
        item = self.rules.currentItem()
        level = item.data(0, QtCore.Qt.ItemDataRole.UserRole) if item is not None else None
        return int(level) if isinstance(level, int) else 1

    # --- actions -------------------------------------------------------------------------------
    def edit_rule(self, level: object = None) -> None:
        dialog = RuleDialog(
            self.ctx,
            self.current_subject,
            self.year.value(),
            int(level) if isinstance(level, int) else 1,
            self,
        )
        if market_common.run_dialog(dialog):
            self.reload_rules()
            self.ctx.notify(self, "星级标准已修改，原标准已保留在规则历史中；请点“重新评定”按新标准计算")
            self.summary.setText("标准已修改：点“重新评定”后，本年度星级才按新标准计算。")

    def show_history(self) -> None:
        market_common.run_dialog(RuleHistoryDialog(self.ctx, self.current_subject, self))

    def recompute(self) -> None:
        year, subject = self.year.value(), self.current_subject
        if not self.ctx.confirm(
            self,
            "重新评定",
            f"按{year}年度适用的标准，重新计算{year}年全部{SUBJECTS[subject]}的星级？\n"
            "手工调整过的不会改动。",
        ):
            return
        stars = self.ctx.services.stars

        def work(progress: Progress, cancel: CancelToken) -> RecomputeResult:
            return stars.recompute(subject, year, progress=progress, cancel=cancel)

        self._run_rating(work, self._recomputed, f"正在评定{year}年{SUBJECTS[subject]}星级")

    def _run_rating(
        self,
        work: Callable[[Progress, CancelToken], RecomputeResult],
        done: Callable[[RecomputeResult], None],
        title: str,
    ) -> None:
        """Rate in the task runner; 重新评定 and 取消手工调整 wait for it, whatever it ends with."""
        self.recompute_button.setEnabled(False)
        self.clear_button.setEnabled(False)

        def ready() -> None:
            self.recompute_button.setEnabled(True)
            self._buttons()

        def finished(result: RecomputeResult) -> None:
            ready()
            done(result)

        def failed(exc: BaseException) -> None:
            ready()
            show_error(self, exc)

        def cancelled() -> None:
            ready()
            self.summary.setText("已取消评定，星级保持原样。")

        self.ctx.runner.run(work, finished, on_error=failed, on_cancelled=cancelled, title=title, parent=self)

    def _recomputed(self, result: RecomputeResult) -> None:
        self.summary.setText(self.summary_text(result))
        self.reload_list()
        self.ctx.events.changed.emit("rating")
        self.ctx.notify(self, f"{result.year}年{SUBJECTS[result.subject]}星级评定完成")

    @staticmethod
    def summary_text(result: RecomputeResult) -> str:
        unit = "人" if result.subject == "volunteer" else "个"
        total = sum(result.by_level.values())
        parts = [
            f"{LEVEL_NAMES[lv]}{n}{unit}" for lv, n in sorted(result.by_level.items(), reverse=True) if lv
        ]
        parts.append(f"未达标{result.by_level.get(0, 0)}{unit}")
        text = f"{result.year}年{SUBJECTS[result.subject]}星级评定完成：共评定{total}{unit}，" + "，".join(
            parts
        )
        if result.kept_manual:
            text += f"；手工调整的{result.kept_manual}{unit}未改动"
        return text + "。"

    def adjust(self) -> None:
        row = self.current_row()
        if row is None:
            self.ctx.notify(self, "请先在名单中选中一行")
            return
        if market_common.run_dialog(ManualDialog(self.ctx, row, self)):
            self.reload_list()
            self.select_subject_id(row.id)
            self.ctx.notify(
                self,
                f"已把{row.name}{row.year}年度调整为{stars_cell(self.ctx.services.stars.level_of(row.subject, row.id, row.year))}",
            )

    def clear_manual(self) -> None:
        row = self.current_row()
        if row is None or not row.manual:
            return
        if not self.ctx.confirm(
            self,
            "取消手工调整",
            f"取消{row.name}的手工调整，改回按标准计算？\n将立即重新评定{row.year}年度。",
        ):
            return
        stars = self.ctx.services.stars

        def work(progress: Progress, cancel: CancelToken) -> RecomputeResult:
            return stars.recompute(row.subject, row.year, release=row.id, progress=progress, cancel=cancel)

        def done(result: RecomputeResult) -> None:
            self._recomputed(result)
            self.select_subject_id(row.id)

        self._run_rating(work, done, "正在重新评定")

    def export(self) -> None:
        year, subject, min_level = self.year.value(), self.current_subject, int(self.min_level.currentData())
        target = self.ctx.ask_save_file(
            self, "导出星级评定名单到 Excel", f"{year}年{SUBJECTS[subject]}星级评定名单.xlsx"
        )
        if target is None:
            return
        export = self.ctx.services.market_export

        def work(progress: Progress, cancel: CancelToken) -> int:
            return export.ratings(target, subject, year, min_level, progress=progress, cancel=cancel)

        self.ctx.runner.run(
            work,
            lambda n: self.ctx.notify(self, f"已导出 {n} 条评定结果到 {target}"),
            on_cancelled=lambda: self.ctx.notify(self, f"已取消导出，没有生成 {target.name}"),
            title="正在导出星级评定名单",
            parent=self,
        )
