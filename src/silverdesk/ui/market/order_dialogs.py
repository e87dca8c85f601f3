"""Dialogs that write orders: a new order (from a suggestion, for a resource, or by hand), one step
of the flow (认领 签约 实施 完成 评价 撤销), taking the last step back, and linking an activity to an order.

Each dialog calls the service itself when confirmed; a refusal (a step no longer allowed, a date
before the previous step, a missing reason) is shown in the dialog, which stays open with what
the clerk typed.
"""

from __future__ import annotations

import datetime as dt

from PySide6 import QtCore, QtWidgets

from silverdesk.errors import SilverdeskError, UserError
from silverdesk.services.activities.log import ActivityFilter
from silverdesk.services.market.match_ranking import Suggestion
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.market.common import ClaimerPicker, OptionalDate, date_edit, date_of
from silverdesk.ui.widgets.record_dialog import message_label

STEP_HINTS = {
    "认领": "由服务队、党组织或个人认领这张订单。",
    "签约": "需求方与认领方达成一致；可同时约定完成日期，过期未完成的订单会标为“逾期”。",
    "实施": "服务已经开始。",
    "完成": "服务已完成；可把相关活动关联到订单，订单的服务时长等由活动汇总。",
    "评价": "需求方对服务的评价：1到5分，并可写几句评语。",
    "撤销": "撤销后订单不再办理，需求回到“待对接”。必须填写撤销原因。",
}


class _ServiceDialog(QtWidgets.QDialog):
    """A small form whose OK button runs :meth:`apply`; errors stay in the dialog."""

    def __init__(self, ctx: UiContext, title: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.form = QtWidgets.QFormLayout()
        self.form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message = message_label()
        self.buttons = QtWidgets.QDialogButtonBox()
        self.ok = self.buttons.addButton("确定", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.buttons.addButton("取消", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.intro = QtWidgets.QLabel()
        self.intro.setWordWrap(True)
        self.intro.setVisible(False)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("汉") * 34)
        self.result_id: int | None = None

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def apply(self) -> None:
        raise NotImplementedError

    def refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        self.adjustSize()

    def submit(self) -> None:
        try:
            self.apply()
        except SilverdeskError as exc:
            self.refuse(exc.message)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()


class NewOrderDialog(_ServiceDialog):
    """发布 an order: for a demand, served by a suggestion or a resource, or by hand with a title."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        demand_id: int | None = None,
        demand_title: str = "",
        suggestion: Suggestion | None = None,
        resource_id: int | None = None,
        resource_title: str = "",
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        title = "生成订单" if suggestion is not None or resource_id is not None else "手工建单"
        super().__init__(ctx, title, parent)
        self.demand_id, self.suggestion, self.resource_id = demand_id, suggestion, resource_id
        today = ctx.services.ctx.today()
        self.title_edit = QtWidgets.QLineEdit(demand_title)
        self.title_edit.setPlaceholderText("如 光明社区老年人健康义诊")
        self.form.addRow("订单名称＊", self.title_edit)
        if demand_id is not None:
            self.form.addRow("需求", QtWidgets.QLabel(demand_title))
        self.claimer: ClaimerPicker | None = None
        if suggestion is not None:
            self.form.addRow("服务方", QtWidgets.QLabel(suggestion.name))
            reason = QtWidgets.QLabel(suggestion.reason)
            reason.setWordWrap(True)
            self.form.addRow("推荐理由", reason)
        elif resource_id is not None:
            self.form.addRow("资源", QtWidgets.QLabel(resource_title))
        else:
            self.claimer = ClaimerPicker(ctx.services)
            self.form.addRow("服务方", self.claimer)
        self.published = date_edit(today, today)
        self.form.addRow("发布日期", self.published)
        self.due = OptionalDate("约定", today + dt.timedelta(days=30))
        self.due.setToolTip("约定完成日期：过了这一天还未完成的订单会标为“逾期”")
        self.form.addRow("完成日期", self.due)
        self.note = QtWidgets.QLineEdit()
        self.note.setPlaceholderText("可不填")
        self.form.addRow("备注", self.note)
        if demand_id is not None:
            self.title_edit.setReadOnly(suggestion is not None or resource_id is not None)
        self.set_intro("订单发布后处于“发布”状态，之后在“订单”页办理认领、签约、实施、完成和评价。")

    def apply(self) -> None:
        orders = self.ctx.services.orders
        if self.claimer is not None and self.claimer.problem():
            raise UserError(self.claimer.problem())
        published, due, note = date_of(self.published), self.due.value(), self.note.text()
        if self.suggestion is not None and self.demand_id is not None:
            self.result_id = orders.create(
                self.demand_id,
                resource_id=self.suggestion.resource_id,
                team_id=self.suggestion.team_id,
                person_id=self.suggestion.person_id,
                party_org_id=self.suggestion.party_org_id,
                due_on=due,
                published_on=published,
                note=note or f"匹配推荐：{self.suggestion.reason}",
            )
            return
        team_id, person_id, org_id = self.claimer.value() if self.claimer is not None else (None, None, None)
        self.result_id = orders.create(
            self.demand_id,
            self.title_edit.text(),
            resource_id=self.resource_id,
            team_id=team_id,
            person_id=person_id,
            party_org_id=org_id,
            due_on=due,
            published_on=published,
            note=note,
        )


class StepDialog(_ServiceDialog):
    """One step of an order's flow, dated, with what that step needs."""

    def __init__(
        self, ctx: UiContext, order_id: int, to_status: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(ctx, f"订单{to_status}", parent)
        self.order_id, self.to_status = order_id, to_status
        order = ctx.services.orders.get(order_id)
        today = ctx.services.ctx.today()
        self.set_intro(
            f"订单 {order['code']}：{order['title']}\n当前状态：{order['status']}　→　{to_status}\n"
            + STEP_HINTS.get(to_status, "")
        )
        self.claimer: ClaimerPicker | None = None
        self.due: OptionalDate | None = None
        self.score: QtWidgets.QSpinBox | None = None
        if to_status == "认领":
            self.claimer = ClaimerPicker(ctx.services, allow_none=False)
            self.claimer.set_value(order["team_id"], order["person_id"], order["party_org_id"])  # type: ignore[arg-type]
            self.form.addRow("认领方＊", self.claimer)
        self.day = date_edit(today, today)
        self.form.addRow(f"{to_status}日期", self.day)
        if to_status == "签约":
            stored = order["due_on"] if isinstance(order["due_on"], dt.date) else None
            suggested = stored if stored is not None and stored >= today else today + dt.timedelta(days=30)
            self.due = OptionalDate("约定", suggested)
            self.due.set_value(suggested if stored is not None else None)
            self.form.addRow("完成日期", self.due)
            if (
                stored is not None and stored < today
            ):  # agreed when published, passed since: a new date is proposed
                passed = QtWidgets.QLabel(
                    f"发布时约定的完成日期 {stored:%Y-%m-%d} 已过，已改为 {suggested:%Y-%m-%d}，可修改"
                )
                passed.setWordWrap(True)
                passed.setStyleSheet("color: #8a5a00;")
                self.form.addRow("", passed)
        if to_status == "评价":
            self.score = QtWidgets.QSpinBox()
            self.score.setRange(1, 5)
            self.score.setValue(5)
            self.score.setSuffix(" 分")
            self.score.setToolTip("1分最低，5分最高")
            self.form.addRow("评分＊", self.score)
        self.note = QtWidgets.QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.fontMetrics().height() * 4 + 12)
        label = {"评价": "评语", "撤销": "撤销原因＊"}.get(to_status, "说明")
        self.note.setPlaceholderText("必须填写，如：需求方已另行安排" if to_status == "撤销" else "可不填")
        self.form.addRow(label, self.note)
        if to_status == "撤销":
            self.ok.setText("撤销订单")

    def apply(self) -> None:
        orders, oid, day, note = (
            self.ctx.services.orders,
            self.order_id,
            date_of(self.day),
            self.note.toPlainText(),
        )
        if self.to_status == "认领":
            assert self.claimer is not None
            if self.claimer.problem():
                raise UserError(self.claimer.problem())
            team_id, person_id, org_id = self.claimer.value()
            orders.claim(oid, day, team_id=team_id, person_id=person_id, party_org_id=org_id, note=note)
        elif self.to_status == "签约":
            orders.sign(oid, day, due_on=self.due.value() if self.due else None, note=note)
        elif self.to_status == "评价":
            assert self.score is not None
            orders.evaluate(oid, self.score.value(), note, day)
        elif self.to_status == "撤销":
            orders.cancel(oid, note, day)
        else:
            orders.advance(oid, self.to_status, day, note)


class WithdrawDialog(_ServiceDialog):
    """撤回上一步: take back a step recorded by mistake (the order returns to the status before it)."""

    def __init__(self, ctx: UiContext, order_id: int, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, "撤回上一步", parent)
        self.order_id = order_id
        order = ctx.services.orders.get(order_id)
        events = ctx.services.orders.events(order_id)
        last = events[-1] if events else None
        back = last.from_status if last is not None and last.from_status else order["status"]
        extra = "评分和评语会一并清除。" if order["status"] == "评价" else ""
        self.back = back
        self.set_intro(
            f"订单 {order['code']}：{order['title']}\n当前状态：{order['status']}　→　撤回到：{back}\n"
            f"这一步的办理记录和日期会被清除{('；' + extra) if extra else '。'}认领方和约定完成日期保持不变，"
            "如需修改请在撤回后重新办理。撤回的内容和原因记入操作日志。"
        )
        self.note = QtWidgets.QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.fontMetrics().height() * 4 + 12)
        self.note.setPlaceholderText("必须填写，如：误点了“完成”")
        self.form.addRow("撤回原因＊", self.note)
        self.ok.setText("撤回")

    def apply(self) -> None:
        self.ctx.services.orders.withdraw_last_step(self.order_id, self.note.toPlainText())


class LinkActivityDialog(_ServiceDialog):
    """Find an activity by its title or team and link it to the order (its figures count for the order)."""

    LIMIT = 200

    def __init__(self, ctx: UiContext, order_id: int, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, "关联活动", parent)
        self.order_id = order_id
        self.set_intro(
            "关联后，活动的场次、参与人次、服务时长和受益人次计入订单。输入活动名称或服务队名称查找："
        )
        self.query = QtWidgets.QLineEdit()
        self.query.setClearButtonEnabled(True)
        self.query.setPlaceholderText("活动名称或服务队名称的一部分，回车查找")
        self.query.returnPressed.connect(self.find)
        self.form.addRow("查找", self.query)
        self.results = QtWidgets.QListWidget()
        self.results.setMinimumHeight(self.fontMetrics().height() * 12)
        self.results.itemDoubleClicked.connect(lambda _i: self.submit())
        self.form.addRow("活动", self.results)
        self.ok.setText("关联")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("汉") * 46)
        self.find()

    def find(self) -> None:
        activities = self.ctx.services.activities
        ids = activities.search_ids(ActivityFilter(query=self.query.text()))[: self.LIMIT]
        self.results.clear()
        for row in activities.rows_by_ids(ids):
            item = QtWidgets.QListWidgetItem(
                f"{row.occurred_on:%Y-%m-%d}　{row.title}　（{row.teams or row.unit}，{row.hours:g}小时）"
            )
            item.setData(QtCore.Qt.ItemDataRole.UserRole, row.id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def apply(self) -> None:
        item = self.results.currentItem()
        if item is None:
            raise UserError("请先查找并选中要关联的活动")
        self.result_id = int(item.data(QtCore.Qt.ItemDataRole.UserRole))
        self.ctx.services.orders.link_activity(self.order_id, self.result_id)
