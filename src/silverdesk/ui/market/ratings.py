"""星级与积分: the star rules and the yearly rating (星级评定), and the points ledger (积分存折).

星级评定: a year and a subject (志愿者 / 服务队); the rules that year is rated by, edited through
a dialog (the old rule stays in the history and keeps rating earlier years); 重新评定 runs in
the task runner; the rated list shows the figures behind each star and can be adjusted by hand
(with a basis), handed back to the rules, and exported to Excel.

积分存折: points earned from service hours at the rate in 设置, awarded for a period (a line
already credited is never credited twice); one person's balance and statement, with 兑换 and 调整.
Every dialog opens through :func:`market_common.run_dialog`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.errors import SilverdeskError
from silverdesk.progress import CancelToken, Progress
from silverdesk.services.market.points import AwardStatus
from silverdesk.services.market.stars import SUBJECTS, RatedRow, RecomputeResult, StarRuleRow
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.market import common as market_common
from silverdesk.ui.market.common import date_edit, date_of
from silverdesk.ui.models.columns import Column
from silverdesk.ui.models.record_table import RecordTableModel
from silverdesk.ui.widgets.data_table import DataTable
from silverdesk.ui.widgets.person_search import PersonSearch
from silverdesk.ui.widgets.record_dialog import message_label

if TYPE_CHECKING:  # the print preview (QtPdf) loads when something is printed
    from silverdesk.ui.widgets.print_preview import PrintSource

LEVEL_NAMES = ("未评星", "一星级", "二星级", "三星级", "四星级", "五星级")


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


STATEMENT_COLUMNS = (
    Column("day", "日期", 6),
    Column("kind", "类别", 3),
    Column("points", "积分", 4, numeric=True, fmt=lambda v: f"{v:+g}" if isinstance(v, float | int) else ""),
    Column("balance", "余额", 4, numeric=True),
    Column("reason", "摘要", 30),
)


def _tree(headers: list[str], widths: tuple[int, ...], owner: QtWidgets.QWidget) -> QtWidgets.QTreeWidget:
    tree = QtWidgets.QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    char = owner.fontMetrics().horizontalAdvance("汉")
    for col, width in enumerate(widths):
        tree.setColumnWidth(col, char * width)
    return tree


def _rule_cells(rule: StarRuleRow) -> list[str]:
    return [
        f"{'★' * rule.level}　{LEVEL_NAMES[rule.level]}",
        f"≥{rule.min_hours:g} 小时",
        f"≥{rule.min_activities} 次",
        f"≥{rule.min_score:g} 分" if rule.min_score else "不要求",
        f"{rule.valid_from:%Y-%m-%d}",
        f"{rule.valid_to:%Y-%m-%d}" if rule.valid_to else "现行",
    ]


class _Dialog(QtWidgets.QDialog):
    """A small form with a message line and 确定 / 取消; ``submit()`` is what 确定 does."""

    def __init__(self, title: str, parent: QtWidgets.QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QtWidgets.QFormLayout()
        self.form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message = message_label()
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def fit(self, chars: int) -> None:
        """``chars`` characters wide and tall enough for the wrapped notes."""
        width = self.fontMetrics().horizontalAdvance("汉") * chars
        layout = self.layout()
        height = max(self.sizeHint().height(), layout.totalHeightForWidth(width) if layout is not None else 0)
        self.resize(width, height)

    def refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)

    def submit(self) -> None:  # pragma: no cover - overridden
        self.accept()

    def _attempt(self, action: object) -> bool:
        """Run the service call; a refusal is shown in the dialog, which stays open."""
        try:
            action()  # type: ignore[operator]
        except SilverdeskError as exc:
            self.refuse(exc.message)
            return False
        self.accept()
        return True


# --- 星级评定 -------------------------------------------------------------------------------------


class RuleDialog(_Dialog):
    """修改一个星级的标准: a new rule from a date; the one it replaces ends the day before."""

    def __init__(
        self, ctx: UiContext, subject: str, year: int, level: int = 1, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(f"修改{SUBJECTS[subject]}星级标准", parent)
        self.ctx, self.subject = ctx, subject
        self.current = {r.level: r for r in ctx.services.stars.rules(subject, dt.date(year, 12, 31))}
        if not self.current:  # a year before any rule: the rules in force today
            self.current = {r.level: r for r in ctx.services.stars.rules(subject)}
        self.level = QtWidgets.QComboBox()
        for lv in range(1, 6):
            self.level.addItem(f"{'★' * lv}　{LEVEL_NAMES[lv]}", lv)
        self.hours = QtWidgets.QDoubleSpinBox()
        self.hours.setRange(0, 100000)
        self.hours.setDecimals(1)
        self.hours.setSuffix(" 小时")
        self.activities = QtWidgets.QSpinBox()
        self.activities.setRange(0, 10000)
        self.activities.setSuffix(" 次")
        self.score = QtWidgets.QDoubleSpinBox()
        self.score.setRange(0, 5)
        self.score.setDecimals(1)
        self.score.setSingleStep(0.5)
        self.score.setSuffix(" 分")
        self.score.setSpecialValueText("不要求")
        self.valid_from = date_edit(dt.date(year, 1, 1))
        self.now_label = QtWidgets.QLabel()
        self.now_label.setWordWrap(True)
        self.form.addRow("星级", self.level)
        self.form.addRow("现行标准", self.now_label)
        self.form.addRow("年服务时长不少于", self.hours)
        self.form.addRow("年参加活动不少于", self.activities)
        self.form.addRow("订单平均评价不低于", self.score)
        self.form.addRow("新标准施行日期", self.valid_from)
        self.note = QtWidgets.QLabel(
            "保存后，原标准截止到新标准施行日期的前一天，仍保留在“规则历史”中，施行日期以前的年度仍按原标准评定；"
            "每一年按当年12月31日有效的标准评定。修改后请点“重新评定”。"
        )
        self.note.setWordWrap(True)
        self.form.addRow(self.note)
        self.level.currentIndexChanged.connect(lambda _i: self._fill())
        self.level.setCurrentIndex(max(self.level.findData(level), 0))
        self._fill()
        self.fit(34)
        self.hours.setFocus()

    def _fill(self) -> None:
        rule = self.current.get(self.level.currentData())
        if rule is None:
            self.now_label.setText("尚无标准")
            return
        self.now_label.setText(
            f"{rule.min_hours:g}小时、{rule.min_activities}次"
            + (f"、评价{rule.min_score:g}分" if rule.min_score else "")
            + f"，{rule.valid_from:%Y-%m-%d}起施行"
        )
        self.hours.setValue(rule.min_hours)
        self.activities.setValue(rule.min_activities)
        self.score.setValue(rule.min_score)

    def submit(self) -> None:
        stars, level = self.ctx.services.stars, int(self.level.currentData())
        if self._attempt(
            lambda: stars.set_rule(
                self.subject,
                level,
                min_hours=self.hours.value(),
                min_activities=self.activities.value(),
                min_score=self.score.value(),
                valid_from=date_of(self.valid_from),
            )
        ):
            self.ctx.events.changed.emit("rating")


class RuleHistoryDialog(QtWidgets.QDialog):
    """Every rule a subject ever had, per level, with its dates."""

    def __init__(self, ctx: UiContext, subject: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{SUBJECTS[subject]}星级标准的历史")
        self.tree = _tree(
            ["星级", "年服务时长", "年活动次数", "平均评价", "施行起始", "截止"], (10, 7, 6, 5, 7), self
        )
        for rule in ctx.services.stars.rule_history(subject):
            item = QtWidgets.QTreeWidgetItem(_rule_cells(rule))
            self.tree.addTopLevelItem(item)
        note = QtWidgets.QLabel(
            "修改标准时原标准不会删除：它截止到新标准施行的前一天，评定以前的年度仍按它计算。"
        )
        note.setWordWrap(True)
        close = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close.button(QtWidgets.QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(note)
        layout.addWidget(close)
        char = self.fontMetrics().horizontalAdvance("汉")
        self.resize(char * 46, char * 24)

    def lines(self) -> list[list[str]]:
        return [
            [self.tree.topLevelItem(i).text(c) for c in range(self.tree.columnCount())]
            for i in range(self.tree.topLevelItemCount())
        ]


class ManualDialog(_Dialog):
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
        self.rules = _tree(
            ["星级", "年服务时长", "年活动次数", "平均评价", "施行起始", "截止"], (10, 7, 6, 5, 7), self
        )
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
            item = QtWidgets.QTreeWidgetItem(_rule_cells(rule))
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


# --- 积分存折 -------------------------------------------------------------------------------------


class AwardDialog(_Dialog):
    """按服务时长发放积分: a period; says what is still to be credited (nothing is credited twice)."""

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("按服务时长发放积分", parent)
        self.ctx = ctx
        today = ctx.services.ctx.today()
        self.start = date_edit(dt.date(today.year, 1, 1), today)
        self.end = date_edit(today, today)
        period = QtWidgets.QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QtWidgets.QLabel("至"))
        period.addWidget(self.end)
        period.addStretch(1)
        self.form.addRow("活动日期", period)
        self.status_label = QtWidgets.QLabel()
        self.status_label.setWordWrap(True)
        self.form.addRow("", self.status_label)
        note = QtWidgets.QLabel(
            "按每人每次活动的服务时长计入积分；已计入的活动不会重复计入，可放心多次发放"
            "（如补录活动后再发放一次）。"
        )
        note.setWordWrap(True)
        self.form.addRow(note)
        self.status: AwardStatus | None = None
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.refresh)
        self.start.dateChanged.connect(lambda _d: self._timer.start())
        self.end.dateChanged.connect(lambda _d: self._timer.start())
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("发放")
        self.refresh()
        self.fit(36)

    def period(self) -> tuple[dt.date, dt.date]:
        return date_of(self.start), date_of(self.end)

    def set_period(self, start: dt.date, end: dt.date) -> None:
        self.start.setDate(QtCore.QDate(start.year, start.month, start.day))
        self.end.setDate(QtCore.QDate(end.year, end.month, end.day))
        self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        start, end = self.period()
        self.message.setVisible(False)
        if end < start:
            self.status = None
            self.status_label.setText("截止日期早于起始日期，请核对")
            return
        try:
            self.status = s = self.ctx.services.points.award_status(start, end)
        except SilverdeskError as exc:
            self.status = None
            self.status_label.setText(exc.message)
            return
        if s.pending:
            text = f"将为 {s.pending} 人次计入积分：服务 {s.pending_hours:g} 小时 × 每小时 {s.rate:g} 分 = {s.pending_points:g} 分。"
        else:
            text = "该时段没有尚未计入的服务时长。"
        if s.done:
            text += f"另有 {s.done} 人次此前已计入，不会重复计入。"
        self.status_label.setText(text)

    def submit(self) -> None:
        if self._timer.isActive():
            self.refresh()
        start, end = self.period()
        if end < start:
            self.refuse("截止日期早于起始日期，请核对")
            return
        if self.status is not None and not self.status.pending:
            self.refuse("该时段的服务时长都已计入积分（或没有活动），不需要再发放；补录活动后可再发放。")
            return
        self.accept()


class PointsDialog(_Dialog):
    """兑换 (points > 0, refused beyond the balance) or 调整 (either way, with a reason)."""

    def __init__(
        self, ctx: UiContext, kind: str, person_id: int, name: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(f"积分{kind}：{name}", parent)
        self.ctx, self.kind, self.person_id = ctx, kind, person_id
        balance = ctx.services.points.balance(person_id)
        self.points = QtWidgets.QDoubleSpinBox()
        self.points.setDecimals(1)
        self.points.setRange(0 if kind == "兑换" else -100000, 100000)
        self.points.setSuffix(" 分")
        self.reason = QtWidgets.QLineEdit()
        self.reason.setPlaceholderText(
            "如：兑换日用品一份" if kind == "兑换" else "如：补录2026年3月义诊活动"
        )
        today = ctx.services.ctx.today()
        self.day = date_edit(today, today)
        self.form.addRow("人员", QtWidgets.QLabel(f"{name}　现有积分 {balance:g} 分"))
        self.form.addRow("兑换积分＊" if kind == "兑换" else "调整积分＊（减少填负数）", self.points)
        self.form.addRow("兑换内容＊" if kind == "兑换" else "调整原因＊", self.reason)
        self.form.addRow("日期", self.day)
        self.fit(32)
        self.points.setFocus()
        self.points.selectAll()

    def submit(self) -> None:
        points, reason, day = self.points.value(), self.reason.text(), date_of(self.day)
        service = self.ctx.services.points
        call = service.redeem if self.kind == "兑换" else service.adjust
        if self._attempt(lambda: call(self.person_id, points, reason, day)):
            self.ctx.events.changed.emit("points")


def _earned_and_redeemed(rows: list[dict[str, Any]]) -> str:
    earned = sum(r["points"] for r in rows if r["points"] > 0)
    redeemed = -sum(r["points"] for r in rows if r["kind"] == "兑换")
    return f"获得 {earned:g} 分，兑换 {redeemed:g} 分"


class PointsPanel(QtWidgets.QWidget):
    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id: int | None = None
        self.person_name = ""
        self.rate_label = QtWidgets.QLabel()
        self.award_button = QtWidgets.QPushButton("按服务时长发放积分(&A)…")
        self.award_button.setToolTip("把一段时间内活动的服务时长按每小时积分计入各人的积分存折")
        self.award_button.clicked.connect(self.award)
        self.award_label = QtWidgets.QLabel()
        self.award_label.setWordWrap(True)
        self.award_label.setVisible(False)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.rate_label)
        top.addStretch(1)
        top.addWidget(self.award_button)

        self.search = PersonSearch(ctx.services.people)
        self.search.personChosen.connect(self.choose_person)
        find = QtWidgets.QLabel("查看存折(&P)")
        find.setBuddy(self.search)
        self.person_label = QtWidgets.QLabel("输入姓名并从提示中选择一人，查看其积分存折")
        font = self.person_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.person_label.setFont(font)
        pick = QtWidgets.QHBoxLayout()
        pick.addWidget(find)
        pick.addWidget(self.search, 1)
        pick.addWidget(self.person_label, 2)

        self.model = RecordTableModel(STATEMENT_COLUMNS, self)
        self.table = DataTable("points_statement", ctx.state)
        self.table.setModel(self.model)
        self.table.copied.connect(lambda n: ctx.notify(self, f"已复制 {n} 行，可直接粘贴到 Excel 或 WPS"))
        self.redeem_button = QtWidgets.QPushButton("兑换…")
        self.redeem_button.clicked.connect(lambda: self.change("兑换"))
        self.adjust_button = QtWidgets.QPushButton("调整…")
        self.adjust_button.setToolTip("更正积分（增加或减少），须填写原因")
        self.adjust_button.clicked.connect(lambda: self.change("调整"))
        self.balance_label = QtWidgets.QLabel()
        bottom = QtWidgets.QHBoxLayout()
        bottom.addWidget(self.balance_label)
        bottom.addStretch(1)
        bottom.addWidget(self.redeem_button)
        bottom.addWidget(self.adjust_button)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.award_label)
        layout.addLayout(pick)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._buttons()

    def _buttons(self) -> None:
        for button in (self.redeem_button, self.adjust_button):
            button.setEnabled(self.person_id is not None)

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        self._rate()  # 设置 may have changed it

    def reload(self) -> None:
        self._rate()
        self.reload_statement()

    def _rate(self) -> None:
        try:
            rate = self.ctx.services.points.rate()
            self.rate_label.setText(f"积分标准：每服务 1 小时计 {rate:g} 分（在“设置”中修改）")
        except SilverdeskError as exc:
            self.rate_label.setText(exc.message)

    def choose_person(self, person_id: int, name: str) -> None:
        self.person_id, self.person_name = person_id, name
        self.reload_statement()
        self._buttons()

    def reload_statement(self) -> None:
        if self.person_id is None:
            self.model.set_rows([])
            self.balance_label.clear()
            return
        statement = self.ctx.services.points.statement(self.person_id)
        rows = [
            {
                "id": i,
                "day": line.day,
                "kind": line.kind,
                "points": line.points,
                "balance": line.balance,
                "reason": line.reason,
            }
            for i, line in enumerate(statement.lines)
        ]
        self.model.set_rows(rows)
        if rows:
            self.table.scrollToBottom()
        self.person_label.setText(f"{statement.name}　积分余额 {statement.closing:g} 分")
        self.balance_label.setText(
            f"共 {len(rows)} 笔；{_earned_and_redeemed(rows)}"
            if rows
            else "尚无积分记录：发放积分后即可在此查看"
        )

    def balance(self) -> float | None:
        return self.ctx.services.points.balance(self.person_id) if self.person_id is not None else None

    def print_source(self) -> PrintSource | None:
        """Ctrl+P: the chosen person's 积分存折, every entry with its running balance."""
        from silverdesk.ui.widgets.print_preview import PrintSource

        if self.person_id is None:
            self.ctx.notify(self, "请先输入姓名并从提示中选择一人，再打印其积分存折")
            self.search.setFocus()
            return None
        statement = self.ctx.services.points.statement(self.person_id)
        rows = self.model.rows()
        today = self.ctx.services.ctx.today()
        return PrintSource(
            f"积分存折　{statement.name}",
            f"截至 {today:%Y-%m-%d} 积分余额 {statement.closing:g} 分；{_earned_and_redeemed(rows)}",
            self.table.visible_columns(),
            len(rows),
            lambda: rows,
        )

    def award(self) -> None:
        dialog = AwardDialog(self.ctx, self)
        if not market_common.run_dialog(dialog):
            return
        start, end = dialog.period()
        points = self.ctx.services.points

        def work(progress: Progress, cancel: CancelToken) -> int:
            return points.award(start, end, progress=progress, cancel=cancel)

        def say(text: str) -> None:
            self.award_button.setEnabled(True)
            self.award_label.setText(text)
            self.award_label.setVisible(True)

        def done(count: int) -> None:
            if count:
                text = f"已发放积分：{start:%Y-%m-%d}至{end:%Y-%m-%d}，计入 {count} 人次。"
            else:
                text = f"{start:%Y-%m-%d}至{end:%Y-%m-%d}的服务时长此前都已计入积分，本次没有新增。"
            say(text)
            self.ctx.notify(self, text)
            self.reload_statement()
            if count:
                self.ctx.events.changed.emit("points")

        def failed(exc: BaseException) -> None:
            self.award_button.setEnabled(True)
            show_error(self, exc)

        self.award_button.setEnabled(False)
        self.ctx.runner.run(
            work,
            done,
            on_error=failed,
            on_cancelled=lambda: say("已取消发放积分，积分存折保持原样。"),
            title="正在发放积分",
            parent=self,
        )

    def change(self, kind: str) -> None:
        if self.person_id is None:
            self.ctx.notify(self, "请先输入姓名并从提示中选择一人")
            self.search.setFocus()
            return
        if market_common.run_dialog(PointsDialog(self.ctx, kind, self.person_id, self.person_name, self)):
            self.reload_statement()
            self.ctx.notify(self, f"已{kind}：{self.person_label.text()}")


class RatingsTab(QtWidgets.QWidget):
    """星级与积分: 星级评定 and 积分存折 side by side as two inner tabs."""

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stars = StarsPanel(ctx)
        self.points = PointsPanel(ctx)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.stars, "星级评定")
        self.tabs.addTab(self.points, "积分存折")
        for key, index in (("Ctrl+Shift+1", 0), ("Ctrl+Shift+2", 1)):
            action = QtGui.QAction(self)
            action.setShortcut(QtGui.QKeySequence(key))
            action.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, i=index: self.tabs.setCurrentIndex(i))
            self.addAction(action)
        self.tabs.setToolTip("Ctrl+Shift+1 星级评定　Ctrl+Shift+2 积分存折")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def reload(self) -> None:
        self.stars.reload()
        self.points.reload()
