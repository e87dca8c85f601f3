"""积分存折: points earned from service hours at the rate in 设置, redeemed and adjusted.

Points are awarded for a period (a line already credited is never credited twice); one person's
balance and statement, with 兑换 and 调整.  Every dialog opens through :func:`market_common.run_dialog`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.errors import SilverdeskError
from silverdesk.progress import CancelToken, Progress
from silverdesk.services.market.points import AwardStatus
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.market import common as market_common
from silverdesk.ui.market.common import FormDialog, date_edit, date_of
from silverdesk.ui.models.columns import Column
from silverdesk.ui.models.record_table import RecordTableModel
from silverdesk.ui.widgets.data_table import DataTable
from silverdesk.ui.widgets.person_search import PersonSearch

if TYPE_CHECKING:  # the print preview (QtPdf) loads when something is printed
    from silverdesk.ui.widgets.print_preview import PrintSource

STATEMENT_COLUMNS = (
    Column("day", "日期", 6),
    Column("kind", "类别", 3),
    Column("points", "积分", 4, numeric=True, fmt=lambda v: f"{v:+g}" if isinstance(v, float | int) else ""),
    Column("balance", "余额", 4, numeric=True),
    Column("reason", "摘要", 30),
)


class AwardDialog(FormDialog):
    """按服务时长发放积分: a period; says what is still to be credited (nothing is credited twice)."""

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("按服务时长发放积分", parent)
        self.ctx = ctx
        today = ctx.services.ctx.today()
        self.start = date_edit(dt.date(today.year, 1, 1), today)
        self.end = date_edit(today, today)
        period = QtWidgets.QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QtWidgets.QLabel("至"))
        period.addWidget(self.end)
        period.addStretch(1)
        self.form.addRow("活动日期", period)
        self.status_label = QtWidgets.QLabel()
        self.status_label.setWordWrap(True)
        self.form.addRow("", self.status_label)
        note = QtWidgets.QLabel(
            "按每人每次活动的服务时长计入积分；已计入的活动不会重复计入，可放心多次发放"
            "（如补录活动后再发放一次）。"
        )
        note.setWordWrap(True)
        self.form.addRow(note)
        self.status: AwardStatus | None = None
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.refresh)
        self.start.dateChanged.connect(lambda _d: self._timer.start())
        self.end.dateChanged.connect(lambda _d: self._timer.start())
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("发放")
        self.refresh()
        self.fit(36)

    def period(self) -> tuple[dt.date, dt.date]:
        return date_of(self.start), date_of(self.end)

    def set_period(self, start: dt.date, end: dt.date) -> None:
        self.start.setDate(QtCore.QDate(start.year, start.month, start.day))
        self.end.setDate(QtCore.QDate(end.year, end.month, end.day))
        self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        start, end = self.period()
        self.message.setVisible(False)
        if end < start:
            self.status = None
            self.status_label.setText("截止日期早于起始日期，请核对")
            return
        try:
            self.status = s = self.ctx.services.points.award_status(start, end)
        except SilverdeskError as exc:
            self.status = None
            self.status_label.setText(exc.message)
            return
        if s.pending:
            text = f"将为 {s.pending} 人次计入积分：服务 {s.pending_hours:g} 小时 × 每小时 {s.rate:g} 分 = {s.pending_points:g} 分。"
        else:
            text = "该时段没有尚未计入的服务时长。"
        if s.done:
            text += f"另有 {s.done} 人次此前已计入，不会重复计入。"
        self.status_label.setText(text)

    def submit(self) -> None:
        if self._timer.isActive():
            self.refresh()
        start, end = self.period()
        if end < start:
            self.refuse("截止日期早于起始日期，请核对")
            return
        if self.status is not None and not self.status.pending:
            self.refuse("该时段的服务时长都已计入积分（或没有活动），不需要再发放；补录活动后可再发放。")
            return
        self.accept()


class PointsDialog(FormDialog):
    """兑换 (points > 0, refused beyond the balance) or 调整 (either way, with a reason)."""

    def __init__(
        self, ctx: UiContext, kind: str, person_id: int, name: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(f"积分{kind}：{name}", parent)
        self.ctx, self.kind, self.person_id = ctx, kind, person_id
        balance = ctx.services.points.balance(person_id)
        self.points = QtWidgets.QDoubleSpinBox()
        self.points.setDecimals(1)
        self.points.setRange(0 if kind == "兑换" else -100000, 100000)
        self.points.setSuffix(" 分")
        self.reason = QtWidgets.QLineEdit()
        self.reason.setPlaceholderText(
            "如：兑换日用品一份" if kind == "兑换" else "如：补录2026年3月义诊活动"
        )
        today = ctx.services.ctx.today()
        self.day = date_edit(today, today)
        self.form.addRow("人员", QtWidgets.QLabel(f"{name}　现有积分 {balance:g} 分"))
        self.form.addRow("兑换积分＊" if kind == "兑换" else "调整积分＊（减少填负数）", self.points)
        self.form.addRow("兑换内容＊" if kind == "兑换" else "调整原因＊", self.reason)
        self.form.addRow("日期", self.day)
        self.fit(32)
        self.points.setFocus()
        self.points.selectAll()

    def submit(self) -> None:
        points, reason, day = self.points.value(), self.reason.text(), date_of(self.day)
        service = self.ctx.services.points
        call = service.redeem if self.kind == "兑换" else service.adjust
        if self._attempt(lambda: call(self.person_id, points, reason, day)):
            self.ctx.events.changed.emit("points")


def _earned_and_redeemed(rows: list[dict[str, Any]]) -> str:
    earned = sum(r["points"] for r in rows if r["points"] > 0)
    redeemed = -sum(r["points"] for r in rows if r["kind"] == "兑换")
    return f"获得 {earned:g} 分，兑换 {redeemed:g} 分"


class PointsPanel(QtWidgets.QWidget):
    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id: int | None = None
        self.person_name = ""
        self.rate_label = QtWidgets.QLabel()
        self.award_button = QtWidgets.QPushButton("按服务时长发放积分(&A)…")
        self.award_button.setToolTip("把一段时间内活动的服务时长按每小时积分计入各人的积分存折")
        self.award_button.clicked.connect(self.award)
        self.award_label = QtWidgets.QLabel()
        self.award_label.setWordWrap(True)
        self.award_label.setVisible(False)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.rate_label)
        top.addStretch(1)
        top.addWidget(self.award_button)

        self.search = PersonSearch(ctx.services.people)
        self.search.personChosen.connect(self.choose_person)
        find = QtWidgets.QLabel("查看存折(&P)")
        find.setBuddy(self.search)
        self.person_label = QtWidgets.QLabel("输入姓名并从提示中选择一人，查看其积分存折")
        font = self.person_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.person_label.setFont(font)
        pick = QtWidgets.QHBoxLayout()
        pick.addWidget(find)
        pick.addWidget(self.search, 1)
        pick.addWidget(self.person_label, 2)

        self.model = RecordTableModel(STATEMENT_COLUMNS, self)
        self.table = DataTable("points_statement", ctx.state)
        self.table.setModel(self.model)
        self.table.copied.connect(lambda n: ctx.notify(self, f"已复制 {n} 行，可直接粘贴到 Excel 或 WPS"))
        self.redeem_button = QtWidgets.QPushButton("兑换…")
        self.redeem_button.clicked.connect(lambda: self.change("兑换"))
        self.adjust_button = QtWidgets.QPushButton("调整…")
        self.adjust_button.setToolTip("更正积分（增加或减少），须填写原因")
        self.adjust_button.clicked.connect(lambda: self.change("调整"))
        self.balance_label = QtWidgets.QLabel()
        bottom = QtWidgets.QHBoxLayout()
        bottom.addWidget(self.balance_label)
        bottom.addStretch(1)
        bottom.addWidget(self.redeem_button)
        bottom.addWidget(self.adjust_button)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.award_label)
        layout.addLayout(pick)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._buttons()

    def _buttons(self) -> None:
        for button in (self.redeem_button, self.adjust_button):
            button.setEnabled(self.person_id is not None)

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        self._rate()  # 设置 may have changed it

    def reload(self) -> None:
        self._rate()
        self.reload_statement()

    def _rate(self) -> None:
        try:
            rate = self.ctx.services.points.rate()
            self.rate_label.setText(f"积分标准：每服务 1 小时计 {rate:g} 分（在“设置”中修改）")
        except SilverdeskError as exc:
            self.rate_label.setText(exc.message)

    def choose_person(self, person_id: int, name: str) -> None:
        self.person_id, self.person_name = person_id, name
        self.reload_statement()
        self._buttons()

    def reload_statement(self) -> None:
        if self.person_id is None:
            self.model.set_rows([])
            self.balance_label.clear()
            return
        statement = self.ctx.services.points.statement(self.person_id)
        rows = [
            {
                "id": i,
                "day": line.day,
                "kind": line.kind,
                "points": line.points,
                "balance": line.balance,
                "reason": line.reason,
            }
            for i, line in enumerate(statement.lines)
        ]
        self.model.set_rows(rows)
        if rows:
            self.table.scrollToBottom()
        self.person_label.setText(f"{statement.name}　积分余额 {statement.closing:g} 分")
        self.balance_label.setText(
            f"共 {len(rows)} 笔；{_earned_and_redeemed(rows)}"
            if rows
            else "尚无积分记录：发放积分后即可在此查看"
        )

    def balance(self) -> float | None:
        return self.ctx.services.points.balance(self.person_id) if self.person_id is not None else None

    def print_source(self) -> PrintSource | None:
        """Ctrl+P: the chosen person's 积分存折, every entry with its running balance."""
        from silverdesk.ui.widgets.print_preview import PrintSource

        if self.person_id is None:
            self.ctx.notify(self, "请先输入姓名并从提示中选择一人，再打印其积分存折")
            self.search.setFocus()
            return None
        statement = self.ctx.services.points.statement(self.person_id)
        rows = self.model.rows()
        today = self.ctx.services.ctx.today()
        return PrintSource(
            f"积分存折　{statement.name}",
            f"截至 {today:%Y-%m-%d} 积分余额 {statement.closing:g} 分；{_earned_and_redeemed(rows)}",
            self.table.visible_columns(),
            len(rows),
            lambda: rows,
        )

    def award(self) -> None:
        dialog = AwardDialog(self.ctx, self)
        if not market_common.run_dialog(dialog):
            return
        start, end = dialog.period()
        points = self.ctx.services.points

        def work(progress: Progress, cancel: CancelToken) -> int:
            return points.award(start, end, progress=progress, cancel=cancel)

        def say(text: str) -> None:
            self.award_button.setEnabled(True)
            self.award_label.setText(text)
            self.award_label.setVisible(True)

        def done(count: int) -> None:
            if count:
                text = f"已发放积分：{start:%Y-%m-%d}至{end:%Y-%m-%d}，计入 {count} 人次。"
            else:
                text = f"{start:%Y-%m-%d}至{end:%Y-%m-%d}的服务时长此前都已计入积分，本次没有新增。"
            say(text)
            self.ctx.notify(self, text)
            self.reload_statement()
            if count:
                self.ctx.events.changed.emit("points")

        def failed(exc: BaseException) -> None:
            self.award_button.setEnabled(True)
            show_error(self, exc)

        self.award_button.setEnabled(False)
        self.ctx.runner.run(
            work,
            done,
            on_error=failed,
            on_cancelled=lambda: say("已取消发放积分，积分存折保持原样。"),
            title="正在发放积分",
            parent=self,
        )

    def change(self, kind: str) -> None:
        if self.person_id is None:
            self.ctx.notify(self, "请先输入姓名并从提示中选择一人")
            self.search.setFocus()
            return
        if market_common.run_dialog(PointsDialog(self.ctx, kind, self.person_id, self.person_name, self)):
            self.reload_statement()
            self.ctx.notify(self, f"已{kind}：{self.person_label.text()}")
