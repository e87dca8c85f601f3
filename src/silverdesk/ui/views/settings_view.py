"""设置: the bureau's name and report signatories (kept in the database), and the configurable lists."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from silverdesk.domain.enums import LOOKUP_KINDS
from silverdesk.errors import SilverdeskError
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.widgets.form import ERROR_STYLE, FieldForm

SETTING_LABELS = {
    "bureau_name": ("单位名称", "如 中共青山县委老干部局；用于报表抬头"),
    "county_name": ("县名", "如 青山县"),
    "report_title": ("报表标题", "如 离退休干部志愿服务工作统计月报"),
    "report_leader": ("单位负责人", "报表页脚"),
    "report_reviewer": ("审核人", "报表页脚"),
    "report_preparer": ("填表人", "报表页脚"),
    "report_phone": ("联系电话", "报表页脚"),
}


class SettingsView(QtWidgets.QWidget):
    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.form = FieldForm()
        self.edits: dict[str, QtWidgets.QLineEdit] = {}
        for key, (label, tip) in SETTING_LABELS.items():
            edit = QtWidgets.QLineEdit()
            self.form.add(key, label, edit, tip=tip)
            self.edits[key] = edit
        save = QtWidgets.QPushButton("保存设置")
        save.setToolTip("保存单位名称和报表署名（Ctrl+S）")
        save.clicked.connect(self.save)
        self.save_button = save
        left = QtWidgets.QGroupBox("本单位")
        lbox = QtWidgets.QVBoxLayout(left)
        lbox.addWidget(self.form)
        lbox.addWidget(save, 0, QtCore.Qt.AlignmentFlag.AlignRight)
        lbox.addStretch(1)
        right = QtWidgets.QGroupBox("可维护的列表")
        rbox = QtWidgets.QVBoxLayout(right)
        self.kind = QtWidgets.QComboBox()
        for kind, label in LOOKUP_KINDS.items():
            self.kind.addItem(label, kind)
        self.items = QtWidgets.QListWidget()
        self.new_item = QtWidgets.QLineEdit()
        self.new_item.setPlaceholderText("新条目名称，Enter 添加")
        self.new_item.returnPressed.connect(self.add_item)
        add = QtWidgets.QPushButton("添加")
        add.setToolTip("在所选列表末尾添加一项")
        add.clicked.connect(self.add_item)
        self.item_error = QtWidgets.QLabel()
        self.item_error.setStyleSheet(ERROR_STYLE)
        self.item_error.setVisible(False)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.new_item, 1)
        row.addWidget(add)
        rbox.addWidget(self.kind)
        rbox.addWidget(self.items, 1)
        rbox.addLayout(row)
        rbox.addWidget(self.item_error)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_items())
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(left, 1)
        layout.addWidget(right, 1)
        self._load()

    def _load(self) -> None:
        values = self.ctx.services.settings.all()
        for key, edit in self.edits.items():
            edit.setText(values.get(key, ""))
        self._show_items()

    def _show_items(self) -> None:
        self.items.clear()
        for item in self.ctx.services.lookups.items(self.kind.currentData(), include_inactive=True):
            self.items.addItem(item.name + ("" if item.active else "（已停用）"))

    def save(self) -> None:
        try:
            self.ctx.services.settings.update({k: e.text().strip() for k, e in self.edits.items()})
        except SilverdeskError as exc:
            show_error(self, exc)
            return
        self.ctx.notify(self, "设置已保存")

    def add_item(self) -> None:
        name = self.new_item.text().strip()
        if not name:
            return
        try:
            self.ctx.services.lookups.add(self.kind.currentData(), name)
        except SilverdeskError as exc:
            self.item_error.setText(exc.message)
            self.item_error.setVisible(True)
            return
        self.item_error.setVisible(False)
        self.new_item.clear()
        self._show_items()
        self.ctx.events.changed.emit("lookup")
