"""The 分组统计 screen's choosers: the period (as on the 报表 screen), the measures (a checkable list, each
measure's counting rule as its tooltip), a dimension with its level, a filter with its values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6 import QtCore, QtWidgets

from silverdesk.services.statistics.periods import ReportPeriod, month, quarter, since, year
from silverdesk.services.statistics.query import Catalogue

Qt = QtCore.Qt
KINDS = (
    ("month", "月"),
    ("quarter", "季度"),
    ("year", "年度"),
    ("custom", "自定义时段"),
    ("since", "累计（自某日起至今）"),
)
NONE = "（不分组）"
NO_FILTER = "（不筛选）"


class PeriodPicker(QtWidgets.QWidget):
    """月 / 季度 / 年度 / 自定义时段 / 累计, the year and the month or quarter, two dates, or the first day."""

    def __init__(self, today: dt.date, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.kind = QtWidgets.QComboBox()
        for key, label in KINDS:
            self.kind.addItem(label, key)
        self.kind.setToolTip("统计时段的类型")
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setSuffix(" 年")
        self.part = QtWidgets.QSpinBox()
        self.start = QtWidgets.QDateEdit(QtCore.QDate(today.year, 1, 1))
        self.end = QtWidgets.QDateEdit(QtCore.QDate(today.year, today.month, today.day))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.to = QtWidgets.QLabel("至")
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        for w in (self.kind, self.year, self.part):
            top.addWidget(w)
        custom = QtWidgets.QHBoxLayout()
        custom.setContentsMargins(0, 0, 0, 0)
        for w in (self.start, self.to, self.end):
            custom.addWidget(w)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(custom)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        last = today.replace(day=1) - dt.timedelta(days=1)
        self.set_period(month(last.year, last.month))

    def _kind_changed(self) -> None:
        key = self.kind.currentData()
        self.part.setVisible(key in ("month", "quarter"))
        self.year.setVisible(key not in ("custom", "since"))
        self.start.setVisible(key in ("custom", "since"))
        self.start.setToolTip("累计的起始日期（至今天）" if key == "since" else "起始日期")
        for w in (self.to, self.end):
            w.setVisible(key == "custom")
        if key == "month":
            self.part.setRange(1, 12)
            self.part.setSuffix(" 月")
        elif key == "quarter":
            self.part.setRange(1, 4)
            self.part.setSuffix(" 季度")

    def kind_key(self) -> str:
        return str(self.kind.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self._kind_changed()

    def set_period(self, period: ReportPeriod) -> None:
        self.set_kind(period.kind)
        self.year.setValue(period.start.year)
        if period.kind == "month":
            self.part.setValue(period.start.month)
        elif period.kind == "quarter":
            self.part.setValue((period.start.month - 1) // 3 + 1)
        elif period.kind in ("custom", "since"):
            self.start.setDate(QtCore.QDate(period.start.year, period.start.month, period.start.day))
            if period.kind == "custom":
                self.end.setDate(QtCore.QDate(period.end.year, period.end.month, period.end.day))

    def period(self) -> ReportPeriod:
        key = self.kind_key()
        if key == "month":
            return month(self.year.value(), self.part.value())
        if key == "quarter":
            return quarter(self.year.value(), self.part.value())
        if key == "year":
            return year(self.year.value())
        start, end = self.start.date().toPython(), self.end.date().toPython()
        if key == "since":
            return since(start, self.today)
        return ReportPeriod(min(start, end), max(start, end), "custom")


class MeasureList(QtWidgets.QListWidget):
    """The measures of the catalogue, checkable; each one's counting rule is its tooltip.

    Signals:
        changed(): the checked measures changed.
    """

    changed = QtCore.Signal()

    def __init__(self, catalogue: Catalogue, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        for m in catalogue.measures:
            item = QtWidgets.QListWidgetItem(f"{m.name}（{m.unit}）")
            item.setData(Qt.ItemDataRole.UserRole, m.key)
            item.setToolTip(f"{m.name}：{m.rule}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.itemChanged.connect(lambda _item: self.changed.emit())
        self.setToolTip("勾选要统计的指标（空格键勾选）；鼠标停在指标上可看统计口径")

    def checked(self) -> list[str]:
        return [
            str(self.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, keys: Sequence[str]) -> list[str]:
        """Check exactly ``keys``; returns the keys it does not know."""
        self.blockSignals(True)
        known = set()
        for i in range(self.count()):
            key = str(self.item(i).data(Qt.ItemDataRole.UserRole))
            on = key in keys
            known.add(key)
            self.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self.changed.emit()
        return [k for k in keys if k not in known]


class DimensionSlot(QtWidgets.QWidget):
    """A dimension and its level: ``单位`` + ``社区村``; the first entry is ``none_text`` (nothing)."""

    changed = QtCore.Signal()

    def __init__(
        self, catalogue: Catalogue, none_text: str = NONE, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.levels_of = {d.name: d.levels for d in catalogue.dimensions}
        self.rules = {d.name: d.rule for d in catalogue.dimensions}
        self.none_text = none_text
        self.dimension = QtWidgets.QComboBox()
        self.level = QtWidgets.QComboBox()
        self.level.setToolTip("层级")
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.dimension, 3)
        layout.addWidget(self.level, 2)
        self.dimension.currentIndexChanged.connect(self._dimension_changed)
        self.level.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.offer([])
        self._dimension_changed()

    def offer(self, names: Sequence[str]) -> None:
        """Offer only ``names`` (the dimensions that apply to every chosen measure), keeping the choice."""
        current = self.name()
        self.dimension.blockSignals(True)
        self.dimension.clear()
        self.dimension.addItem(self.none_text, None)
        for name in names:
            self.dimension.addItem(name, name)
            self.dimension.setItemData(
                self.dimension.count() - 1, self.rules.get(name, ""), Qt.ItemDataRole.ToolTipRole
            )
        self.dimension.setCurrentIndex(max(0, self.dimension.findData(current)) if current else 0)
        self.dimension.blockSignals(False)
        if self.name() != current:
            self._dimension_changed()

    def _dimension_changed(self) -> None:
        levels = self.levels_of.get(self.name() or "", ())
        self.level.blockSignals(True)
        self.level.clear()
        self.level.addItems(list(levels))
        self.level.blockSignals(False)
        self.level.setVisible(bool(levels))
        self.dimension.setToolTip(self.rules.get(self.name() or "", "不按这一项分组"))
        self.changed.emit()

    def name(self) -> str | None:
        data = self.dimension.currentData()
        return str(data) if data else None

    def ref(self) -> str | None:
        """``名称`` or ``名称:层级`` as a question names it; None when nothing is chosen."""
        name = self.name()
        if name is None:
            return None
        return f"{name}:{self.level.currentText()}" if self.level.count() else name

    def set_ref(self, text: str | None) -> bool:
        """Choose ``名称:层级``; False when the dimension is not offered."""
        name, _, level = (text or "").replace("：", ":").partition(":")
        index = self.dimension.findData(name) if name else 0
        if index < 0:
            return False
        self.dimension.setCurrentIndex(index)
        self._dimension_changed()
        if level:
            self.level.setCurrentIndex(max(0, self.level.findText(level)))
        return True


class FilterSlot(QtWidgets.QWidget):
    """A dimension and the values kept: “服务领域 = 理论宣讲、为老服务”. The values are picked from those
    the data holds (the screen asks for them: ``pick`` is emitted)."""

    pick = QtCore.Signal()
    changed = QtCore.Signal()

    def __init__(self, catalogue: Catalogue, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.slot = DimensionSlot(catalogue, NO_FILTER)
        self.values: tuple[str, ...] = ()
        self.button = QtWidgets.QPushButton("全部")
        self.button.setToolTip("选择要保留的值（从现有记录中列出）")
        self.button.clicked.connect(self.pick)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slot, 3)
        layout.addWidget(self.button, 2)
        self.slot.changed.connect(self._dimension_changed)
        self._dimension_changed()

    def _dimension_changed(self) -> None:
        self.set_values(())
        self.button.setEnabled(self.slot.name() is not None)

    def set_values(self, values: Sequence[str]) -> None:
        self.values = tuple(values)
        text = "、".join(self.values) if self.values else "全部"
        metrics = self.button.fontMetrics()
        self.button.setText(
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, metrics.horizontalAdvance("汉") * 8)
        )
        self.button.setToolTip(f"保留：{text}（点击重新选择）")
        self.changed.emit()

    def filter(self) -> tuple[str, tuple[str, ...]] | None:
        ref = self.slot.ref()
        return (ref, self.values) if ref and self.values else None


class ValuesDialog(QtWidgets.QDialog):
    """Tick the values to keep (Esc: no change)."""

    def __init__(
        self,
        title: str,
        values: Sequence[str],
        chosen: Sequence[str],
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"筛选：{title}")
        self.list = QtWidgets.QListWidget()
        for value in values:
            item = QtWidgets.QListWidgetItem(value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        hint = QtWidgets.QLabel(
            f"勾选要保留的{title}（空格键勾选）；都不勾选即不筛选。"
            if values
            else f"所选时段和范围内没有可选的{title}。"
        )
        hint.setWordWrap(True)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.list.setCurrentRow(0)
        self.list.setFocus()
        char = self.fontMetrics().horizontalAdvance("汉")
        widest = max((self.fontMetrics().horizontalAdvance(v) for v in values), default=0)
        self.resize(min(max(widest + char * 6, char * 28), char * 48), char * 30)

    def chosen(self) -> list[str]:
        return [
            self.list.item(i).text()
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
