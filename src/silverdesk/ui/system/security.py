"""设置 › 安全: the operator written to the audit log, the opening password, masking on screen.

The opening password only keeps passers-by out of the window; the database file itself is not
encrypted (docs/privacy.md) — the tab says so.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from silverdesk.errors import SilverdeskError, UserError
from silverdesk.services.system.password import MIN_LENGTH
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.system.audit import screen_mask_enabled, set_screen_mask
from silverdesk.ui.widgets.form import ERROR_STYLE


def _password_edit(placeholder: str) -> QtWidgets.QLineEdit:
    edit = QtWidgets.QLineEdit()
    edit.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    edit.setMaximumWidth(320)
    return edit


class SecurityTab(QtWidgets.QWidget):
    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # operator
        self.operator = QtWidgets.QLineEdit()
        self.operator.setMaximumWidth(320)
        self.operator.setToolTip("此后的每一项修改都以这个名字记入操作日志")
        self.operator.returnPressed.connect(self.change_operator)
        change = QtWidgets.QPushButton("更换操作人")
        change.clicked.connect(self.change_operator)
        who = QtWidgets.QGroupBox("操作人")
        wform = QtWidgets.QFormLayout(who)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.operator)
        row.addWidget(change)
        row.addStretch(1)
        wform.addRow("当前操作人", row)
        hint = QtWidgets.QLabel("换人操作时请先在这里改成自己的姓名，操作日志才能分清是谁做的修改。")
        hint.setWordWrap(True)
        wform.addRow("", hint)
        # password
        self.password_state = QtWidgets.QLabel()
        self.current = _password_edit("当前密码（未设置时不用填）")
        self.new = _password_edit(f"新密码，至少 {MIN_LENGTH} 位")
        self.again = _password_edit("再输入一次新密码")
        self.again.returnPressed.connect(self.set_password)
        self.set_button = QtWidgets.QPushButton("设置密码")
        self.set_button.clicked.connect(self.set_password)
        self.remove_button = QtWidgets.QPushButton("取消开机密码")
        self.remove_button.setToolTip("需要输入当前密码")
        self.remove_button.clicked.connect(self.remove_password)
        self.password_error = QtWidgets.QLabel()
        self.password_error.setStyleSheet(ERROR_STYLE)
        self.password_error.setWordWrap(True)
        self.password_error.setVisible(False)
        pw = QtWidgets.QGroupBox("开机密码")
        pform = QtWidgets.QFormLayout(pw)
        pform.addRow("状态", self.password_state)
        pform.addRow("当前密码", self.current)
        pform.addRow("新密码", self.new)
        pform.addRow("确认新密码", self.again)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.set_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        pform.addRow("", buttons)
        pform.addRow("", self.password_error)
        warning = QtWidgets.QLabel(
            "开机密码只能挡住路过的人，不会加密数据库文件；请同时设好电脑的登录密码，"
            "并妥善保管存放备份的 U 盘。忘记密码请联系维护人员。"
        )
        warning.setWordWrap(True)
        pform.addRow("", warning)
        # masking
        self.mask_screen = QtWidgets.QCheckBox("在“操作日志”中隐藏身份证号和电话的中间几位（推荐）")
        self.mask_screen.setToolTip("只影响本机屏幕显示；导出的文件总是默认隐藏，除非导出时明确勾选“不隐藏”")
        self.mask_screen.toggled.connect(lambda on: set_screen_mask(self.ctx, on))
        mask = QtWidgets.QGroupBox("个人信息脱敏")
        mbox = QtWidgets.QVBoxLayout(mask)
        mbox.addWidget(self.mask_screen)
        note = QtWidgets.QLabel(
            "报表、退回给单位的错误表和操作日志导出，默认隐藏身份证号、电话和门牌号；"
            "只有在保存时勾选“不隐藏身份证号/电话”才会写出完整号码，仅供内部使用。"
        )
        note.setWordWrap(True)
        mbox.addWidget(note)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(who)
        layout.addWidget(pw)
        layout.addWidget(mask)
        layout.addStretch(1)

    def load(self) -> None:
        self.operator.setText(self.ctx.services.ctx.operator)
        self._show_password_state()
        self.mask_screen.blockSignals(True)
        self.mask_screen.setChecked(screen_mask_enabled(self.ctx))
        self.mask_screen.blockSignals(False)

    def _show_password_state(self) -> None:
        is_set = self.ctx.services.app_password.is_set()
        self.password_state.setText(
            "已设置：打开程序时需要输入密码" if is_set else "未设置：打开程序时不需要密码"
        )
        self.set_button.setText("修改密码" if is_set else "设置密码")
        self.current.setEnabled(is_set)
        self.remove_button.setEnabled(is_set)

    def change_operator(self) -> None:
        try:
            name = self.ctx.services.operators.remember(self.operator.text())
        except SilverdeskError as exc:
            show_error(self, exc)
            return
        self.operator.setText(name)
        self.ctx.notify(self, f"操作人已改为 {name}")

    def set_password(self) -> None:
        service = self.ctx.services.app_password
        try:
            if self.new.text() != self.again.text():
                raise UserError("两次输入的新密码不一样，请重新输入")
            current = self.current.text() if service.is_set() else None
            changed = service.is_set()
            with _busy():
                service.set(self.new.text(), current=current)
        except SilverdeskError as exc:
            self._password_failed(exc)
            return
        self._password_done("开机密码已修改" if changed else "开机密码已设置，下次打开程序时生效")

    def remove_password(self) -> None:
        if not self.ctx.confirm(self, "取消开机密码", "取消后打开程序不再需要密码。确定取消吗？"):
            return
        try:
            with _busy():
                self.ctx.services.app_password.remove(self.current.text())
        except SilverdeskError as exc:
            self._password_failed(exc)
            return
        self._password_done("开机密码已取消")

    def _password_failed(self, exc: SilverdeskError) -> None:
        self.password_error.setText(exc.message)
        self.password_error.setVisible(True)

    def _password_done(self, text: str) -> None:
        for edit in (self.current, self.new, self.again):
            edit.clear()
        self.password_error.setVisible(False)
        self._show_password_state()
        self.ctx.notify(self, text)


class _busy:
    """A wait cursor while the password is hashed (about a quarter of a second)."""

    def __enter__(self) -> None:
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)

    def __exit__(self, *_exc: object) -> None:
        QtWidgets.QApplication.restoreOverrideCursor()
