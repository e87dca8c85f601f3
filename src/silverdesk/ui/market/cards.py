"""The cards of the 超市 shelf: one demand or resource each, the same height, its facts one line each.

A card is chosen with a click or Space, acted on with Enter or a double click, and the arrow keys
ask the shelf (:mod:`shelf`) for the next card.
"""

from __future__ import annotations

import datetime as dt

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.services.market.lists import DemandRow, ResourceRow

OPEN_DEMAND = ("待对接", "已对接")
ARROWS = (QtCore.Qt.Key.Key_Left, QtCore.Qt.Key.Key_Right, QtCore.Qt.Key.Key_Up, QtCore.Qt.Key.Key_Down)


def day_text(day: dt.date | None) -> str:
    return day.strftime("%Y-%m-%d") if day else "—"


def demand_overdue(row: DemandRow, today: dt.date) -> bool:
    """Wanted by a day that has passed and still not done."""
    return row.wanted_by is not None and row.wanted_by < today and row.status in OPEN_DEMAND


def resource_expired(row: ResourceRow, today: dt.date) -> bool:
    return row.available_to is not None and row.available_to < today


def _fit(label: QtWidgets.QLabel, text: str, width: int) -> None:
    """One line per fact, so every card of a row has the same height; the full text in the tooltip."""
    shown = label.fontMetrics().elidedText(text, QtCore.Qt.TextElideMode.ElideRight, width)
    label.setText(shown)
    label.setProperty("full_text", text)
    if shown != text:
        label.setToolTip(text)


class Card(QtWidgets.QFrame):
    """One demand or resource on the shelf.  Click or Space selects it, Enter (or a double click) acts.

    Signals:
        chosen(str, int): kind ("demand" | "resource") and id, on selection.
        activated(str, int): the same, when the clerk asks to act on it.
        moved(object, int): an arrow key (Qt.Key) was pressed on this card.
    """

    chosen = QtCore.Signal(str, int)
    activated = QtCore.Signal(str, int)
    moved = QtCore.Signal(object, int)  # the card and the arrow key pressed on it

    def __init__(
        self,
        kind: str,
        row: DemandRow | ResourceRow,
        today: dt.date,
        width: int,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind, self.record_id, self.row = kind, row.id, row
        self.setObjectName("card")
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setFixedWidth(width)
        self.setProperty("selected", False)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(3)
        top = QtWidgets.QHBoxLayout()
        top.setSpacing(4)
        badge = QtWidgets.QLabel("需求" if kind == "demand" else "资源")
        badge.setObjectName("badgeDemand" if kind == "demand" else "badgeResource")
        top.addWidget(badge)
        self.flags: list[str] = []
        if isinstance(row, DemandRow):
            if row.urgency in ("紧急", "较急"):
                self._flag(top, row.urgency, "urgent")
            if demand_overdue(row, today):
                self._flag(top, "逾期", "overdue")
        elif resource_expired(row, today):
            self._flag(top, "已过服务期", "overdue")
        top.addStretch(1)
        status = QtWidgets.QLabel(row.status)
        status.setObjectName("muted")
        top.addWidget(status)
        layout.addLayout(top)
        inner = width - 24  # the margins and the border
        title = QtWidgets.QLabel()
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.08)
        title.setFont(font)
        _fit(title, row.title, inner)
        layout.addWidget(title)
        self.title_label = title
        category = " / ".join(x for x in (row.major, row.category) if x) or "未分类"
        if isinstance(row, DemandRow):
            lines = [
                f"类别：{category}",
                f"需求方：{row.requester or '—'}",
                f"联系人：{' '.join(x for x in (row.contact_name, row.contact_phone) if x) or '—'}",
                f"提出 {day_text(row.raised_on)}"
                + (f"　期望 {day_text(row.wanted_by)}前" if row.wanted_by else ""),
            ]
        else:
            window = row.available_text or (
                f"{day_text(row.available_from)} 至 {day_text(row.available_to)}"
                if row.available_from or row.available_to
                else "长期"
            )
            lines = [
                f"类别：{category}",
                f"提供者：{row.provider or '—'}",
                f"服务区域：{row.area or '不限'}",
                f"服务时间：{window}",
                f"登记 {day_text(row.listed_on)}　在办订单 {row.open_orders}",
            ]
        for text in lines:
            label = QtWidgets.QLabel()
            label.setObjectName("muted")
            _fit(label, text, inner)
            layout.addWidget(label)
        self.setToolTip(
            "单击选中，方向键换卡片；回车或双击：" + ("匹配推荐" if kind == "demand" else "查看可服务的需求")
        )

    def _flag(self, layout: QtWidgets.QHBoxLayout, text: str, name: str) -> None:
        label = QtWidgets.QLabel(text)
        label.setObjectName(name)
        layout.addWidget(label)
        self.flags.append(text)

    def set_selected(self, selected: bool) -> None:
        self.setProperty("selected", selected)
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        self.setFocus(QtCore.Qt.FocusReason.MouseFocusReason)
        self.chosen.emit(self.kind, self.record_id)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QtGui.QMouseEvent) -> None:
        self.activated.emit(self.kind, self.record_id)

    def focusInEvent(self, event: QtGui.QFocusEvent) -> None:
        super().focusInEvent(event)
        self.chosen.emit(self.kind, self.record_id)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            self.activated.emit(self.kind, self.record_id)
            return
        if event.key() == QtCore.Qt.Key.Key_Space:
            self.chosen.emit(self.kind, self.record_id)
            return
        if event.key() in ARROWS:
            self.moved.emit(self, event.key())
            return
        super().keyPressEvent(event)
