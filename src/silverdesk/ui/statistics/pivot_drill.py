"""The records behind one figure of 分组统计: the activities or people it counts, listed; a double-click
(or Enter) opens one in its own form. The rows are fetched in the worker with the services' list
functions (``rows_by_ids``), so the dialog opens with them."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.domain.numbers import figure_text
from silverdesk.services.hub import Services
from silverdesk.ui.context import UiContext

Qt = QtCore.Qt
SIZE_ROWS = 50


@dataclass(frozen=True)
class Field:
    title: str
    key: str
    decimals: int | None = None  # a figure (right-aligned); None: text


@dataclass(frozen=True)
class Kind:
    noun: str  # 共 N 项活动 / 人 / 支服务队
    fields: tuple[Field, ...]
    fetch: Callable[[Services, Sequence[int]], list[Any]]  # the list rows of the ids (in the worker)
    form: tuple[str, str] | None = None  # (module under silverdesk.ui, dialog class) that opens one


def _by_id(rows: Sequence[Any], ids: Sequence[int]) -> list[Any]:
    found = {int(_value(r, "id")): r for r in rows}
    return [found[i] for i in ids if i in found]


def _activities(services: Services, ids: Sequence[int]) -> list[Any]:
    return sorted(services.activities.rows_by_ids(list(ids)), key=lambda r: (r.occurred_on, r.id))


def _places(services: Services, ids: Sequence[int]) -> list[Any]:
    return [{"id": i, **services.places.get(i)} for i in ids]


KINDS: dict[str, Kind] = {
    "activity": Kind(
        "项活动",
        (
            Field("日期", "occurred_on"),
            Field("活动名称", "title"),
            Field("组织单位", "unit"),
            Field("服务领域", "category"),
            Field("服务队", "teams"),
            Field("场次", "sessions", 0),
            Field("参与人次", "participants", 0),
            Field("服务时长", "hours", 1),
            Field("受益人次", "beneficiaries", 0),
        ),
        _activities,
        ("activities.form", "ActivityDialog"),
    ),
    "person": Kind(
        "人",
        (
            Field("姓名", "name"),
            Field("性别", "gender"),
            Field("出生日期", "birth_date"),
            Field("政治面貌", "political_status"),
            Field("所属单位", "unit"),
            Field("居住社区", "community"),
            Field("原工作单位", "former_employer"),
            Field("状态", "status"),
        ),
        lambda services, ids: services.people.rows_by_ids(list(ids)),
        ("people.form", "PersonDialog"),
    ),
    "team": Kind(
        "支队伍",
        (
            Field("队伍名称", "name"),
            Field("品牌", "brand"),
            Field("所属单位", "unit"),
            Field("星级", "star_level"),
            Field("成员", "members", 0),
            Field("成立时间", "founded_on"),
            Field("状态", "status"),
        ),
        lambda services, ids: _by_id(services.teams.list(include_retired=True), ids),
        ("org.team_form", "TeamDialog"),
    ),
    "party_org": Kind(
        "个党组织",
        (
            Field("党组织名称", "name"),
            Field("类型", "org_type"),
            Field("所属单位", "unit"),
            Field("书记", "secretary"),
            Field("党员", "members", 0),
            Field("成立时间", "founded_on"),
            Field("状态", "status"),
        ),
        lambda services, ids: _by_id(services.party_orgs.list(include_dissolved=True), ids),
        ("org.party_org_form", "PartyOrgDialog"),
    ),
    "resource": Kind(
        "条资源",
        (
            Field("资源名称", "title"),
            Field("大类", "major"),
            Field("小项", "category"),
            Field("提供方", "provider"),
            Field("服务区域", "area"),
            Field("状态", "status"),
            Field("发布日期", "listed_on"),
        ),
        lambda services, ids: services.resources.rows_by_ids(list(ids)),
        ("market.forms", "ResourceDialog"),
    ),
    "demand": Kind(
        "条需求",
        (
            Field("需求名称", "title"),
            Field("大类", "major"),
            Field("小项", "category"),
            Field("需求方", "requester"),
            Field("紧急程度", "urgency"),
            Field("状态", "status"),
            Field("提出日期", "raised_on"),
        ),
        lambda services, ids: services.demands.rows_by_ids(list(ids)),
        ("market.forms", "DemandDialog"),
    ),
    "order": Kind(
        "个订单",
        (
            Field("订单编号", "code"),
            Field("订单名称", "title"),
            Field("需求方", "requester"),
            Field("提供方", "provider"),
            Field("状态", "status"),
            Field("发布日期", "published_on"),
            Field("完成日期", "completed_on"),
        ),
        lambda services, ids: services.orders.rows_by_ids(list(ids)),
    ),
    "place": Kind(
        "处阵地",
        (
            Field("阵地名称", "name"),
            Field("类型", "kind"),
            Field("地址", "address"),
            Field("启用时间", "opened_on"),
            Field("停用时间", "closed_on"),
        ),
        _places,
    ),
}
ID_ONLY = Kind("条记录", (Field("记录编号", "id"),), lambda services, ids: [{"id": i} for i in ids])


@dataclass(frozen=True)
class Drilled:
    title: str  # what the figure is: 场次 · 城关街道 · 理论宣讲
    figure: str  # the figure as the table shows it
    kind: str  # activity, person …
    rows: Sequence[Any]


def fetch(services: Services, kind: str, ids: Sequence[int]) -> list[Any]:
    """The list rows of ``ids`` (in the worker), with the services' own list functions."""
    return KINDS.get(kind, ID_ONLY).fetch(services, ids)


def _value(row: Any, key: str) -> Any:
    return row.get(key) if isinstance(row, dict) else getattr(row, key, None)


class _RowsModel(QtCore.QAbstractTableModel):
    def __init__(
        self, fields: Sequence[Field], rows: Sequence[Any], parent: QtCore.QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.fields, self.rows = list(fields), list(rows)

    def rowCount(self, parent: QtCore.QModelIndex | None = None) -> int:
        return 0 if parent and parent.isValid() else len(self.rows)

    def columnCount(self, parent: QtCore.QModelIndex | None = None) -> int:
        return 0 if parent and parent.isValid() else len(self.fields)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.fields[section].title
        return None

    def data(self, index: QtCore.QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        f = self.fields[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = _value(self.rows[index.row()], f.key)
            if f.decimals is not None:
                return figure_text(value or 0, f.decimals, fixed=True)
            if isinstance(value, dt.date):
                return value.isoformat()
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and f.decimals is not None:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def record_id(self, row: int) -> int:
        return int(_value(self.rows[row], "id"))


class _RowsView(QtWidgets.QTableView):
    opened = QtCore.Signal(int)  # the row

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.opened.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class DrillDialog(QtWidgets.QDialog):
    """The records behind one figure. Esc closes it; Enter or a double-click opens a record's form."""

    def __init__(self, ctx: UiContext, drilled: Drilled, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.drilled = ctx, drilled
        kind = KINDS.get(drilled.kind, ID_ONLY)
        fields = kind.fields
        self.kind = kind
        self.setWindowTitle(f"明细 — {drilled.title}")
        self.form: QtWidgets.QDialog | None = None  # the record's form, once opened
        self.heading = QtWidgets.QLabel(
            f"{drilled.title}：{drilled.figure}　共 {len(drilled.rows):,} {kind.noun}"
            + ("　双击或按 Enter 打开" if kind.form else "")
        )
        self.heading.setWordWrap(True)
        self.model = _RowsModel(fields, drilled.rows, self)
        self.table = _RowsView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        # widths from the first rows: measuring every row of hundreds takes most of a second
        self.table.horizontalHeader().setResizeContentsPrecision(SIZE_ROWS)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.doubleClicked.connect(lambda index: self.open_record(index.row()))
        self.table.opened.connect(self.open_record)
        self.empty = QtWidgets.QLabel("这个数字背后没有可列出的记录（例如数字为 0）。")
        self.empty.setVisible(not drilled.rows)
        close = QtWidgets.QPushButton("关闭")
        close.clicked.connect(self.reject)
        bar = QtWidgets.QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(close)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(bar)
        self.table.resizeColumnsToContents()
        char = self.fontMetrics().horizontalAdvance("汉")
        for c, f in enumerate(fields):  # long titles and names: wide enough, not the whole text
            if f.key in ("title", "teams", "former_employer"):
                self.table.setColumnWidth(c, min(self.table.columnWidth(c), char * 16))
        scroll_bar = self.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_ScrollBarExtent)
        width = sum(self.table.columnWidth(c) for c in range(len(fields))) + scroll_bar + char * 3
        self.resize(min(max(width, char * 40), char * 80), char * 30)
        if drilled.rows:
            self.table.selectRow(0)
        self.table.setFocus()

    def open_record(self, row: int) -> None:
        """Open the record of ``row`` in its form (the same form its list screen opens)."""
        if self.kind.form is None or not 0 <= row < self.model.rowCount():
            return
        module, cls = self.kind.form
        factory = getattr(importlib.import_module(f"silverdesk.ui.{module}"), cls)
        self.form = factory(self.ctx, self.model.record_id(row), self)
        assert self.form is not None
        self.form.open()
