"""The small dialogs of 设置 › 单位: a new unit under the selected one, and a unit picked to move under or
merge into."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6 import QtCore, QtWidgets

from silverdesk.services.org.units import UnitNode, kind_by_name
from silverdesk.ui.widgets.form import FieldForm
from silverdesk.ui.widgets.pickers import ChoiceCombo, UnitCombo


class NewUnitDialog(QtWidgets.QDialog):
    """新增下级单位: name, kind (those the parent's level allows, guessed from the name's ending), code."""

    def __init__(
        self, parent_name: str, kinds: Sequence[str], parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("新增下级单位")
        self.kinds = tuple(kinds)
        self.form = FieldForm()
        under = QtWidgets.QLabel(parent_name)
        self.form.add("parent", "上级单位", under)
        self.name = QtWidgets.QLineEdit()
        self.name.setPlaceholderText("如 龙山镇、光明社区")
        self.form.add("name", "单位名称", self.name, required=True)
        self.kind = ChoiceCombo(self.kinds, blank=None)
        self.form.add("kind", "单位类型", self.kind, tip="按名称的结尾自动选择，可改")
        self.code = QtWidgets.QLineEdit()
        self.form.add("code", "区划代码", self.code, tip="可不填")
        self.name.textEdited.connect(self._guess_kind)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QtWidgets.QVBoxLayout(self)
        box.addWidget(self.form)
        box.addWidget(buttons)
        self.setMinimumWidth(420)

    def _guess_kind(self, text: str) -> None:
        kind = kind_by_name(text)
        if kind in self.kinds:
            self.kind.set_value(kind)

    def values(self) -> tuple[str, str, str]:
        """(name, kind, code) as typed."""
        return self.name.text().strip(), self.kind.value() or "", self.code.text().strip()


class PickUnitDialog(QtWidgets.QDialog):
    """A unit picked from those offered (移动到… / 合并到…), with a sentence saying what happens."""

    def __init__(
        self, title: str, text: str, nodes: Sequence[UnitNode], parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        label = QtWidgets.QLabel(text)
        label.setWordWrap(True)
        self.unit = UnitCombo(blank="（请选择）")
        self.unit.set_units(nodes)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QtWidgets.QVBoxLayout(self)
        box.addWidget(label)
        box.addWidget(self.unit)
        box.addWidget(buttons)
        self.setMinimumWidth(440)
        QtCore.QTimer.singleShot(0, self.unit.setFocus)

    def value(self) -> int | None:
        return self.unit.value()
