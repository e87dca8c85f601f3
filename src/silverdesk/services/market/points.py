"""积分存折: points earned from volunteer hours, redeemed and adjusted, and each person's statement.

Points are earned at the ``points_per_hour`` setting for the hours counted in
:mod:`silverdesk.services.market.hours`, once per (person, activity); a balance never goes below zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import Person, PointsEntry, Setting
from silverdesk.domain.text import clean_text
from silverdesk.errors import NotFound, UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.base import Context, audit
from silverdesk.services.market.hours import participant_hours


@dataclass(frozen=True)
class PointsLine:
    day: dt.date
    kind: str
    points: float
    balance: float
    reason: str


@dataclass(frozen=True)
class PointsStatement:
    person_id: int
    name: str
    start: dt.date | None
    end: dt.date | None
    opening: float
    lines: tuple[PointsLine, ...]
    closing: float


@dataclass(frozen=True)
class AwardStatus:
    """What :meth:`PointsService.award` would do for a period: lines to add, lines already credited."""

    pending: int
    pending_hours: float
    pending_points: float
    done: int
    rate: float


class PointsService:
    """积分存折: earned from service hours at the ``points_per_hour`` setting, redeemed, adjusted."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def rate(self) -> float:
        with self.ctx.db.reader() as session:
            return self._rate(session)

    def award(
        self, start: dt.date, end: dt.date, *, progress: Progress = null_progress, cancel: CancelToken = NEVER
    ) -> int:
        """Credit the hours of the period's activities; a (person, activity) already credited is skipped.

        Run after activities are entered or imported; running it twice credits nothing twice.
        Returns the number of ledger lines added.  ``cancel`` is checked while the lines are made
        and once more before the end: a cancel credits nothing.
        """
        with self.ctx.db.session() as session:
            rate = self._rate(session)
            done = self._credited(session)
            rows = []
            progress(0, 0, f"正在统计{start:%Y-%m-%d}至{end:%Y-%m-%d}的服务时长")
            hours = participant_hours(session, start, end)
            for n, p in enumerate(hours):
                if n % 500 == 0:
                    cancel.raise_if_set()
                    progress(n, len(hours), f"正在计算积分（{n}/{len(hours)}）")
                if (p.person_id, p.activity_id) in done or p.hours <= 0:
                    continue
                rows.append(
                    PointsEntry(
                        person_id=p.person_id,
                        entry_date=p.day,
                        points=round(p.hours * rate, 2),
                        kind="获得",
                        reason=f"志愿服务{p.hours:g}小时：{p.title}"[:300],
                        activity_id=p.activity_id,
                        operator=self.ctx.operator,
                    )
                )
            session.add_all(rows)
            if rows:
                audit(
                    session,
                    self.ctx,
                    "计算",
                    "points_entry",
                    None,
                    f"按服务时长计入积分：{start:%Y-%m-%d}至{end:%Y-%m-%d}，{len(rows)}条（每小时{rate:g}分）",
                )
            session.flush()
            cancel.raise_if_set()  # the last safe point: nothing is committed yet
            return len(rows)

    def award_status(self, start: dt.date, end: dt.date) -> AwardStatus:
        """Before awarding: how many (person, activity) lines of the period are still to be credited."""
        with self.ctx.db.reader() as session:
            rate = self._rate(session)
            done = self._credited(session)
            pending, hours, points, credited = 0, 0.0, 0.0, 0
            for p in participant_hours(session, start, end):
                if p.hours <= 0:
                    continue
                if (p.person_id, p.activity_id) in done:
                    credited += 1
                else:
                    pending += 1
                    hours += p.hours
                    points += round(p.hours * rate, 2)  # as award() rounds each line
        return AwardStatus(pending, round(hours, 2), round(points, 2), credited, rate)

    @staticmethod
    def _credited(session: Session) -> set[tuple[int, int]]:
        return {
            (pid, aid)
            for pid, aid in session.execute(
                select(PointsEntry.person_id, PointsEntry.activity_id).where(
                    PointsEntry.kind == "获得", PointsEntry.activity_id.is_not(None)
                )
            )
            if aid is not None  # as the query says: for the type checker
        }

    def redeem(self, person_id: int, points: float, reason: str, on: dt.date | None = None) -> int:
        """兑换: refused when the balance is not enough."""
        if points <= 0:
            raise UserError("兑换积分应大于0")
        if not clean_text(reason):
            raise UserError("请填写兑换内容（如：兑换日用品一份）")
        with self.ctx.db.session() as session:
            name = self._person(session, person_id)
            balance = self._balance(session, person_id)
            if round(balance, 2) < round(points, 2):
                raise UserError(
                    f"积分不足：{name}现有积分{balance:g}分，本次兑换需要{points:g}分，不能兑换",
                    code="points_insufficient",
                )
            return self._add(session, person_id, -points, "兑换", reason, on, name)

    def adjust(self, person_id: int, points: float, reason: str, on: dt.date | None = None) -> int:
        """调整: a correction either way, with a reason; the balance may not go below zero."""
        if points == 0:
            raise UserError("调整积分不能为0")
        if not clean_text(reason):
            raise UserError("请填写调整原因")
        with self.ctx.db.session() as session:
            name = self._person(session, person_id)
            balance = self._balance(session, person_id)
            if round(balance + points, 2) < 0:
                raise UserError(f"调整后{name}的积分将为负数（现有{balance:g}分），请核对调整数额")
            return self._add(session, person_id, points, "调整", reason, on, name)

    def balance(self, person_id: int) -> float:
        with self.ctx.db.reader() as session:
            self._person(session, person_id)
            return self._balance(session, person_id)

    def statement(
        self, person_id: int, start: dt.date | None = None, end: dt.date | None = None
    ) -> PointsStatement:
        """The 存折: the balance before ``start``, each line with its running balance, the balance at ``end``."""
        with self.ctx.db.reader() as session:
            name = self._person(session, person_id)
            opening = 0.0
            if start is not None:
                opening = float(
                    session.scalar(
                        select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
                            PointsEntry.person_id == person_id, PointsEntry.entry_date < start
                        )
                    )
                    or 0
                )
            stmt = select(PointsEntry).where(PointsEntry.person_id == person_id)
            if start is not None:
                stmt = stmt.where(PointsEntry.entry_date >= start)
            if end is not None:
                stmt = stmt.where(PointsEntry.entry_date <= end)
            running, lines = opening, []
            for e in session.scalars(stmt.order_by(PointsEntry.entry_date, PointsEntry.id)):
                running = round(running + e.points, 2)
                lines.append(PointsLine(e.entry_date, e.kind, e.points, running, e.reason))
        return PointsStatement(person_id, name, start, end, round(opening, 2), tuple(lines), running)

    def _add(
        self,
        session: Session,
        person_id: int,
        points: float,
        kind: str,
        reason: str,
        on: dt.date | None,
        name: str,
    ) -> int:
        entry = PointsEntry(
            person_id=person_id,
            entry_date=on or self.ctx.today(),
            points=round(points, 2),
            kind=kind,
            reason=clean_text(reason)[:300],
            operator=self.ctx.operator,
        )
        session.add(entry)
        session.flush()
        audit(
            session,
            self.ctx,
            kind,
            "points_entry",
            entry.id,
            f"{name}积分{kind}{points:+g}分：{clean_text(reason)}",
            {"points": [None, points]},
        )
        return entry.id

    @staticmethod
    def _balance(session: Session, person_id: int) -> float:
        return round(
            float(
                session.scalar(
                    select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
                        PointsEntry.person_id == person_id
                    )
                )
                or 0
            ),
            2,
        )

    @staticmethod
    def _person(session: Session, person_id: int) -> str:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(f"找不到该人员（编号 {person_id}）")
        return person.name

    @staticmethod
    def _rate(session: Session) -> float:
        text = session.scalar(select(Setting.value).where(Setting.key == "points_per_hour"))
        try:
            rate = float(text) if text not in (None, "") else 1.0
        except ValueError:
            raise UserError(f"设置中的“每小时积分”为“{text}”，不是数字；请在设置中改正") from None
        if rate < 0:
            raise UserError("设置中的“每小时积分”不能为负数；请在设置中改正")
        return rate
