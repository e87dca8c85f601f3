"""Check pasted rows before writing: what will go in, what is refused and why."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from silverdesk.errors import SilverdeskError, UserError
from silverdesk.services.importing.paste import PasteKind, PastePlan, commit_paste, plan_paste
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error

WHAT = {"people": "人员", "activities": "活动"}


class PasteDialog(QtWidgets.QDialog):
    """Built from the clipboard text; ``plan`` is ``None`` when there was nothing to paste (the
    clerk is told in the status bar and the dialog is not shown)."""

    def __init__(
        self, ctx: UiContext, kind: PasteKind, text: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.written = 0
        self.setWindowTitle(f"粘贴{WHAT[kind]}")
        self.plan: PastePlan | None = None
        try:
            self.plan = plan_paste(ctx.services, kind, text)
        except UserError as exc:
            ctx.notify(parent, exc.message)
            return
        self._build(self.plan)

    def _build(self, plan: PastePlan) -> None:
        what = WHAT[self.kind]
        summary = QtWidgets.QLabel(
            f"共 {plan.total} 行：<b>{len(plan.accepted)}</b> 行可以写入，"
            f"<b style='color:#b3261e'>{len(plan.refused)}</b> 行不能写入（原因见下表，改好后可再次粘贴）。"
        )
        summary.setWordWrap(True)
        columns = QtWidgets.QLabel(
            "识别的列："
            + "、".join(c for c in plan.columns if c)
            + (f"；未识别、已忽略：{'、'.join(plan.ignored_columns)}" if plan.ignored_columns else "")
        )
        columns.setWordWrap(True)
        self.refused = QtWidgets.QTableWidget(len(plan.refused), 3)
        self.refused.setHorizontalHeaderLabels(["行", "原因", "内容"])
        self.refused.verticalHeader().setVisible(False)
        self.refused.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.refused.setWordWrap(True)
        for i, row in enumerate(plan.refused):
            for j, text in enumerate((str(row.line), row.reason, " | ".join(row.cells))):
                item = QtWidgets.QTableWidgetItem(text)
                item.setToolTip(text)
                self.refused.setItem(i, j, item)
        char = self.fontMetrics().horizontalAdvance("汉")
        self.refused.setColumnWidth(0, char * 3)
        self.refused.setColumnWidth(1, char * 30)
        self.refused.horizontalHeader().setStretchLastSection(True)
        self.refused.resizeRowsToContents()
        self.refused.setVisible(bool(plan.refused))
        buttons = QtWidgets.QDialogButtonBox()
        self.write_button = buttons.addButton(
            f"写入 {len(plan.accepted)} 行{what}", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.write_button.setEnabled(bool(plan.accepted))
        self.write_button.setToolTip("只写入可以写入的行；不能写入的行不会写入")
        self.copy_button = buttons.addButton(
            "复制不能写入的行", QtWidgets.QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setToolTip("连同原因复制到剪贴板，可粘贴到 Excel 修改后发回填报单位")
        self.copy_button.setVisible(bool(plan.refused))
        self.copy_button.clicked.connect(self._copy_refused)
        buttons.addButton("取消", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole).setToolTip("不写入任何行")
        buttons.accepted.connect(self.write)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(columns)
        layout.addWidget(self.refused, 1)
        layout.addWidget(buttons)
        self.resize(char * 60, char * (30 if plan.refused else 10))
        if plan.accepted:
            self.write_button.setDefault(True)
            self.write_button.setFocus()

    def write(self) -> None:
        assert self.plan is not None
        try:
            self.written = commit_paste(self.ctx.services, self.plan)
        except SilverdeskError as exc:
            show_error(self, exc)
            return
        self.ctx.events.changed.emit("person" if self.kind == "people" else "activity")
        self.ctx.notify(self.parentWidget(), f"已写入 {self.written} 行{WHAT[self.kind]}")
        self.accept()

    def _copy_refused(self) -> None:
        assert self.plan is not None
        lines = ["行号\t原因\t" + "\t".join(c or "（未识别）" for c in self.plan.columns)]
        lines += [f"{r.line}\t{r.reason}\t" + "\t".join(r.cells) for r in self.plan.refused]
        self.ctx.set_clipboard_text("\r\n".join(lines) + "\r\n")
        self.ctx.notify(self.parentWidget(), f"已复制 {len(self.plan.refused)} 行不能写入的行")

    def sizeHint(self) -> QtCore.QSize:
        return super().sizeHint().expandedTo(QtCore.QSize(self.fontMetrics().horizontalAdvance("汉") * 50, 0))
