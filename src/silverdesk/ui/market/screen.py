"""资源与需求 (银龄超市): the shelf of cards, the orders, the two lists, and certificates.

Tabs: 超市 (open demands and available resources as cards, matching, new orders), 订单 (the
flow 发布 → 认领 → 签约 → 实施 → 完成 → 评价 / 撤销), 资源清单 and 需求清单 (tables with forms
and Excel export), 星级与积分 (star rules and ratings, the points ledger).  "证书…" prints a 志愿服务证明 or a batch of 荣誉证书.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.domain import enums
from silverdesk.domain.numbers import count_text
from silverdesk.progress import CancelToken, Progress
from silverdesk.services.market.lists import DemandFilter, ResourceFilter
from silverdesk.ui.context import UiContext
from silverdesk.ui.focus import focus_main
from silverdesk.ui.market import common as market_common
from silverdesk.ui.market.forms import DemandDialog, ResourceDialog
from silverdesk.ui.market.orders import OrdersTab
from silverdesk.ui.market.ratings import RatingsTab
from silverdesk.ui.market.shelf import DEBOUNCE_MS, ShelfTab
from silverdesk.ui.models.columns import Column
from silverdesk.ui.models.record_table import RecordTableModel
from silverdesk.ui.widgets.data_table import DataTable
from silverdesk.ui.widgets.pickers import ChoiceCombo, IdCombo
from silverdesk.ui.widgets.privacy import UnmaskBox
from silverdesk.ui.widgets.search_box import SearchBox

if TYPE_CHECKING:  # the print preview (QtPdf) loads when something is printed
    from silverdesk.ui.widgets.print_preview import PrintSource

RESOURCE_COLUMNS = (
    Column("title", "资源名称", 12),
    Column("category", "类别", 8),
    Column("provider", "提供者", 16),
    Column("area", "服务区域", 8),
    Column("available", "服务时间", 8),
    Column("status", "状态", 4),
    Column("listed_on", "登记日期", 8),
)
DEMAND_COLUMNS = (
    Column("title", "需求名称", 12),
    Column("category", "类别", 8),
    Column("requester", "需求方", 10),
    Column("contact", "联系人", 12),
    Column("urgency", "紧急程度", 5),
    Column("status", "状态", 5),
    Column("raised_on", "提出日期", 8),
)
SHELF, ORDERS, RESOURCES, DEMANDS, RATINGS = range(5)


class ListTab(QtWidgets.QWidget):
    """资源清单 or 需求清单: every entry, found by name, category, status (and urgency), with 登记 / 修改
    and export of what is shown to Excel."""

    def __init__(self, ctx: UiContext, kind: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.noun = "资源" if kind == "resource" else "需求"
        self.total = 0
        self.model = RecordTableModel(RESOURCE_COLUMNS if kind == "resource" else DEMAND_COLUMNS, self)
        self.table = DataTable("resources" if kind == "resource" else "demands", ctx.state)
        self.table.setModel(self.model)
        self.table.enable_sorting(6, QtCore.Qt.SortOrder.DescendingOrder)  # newest first
        self.table.recordActivated.connect(self.edit)
        self.table.copied.connect(lambda n: ctx.notify(self, f"已复制 {n} 行，可直接粘贴到 Excel 或 WPS"))

        self.search = SearchBox(
            "名称、内容、提供者" if kind == "resource" else "名称、内容、需求方、联系人", DEBOUNCE_MS
        )
        self.search.searchRequested.connect(self.reload)
        self.search.returnPressed.connect(self.reload)
        self.category = IdCombo(blank="全部类别")
        self.category.set_items(market_common.category_items(ctx.services))
        self.category.idChanged.connect(lambda _v: self.reload())
        statuses = enums.RESOURCE_STATUSES if kind == "resource" else enums.DEMAND_STATUSES
        self.status = ChoiceCombo(statuses, blank="全部状态")
        self.choices = [self.status]
        if kind == "demand":
            self.urgency: ChoiceCombo | None = ChoiceCombo(enums.URGENCIES, blank="全部紧急程度")
            self.choices.append(self.urgency)
        else:
            self.urgency = None
        for choice in self.choices:
            choice.setMinimumContentsLength(7)
            choice.currentIndexChanged.connect(lambda _i: self.reload())
        find = QtWidgets.QLabel("查找(&F)")
        find.setBuddy(self.search)
        filters = QtWidgets.QHBoxLayout()
        filters.addWidget(find)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.category, 1)
        for choice in self.choices:
            filters.addWidget(choice)

        new = QtWidgets.QPushButton(f"登记{self.noun}…")
        new.clicked.connect(lambda: self.edit(None))
        edit = QtWidgets.QPushButton("修改…")
        edit.setToolTip("也可双击一行或在行上按回车")
        edit.clicked.connect(lambda: self.edit(self.table.current_id()) if self.table.current_id() else None)
        export = QtWidgets.QPushButton("导出 Excel…")
        export.setToolTip(f"把列表中显示的{self.noun}（按当前的查找条件）导出到一个工作表，可直接打印")
        export.clicked.connect(self.export)
        self.count_label = QtWidgets.QLabel()
        self.unmask = UnmaskBox("导出时不隐藏电话")
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        buttons.addWidget(self.unmask)
        for button in (new, edit, export):
            buttons.addWidget(button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def current_filter(self) -> ResourceFilter | DemandFilter:
        if self.kind == "resource":
            return ResourceFilter(query=self.search.text(), category_id=self.category.value(),
                                  status=self.status.value())  # fmt: skip
        return DemandFilter(query=self.search.text(), category_id=self.category.value(), status=self.status.value(),
                            urgency=self.urgency.value() if self.urgency else None)  # fmt: skip

    def filtered(self) -> bool:
        return bool(self.search.text().strip() or self.category.value() is not None
                    or any(c.value() for c in self.choices))  # fmt: skip

    def reload(self) -> None:
        self.search.cancel_pending()
        services = self.ctx.services
        lines = services.overview.resources() if self.kind == "resource" else services.overview.demands()
        self.total = len(lines)
        if self.filtered():
            queries = services.resources if self.kind == "resource" else services.demands
            wanted = set(queries.search_ids(self.current_filter()))  # type: ignore[arg-type]
            lines = [line for line in lines if line.id in wanted]
        self.model.set_rows(lines)
        shown = self.model.rowCount()
        found = (
            f"找到 {count_text(shown)} 条（共 {count_text(self.total)} 条）"
            if self.filtered()
            else f"共 {count_text(shown)} 条"
        )
        self.count_label.setText(f"{found}；点击列标题排序，Ctrl+C 复制选中行")

    def print_source(self) -> PrintSource | None:
        """Ctrl+P: the list as shown (found, sorted, visible columns)."""
        from silverdesk.ui.widgets.print_preview import PrintSource, filter_summary

        rows = self.model.rows()
        if not rows:
            self.ctx.notify(self, "列表为空，没有可打印的行")
            return None
        return PrintSource(
            f"{self.noun}清单",
            filter_summary([self.search, self.category, *self.choices]),
            self.table.visible_columns(),
            len(rows),
            lambda: rows,
        )

    def edit(self, record_id: int | None) -> None:
        dialog_type = ResourceDialog if self.kind == "resource" else DemandDialog
        market_common.run_dialog(dialog_type(self.ctx, record_id, self))

    def export(self) -> None:
        stamp = self.ctx.services.ctx.today().strftime("%Y%m%d")
        target = self.ctx.ask_save_file(self, f"导出{self.noun}清单到 Excel", f"{self.noun}清单_{stamp}.xlsx")
        if target is None:
            return
        export, mask, flt = self.ctx.services.market_export, self.unmask.policy(), self.current_filter()

        def work(progress: Progress, cancel: CancelToken) -> int:
            if isinstance(flt, ResourceFilter):
                return export.resources(target, flt, mask=mask, progress=progress, cancel=cancel)
            return export.demands(target, flt, mask=mask, progress=progress, cancel=cancel)

        self.ctx.runner.run(
            work,
            lambda n: self.ctx.notify(self, f"已导出 {n} 条{self.noun}到 {target}"),
            on_cancelled=lambda: self.ctx.notify(self, f"已取消导出，没有生成 {target.name}"),
            title=f"正在导出{self.noun}清单",
            parent=self,
        )


class MarketView(QtWidgets.QWidget):
    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loaded = False
        self._stale: set[int] = set()
        self.shelf = ShelfTab(ctx)
        self.orders = OrdersTab(ctx)
        self.resource_list = ListTab(ctx, "resource")
        self.demand_list = ListTab(ctx, "demand")
        self.ratings = RatingsTab(ctx)
        self.resources, self.demands = self.resource_list.model, self.demand_list.model
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(self.shelf, "超市")
        self.tabs.addTab(self.orders, "订单")
        self.tabs.addTab(self.resource_list, "资源清单")
        self.tabs.addTab(self.demand_list, "需求清单")
        self.tabs.addTab(self.ratings, "星级与积分")
        self.tables = [self.resource_list.table, self.demand_list.table]
        self.tabs.currentChanged.connect(self._tab_shown)
        self.certificates_button = QtWidgets.QPushButton("证书…")
        self.certificates_button.setToolTip("打印志愿服务证明或批量荣誉证书（PDF）")
        self.certificates_button.clicked.connect(self.open_certificates)
        self.tabs.setCornerWidget(self.certificates_button, QtCore.Qt.Corner.TopRightCorner)
        for i, key in enumerate(("1", "2", "3", "4", "5")):
            action = QtGui.QAction(self)
            action.setShortcut(QtGui.QKeySequence(f"Alt+{key}"))
            action.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, index=i: self.tabs.setCurrentIndex(index))
            self.addAction(action)
        self.tabs.setToolTip("Alt+1 超市　Alt+2 订单　Alt+3 资源清单　Alt+4 需求清单　Alt+5 星级与积分")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        self.shelf.orderCreated.connect(self._order_created)
        self.shelf.editRequested.connect(self._edit)
        ctx.events.changed.connect(self._data_changed)
        self.reload()

    # --- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Refresh every tab now."""
        self._loaded = True
        self._stale.clear()
        self.shelf.reload()
        self.orders.reload()
        self.resource_list.reload()
        self.demand_list.reload()
        self._titles()
        self._stale.add(RATINGS)  # counting a year's hours waits until the tab is shown
        self._tab_shown(self.tabs.currentIndex())

    def _titles(self) -> None:
        self.tabs.setTabText(RESOURCES, f"资源清单（{self.resource_list.total}）")
        self.tabs.setTabText(DEMANDS, f"需求清单（{self.demand_list.total}）")

    def _data_changed(self, entity: str) -> None:
        if entity not in (
            "resource",
            "demand",
            "order",
            "activity",
            "team",
            "person",
            "party_org",
            "rating",
            "points",
            "settings",
        ):
            return
        touched = {SHELF, ORDERS, RESOURCES, DEMANDS, RATINGS}
        if entity in ("activity",):
            touched = {ORDERS, RATINGS}
        elif entity in ("team", "person", "party_org"):
            touched = {SHELF, RESOURCES, RATINGS}
        elif entity in ("rating", "points", "settings"):
            touched = {RATINGS}
        self._stale |= touched
        self._tab_shown(self.tabs.currentIndex())

    def focus_main(self) -> None:
        """The keyboard to the shown tab's main widget: on 超市 the chosen card (else the first: the
        arrow keys walk the cards), on the others their list."""
        shelf = self.shelf
        if self.tabs.currentWidget() is shelf and shelf.cards:
            card = shelf.card_for(shelf.selected[1]) if shelf.selected else None
            (card or shelf.cards[0]).setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
            return
        focus_main(self.tabs.currentWidget())

    def _tab_shown(self, index: int) -> None:
        """Reload a tab when it is shown and something it lists has changed (the others wait)."""
        if index not in self._stale:
            return
        self._stale.discard(index)
        if index == SHELF:
            self.shelf.reload()
        elif index == ORDERS:
            self.orders.model.invalidate_rows()
            self.orders.reload()
        elif index == RATINGS:
            self.ratings.reload()
        else:
            (self.resource_list if index == RESOURCES else self.demand_list).reload()
            self._titles()

    @property
    def print_source(self) -> Callable[[], PrintSource | None] | None:
        """What Ctrl+P prints here: the list or 积分存折 of the tab shown (``None``: the screen as it looks)."""
        tab = self.tabs.currentWidget()
        if tab is self.ratings:
            tab = self.ratings.tabs.currentWidget()
        return getattr(tab, "print_source", None)

    # --- actions -------------------------------------------------------------------------------
    def show_record(self, kind: str, record_id: int) -> None:
        """From the dashboard: an order opens on 订单; a demand or resource is chosen on the shelf
        and matched at once."""
        if kind == "order":
            self.tabs.setCurrentIndex(ORDERS)
            self.orders.show_order(record_id)
        elif kind in ("demand", "resource"):
            self.tabs.setCurrentIndex(SHELF)
            self.shelf.set_kind(kind)
            self.shelf.choose(kind, record_id)
            self.shelf.match()

    def _order_created(self, order_id: int) -> None:
        self.tabs.setCurrentIndex(ORDERS)
        self.orders.show_order(order_id)

    def _edit(self, kind: str, record_id: int) -> None:
        (self.resource_list if kind == "resource" else self.demand_list).edit(record_id)

    def open_certificates(self) -> None:
        from silverdesk.ui.market.certificates import CertificatesDialog

        market_common.run_dialog(CertificatesDialog(self.ctx, self))
