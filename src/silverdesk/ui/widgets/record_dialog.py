"""The dialog every record form of a CRUD service shares: fields, one message line, 保存/取消.

Subclasses add their editors to ``self.form`` / ``self.edits`` and call :meth:`RecordDialog.add_buttons`
at the end of their layout.  :meth:`save` checks picker texts that match nothing, creates or
updates through the service (an update goes on the undo stack), shows each refusal next to its
field or in the message line, and announces the change; typed input is never lost on an error.
"""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtWidgets

from silverdesk.errors import FieldError, SilverdeskError, ValidationError
from silverdesk.services.base import CrudService
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.undo import UpdateCommand
from silverdesk.ui.widgets.form import ERROR_STYLE, FieldForm, editor_values
from silverdesk.ui.widgets.pickers import IdCombo


def message_label() -> QtWidgets.QLabel:
    """A red, selectable, word-wrapped line for messages that belong to no one field (hidden when empty)."""
    label = QtWidgets.QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class RecordDialog(QtWidgets.QDialog):
    """Signals:
    saved(int): the record's id after a save.
    """

    saved = QtCore.Signal(int)
    noun = ""
    new_verb = "新建"  # the window title of an empty form: 新建服务队, 登记资源 …
    label_key = "name"  # the field that names the record in messages and the undo text

    def __init__(
        self,
        ctx: UiContext,
        service: CrudService[Any],
        record_id: int | None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.service, self.record_id = ctx, service, record_id
        self.setWindowTitle(f"{self.new_verb}{self.noun}" if record_id is None else f"修改{self.noun}")
        self.setSizeGripEnabled(True)
        self.form = FieldForm()
        self.edits: dict[str, QtWidgets.QWidget] = {}
        self.message = message_label()

    def add_buttons(self, layout: QtWidgets.QBoxLayout) -> None:
        buttons = QtWidgets.QDialogButtonBox()
        save = buttons.addButton("保存", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        save.setShortcut("Ctrl+S")
        save.setToolTip("保存（Ctrl+S）")
        buttons.addButton("取消", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        return editor_values(self.edits)

    def label(self, raw: dict[str, Any]) -> str:
        return str(raw.get(self.label_key, "")).strip()

    def save(self) -> None:
        raw = self.values()
        for key, editor in self.edits.items():
            if isinstance(editor, IdCombo) and editor.has_unknown_text():
                self.show_errors(
                    [FieldError(key, f"“{editor.currentText().strip()}”不在列表中，请从列表中选择")]
                )
                return
        try:
            if self.record_id is None:
                self.record_id = self.service.create(raw)
            else:
                changes = self.service.update(self.record_id, raw)
                if changes:
                    self.ctx.undo.push(
                        UpdateCommand(
                            self.service,
                            self.record_id,
                            changes,
                            f"修改{self.noun} {self.label(raw)}",
                            self.ctx.events,
                        )
                    )
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        except SilverdeskError as exc:
            self.show_errors([FieldError("", exc.message)])
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.ctx.events.changed.emit(self.service.entity)
        self.ctx.notify(self.parentWidget(), f"已保存{self.noun}：{self.label(raw)}")
        self.saved.emit(self.record_id)
        self.accept()

    submit = save  # the name every dialog of these screens confirms with

    def show_errors(self, errors: list[FieldError]) -> list[FieldError]:
        """Each error next to its field; the rest in the message line.  Returns the rest."""
        mine = [e for e in errors if e.field in self.form.errors]
        self.form.show_errors(mine)
        rest = [e for e in errors if e not in mine]
        self.message.setText("\n".join(e.message for e in rest))
        self.message.setVisible(bool(rest))
        return rest
