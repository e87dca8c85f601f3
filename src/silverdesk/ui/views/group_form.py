"""What the team and party-organisation forms share: fields on the left, members on the right."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtWidgets

from silverdesk.errors import FieldError, SilverdeskError, ValidationError
from silverdesk.services.base import CrudService
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.undo import UpdateCommand
from silverdesk.ui.widgets.form import ERROR_STYLE, FieldForm, editor_values, fill_editors
from silverdesk.ui.widgets.members import MembersEditor
from silverdesk.ui.widgets.pickers import IdCombo


def line(placeholder: str = "") -> QtWidgets.QLineEdit:
    edit = QtWidgets.QLineEdit()
    edit.setPlaceholderText(placeholder)
    return edit


class GroupDialog(QtWidgets.QDialog):
    """Signals:
    saved(int): the record's id after a save.
    """

    saved = QtCore.Signal(int)
    noun = ""

    def __init__(self, ctx: UiContext, service: CrudService[Any], record_id: int | None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.service, self.record_id = ctx, service, record_id
        self.setWindowTitle(f"新建{self.noun}" if record_id is None else f"修改{self.noun}")
        self.setSizeGripEnabled(True)
        self.form = FieldForm()
        self.edits: dict[str, QtWidgets.QWidget] = {}
        self.members: MembersEditor | None = None
        self.extra = QtWidgets.QVBoxLayout()
        self.message = QtWidgets.QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setVisible(False)

    def finish_layout(self, members_title: str) -> None:
        right = QtWidgets.QVBoxLayout()
        right.addWidget(QtWidgets.QLabel(members_title))
        if self.members is not None:
            right.addWidget(self.members, 1)
        self.members_error = QtWidgets.QLabel()
        self.members_error.setStyleSheet(ERROR_STYLE)
        self.members_error.setWordWrap(True)
        self.members_error.setVisible(False)
        right.addWidget(self.members_error)
        right.addLayout(self.extra)
        columns = QtWidgets.QHBoxLayout()
        left = QtWidgets.QVBoxLayout()
        left.addWidget(self.form)
        left.addStretch(1)
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)
        buttons = QtWidgets.QDialogButtonBox()
        save = buttons.addButton("保存", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        save.setShortcut("Ctrl+S")
        save.setToolTip("保存（Ctrl+S）")
        buttons.addButton("取消", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        char = self.fontMetrics().horizontalAdvance("汉")
        screen = self.screen().availableGeometry()
        self.resize(min(char * 62, screen.width() - 40), min(char * 42, screen.height() - 60))
        next(iter(self.edits.values())).setFocus()

    # --- data ----------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        raw: dict[str, Any] = editor_values(self.edits)
        if self.members is not None:
            raw["members"] = self.members.members()
        return raw

    def fill(self, data: dict[str, Any]) -> None:
        fill_editors(self.edits, data)

    def label(self, raw: dict[str, Any]) -> str:
        return str(raw.get("name", "")).strip()

    def save(self) -> None:
        raw = self.values()
        for key, editor in self.edits.items():
            if isinstance(editor, IdCombo) and editor.has_unknown_text():
                self._show([FieldError(key, f"“{editor.currentText().strip()}”不在列表中，请从列表中选择")])
                return
        try:
            if self.record_id is None:
                self.record_id = self.service.create(raw)
            else:
                changes = self.service.update(self.record_id, raw)
                if changes:
                    self.ctx.undo.push(UpdateCommand(self.service, self.record_id, changes,
                                                     f"修改{self.noun} {self.label(raw)}", self.ctx.events))
        except ValidationError as exc:
            self._show(exc.errors)
            return
        except SilverdeskError as exc:
            self._show([FieldError("", exc.message)])
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.ctx.events.changed.emit(self.service.entity)
        self.ctx.notify(self.parentWidget(), f"已保存{self.noun}：{self.label(raw)}")
        self.saved.emit(self.record_id)
        self.accept()

    def _show(self, errors: list[FieldError]) -> None:
        mine = [e for e in errors if e.field in self.form.errors]
        self.form.show_errors(mine)
        members = [e.message for e in errors if e.field == "members"]
        self.members_error.setText("\n".join(members))
        self.members_error.setVisible(bool(members))
        rest = [e.message for e in errors if e not in mine and e.field != "members"]
        self.message.setText("\n".join(rest))
        self.message.setVisible(bool(rest))
