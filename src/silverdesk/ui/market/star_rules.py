"""The star rules (星级标准) of 星级评定: a rule per level and subject, valid from a day, never deleted.

:class:`RuleDialog` sets a new rule from a date (the one it replaces ends the day before and keeps
rating earlier years); :class:`RuleHistoryDialog` lists every rule a subject ever had.
"""

from __future__ import annotations

import datetime as dt

from PySide6 import QtWidgets

from silverdesk.services.market.stars import SUBJECTS, StarRuleRow
from silverdesk.ui.context import UiContext
from silverdesk.ui.market.common import FormDialog, date_edit, date_of

LEVEL_NAMES = ("未评星", "一星级", "二星级", "三星级", "四星级", "五星级")


def rules_tree(owner: QtWidgets.QWidget) -> QtWidgets.QTreeWidget:
    """The rules of the five levels, one line each (the cells are :func:`rule_cells`)."""
    headers, widths = ["星级", "年服务时长", "年活动次数", "平均评价", "施行起始", "截止"], (10, 7, 6, 5, 7)
    tree = QtWidgets.QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    char = owner.fontMetrics().horizontalAdvance("汉")
    for col, width in enumerate(widths):
        tree.setColumnWidth(col, char * width)
    return tree


def rule_cells(rule: StarRuleRow) -> list[str]:
    return [
        f"{'★' * rule.level}　{LEVEL_NAMES[rule.level]}",
        f"≥{rule.min_hours:g} 小时",
        f"≥{rule.min_activities} 次",
        f"≥{rule.min_score:g} 分" if rule.min_score else "不要求",
        f"{rule.valid_from:%Y-%m-%d}",
        f"{rule.valid_to:%Y-%m-%d}" if rule.valid_to else "现行",
    ]


class RuleDialog(FormDialog):
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
        self.tree = rules_tree(self)
        for rule in ctx.services.stars.rule_history(subject):
            item = QtWidgets.QTreeWidgetItem(rule_cells(rule))
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
