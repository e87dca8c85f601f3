"""导入向导: file → sheet and columns → preview → commit, with nothing written before 导入.

Each step runs in the task runner (progress and cancel on big files); the steps are the
import service's (``services.imports``): open_file, read, remap, plan, commit, undo.  The wizard
runs them and moves between its four pages (:mod:`pages`), which show what a step found.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.progress import CancelToken, Progress
from silverdesk.services.importing import kind_spec
from silverdesk.services.importing.plan import CHANGED_BY_KIND, PlanOptions
from silverdesk.services.importing.service import OpenedFile, PreparedSheet
from silverdesk.ui.context import UiContext
from silverdesk.ui.importing.pages import ColumnsPage, DonePage, FilePage, PreviewPage
from silverdesk.ui.tasks import TaskHandle

FILE_FILTER = "表格文件 (*.xlsx *.xlsm *.xls *.csv *.ods *.txt);;所有文件 (*)"


class ImportWizard(QtWidgets.QDialog):
    """Signals:
    imported(int): a batch was committed (its id).
    """

    imported = QtCore.Signal(int)

    def __init__(
        self, ctx: UiContext, path: str | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.imports = ctx.services.imports
        self.opened: OpenedFile | None = None
        self.prepared: PreparedSheet | None = None
        self.plan = None
        self.plan_options = PlanOptions()  # what the plan shown was made with (the clerk's choices)
        self.batch_id: int | None = None
        self._job: TaskHandle | None = None  # the step running now, if any
        self._after_open: Callable[[], None] | None = None  # 下一步 pressed while the file was being checked
        self._undone = False
        self.setWindowTitle("导入表格")
        self.resize(1000, 680)
        self.stack = QtWidgets.QStackedWidget()
        self.file_page = FilePage(ctx)
        self.file_page.pick_button.clicked.connect(self._pick)
        self.file_page.path.editingFinished.connect(self._open)
        self.columns_page = ColumnsPage()
        self.columns_page.mappingChanged.connect(self._mapping_changed)
        self.preview_page = PreviewPage()
        self.preview_page.errors_button.clicked.connect(self._export_errors)
        self.preview_page.choicesChanged.connect(self._update_commit_enabled)
        self.preview_page.decisions.edited.connect(self._update_commit_enabled)
        self.preview_page.decisions.changed.connect(self._replan)
        self.done_page = DonePage()
        self.done_page.undo_button.clicked.connect(self._undo)
        for page in (self.file_page, self.columns_page, self.preview_page, self.done_page):
            self.stack.addWidget(page)
        self.back_button = QtWidgets.QPushButton("上一步")
        self.back_button.clicked.connect(self.back)
        self.next_button = QtWidgets.QPushButton("下一步")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        self.close_button = QtWidgets.QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(b)
        self.steps = QtWidgets.QLabel()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.steps)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.setAcceptDrops(True)
        self._show(0)
        if path:
            self.file_page.path.setText(path)

    def reject(self) -> None:
        if self.busy():  # a step is running: closing asks it to stop; the wizard closes after
            self._job.cancel()  # type: ignore[union-attr]
            self.steps.setText("正在停止当前步骤，数据库不会被改动……")
            return
        super().reject()

    def done(self, result: int) -> None:
        self.imports.close_file()  # an .xls parsed to list its sheets is not kept once the wizard closes
        super().done(result)

    # -- navigation -----------------------------------------------------------------------------
    def _show(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        names = ["① 选择文件", "② 核对列", "③ 预览", "④ 完成"]
        self.steps.setText("　→　".join(f"<b>{n}</b>" if i == index else n for i, n in enumerate(names)))
        self.back_button.setEnabled(0 < index < 3)
        self.next_button.setText("导入" if index == 2 else "下一步")
        if index == 1 and self.prepared is not None:
            self._mapping_changed()
        elif index == 2 and self.plan is not None:
            self._update_commit_enabled()
        else:
            self.next_button.setEnabled(True)
        done = index == 3  # 导入完成: one button, 关闭 (Enter presses it)
        self.back_button.setVisible(not done)
        self.next_button.setVisible(not done)
        self.next_button.setDefault(not done)
        self.close_button.setDefault(done)
        if done:
            self.close_button.setFocus()

    # -- the steps run in the task runner, one at a time ------------------------------------------
    def busy(self) -> bool:
        return self._job is not None and not self._job.finished.is_set()

    def _run_step(
        self,
        work: Callable[[Progress, CancelToken], Any],  # holds no widget: dropped on the worker thread
        done: Callable[[Any], None],
        title: str,
        *,
        on_error: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        opening: bool = False,
    ) -> None:
        """Run one step; the wizard's buttons wait for it, whatever it ends with.  While a file is
        being checked (``opening``: its name was typed or dropped), 下一步 stays: the read follows."""
        from silverdesk.ui.errors import show_error

        self._set_busy(True, opening)

        def finished(result: Any) -> None:
            self._job = None
            done(result)  # may start the next step (a file opened, then read)
            if not self.busy():
                self._set_busy(False)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            (on_error or (lambda e: show_error(self, e)))(exc)

        def cancelled() -> None:
            self._set_busy(False)
            if on_cancelled is not None:
                on_cancelled()
            self.steps.setText(self.steps.text() + f"　（已取消：{title}，数据库未改动）")

        self._job = self.ctx.runner.run(
            work, finished, on_error=failed, on_cancelled=cancelled, title=title, parent=self
        )

    def _set_busy(self, busy: bool, opening: bool = False) -> None:
        if busy:
            self.next_button.setEnabled(opening)
            self.back_button.setEnabled(False)
            self.done_page.undo_button.setEnabled(False)
            self.preview_page.decisions.setEnabled(False)
        else:
            self._job = None
            self.preview_page.decisions.setEnabled(True)
            self.preview_page.decisions.restore_focus()  # where the clerk was before planning again
            self._after_open = None
            self._show(self.stack.currentIndex())
            self.done_page.undo_button.setEnabled(self.batch_id is not None and not self._undone)

    def back(self) -> None:
        self._show(max(0, self.stack.currentIndex() - 1))

    def next(self) -> None:
        if self.busy():  # only while a file is being checked: read it once it is open
            self._after_open = self._read
            return
        step = self.stack.currentIndex()
        if step == 0:
            self._read()
        elif step == 1:
            self._plan()
        elif step == 2:
            self._commit()

    # -- step 1: the file -------------------------------------------------------------------------
    def _pick(self) -> None:
        paths = self.ctx.ask_open_paths(self, "选择要导入的表格", str(Path.home()), FILE_FILTER)
        if paths:
            self.file_page.path.setText(paths[0])
            self._open()

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.file_page.path.setText(urls[0])
            self._show(0)
            self._open()

    def _open(self, then: Callable[[], None] | None = None) -> None:
        """Check the file and list its sheets; ``then`` runs once it is open."""
        text = self.file_page.path.text().strip()
        if not text or self.busy():
            return
        if self.opened and str(self.opened.path) == text:
            if then is not None:
                then()
            return

        def opened(result: OpenedFile) -> None:
            self._opened(result)
            follow, self._after_open = then or self._after_open, None
            if follow is not None:
                follow()

        self._run_step(
            lambda _p, cancel, imports=self.imports: imports.open_file(text, cancel=cancel),
            opened,
            "正在检查文件",
            opening=True,
        )

    def _opened(self, opened: OpenedFile) -> None:
        self.opened = opened
        self.file_page.set_sheets(opened)

    def _read(self) -> None:
        page = self.file_page
        if self.opened is None or str(self.opened.path) != page.path.text().strip():
            self.opened = None
            self._open(then=self._read)
            return
        imports = self.imports
        opened, sheet, kind, unit = (
            self.opened,
            page.sheet.currentData(),
            page.kind.currentData(),
            page.unit.currentText().strip() or None,
        )

        def work(progress: Progress, cancel: CancelToken) -> PreparedSheet:
            return imports.read(opened, sheet, kind=kind, unit_name=unit, progress=progress, cancel=cancel)

        self._run_step(work, self._read_done, "正在读取表格")

    # -- step 2: columns ----------------------------------------------------------------------------
    def _read_done(self, prepared: PreparedSheet) -> None:
        self.prepared = prepared
        self.plan_options = PlanOptions()  # another sheet: the choices made for the last one do not apply
        self.columns_page.fill(prepared)
        self._mapping_changed()
        self._show(1)

    def _choices(self) -> dict[int, str]:
        assert self.prepared is not None
        return self.columns_page.choices(self.prepared)

    def _mapping_changed(self) -> None:
        assert self.prepared is not None
        self.next_button.setEnabled(self.columns_page.check(self.prepared))

    def _units_from_rows_confirmed(self) -> bool:
        """Without a sending unit the unit column gives each row's unit: the clerk says so, or goes back."""
        assert self.prepared is not None
        spec = kind_spec(self.prepared.kind)
        if not spec.unit_required or self.prepared.unit_name:
            return True
        column = next(
            (c for c in self.prepared.table.columns if self._choices().get(c.index) == "unit"), None
        )
        if column is None:
            return True  # nothing gives a unit: 下一步 is disabled (and the service refuses it too)
        question = (
            f"没有选择报送单位。表中的“{column.label}”列逐行写明了单位：按各行所填的单位导入吗？\n\n"
            f"“{column.label}”为空的行不会导入（预览中列为未通过）。\n选“否”回到第一步选择报送单位。"
        )
        if self.ctx.confirm(self, "没有选择报送单位", question):
            return True
        self._show(0)
        self.file_page.unit.setFocus()
        return False

    # -- step 3: preview ----------------------------------------------------------------------------
    def _plan(self) -> None:
        assert self.prepared is not None
        if not self._units_from_rows_confirmed():
            return
        prepared = self.imports.remap(self.prepared, self._choices())
        imports, options = self.imports, self.plan_options

        def work(progress: Progress, cancel: CancelToken):  # type: ignore[no-untyped-def]
            return imports.plan(prepared, options=options, progress=progress, cancel=cancel)

        self.prepared = prepared
        self._run_step(work, self._planned, "正在逐行检查")

    def _planned(self, plan) -> None:  # type: ignore[no-untyped-def]
        assert self.prepared is not None
        self.plan = plan
        self.preview_page.fill(plan, self.prepared, self.plan_options)
        self._show(2)
        self._update_commit_enabled()

    def _replan(self) -> None:
        """The clerk changed a decision of the preview: plan again with the choices (off the GUI thread)."""
        options = self.preview_page.decisions.options()
        if self.prepared is None or self.busy() or options == self.plan_options:
            self._update_commit_enabled()
            return
        imports, prepared, ticked = self.imports, self.prepared, self.preview_page.ticked_conflicts()

        def work(progress: Progress, cancel: CancelToken):  # type: ignore[no-untyped-def]
            return imports.plan(prepared, options=options, progress=progress, cancel=cancel)

        def replanned(plan) -> None:  # type: ignore[no-untyped-def]
            for row, conflict in plan.conflicts():  # 采用文件值 ticks stay where the conflict still is
                if (row.row_number, conflict.field) in ticked:
                    plan.choose(row.row_number, conflict.field, use_file=True)
            self.plan_options = options
            self._planned(plan)

        def failed(exc: BaseException) -> None:  # the preview goes back to the choices of the plan shown
            from silverdesk.ui.errors import show_error

            self._planned(self.plan)
            show_error(self, exc)

        self._run_step(work, replanned, "正在按您的选择重新检查", on_error=failed,
                       on_cancelled=lambda: self._planned(self.plan))  # fmt: skip

    def _update_commit_enabled(self) -> None:
        if self.plan is None or self.stack.currentIndex() != 2:
            return
        if self.preview_page.decisions.pending():  # 导入 would write the plan before the change
            self.next_button.setEnabled(False)
            return
        counts = self.plan.counts
        something = counts["新增"] + counts["更新"] > 0 or self.preview_page.takes_file_values()
        self.next_button.setEnabled(something and not self.busy())

    def _export_errors(self) -> None:
        if self.plan is None:
            return
        typed = Path(self.file_page.path.text())
        suggested = str(typed.with_name(typed.stem + "_退回修改.xlsx"))
        out = self.ctx.ask_save_path(self, "导出未通过的行", suggested, "Excel 工作簿 (*.xlsx)")
        if out:
            self.imports.write_errors(self.plan, out)
            self.ctx.notify(self, f"未通过的行已导出到 {out}")

    # -- step 4: commit -----------------------------------------------------------------------------
    def _commit(self) -> None:
        self.preview_page.apply_choices(self.plan)
        imports, plan = self.imports, self.plan

        def work(progress: Progress, cancel: CancelToken) -> int:
            return imports.commit(plan, progress=progress, cancel=cancel)

        self._run_step(work, self._committed, "正在导入")

    def _committed(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.done_page.committed(batch_id, self.plan.counts)
        self._show(3)
        self.ctx.events.changed.emit(CHANGED_BY_KIND[self.plan.kind])
        self.imported.emit(batch_id)

    def _undo(self) -> None:
        batch_id = self.batch_id
        if batch_id is None or not self.ctx.confirm(
            self, "撤销导入", f"撤销批次 {batch_id} 写入的全部内容？"
        ):
            return

        imports = self.imports

        def work(progress: Progress, cancel: CancelToken) -> None:
            imports.undo(batch_id, progress=progress, cancel=cancel)

        self._run_step(work, self._undone_batch, "正在撤销导入")

    def _undone_batch(self, _result: None) -> None:
        self._undone = True
        self.done_page.undone(self.batch_id)
        self.ctx.events.changed.emit(CHANGED_BY_KIND[self.plan.kind])
