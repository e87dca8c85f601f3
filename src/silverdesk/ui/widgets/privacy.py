"""The one switch a clerk has over masking in files that leave the office (issue #7).

Exports and printouts mask ID numbers, phones and addresses by default; ticking “不隐藏身份证号/电话”
writes them in full, for copies kept inside the office.  Every screen that writes such a file uses
this box, so the wording and the default are the same everywhere.
"""

from __future__ import annotations

from PySide6 import QtWidgets

from silverdesk.domain.privacy import MaskPolicy


class UnmaskBox(QtWidgets.QCheckBox):
    def __init__(self, text: str = "不隐藏身份证号/电话", parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setToolTip("导出的表格默认隐藏身份证号、电话的中间几位和住址的门牌号；仅供内部留存时才勾选")

    def policy(self) -> MaskPolicy:
        return MaskPolicy.off() if self.isChecked() else MaskPolicy()
