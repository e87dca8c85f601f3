"""导入: the import batches on record, and how to bring in rows today (paste from Excel/WPS)."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from silverdesk.ui.context import UiContext
from silverdesk.ui.models.columns import Column
from silverdesk.ui.models.record_table import RecordTableModel
from silverdesk.ui.widgets.data_table import DataTable

BATCH_COLUMNS = (
    Column("imported_at", "导入时间", 11), Column("kind", "内容", 6), Column("file_name", "文件", 18),
    Column("unit", "报送单位", 9), Column("operator", "操作人", 5), Column("rows_read", "读入行", 4, numeric=True),
    Column("imported", "导入", 4, numeric=True), Column("rejected", "未通过", 4, numeric=True),
    Column("status", "状态", 4),
)


class ImportsView(QtWidgets.QWidget):
    """Signals:
    goTo(str): the clerk asked to open another screen (its name).
    """

    goTo = QtCore.Signal(str)

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        hint = QtWidgets.QLabel(
            "从 Excel 或 WPS 表格中选中若干行（可连同标题行）复制，再到“人员”或“活动”列表按 Ctrl+Shift+V 粘贴："
            "程序会先逐行检查，列出不能写入的行和原因，确认后才写入。")
        hint.setWordWrap(True)
        people = QtWidgets.QPushButton("到人员列表粘贴")
        people.clicked.connect(lambda: self.goTo.emit("人员"))
        activities = QtWidgets.QPushButton("到活动列表粘贴")
        activities.clicked.connect(lambda: self.goTo.emit("活动"))
        row = QtWidgets.QHBoxLayout()
        row.addWidget(people)
        row.addWidget(activities)
        row.addStretch(1)
        self.model = RecordTableModel(BATCH_COLUMNS, self)
        table = DataTable("imports", ctx.state)
        table.setModel(self.model)
        table.enable_sorting(0, QtCore.Qt.SortOrder.DescendingOrder)  # newest first
        self.title = QtWidgets.QLabel()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.title)
        layout.addWidget(table, 1)
        self.reload()

    def reload(self) -> None:
        rows = self.ctx.services.overview.import_batches()
        self.model.set_rows(rows)
        self.title.setText(f"导入记录（{len(rows)}）" if rows else "导入记录：还没有导入过文件")
