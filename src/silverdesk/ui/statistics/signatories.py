"""The report's signatories (单位负责人, 审核人, 填表人, 联系电话): kept in 设置 › 本单位, asked for once
in a small dialog when the first report is made while some are not set.

Each report prints what is set and, for what is left blank, a line to sign on by hand.
"""

from __future__ import annotations

from PySide6 import QtWidgets

from silverdesk.errors import SilverdeskError
from silverdesk.services.org.lookups import SETTING_NAMES
from silverdesk.services.statistics.tables import SIGNATORIES
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.widgets.form import FieldForm

SIGNATORY_TIP = "印在报表末尾；留空则印一条横线，打印后手写"
SIGNATORY_TIPS = dict.fromkeys(SIGNATORIES, SIGNATORY_TIP)
ASKED_KEY = "reports/signatories_asked"


def missing(ctx: UiContext) -> list[str]:
    """The signatories' settings keys not set yet."""
    values = ctx.services.settings.all()
    return [key for key in SIGNATORIES if not values.get(key, "").strip()]


def should_ask(ctx: UiContext) -> bool:
    """Ask once (on this computer) while a signatory is not set."""
    return not ctx.state.qsettings.value(ASKED_KEY, False, type=bool) and bool(missing(ctx))


class SignatoriesDialog(QtWidgets.QDialog):
    """报表署名: the four fields pre-filled with what is set (填表人 with the operator's name when he gave
    one at start); 保存 keeps them in 设置 › 本单位, 跳过 leaves them blank (lines to sign on)."""

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        ctx.state.qsettings.setValue(ASKED_KEY, True)
        self.setWindowTitle("报表署名")
        intro = QtWidgets.QLabel(
            "报表末尾印有单位负责人、审核人、填表人和联系电话。在这里填一次，以后的报表都会用到，"
            "也可以随时在“设置 › 本单位”中修改。留空的项目在报表上印一条横线，打印后手写。"
        )
        intro.setWordWrap(True)
        values = ctx.services.settings.all()
        operator = ctx.services.operators.last()
        self.form = FieldForm()
        self.edits: dict[str, QtWidgets.QLineEdit] = {}
        for key in SIGNATORIES:
            edit = QtWidgets.QLineEdit(values.get(key, ""))
            if key == "report_preparer" and not edit.text() and operator == ctx.services.ctx.operator:
                edit.setText(operator)  # the name given at start, never the computer's login name
            self.form.add(key, SETTING_NAMES[key], edit, tip=SIGNATORY_TIP)
            self.edits[key] = edit
        buttons = QtWidgets.QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button = buttons.addButton("跳过", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("汉") * 32)

    def submit(self) -> None:
        try:
            self.ctx.services.settings.update({k: e.text().strip() for k, e in self.edits.items()})
        except SilverdeskError as exc:
            show_error(self, exc)
            return
        self.ctx.events.changed.emit("settings")
        self.accept()
