"""设置 › 备份与恢复: the backups of the open database, 立即备份, restore, the folder and rotation.

A restore from the running app (issue #7): the backup is checked first, the current database is
backed up, the open engine is closed and reopened on the restored file (``BackupService.restore_from``)
under the app's own lock; then the undo stack is cleared (its commands refer to the replaced
data) and every screen is told that everything changed.  Nothing keeps writing to the old file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.errors import SilverdeskError, UserError
from silverdesk.progress import CancelToken, Progress
from silverdesk.services.system.backups import PG_MESSAGE, BackupFile, RestoreResult, RotationPolicy
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.org.lists import KeyHandler
from silverdesk.ui.widgets.data_table import read_only_table, selected_item

COLUMNS = ("时间", "类型", "大小", "位置")
# screens listen for these entity names (ui/undo.DataEvents); a restore changes them all
RESTORED_ENTITIES = (
    "person",
    "activity",
    "team",
    "party_org",
    "unit",
    "resource",
    "demand",
    "order",
    "lookup",
    "import_batch",
)
PathRole = QtCore.Qt.ItemDataRole.UserRole


class BackupsTab(QtWidgets.QWidget):
    """Signals:
    restored(): the database was replaced by a backup (the app's data all changed).
    """

    restored = QtCore.Signal()

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._busy = False  # a backup or a restore is running
        self.backups: list[BackupFile] = []
        self.table = read_only_table(COLUMNS)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.setToolTip("本数据库的全部备份，最新的在上；Enter 恢复所选")
        for col, width in enumerate((170, 130, 80)):
            self.table.setColumnWidth(col, width)
        self._keys = KeyHandler(
            self.table,
            {QtCore.Qt.Key.Key_Return: self.restore_selected, QtCore.Qt.Key.Key_Enter: self.restore_selected},
        )

        self.backup_button = QtWidgets.QPushButton("立即备份")
        self.backup_button.setToolTip("马上把数据库完整复制一份到备份文件夹（程序运行时也可以做）")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QtWidgets.QPushButton("恢复所选…")
        self.restore_button.setToolTip("用所选备份替换当前数据库；当前数据库会先另存一份")
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button = QtWidgets.QPushButton("从文件恢复…")
        self.file_button.setToolTip("选择一个备份文件（如 U 盘上的 .sqlite）来恢复")
        self.file_button.clicked.connect(self.restore_from_file)
        self.open_button = QtWidgets.QPushButton("打开备份文件夹")
        self.open_button.clicked.connect(self._open_folder)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QtWidgets.QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.file_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.folder = QtWidgets.QLineEdit()
        self.folder.setPlaceholderText("留空：使用默认文件夹")
        self.folder.setToolTip("备份存放的文件夹，可以是 U 盘或网络共享；不可用时自动改存默认文件夹")
        choose = QtWidgets.QPushButton("选择…")
        choose.clicked.connect(self._choose_folder)
        folder_row = QtWidgets.QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        self.keep: dict[str, QtWidgets.QSpinBox] = {}
        keep_row = QtWidgets.QHBoxLayout()
        for field, label, tip in (
            ("daily", "按天", "保留最近多少天的自动备份（每天一份）"),
            ("weekly", "按周", "保留最近多少周的自动备份（每周一份）"),
            ("monthly", "按月", "保留最近多少个月的自动备份（每月一份）"),
            ("last", "最新", "无论日期，总是保留最新的几份"),
        ):
            spin = QtWidgets.QSpinBox()
            spin.setRange(0, 999)
            spin.setSuffix(" 份")
            spin.setToolTip(tip)
            self.keep[field] = spin
            keep_row.addWidget(QtWidgets.QLabel(label))
            keep_row.addWidget(spin)
        keep_row.addStretch(1)
        self.save_settings_button = QtWidgets.QPushButton("保存备份设置")
        self.save_settings_button.clicked.connect(self.save_settings)
        settings = QtWidgets.QGroupBox("备份设置")
        form = QtWidgets.QFormLayout(settings)
        form.addRow("备份文件夹", folder_row)
        form.addRow("自动备份保留", keep_row)
        note = QtWidgets.QLabel("手动备份和恢复前的备份不会被自动删除。")
        note.setWordWrap(True)
        form.addRow("", note)
        save_row = QtWidgets.QHBoxLayout()
        save_row.addWidget(self.save_settings_button)
        save_row.addStretch(1)
        form.addRow("", save_row)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(settings)
        self._update_buttons()

    # -- data -------------------------------------------------------------------------------------
    def load(self) -> None:
        service = self.ctx.services.backups
        if not service.applicable:
            self.status.setText(PG_MESSAGE)
            for widget in (
                self.backup_button,
                self.restore_button,
                self.file_button,
                self.open_button,
                self.save_settings_button,
                self.folder,
                *self.keep.values(),
            ):
                widget.setEnabled(False)
            return
        raw = self.ctx.services.settings.get("backup_dir")
        self.folder.setText(raw)
        policy = service.policy()
        for field, spin in self.keep.items():
            spin.setValue(getattr(policy, field))
        self.reload_list()

    def reload_list(self, select: Path | None = None) -> None:
        self.backups = self.ctx.services.backups.list()
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            cells = (f"{b.created:%Y-%m-%d %H:%M:%S}", b.label, b.size_text, str(b.path))
            for col, text in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(text)
                item.setData(PathRole, str(b.path))
                if col == 2:
                    item.setTextAlignment(
                        QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
                    )
                if col == 3:
                    item.setToolTip(str(b.path))
                self.table.setItem(row, col, item)
            if select is not None and b.path.resolve() == select.resolve():
                self.table.selectRow(row)
        if self.backups:
            self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        if not self.backups:
            self.status.setText(f"还没有备份。新的备份会存到 {self.ctx.services.backups.folder()}")
        self._update_buttons()

    def selected_backup(self) -> BackupFile | None:
        return selected_item(self.table, self.backups)

    def _update_buttons(self) -> None:
        applicable = self.ctx.services.backups.applicable and not self._busy
        self.restore_button.setEnabled(self.selected_backup() is not None and applicable)
        self.backup_button.setEnabled(applicable)
        self.file_button.setEnabled(applicable)

    # -- backup -----------------------------------------------------------------------------------
    def backup_now(self) -> None:
        service = self.ctx.services.backups

        def work(progress: Progress, cancel: CancelToken) -> BackupFile:
            return service.backup_now(progress=progress, cancel=cancel)

        self._start(
            work,
            self._backed_up,
            "正在备份数据库",
            on_cancelled=lambda: self.status.setText("已取消备份，备份文件夹保持原样。"),
        )

    def _start(
        self,
        work: Callable[[Progress, CancelToken], Any],
        done: Callable[[Any], None],
        title: str,
        *,
        on_cancelled: Callable[[], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run a backup or a restore; 立即备份 and the restore buttons wait for it, whatever it ends with."""
        self._busy = True
        self._update_buttons()

        def ended(handler: Callable[..., None]) -> Callable[..., None]:
            def call(*args: Any) -> None:
                self._busy = False
                self._update_buttons()
                handler(*args)

            return call

        self.ctx.runner.run(
            work,
            ended(done),
            on_error=ended(on_error or (lambda exc: show_error(self, exc))),
            on_cancelled=ended(on_cancelled),
            title=title,
            parent=self,
        )

    def _backed_up(self, made: BackupFile) -> None:
        self.reload_list(select=made.path)
        text = f"已备份到 {made.path}（{made.size_text}）。"
        if made.note:
            text += "\n注意：" + made.note
        self.status.setText(text)
        self.ctx.notify(self, "备份完成")

    # -- restore ----------------------------------------------------------------------------------
    def restore_selected(self) -> None:
        chosen = self.selected_backup()
        if chosen is None:
            self.status.setText("请先在列表中选择一个备份，再点“恢复所选…”。")
            return
        self.restore(chosen.path, f"{chosen.created:%Y-%m-%d %H:%M}，{chosen.label}，{chosen.size_text}")

    def restore_from_file(self) -> None:
        paths = self.ctx.ask_open_paths(
            self,
            "选择备份文件",
            str(self.ctx.services.backups.folder()),
            "数据库备份 (*.sqlite *.sqlite3 *.db);;所有文件 (*)",
        )
        if paths:
            path = Path(paths[0])
            self.restore(path, f"{path.parent}")

    def restore(self, source: Path, description: str) -> None:
        """Ask, then replace the database with ``source`` (checked first; the current one is kept)."""
        if self.ctx.runner.busy():
            self.status.setText("还有任务在进行（统计、导出或导入），请等它完成后再恢复。")
            return
        question = (
            f"用备份“{source.name}”（{description}）替换当前数据库？\n\n"
            "当前数据库会先另存一份备份，恢复后如有需要还可以再恢复回来。\n"
            "恢复后，撤销记录将清空，各页面会重新载入数据。"
        )
        if not self.ctx.confirm(self, "恢复数据库", question):
            return
        service = self.ctx.services.backups

        def work(progress: Progress, cancel: CancelToken) -> RestoreResult:
            return service.restore_from(source, progress=progress, cancel=cancel)

        self._start(
            work,
            self._restored,
            "正在恢复数据库",
            on_error=self._restore_failed,
            on_cancelled=lambda: self.status.setText("已取消恢复，当前数据库和备份文件夹保持原样。"),
        )

    def _restored(self, result: RestoreResult) -> None:
        self.ctx.undo.clear()  # its commands describe the data that was just replaced
        for entity in RESTORED_ENTITIES:
            self.ctx.events.changed.emit(entity)
        kept = f"恢复前的数据库已另存为 {result.previous.path}。" if result.previous else ""
        self.status.setText(f"已用 {result.source.name} 恢复数据库。{kept}各页面已重新载入。")
        self.ctx.notify(self, "数据库已恢复")
        self.reload_list()
        self.restored.emit()

    def _restore_failed(self, exc: BaseException) -> None:
        self.status.setText(
            "恢复没有完成，当前数据库保持原样。"
            if isinstance(exc, SilverdeskError)
            else "恢复时出错，请看提示。"
        )
        show_error(self, exc)

    # -- settings ---------------------------------------------------------------------------------
    def ask_folder(self, start: str) -> str:
        """A folder chosen by the clerk ("" when cancelled).  Tests replace this."""
        return QtWidgets.QFileDialog.getExistingDirectory(self, "选择备份文件夹", start)

    def _choose_folder(self) -> None:
        start = self.folder.text().strip() or str(self.ctx.services.backups.folder())
        chosen = self.ask_folder(start)
        if chosen:
            self.folder.setText(chosen)

    def save_settings(self) -> None:
        text = self.folder.text().strip()
        try:
            if text:
                folder = Path(text).expanduser()
                if not folder.is_absolute():
                    raise UserError("备份文件夹请填写完整路径（如 E:\\备份），或点“选择…”")
                if not folder.is_dir():
                    raise UserError(f"文件夹 {folder} 不存在或现在不可用（U 盘未插入？）；请插好后再保存")
            policy = RotationPolicy(**{field: spin.value() for field, spin in self.keep.items()})
            self.ctx.services.backups.configure(Path(text) if text else Path(""), policy)
        except SilverdeskError as exc:
            show_error(self, exc)
            return
        self.status.setText(f"备份设置已保存。新的备份会存到 {self.ctx.services.backups.folder()}")
        self.ctx.notify(self, "备份设置已保存")
        self.reload_list()

    def _open_folder(self) -> None:
        folder = self.ctx.services.backups.folder()
        folder.mkdir(parents=True, exist_ok=True)
        QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(folder)))
