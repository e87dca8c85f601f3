"""导入: the import batches on record, and how to bring in rows today (paste from Excel/WPS)."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.progress import CancelToken, Progress
from silverdesk.services.importing import KINDS, kind_name
from silverdesk.services.importing.plan import CHANGED_BY_KIND
from silverdesk.ui.context import UiContext
from silverdesk.ui.models.columns import Column
from silverdesk.ui.models.record_table import RecordTableModel
from silverdesk.ui.widgets.data_table import DataTable

BATCH_COLUMNS = (
    Column("imported_at", "导入时间", 11),
    Column("kind", "内容", 6, fmt=kind_name),
    Column("file_name", "文件", 18),
    Column("unit", "报送单位", 9),
    Column("operator", "操作人", 5),
    Column("rows_read", "读入行", 4, numeric=True),
    Column("imported", "导入", 4, numeric=True),
    Column("rejected", "未通过", 4, numeric=True),
    Column("decisions", "自动处理", 20),
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
            "把乡镇（街道）、部门报来的表格文件拖到这里，或点“导入表格文件…”：程序先逐行检查并预览每一行的结果，"
            "点“导入”后才写入，导错了可以整批撤销。少量几行也可以从 Excel 或 WPS 复制，到“人员”或“活动”列表按 "
            "Ctrl+Shift+V 粘贴。"
        )
        hint.setWordWrap(True)
        self.import_button = QtWidgets.QPushButton("导入表格文件… (Ctrl+I)")
        self.import_button.setShortcut(QtGui.QKeySequence("Ctrl+I"))
        self.import_button.setToolTip(
            "导入乡镇（街道）、部门报来的 Excel/WPS/CSV 表格；也可以把文件直接拖到这个页面"
        )
        self.import_button.clicked.connect(lambda: self.open_wizard())
        template = QtWidgets.QPushButton("生成空白模板…")
        template.setToolTip("生成带下拉列表和填写说明的导入模板，发给下级单位填写")
        template.clicked.connect(self._template)
        self.undo_button = QtWidgets.QPushButton("撤销选中的批次")
        self.undo_button.clicked.connect(self._undo_selected)
        people = QtWidgets.QPushButton("到人员列表粘贴")
        people.clicked.connect(lambda: self.goTo.emit("人员"))
        activities = QtWidgets.QPushButton("到活动列表粘贴")
        activities.clicked.connect(lambda: self.goTo.emit("活动"))
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(template)
        row.addWidget(self.undo_button)
        row.addWidget(people)
        row.addWidget(activities)
        row.addStretch(1)
        self.model = RecordTableModel(BATCH_COLUMNS, self)
        table = DataTable("imports", ctx.state)
        table.setModel(self.model)
        self.table = table
        self.setAcceptDrops(True)
        table.enable_sorting(0, QtCore.Qt.SortOrder.DescendingOrder)  # newest first
        self.title = QtWidgets.QLabel()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.title)
        layout.addWidget(table, 1)
        self.reload()

    def reload(self) -> None:
        rows = self.ctx.services.imports.batches(limit=500)
        self.model.set_rows(rows)
        self.title.setText(f"导入记录（{len(rows)}）" if rows else "导入记录：还没有导入过文件")

    # -- importing files -------------------------------------------------------------------------
    def open_wizard(self, path: str | None = None) -> None:
        from silverdesk.ui.importing.wizard import ImportWizard

        wizard = ImportWizard(self.ctx, path, self)
        wizard.imported.connect(lambda _batch: self.reload())
        wizard.show()
        self.wizard = wizard

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            self.open_wizard(files[0])

    def _template(self) -> None:
        kinds = {spec.short: key for key, spec in KINDS.items()}
        label, ok = QtWidgets.QInputDialog.getItem(self, "生成模板", "模板内容：", list(kinds), 0, False)
        if not ok:
            return
        out = self.ctx.ask_save_path(self, "保存模板", f"{label}导入模板.xlsx", "Excel 工作簿 (*.xlsx)")
        if out:
            self.ctx.services.imports.write_template(kinds[label], out)
            self.ctx.notify(self, f"模板已保存：{out}")

    def _undo_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.ctx.notify(self, "请先在列表中选中一批导入")
            return
        batch = self.model.record(index.row())
        if not self.ctx.confirm(
            self, "撤销导入", f"撤销批次 {batch.id}（{batch.file_name}）写入的全部内容？"
        ):
            return
        imports = self.ctx.services.imports

        def work(progress: Progress, cancel: CancelToken) -> None:
            imports.undo(batch.id, progress=progress, cancel=cancel)

        def done(_result: None) -> None:
            self.ctx.events.changed.emit(CHANGED_BY_KIND.get(batch.kind, "person"))
            self.reload()
            self.ctx.notify(self, f"批次 {batch.id}（{batch.file_name}）已撤销，数据恢复到导入前的样子")

        self.ctx.runner.run(
            work,
            done,
            on_cancelled=lambda: self.ctx.notify(self, "已取消撤销，数据没有改动"),
            title="正在撤销导入",
            parent=self,
        )
