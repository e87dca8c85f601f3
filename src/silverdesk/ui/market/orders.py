"""订单: the orders table, one order's history and service totals, and its next steps.

The step buttons follow ``allowed_next``: only the legal next steps are enabled.  Each step opens
a small dialog (date, and what the step needs) that calls the service; a refusal is shown there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtWidgets

from silverdesk.domain.numbers import count_text
from silverdesk.progress import CancelToken, Progress
from silverdesk.services.list_sums import ListSums
from silverdesk.services.market.order_flow import NEXT_STEPS, allowed_next
from silverdesk.services.market.orders import OrderFilter, OrderRow
from silverdesk.ui.context import UiContext
from silverdesk.ui.market import common as market_common
from silverdesk.ui.market.order_dialogs import (
    LinkActivityDialog,
    NewOrderDialog,
    StepDialog,
    WithdrawDialog,
)
from silverdesk.ui.models.columns import Column
from silverdesk.ui.models.id_table import IdTableModel
from silverdesk.ui.widgets.data_table import DataTable
from silverdesk.ui.widgets.list_screen import sums_text
from silverdesk.ui.widgets.search_box import SearchBox

if TYPE_CHECKING:  # the print preview (QtPdf) loads when something is printed
    from silverdesk.ui.widgets.print_preview import PrintSource

STEPS = ("认领", "签约", "实施", "完成", "评价", "撤销")
STATUS_FILTERS: tuple[tuple[str, str], ...] = (
    ("全部订单", ""),
    ("未完成", "open"),
    ("逾期", "overdue"),
    *((s, s) for s in NEXT_STEPS),
)


def _totals_text(value: object) -> str:
    t = value
    return f"{t.sessions}场 {t.hours:g}小时" if t is not None and getattr(t, "activities", 0) else ""  # type: ignore[attr-defined]


ORDER_COLUMNS = (
    Column("code", "订单编号", 9, sort="code"),
    Column("title", "订单名称", 11, sort="title"),
    Column("status", "状态", 3, sort="status"),
    Column("overdue", "逾期", 3, fmt=lambda v: "逾期" if v else ""),
    Column("requester", "需求方", 7),
    Column("provider", "服务方", 11),
    Column("published_on", "发布日期", 7, sort="published_on"),
    Column("due_on", "约定完成", 7, sort="due_on"),
    Column("completed_on", "完成日期", 7, sort="completed_on", hidden=True),
    Column("score", "评价", 3, sort="score", numeric=True),
    Column("totals", "服务", 8, fmt=_totals_text),
)


ORDER_SUMS = (("sessions", "服务场次"), ("hours", "服务时长"), ("score", "平均评价"))


class OrdersTab(QtWidgets.QWidget):
    """Signals:
    loaded(int): the table was filled (number of orders).
    """

    loaded = QtCore.Signal(int)

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self._select_id: int | None = (
            None  # the order to show when the list arrives, kept if a reload overtakes
        )
        self.current: OrderRow | None = None
        orders = ctx.services.orders
        self.model = IdTableModel(ORDER_COLUMNS, orders.rows_by_ids, "published_on", True, self)
        self.table = DataTable("orders", ctx.state)
        self.table.setModel(self.model)
        sort_column = next(i for i, c in enumerate(ORDER_COLUMNS) if c.sort == "published_on")
        self.table.horizontalHeader().setSortIndicator(sort_column, QtCore.Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.model.sortRequested.connect(self.reload)
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_current())
        self.table.copied.connect(lambda n: ctx.notify(self, f"已复制 {n} 行，可直接粘贴到 Excel 或 WPS"))

        self.search = SearchBox("订单编号或名称", 200)
        self.search.returnPressed.connect(self.reload)
        self.search.searchRequested.connect(self.reload)
        self.status = QtWidgets.QComboBox()
        for text, data in STATUS_FILTERS:
            self.status.addItem(text, data)
        self.status.setCurrentIndex(1)  # 未完成 first: what the clerk works on
        self.status.currentIndexChanged.connect(lambda _i: self.reload())
        self.new_button = QtWidgets.QPushButton("新建订单…")
        self.new_button.setToolTip("不经需求清单，直接登记一张订单（如上级交办的服务）")
        self.new_button.clicked.connect(self.new_order)
        self.export_button = QtWidgets.QPushButton("导出 Excel…")
        self.export_button.setToolTip("按当前筛选导出订单清单（含服务时长等汇总）")
        self.export_button.clicked.connect(self.export)
        self.count_label = QtWidgets.QLabel()
        filters = QtWidgets.QHBoxLayout()
        find = QtWidgets.QLabel("查找")
        find.setBuddy(self.search)
        filters.addWidget(find)
        filters.addWidget(self.search, 2)
        filters.addWidget(QtWidgets.QLabel("状态"))
        filters.addWidget(self.status)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        filters.addWidget(self.new_button)
        filters.addWidget(self.export_button)

        # --- detail ------------------------------------------------------------------------------
        self.header = QtWidgets.QLabel("选中一张订单查看详情")
        font = self.header.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.header.setFont(font)
        self.header.setWordWrap(True)
        self.facts = QtWidgets.QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.step_buttons: dict[str, QtWidgets.QPushButton] = {}
        steps = QtWidgets.QGridLayout()
        for i, step in enumerate(STEPS):
            button = QtWidgets.QPushButton(f"{step}…")
            button.setToolTip(f"把订单办理到“{step}”")
            button.clicked.connect(lambda _c=False, s=step: self.step(s))
            button.setEnabled(False)
            steps.addWidget(button, i // 3, i % 3)
            self.step_buttons[step] = button
        self.withdraw_button = QtWidgets.QPushButton("撤回上一步…")
        self.withdraw_button.setToolTip("误办了一步（如误点“完成”）时撤回它，订单回到上一状态")
        self.withdraw_button.clicked.connect(self.withdraw)
        self.withdraw_button.setEnabled(False)
        steps.addWidget(self.withdraw_button, len(STEPS) // 3, 0)
        self.totals = QtWidgets.QLabel()
        self.totals.setWordWrap(True)
        self.events = QtWidgets.QTreeWidget()
        self.events.setHeaderLabels(["日期", "步骤", "操作人", "说明"])
        self.events.setRootIsDecorated(False)
        self.events.setAlternatingRowColors(True)
        char = self.fontMetrics().horizontalAdvance("汉")
        for col, width in enumerate((7, 6, 5)):
            self.events.setColumnWidth(col, char * width)
        self.activities = QtWidgets.QTreeWidget()
        self.activities.setHeaderLabels(["日期", "活动", "时长", "受益"])
        self.activities.setRootIsDecorated(False)
        for col, width in enumerate((7, 14, 4)):
            self.activities.setColumnWidth(col, char * width)
        self.link_button = QtWidgets.QPushButton("关联活动…")
        self.link_button.clicked.connect(self.link_activity)
        self.unlink_button = QtWidgets.QPushButton("取消关联")
        self.unlink_button.clicked.connect(self.unlink_activity)
        links = QtWidgets.QHBoxLayout()
        links.addWidget(self.link_button)
        links.addWidget(self.unlink_button)
        links.addStretch(1)
        right = QtWidgets.QVBoxLayout()
        right.addWidget(self.header)
        right.addWidget(self.facts)
        right.addLayout(steps)
        right.addWidget(QtWidgets.QLabel("办理记录"))
        right.addWidget(self.events, 2)
        right.addWidget(self.totals)
        right.addWidget(self.activities, 1)
        right.addLayout(links)
        right_box = QtWidgets.QWidget()
        right_box.setLayout(right)
        right_box.setMinimumWidth(char * 26)
        self.sums_label = QtWidgets.QLabel()  # under the table: "共 12 张；服务场次 30，……"
        self.sums_label.setObjectName("sums")
        self.sums_label.setWordWrap(True)
        left_box = QtWidgets.QWidget()
        left = QtWidgets.QVBoxLayout(left_box)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.table, 1)
        left.addWidget(self.sums_label)
        splitter = QtWidgets.QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(right_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([3000, 2000])
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self._show_current()

    # --- loading -------------------------------------------------------------------------------
    def current_filter(self) -> OrderFilter:
        data = self.status.currentData()
        return OrderFilter(
            query=self.search.text(),
            open_only=data == "open",
            overdue_only=data == "overdue",
            status=data if data in NEXT_STEPS else None,
        )

    def reload(self, select_id: int | None = None) -> None:
        """Fetch the list; select ``select_id`` (widening the filter if it hides it) or keep the selection.

        A reload that overtakes one asked to show an order (the data-changed signal right after a
        step) still shows that order."""
        self.search.cancel_pending()
        self._generation += 1
        if select_id is not None:
            self._select_id = select_id
        select_id = self._select_id
        generation, flt = self._generation, self.current_filter()
        sort, descending = self.model.sort_key, self.model.descending
        keep = select_id if select_id is not None else (self.current.id if self.current else None)

        def done(ids: list[int]) -> None:
            if generation != self._generation:
                return
            if (
                select_id is not None
                and select_id not in ids
                and (self.status.currentIndex() or self.search.text())
            ):
                self._widen()  # the order just worked on left the filter (完成, 撤销 …): keep it in view
                self.reload(select_id)
                return
            self._select_id = None
            self.model.set_ids(ids)
            self.count_label.setText(f"共 {count_text(len(ids))} 张")
            self.sums_label.clear()
            self._load_sums(flt, generation)
            if keep is not None and keep in ids:
                self.table.select_id(keep)
            elif ids:
                self.table.selectRow(0)
            self._show_current()
            self.loaded.emit(len(ids))

        self.ctx.runner.run(
            lambda _p, _c: self.ctx.services.orders.search_ids(flt, sort, descending), done, parent=self
        )

    def _load_sums(self, flt: OrderFilter, generation: int) -> None:
        """The line under the table: the orders found, the 服务 of their linked activities, the mean 评价
        (the service sums them in SQL, for the same filter)."""

        def done(sums: ListSums) -> None:
            if generation == self._generation:
                self.sums_label.setText(f"共 {count_text(sums.count)} 张；{sums_text(ORDER_SUMS, sums)}")

        self.ctx.runner.run(lambda _p, _c: self.ctx.services.orders.list_sums(flt), done, parent=self)

    def show_order(self, order_id: int) -> None:
        """Select ``order_id``, widening the filter if it hides the order."""
        self.model.invalidate_rows()
        self.reload(order_id)

    def _widen(self) -> None:
        for widget in (self.search, self.status):
            widget.blockSignals(True)
        self.search.clear()
        self.status.setCurrentIndex(0)
        for widget in (self.search, self.status):
            widget.blockSignals(False)

    def _show_current(self) -> None:
        order_id = self.table.current_id() if self.model.rowCount() else None
        rows = self.ctx.services.orders.rows_by_ids([order_id]) if order_id is not None else []
        self.current = rows[0] if rows else None
        o = self.current
        self.events.clear()
        self.activities.clear()
        if o is None:
            self.header.setText("选中一张订单查看详情")
            self.facts.setText("")
            self.totals.setText("")
            for button in self.step_buttons.values():
                button.setEnabled(False)
            self.withdraw_button.setEnabled(False)
            self.link_button.setEnabled(False)
            self.unlink_button.setEnabled(False)
            return
        self.header.setText(f"{o.code}　{o.title}")
        state = o.status + ("（已逾期）" if o.overdue else "")
        if o.score:
            state += f"　评价 {'★' * o.score}（{o.score}分）"

        def d(day: dt.date | None) -> str:
            return day.strftime("%Y-%m-%d") if day else "—"

        self.facts.setText(
            "\n".join(
                [
                    f"状态：{state}",
                    f"需求：{o.demand or '（手工订单）'}　需求方：{o.requester or '—'}",
                    f"服务方：{o.provider or '（待认领）'}",
                    f"发布 {d(o.published_on)}　认领 {d(o.claimed_on)}　签约 {d(o.signed_on)}",
                    f"约定完成 {d(o.due_on)}　完成 {d(o.completed_on)}",
                ]
            )
        )
        nxt = allowed_next(o.status)
        for step, button in self.step_buttons.items():
            button.setEnabled(step in nxt)
        self.withdraw_button.setEnabled(o.status != "发布")
        for e in self.ctx.services.orders.events(o.id):
            QtWidgets.QTreeWidgetItem(self.events, [d(e.happened_on), e.to_status, e.operator, e.note])
        t = o.totals
        self.totals.setText(
            f"关联活动 {t.activities} 项：{t.sessions} 场次，参与 {t.participants} 人次，"
            f"服务 {t.hours:g} 小时，受益 {t.beneficiaries} 人次"
        )
        ids = self.ctx.services.orders.activity_ids(o.id)
        for row in self.ctx.services.activities.rows_by_ids(ids):
            item = QtWidgets.QTreeWidgetItem(
                self.activities, [d(row.occurred_on), row.title, f"{row.hours:g}", str(row.beneficiaries)]
            )
            item.setData(0, QtCore.Qt.ItemDataRole.UserRole, row.id)
        self.link_button.setEnabled(o.status != "撤销")
        self.unlink_button.setEnabled(bool(ids))

    # --- actions -------------------------------------------------------------------------------
    def step(self, to_status: str) -> None:
        if self.current is None:
            return
        order_id = self.current.id
        dialog = StepDialog(self.ctx, order_id, to_status, self)
        if market_common.run_dialog(dialog):
            self.ctx.notify(self, f"订单 {self.current.code} 已{to_status}")
            self._changed(order_id)
        else:
            self._refresh_row()  # another window may have moved the order on

    def print_source(self) -> PrintSource | None:
        """Ctrl+P: the orders as listed (found, status, sort, visible columns)."""
        from silverdesk.ui.widgets.print_preview import PrintSource, filter_summary, page_through

        ids = self.model.ids()
        if not ids:
            self.ctx.notify(self, "列表为空，没有可打印的订单")
            return None
        return PrintSource(
            "订单",
            filter_summary([self.search, self.status]),
            self.table.visible_columns(),
            len(ids),
            lambda: page_through(ids, self.ctx.services.orders.rows_by_ids),
        )

    def withdraw(self) -> None:
        if self.current is None:
            return
        order_id, code = self.current.id, self.current.code
        dialog = WithdrawDialog(self.ctx, order_id, self)
        if market_common.run_dialog(dialog):
            self.ctx.notify(self, f"订单 {code} 已撤回到“{dialog.back}”")
            self._changed(order_id)
        else:
            self._refresh_row()

    def new_order(self) -> None:
        dialog = NewOrderDialog(self.ctx, parent=self)
        if market_common.run_dialog(dialog) and dialog.result_id is not None:
            self.ctx.notify(self, f"已发布订单 {self.ctx.services.orders.get(dialog.result_id)['code']}")
            self._changed(dialog.result_id)

    def link_activity(self) -> None:
        if self.current is None:
            return
        dialog = LinkActivityDialog(self.ctx, self.current.id, self)
        if market_common.run_dialog(dialog):
            self._changed(self.current.id, "activity")

    def unlink_activity(self) -> None:
        if self.current is None:
            return
        item = self.activities.currentItem() or self.activities.topLevelItem(0)
        if item is None:
            return
        activity_id = int(item.data(0, QtCore.Qt.ItemDataRole.UserRole))
        if not self.ctx.confirm(
            self, "取消关联", f"活动“{item.text(1)}”将不再计入订单 {self.current.code}，继续吗？"
        ):
            return
        try:
            self.ctx.services.orders.unlink_activity(activity_id)
        except Exception as exc:
            from silverdesk.ui.errors import show_error

            show_error(self, exc)
            return
        self._changed(self.current.id, "activity")

    def _changed(self, order_id: int, *also: str) -> None:
        self.model.invalidate_rows()
        self.reload(order_id)
        self.ctx.events.changed.emit("order")
        for entity in also:
            self.ctx.events.changed.emit(entity)

    def _refresh_row(self) -> None:
        self.model.invalidate_rows()
        self._show_current()

    def export(self) -> None:
        if not self.model.rowCount():
            self.ctx.notify(self, "列表为空，没有可导出的订单")
            return
        stamp = self.ctx.services.ctx.today().strftime("%Y%m%d")
        target = self.ctx.ask_save_file(self, "导出订单到 Excel", f"订单_{stamp}.xlsx")
        if target is None:
            return
        flt, sort, descending = self.current_filter(), self.model.sort_key, self.model.descending

        def work(progress: Progress, cancel: CancelToken) -> int:
            return self.ctx.services.market_export.orders(
                target, flt, sort, descending, progress=progress, cancel=cancel
            )

        self.ctx.runner.run(
            work,
            lambda n: self.ctx.notify(self, f"已导出 {n} 张订单到 {target}"),
            on_cancelled=lambda: self.ctx.notify(self, f"已取消导出，没有生成 {target.name}"),
            title="正在导出订单",
            parent=self,
        )

    def rows(self) -> Sequence[Any]:
        return self.model.records(range(self.model.rowCount()))
