"""资源与需求: the resource list and the demand list as they stand (matching is built elsewhere)."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from silverdesk.ui.context import UiContext
from silverdesk.ui.models.columns import Column
from silverdesk.ui.models.record_table import RecordTableModel
from silverdesk.ui.widgets.data_table import DataTable

RESOURCE_COLUMNS = (
    Column("title", "资源名称", 12), Column("category", "类别", 8), Column("provider", "提供者", 16),
    Column("area", "服务区域", 8), Column("available", "服务时间", 8), Column("status", "状态", 4),
    Column("listed_on", "登记日期", 8),
)
DEMAND_COLUMNS = (
    Column("title", "需求名称", 12), Column("category", "类别", 8), Column("requester", "需求方", 10),
    Column("contact", "联系人", 12), Column("urgency", "紧急程度", 5), Column("status", "状态", 5),
    Column("raised_on", "提出日期", 8),
)


class MarketView(QtWidgets.QWidget):
    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.resources = RecordTableModel(RESOURCE_COLUMNS, self)
        self.demands = RecordTableModel(DEMAND_COLUMNS, self)
        tabs = QtWidgets.QTabWidget()
        self.tables: list[DataTable] = []
        for name, model, title in (("resources", self.resources, "资源清单"), ("demands", self.demands, "需求清单")):
            table = DataTable(name, ctx.state)
            table.setModel(model)
            table.enable_sorting(6, QtCore.Qt.SortOrder.DescendingOrder)  # newest first
            tabs.addTab(table, title)
            self.tables.append(table)
        self.tabs = tabs
        note = QtWidgets.QLabel("这里列出已登记的资源和需求；点击列标题排序，Ctrl+C 复制选中行。")
        note.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(tabs, 1)
        ctx.events.changed.connect(lambda entity: self.reload() if entity in ("resource", "demand") else None)
        self.reload()

    def reload(self) -> None:
        self.resources.set_rows(self.ctx.services.overview.resources())
        self.demands.set_rows(self.ctx.services.overview.demands())
        self.tabs.setTabText(0, f"资源清单（{self.resources.rowCount()}）")
        self.tabs.setTabText(1, f"需求清单（{self.demands.rowCount()}）")
