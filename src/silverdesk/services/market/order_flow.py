"""银龄共治订单, the flow: 发布 → 认领 → 签约 → 实施 → 完成 → 评价, or 撤销 before 完成.

Every step is dated (not before the previous step, not in the future), attributed (an
``order_event`` row with the operator) and audited.  The demand's status follows its orders:

- 已完成 when any of its orders is 完成 or 评价;
- 已对接 when any is 认领, 签约 or 实施 (somebody has taken it on);
- 待对接 otherwise — an order still at 发布 has not been taken, and a 撤销 order gives the demand
  back to the shelf.  A demand the bureau itself has 撤销 is left alone.

:class:`OrderFlow` creates orders and moves them along; the service the app uses,
:class:`silverdesk.services.market.orders.OrderService`, adds reading them and their activities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from silverdesk.db.models import Demand, OrderEvent, PartyOrg, Person, Resource, ServiceOrder, Team
from silverdesk.domain.text import clean, clean_text
from silverdesk.errors import Conflict, NotFound, UserError
from silverdesk.services.base import Context, audit, jsonable
from silverdesk.services.market.match_ranking import Suggestion

NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "发布": ("认领", "撤销"),
    "认领": ("签约", "撤销"),
    "签约": ("实施", "撤销"),
    "实施": ("完成", "撤销"),
    "完成": ("评价",),
    "评价": (),
    "撤销": (),
}
OPEN_STATUSES = ("发布", "认领", "签约", "实施")
DONE_STATUSES = ("完成", "评价")
DATE_COLUMNS = {"认领": "claimed_on", "签约": "signed_on", "完成": "completed_on"}


def allowed_next(status: str) -> tuple[str, ...]:
    return NEXT_STEPS.get(status, ())


def is_overdue(status: str, due_on: dt.date | None, today: dt.date) -> bool:
    """Past its 约定完成日期 and still open (a 撤销 order is never overdue)."""
    return due_on is not None and due_on < today and status in OPEN_STATUSES


class OrderFlow:
    """Creating orders and each step of their flow (with :meth:`withdraw_last_step` to take one back)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # --- creating ----------------------------------------------------------------------------
    def create(
        self,
        demand_id: int | None = None,
        title: str = "",
        *,
        resource_id: int | None = None,
        team_id: int | None = None,
        person_id: int | None = None,
        party_org_id: int | None = None,
        due_on: dt.date | None = None,
        published_on: dt.date | None = None,
        note: str = "",
    ) -> int:
        """A new order at 发布, for a demand (or by hand with a title), optionally already naming who serves.

        A resource brings its provider along (its team, person or party organisation) unless
        another is named.  The code is ``DD<year>-<n>``, numbered per year of publication.
        """
        day = published_on or self.ctx.today()
        self._not_future(day, "发布日期")
        with self.ctx.db.session() as session:
            demand = None
            if demand_id is not None:
                demand = session.get(Demand, demand_id)
                if demand is None:
                    raise NotFound(f"找不到该需求（编号 {demand_id}），可能已被删除")
                if demand.status in ("撤销", "已完成"):
                    raise UserError(
                        f"需求“{demand.title}”{demand.status}，不能再发布订单；如仍需服务，请先登记新的需求"
                    )
            if resource_id is not None:
                res = session.get(Resource, resource_id)
                if res is None:
                    raise NotFound(f"找不到该资源（编号 {resource_id}），可能已被删除")
                if res.status != "可用":
                    raise UserError(f"资源“{res.title}”当前为“{res.status}”，不能用于订单；请选择可用的资源")
                if team_id is None and person_id is None and party_org_id is None:
                    team_id, person_id, party_org_id = res.team_id, res.person_id, res.party_org_id
            self._check_claimer(session, team_id, person_id, party_org_id)
            text = clean(title) or (demand.title if demand else "")
            if not text:
                raise UserError("请填写订单名称，或选择一条需求")
            if due_on is not None and due_on < day:
                raise UserError(f"约定完成日期 {due_on:%Y-%m-%d} 早于发布日期 {day:%Y-%m-%d}，请核对")
            order = ServiceOrder(
                code=self._next_code(session, day.year),
                demand_id=demand_id,
                resource_id=resource_id,
                team_id=team_id,
                person_id=person_id,
                party_org_id=party_org_id,
                title=text[:200],
                status="发布",
                published_on=day,
                due_on=due_on,
                evaluation="",
            )
            session.add(order)
            try:
                session.flush()
            except IntegrityError as exc:  # another window took the same number a moment ago
                raise Conflict("订单编号已被占用（可能有人同时新建了订单），请再保存一次") from exc
            session.add(
                OrderEvent(
                    order_id=order.id,
                    from_status=None,
                    to_status="发布",
                    happened_on=day,
                    operator=self.ctx.operator,
                    note=clean_text(note),
                )
            )
            audit(
                session,
                self.ctx,
                "新增",
                "service_order",
                order.id,
                f"发布订单{order.code}：{order.title}",
                {
                    "status": [None, "发布"],
                    "demand_id": [None, demand_id],
                    "resource_id": [None, resource_id],
                    "team_id": [None, team_id],
                    "person_id": [None, person_id],
                },
            )
            if demand_id is not None:
                self._sync_demand(session, demand_id)
            return order.id

    def create_from_suggestion(
        self, demand_id: int, suggestion: Suggestion, *, due_on: dt.date | None = None, note: str = ""
    ) -> int:
        """An order for a demand, to be served by a candidate that matching suggested."""
        return self.create(
            demand_id,
            resource_id=suggestion.resource_id,
            team_id=suggestion.team_id,
            person_id=suggestion.person_id,
            party_org_id=suggestion.party_org_id,
            due_on=due_on,
            note=note or f"匹配推荐：{suggestion.reason}",
        )

    # --- the flow ----------------------------------------------------------------------------
    def claim(
        self,
        order_id: int,
        on: dt.date | None = None,
        *,
        team_id: int | None = None,
        person_id: int | None = None,
        party_org_id: int | None = None,
        note: str = "",
    ) -> None:
        """认领: a team, party organisation or person takes the order on."""
        with self.ctx.db.session() as session:
            order = self._load(session, order_id)
            if team_id is not None or person_id is not None or party_org_id is not None:
                self._check_claimer(session, team_id, person_id, party_org_id)
                order.team_id, order.person_id, order.party_org_id = team_id, person_id, party_org_id
            if order.team_id is None and order.person_id is None and order.party_org_id is None:
                raise UserError(f"订单{order.code}还没有认领方：请选择认领的服务队、党组织或个人")
            self._step(session, order, "认领", on, note)

    def sign(
        self, order_id: int, on: dt.date | None = None, *, due_on: dt.date | None = None, note: str = ""
    ) -> None:
        """签约: the requester and the claimer agree; the agreed 完成日期 may be set here."""
        with self.ctx.db.session() as session:
            order = self._load(session, order_id)
            day = on or self.ctx.today()
            if due_on is not None:
                if due_on < day:
                    raise UserError(f"约定完成日期 {due_on:%Y-%m-%d} 早于签约日期 {day:%Y-%m-%d}，请核对")
                order.due_on = due_on
            self._step(session, order, "签约", on, note)

    def start(self, order_id: int, on: dt.date | None = None, note: str = "") -> None:
        """实施: the service has begun."""
        with self.ctx.db.session() as session:
            self._step(session, self._load(session, order_id), "实施", on, note)

    def complete(self, order_id: int, on: dt.date | None = None, note: str = "") -> None:
        with self.ctx.db.session() as session:
            self._step(session, self._load(session, order_id), "完成", on, note)

    def evaluate(self, order_id: int, score: int, evaluation: str = "", on: dt.date | None = None) -> None:
        """评价: the requester's score (1–5 stars) and words."""
        if not isinstance(score, int) or not 1 <= score <= 5:
            raise UserError("评价分数应为1到5分的整数，请重新选择")
        with self.ctx.db.session() as session:
            order = self._load(session, order_id)
            self._step(session, order, "评价", on, evaluation, extra={"score": score})
            order.score, order.evaluation = score, clean_text(evaluation)

    def cancel(self, order_id: int, reason: str, on: dt.date | None = None) -> None:
        """撤销 (any step before 完成); the demand goes back to 待对接 unless another order serves it."""
        if not clean_text(reason):
            raise UserError("请填写撤销原因")
        with self.ctx.db.session() as session:
            self._step(session, self._load(session, order_id), "撤销", on, reason)

    def withdraw_last_step(self, order_id: int, reason: str) -> str:
        """撤回上一步: a step recorded by mistake is taken back; the order returns to the status before it.

        The step's record leaves the order's history and its date is cleared (a 评价 also loses its
        score and words); the demand's status follows.  The claimer and the agreed 完成日期 stay
        as they are now — change them on the order if the step had changed them.  The audit log
        keeps what was withdrawn, by whom and why.  Returns the status the order is back at.
        """
        if not clean_text(reason):
            raise UserError("请填写撤回原因")
        with self.ctx.db.session() as session:
            order = self._load(session, order_id)
            last = order.events[-1] if order.events else None
            if last is None or last.from_status is None:
                raise UserError(f"订单{order.code}还在“发布”状态，没有可以撤回的步骤")
            if last.to_status != order.status:
                raise Conflict(f"订单{order.code}的状态与其流程记录不一致，不能撤回；请检查订单的流程记录")
            step, back = order.status, last.from_status
            changes: dict[str, object] = {"status": [step, back]}
            column = DATE_COLUMNS.get(step)
            if column:
                changes[column] = [jsonable(getattr(order, column)), None]
                setattr(order, column, None)
            if step == "评价":
                changes.update({"score": [order.score, None], "evaluation": [order.evaluation, ""]})
                order.score, order.evaluation = None, ""
            changes["withdrawn_step"] = {"on": jsonable(last.happened_on), "operator": last.operator,
                                         "note": last.note}  # fmt: skip
            order.status = back
            order.events.remove(last)
            session.flush()
            audit(
                session,
                self.ctx,
                "撤回",
                "service_order",
                order.id,
                f"订单{order.code}：撤回“{step}”，回到“{back}”（{clean_text(reason)}）",
                changes,
            )
            if order.demand_id is not None:
                self._sync_demand(session, order.demand_id)
            return back

    def advance(self, order_id: int, to_status: str, on: dt.date | None = None, note: str = "") -> None:
        """Move to ``to_status`` (one of the next steps) with nothing but a date and a note."""
        actions: dict[str, Callable[..., None]] = {
            "认领": self.claim,
            "签约": self.sign,
            "实施": self.start,
            "完成": self.complete,
        }
        if to_status == "撤销":
            self.cancel(order_id, note, on)
        elif to_status in actions:
            actions[to_status](order_id, on, note=note)
        else:
            with self.ctx.db.session() as session:  # 评价 needs a score; others are unknown: explain
                self._refuse(self._load(session, order_id), to_status)

    # --- internals -----------------------------------------------------------------------------
    def _load(self, session: Session, order_id: int) -> ServiceOrder:
        order = session.get(ServiceOrder, order_id)
        if order is None:
            raise NotFound(f"找不到该订单（编号 {order_id}），可能已被删除")
        return order

    def _refuse(self, order: ServiceOrder, to_status: str) -> None:
        allowed = allowed_next(order.status)
        if not allowed:
            ended = "已评价" if order.status == "评价" else f"已{order.status}"
            raise UserError(
                f"订单{order.code}{ended}，流程已结束，不能再改为“{to_status}”", code="order_step"
            )
        if to_status == "撤销" and order.status in DONE_STATUSES:
            raise UserError(
                f"订单{order.code}已完成，不能撤销；下一步只能是：{'、'.join(allowed)}", code="order_step"
            )
        if to_status == "评价" and order.status == "完成":
            raise UserError(f"订单{order.code}的评价需要填写1到5分的评分", code="order_step")
        raise UserError(
            f"订单{order.code}当前为“{order.status}”，不能直接改为“{to_status}”；"
            f"下一步只能是：{'、'.join(allowed)}",
            code="order_step",
        )

    def _step(
        self,
        session: Session,
        order: ServiceOrder,
        to_status: str,
        on: dt.date | None,
        note: str,
        extra: dict[str, object] | None = None,
    ) -> None:
        if to_status not in allowed_next(order.status):
            self._refuse(order, to_status)
        day = on or self.ctx.today()
        self._not_future(day, f"{to_status}日期")
        last = max((e.happened_on for e in order.events), default=order.published_on)
        if day < last:
            raise UserError(f"{to_status}日期 {day:%Y-%m-%d} 早于订单上一步的日期 {last:%Y-%m-%d}，请核对")
        before = order.status
        order.status = to_status
        changes: dict[str, object] = {"status": [before, to_status]}
        column = DATE_COLUMNS.get(to_status)
        if column:
            setattr(order, column, day)
            changes[column] = [None, jsonable(day)]
        changes.update({k: [None, v] for k, v in (extra or {}).items()})
        order.events.append(
            OrderEvent(
                from_status=before,
                to_status=to_status,
                happened_on=day,
                operator=self.ctx.operator,
                note=clean_text(note),
            )
        )
        session.flush()
        audit(
            session,
            self.ctx,
            "状态变更",
            "service_order",
            order.id,
            f"订单{order.code}：{before} → {to_status}{('（' + clean_text(note) + '）') if clean_text(note) else ''}",
            changes,
        )
        if order.demand_id is not None:
            self._sync_demand(session, order.demand_id)

    def _sync_demand(self, session: Session, demand_id: int) -> None:
        demand = session.get(Demand, demand_id)
        if demand is None or demand.status == "撤销":
            return
        session.flush()
        statuses = set(
            session.scalars(select(ServiceOrder.status).where(ServiceOrder.demand_id == demand_id))
        )
        if statuses & set(DONE_STATUSES):
            new = "已完成"
        elif statuses & {"认领", "签约", "实施"}:
            new = "已对接"
        else:
            new = "待对接"
        if new != demand.status:
            old, demand.status = demand.status, new
            audit(
                session,
                self.ctx,
                "状态变更",
                "demand",
                demand_id,
                f"需求“{demand.title}”：{old} → {new}（随订单）",
                {"status": [old, new]},
            )

    def _check_claimer(
        self, session: Session, team_id: int | None, person_id: int | None, party_org_id: int | None
    ) -> None:
        if team_id is not None:
            team = session.get(Team, team_id)
            if team is None:
                raise NotFound("所选服务队不存在，请重新选择")
            if team.status != "活跃":
                raise UserError(f"服务队“{team.name}”当前为“{team.status}”，不能认领订单；请选择活跃的服务队")
        if person_id is not None:
            person = session.get(Person, person_id)
            if person is None:
                raise NotFound("所选人员不在花名册中，请重新选择")
            if person.status != "在册":
                raise UserError(f"“{person.name}”已{person.status}，不能认领订单")
        if party_org_id is not None and session.get(PartyOrg, party_org_id) is None:
            raise NotFound("所选党组织不存在，请重新选择")

    def _next_code(self, session: Session, year: int) -> str:
        prefix = f"DD{year}-"
        codes = session.scalars(select(ServiceOrder.code).where(ServiceOrder.code.like(prefix + "%")))
        numbers = [int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1:04d}"

    def _not_future(self, day: dt.date, label: str) -> None:
        if day > self.ctx.today():
            raise UserError(f"{label} {day:%Y-%m-%d} 在未来，请核对")
