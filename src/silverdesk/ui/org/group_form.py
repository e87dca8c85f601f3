"""What the team and party-organisation forms share: fields on the left, members on the right."""

from __future__ import annotations

from typing import Any

from PySide6 import QtWidgets

from silverdesk.errors import FieldError
from silverdesk.services.base import CrudService
from silverdesk.ui.context import UiContext
from silverdesk.ui.widgets.form import editor_values, fill_editors
from silverdesk.ui.widgets.members import MembersEditor
from silverdesk.ui.widgets.record_dialog import RecordDialog, message_label


def line(placeholder: str = "") -> QtWidgets.QLineEdit:
    edit = QtWidgets.QLineEdit()
    edit.setPlaceholderText(placeholder)
    return edit


class GroupDialog(RecordDialog):
    """A team or party organisation, with its members (and their roles) on the right."""

    def __init__(
        self,
        ctx: UiContext,
        service: CrudService[Any],
        record_id: int | None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(ctx, service, record_id, parent)
        self.members: MembersEditor | None = None
        self.extra = QtWidgets.QVBoxLayout()

    def finish_layout(self, members_title: str) -> None:
        right = QtWidgets.QVBoxLayout()
        right.addWidget(QtWidgets.QLabel(members_title))
        if self.members is not None:
            right.addWidget(self.members, 1)
        self.members_error = message_label()
        right.addWidget(self.members_error)
        right.addLayout(self.extra)
        columns = QtWidgets.QHBoxLayout()
        left = QtWidgets.QVBoxLayout()
        left.addWidget(self.form)
        left.addStretch(1)
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(columns, 1)
        self.add_buttons(layout)
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

    def show_errors(self, errors: list[FieldError]) -> list[FieldError]:
        members = [e.message for e in errors if e.field == "members"]
        self.members_error.setText("\n".join(members))
        self.members_error.setVisible(bool(members))
        return super().show_errors([e for e in errors if e.field != "members"])
