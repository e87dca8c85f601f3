"""报表: the month-by-month figures of the last twelve months, ready to copy into a report."""

from __future__ import annotations

from PySide6 import QtWidgets

from silverdesk.progress import CancelToken, Progress
from silverdesk.services.dashboard import Dashboard
from silverdesk.ui.context import UiContext
from silverdesk.ui.models.columns import Column
from silverdesk.ui.models.record_table import RecordTableModel
from silverdesk.ui.widgets.data_table import DataTable

MONTH_COLUMNS = (
    Column("month", "月份", 8), Column("sessions", "活动场次", 6, numeric=True),
    Column("beneficiaries", "受益人次", 8, numeric=True),
)


class ReportsView(QtWidgets.QWidget):
    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RecordTableModel(MONTH_COLUMNS, self)
        self.table = DataTable("report_months", ctx.state)
        self.table.setModel(self.model)
        self.title = QtWidgets.QLabel("正在统计……")
        note = QtWidgets.QLabel("近12个月逐月汇总；选中行后 Ctrl+C 复制，可直接粘贴到 Excel 或 WPS。")
        note.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        ctx.events.changed.connect(lambda entity: self.reload() if entity == "activity" else None)
        self.reload()

    def reload(self) -> None:
        def work(_p: Progress, _c: CancelToken) -> Dashboard:
            return self.ctx.services.dashboard.load()

        self.ctx.runner.run(work, self._show, parent=self)

    def _show(self, board: Dashboard) -> None:
        rows = [{"id": i, "month": f"{p.year}年{p.month}月", "sessions": p.sessions, "beneficiaries": p.beneficiaries}
                for i, p in enumerate(board.trend)]
        self.model.set_rows(rows)
        total = sum(p.sessions for p in board.trend)
        self.title.setText(f"近12个月共开展活动 {total} 场次，受益群众 {sum(p.beneficiaries for p in board.trend)} 人次")
