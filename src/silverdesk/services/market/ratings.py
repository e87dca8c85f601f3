"""星级 (star ratings by editable rules), 积分存折 (points ledger) and the data of certificates.

**Volunteer hours** (used by stars, points and the 志愿服务证明): a named participant's own
``activity_participant.hours`` when recorded.  Otherwise the activity's 服务时长 (person-hours)
left after the recorded ones is shared evenly — among the participants still without hours,
counted as the larger of the named ones and the activity's 参与人次 minus those with hours.
Sharing by head count rather than by named people only matters when fewer people are named
than took part: 30 people serving 60 hours with 5 named gives each of the 5 two hours (what each
did), not twelve (which would hand the unnamed 25's hours to the named).

**Team figures**: a team is credited with the full 服务时长 and one activity for every activity it
is linked to (``activity_team``); a joint activity counts fully for each team, as each was there.

**Star rules** (``star_rule``): a level is reached when the year's hours, activity count and mean
order score (when any linked order was scored; no score does not block) all meet the level's
minimum; the highest level reached counts.  A year is rated with the rules in force on its 31
December (for a level whose rules all ended earlier in the year: the last one that applied).
Editing a rule closes the old one the day before the new one starts, so past years keep being
recomputed with the rules of their time.  A ``manual`` rating is never overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from silverdesk.atomic import atomic_target
from silverdesk.db.models import (
    Activity,
    ActivityParticipant,
    ActivityTeam,
    Person,
    PointsEntry,
    ServiceOrder,
    Setting,
    StarRating,
    StarRule,
    Team,
    Unit,
)
from silverdesk.domain.certificates import (
    HonourCertificate,
    ServiceCertificate,
    ServiceRecordLine,
    mask_id_number,
)
from silverdesk.domain.pinyin import collation_key
from silverdesk.domain.text import clean, clean_text
from silverdesk.errors import NotFound, UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.base import Context, audit, jsonable

SUBJECTS = {"volunteer": "志愿者", "team": "服务队"}
STAR_WORDS = ("", "一星级", "二星级", "三星级", "四星级", "五星级")


# --- shared figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantHours:
    person_id: int
    activity_id: int
    day: dt.date
    title: str
    hours: float
    order_id: int | None


def participant_hours(
    session: Session, start: dt.date, end: dt.date, person_ids: Sequence[int] | None = None
) -> list[ParticipantHours]:
    """Each named participant's hours in each activity of the period (the rule in the module docstring)."""
    stmt = (
        select(
            ActivityParticipant.activity_id,
            ActivityParticipant.person_id,
            ActivityParticipant.hours,
            Activity.occurred_on,
            Activity.title,
            Activity.hours.label("total"),
            Activity.participants,
            Activity.order_id,
        )
        .join(Activity, Activity.id == ActivityParticipant.activity_id)
        .where(Activity.occurred_on.between(start, end))
    )
    if person_ids is not None:
        # the split needs every participant of the person's activities, not only the person
        mine = select(ActivityParticipant.activity_id).where(
            ActivityParticipant.person_id.in_(list(person_ids))
        )
        stmt = stmt.where(ActivityParticipant.activity_id.in_(mine))
    by_activity: dict[int, list] = defaultdict(list)
    for r in session.execute(stmt):
        by_activity[r.activity_id].append(r)
    out = []
    wanted = set(person_ids) if person_ids is not None else None
    for aid, rows in by_activity.items():
        known = [r for r in rows if r.hours is not None]
        unknown = [r for r in rows if r.hours is None]
        share = 0.0
        if unknown:
            left = max((rows[0].total or 0.0) - sum(r.hours for r in known), 0.0)
            heads = max(len(unknown), (rows[0].participants or 0) - len(known))
            share = left / heads
        for r in rows:
            if wanted is None or r.person_id in wanted:
                out.append(
                    ParticipantHours(
                        r.person_id,
                        aid,
                        r.occurred_on,
                        r.title,
                        round(r.hours if r.hours is not None else share, 2),
                        r.order_id,
                    )
                )
    out.sort(key=lambda p: (p.day, p.activity_id, p.person_id))
    return out


def _name_order(subject: str) -> Any:
    """The column a rated list sorts its names by: a person's stored sort key, a team's name."""
    return Person.name_sort if subject == "volunteer" else Team.name


def _highest_first(subject: str, rows: Iterable[Any]) -> list[Any]:
    """Rows of (rating, name, :func:`_name_order`, …): highest level first, then by name in phone-book
    order (a team's key computed here: a county has a few hundred teams)."""

    def key(row: Any) -> tuple[int, str, int]:
        order = row[2] if subject == "volunteer" else collation_key(row[2])
        return -row[0].level, order, row[0].subject_id

    return sorted(rows, key=key)


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# --- stars --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StarRuleRow:
    id: int
    subject: str
    level: int
    min_hours: float
    min_activities: int
    min_score: float
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class RatingRow:
    subject: str
    subject_id: int
    name: str
    year: int
    level: int
    basis: str
    manual: bool


@dataclass(frozen=True)
class RatedRow:
    """One line of the rated list: the rating with the year's figures behind it (``id`` is the subject's)."""

    id: int
    subject: str
    name: str
    unit: str
    year: int
    hours: float
    activities: int
    score: float | None  # mean order score, None when no linked order was scored
    level: int
    basis: str
    manual: bool


@dataclass
class RecomputeResult:
    year: int
    subject: str
    by_level: dict[int, int] = field(default_factory=dict)  # level → how many
    kept_manual: int = 0


@dataclass
class _Figures:
    hours: float = 0.0
    activities: int = 0
    scores: dict[int, int] = field(default_factory=dict)  # order id → score

    @property
    def mean_score(self) -> float | None:
        return sum(self.scores.values()) / len(self.scores) if self.scores else None


def _rule_row(r: StarRule) -> StarRuleRow:
    return StarRuleRow(
        r.id, r.subject, r.level, r.min_hours, r.min_activities, r.min_score, r.valid_from, r.valid_to
    )


class StarService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # rules -----------------------------------------------------------------------------------
    def rules(self, subject: str, on: dt.date | None = None) -> list[StarRuleRow]:
        """The rules in force on ``on`` (default today), level 1 first."""
        self._check_subject(subject)
        day = on or self.ctx.today()
        with self.ctx.db.reader() as session:
            rows = session.scalars(
                select(StarRule)
                .where(
                    StarRule.subject == subject,
                    StarRule.valid_from <= day,
                    (StarRule.valid_to.is_(None)) | (StarRule.valid_to >= day),
                )
                .order_by(StarRule.level)
            )
            return [_rule_row(r) for r in rows]

    def rule_history(self, subject: str) -> list[StarRuleRow]:
        self._check_subject(subject)
        with self.ctx.db.reader() as session:
            rows = session.scalars(
                select(StarRule)
                .where(StarRule.subject == subject)
                .order_by(StarRule.level, StarRule.valid_from)
            )
            return [_rule_row(r) for r in rows]

    def rules_for_year(self, subject: str, year: int) -> dict[int, StarRuleRow]:
        """Per level, the rule a year is rated by (see the module docstring)."""
        self._check_subject(subject)
        start, end = _year_bounds(year)
        with self.ctx.db.reader() as session:
            return self._rules_for_year(session, subject, start, end)

    def set_rule(
        self,
        subject: str,
        level: int,
        *,
        min_hours: float,
        min_activities: int,
        min_score: float = 0,
        valid_from: dt.date,
    ) -> int:
        """A new rule for a level from ``valid_from``; the rule it replaces ends the day before."""
        self._check_subject(subject)
        if level not in range(1, 6):
            raise UserError("星级应为1到5星")
        if min_hours < 0 or min_activities < 0 or not 0 <= min_score <= 5:
            raise UserError("服务时长和活动次数不能为负，评价分数应在0到5分之间")
        with self.ctx.db.session() as session:
            current = session.scalars(
                select(StarRule)
                .where(StarRule.subject == subject, StarRule.level == level)
                .order_by(StarRule.valid_from.desc())
            ).first()
            if current is not None:
                if valid_from <= current.valid_from:
                    raise UserError(
                        f"新规则的生效日期须晚于现行{level}星规则的生效日期"
                        f"（{current.valid_from:%Y-%m-%d}），历史规则不能改写"
                    )
                if current.valid_to is None or current.valid_to >= valid_from:
                    current.valid_to = valid_from - dt.timedelta(days=1)
            rule = StarRule(
                subject=subject,
                level=level,
                min_hours=float(min_hours),
                min_activities=int(min_activities),
                min_score=float(min_score),
                valid_from=valid_from,
                valid_to=None,
            )
            session.add(rule)
            session.flush()
            audit(
                session,
                self.ctx,
                "修改",
                "star_rule",
                rule.id,
                f"{SUBJECTS[subject]}{level}星标准自{valid_from:%Y-%m-%d}起：{min_hours:g}小时、{min_activities}次"
                + (f"、评价{min_score:g}分" if min_score else ""),
                {
                    "valid_from": [None, jsonable(valid_from)],
                    "min_hours": [None, min_hours],
                    "min_activities": [None, min_activities],
                    "min_score": [None, min_score],
                    "replaced_rule": [current.id if current else None, None],
                },
            )
            return rule.id

    # ratings ----------------------------------------------------------------------------------
    def recompute(
        self,
        subject: str,
        year: int,
        *,
        release: int | None = None,
        progress: Progress = null_progress,
        cancel: CancelToken = NEVER,
    ) -> RecomputeResult:
        """Rate every volunteer (or team) with a record in ``year``; manual ratings are left as set.

        ``release``: a subject whose manual rating goes back to the rules first (取消手工调整), in
        the same transaction.  ``cancel`` is checked while the figures are rated and once more
        before the end: a cancel rolls everything back (the ratings, and the release, as they were).
        """
        self._check_subject(subject)
        start, end = _year_bounds(year)
        result = RecomputeResult(year, subject)
        with self.ctx.db.session() as session:
            rules = self._rules_for_year(session, subject, start, end)
            if not rules:
                raise UserError(f"{year}年没有有效的{SUBJECTS[subject]}星级标准，请先在星级标准中设置")
            if release is not None:
                self._release(session, subject, release, year)
            progress(0, 0, f"正在统计{year}年服务时长")
            figures = (
                self._volunteer_figures(session, start, end)
                if subject == "volunteer"
                else self._team_figures(session, start, end)
            )
            cancel.raise_if_set()
            existing = {
                r.subject_id: r
                for r in session.scalars(
                    select(StarRating).where(StarRating.subject == subject, StarRating.year == year)
                )
            }
            now = self.ctx.clock()
            for n, (sid, fig) in enumerate(figures.items()):
                if n % 200 == 0:
                    cancel.raise_if_set()
                    progress(n, len(figures), f"正在评定（{n}/{len(figures)}）")
                level, basis = self._level(fig, rules, year)
                rating = existing.pop(sid, None)
                if rating is not None and rating.manual:
                    result.kept_manual += 1
                    continue
                if rating is None:
                    session.add(
                        StarRating(
                            subject=subject,
                            subject_id=sid,
                            year=year,
                            level=level,
                            basis=basis,
                            computed_at=now,
                            manual=False,
                        )
                    )
                else:
                    rating.level, rating.basis, rating.computed_at = level, basis, now
                result.by_level[level] = result.by_level.get(level, 0) + 1
            stale = [r.id for r in existing.values() if not r.manual]  # their records were removed
            if stale:
                session.execute(delete(StarRating).where(StarRating.id.in_(stale)))
            result.kept_manual += sum(1 for r in existing.values() if r.manual)
            if subject == "team":
                self._update_team_levels(session, year)
            counts = "，".join(
                f"{lv}星{n}个" for lv, n in sorted(result.by_level.items(), reverse=True) if lv
            )
            audit(
                session,
                self.ctx,
                "计算",
                "star_rating",
                None,
                f"{year}年{SUBJECTS[subject]}星级评定：{counts or '无达标'}（手工评定{result.kept_manual}个未改动）",
            )
            session.flush()
            cancel.raise_if_set()  # the last safe point: nothing is committed yet
        return result

    def set_manual(self, subject: str, subject_id: int, year: int, level: int, basis: str) -> None:
        """A level decided by the bureau (e.g. after review); recomputing leaves it alone."""
        self._check_subject(subject)
        if level not in range(0, 6):
            raise UserError("星级应为0到5星")
        if not clean_text(basis):
            raise UserError("请填写手工评定的依据")
        with self.ctx.db.session() as session:
            self._name(session, subject, subject_id)
            rating = session.scalar(
                select(StarRating).where(
                    StarRating.subject == subject,
                    StarRating.subject_id == subject_id,
                    StarRating.year == year,
                )
            )
            old = rating.level if rating else None
            if rating is None:
                rating = StarRating(subject=subject, subject_id=subject_id, year=year, level=level)
                session.add(rating)
            rating.level, rating.basis, rating.manual, rating.computed_at = (
                level,
                clean_text(basis),
                True,
                self.ctx.clock(),
            )
            session.flush()
            audit(
                session,
                self.ctx,
                "修改",
                "star_rating",
                rating.id,
                f"手工评定{year}年{SUBJECTS[subject]}（编号{subject_id}）为{level}星",
                {"level": [old, level]},
            )

    def clear_manual(self, subject: str, subject_id: int, year: int) -> None:
        """Hand the rating back to the rules (the next recompute sets it; ``recompute(release=…)``
        does both at once)."""
        with self.ctx.db.session() as session:
            self._release(session, subject, subject_id, year)

    def _release(self, session: Session, subject: str, subject_id: int, year: int) -> None:
        rating = session.scalar(
            select(StarRating).where(
                StarRating.subject == subject, StarRating.subject_id == subject_id, StarRating.year == year
            )
        )
        if rating is not None and rating.manual:
            rating.manual = False
            audit(session, self.ctx, "修改", "star_rating", rating.id, f"{year}年星级改回按标准计算")

    def ratings(self, subject: str, year: int, *, min_level: int = 0) -> list[RatingRow]:
        """A year's ratings, highest first, then by name (phone-book order)."""
        self._check_subject(subject)
        model = Person if subject == "volunteer" else Team
        with self.ctx.db.reader() as session:
            rows = session.execute(
                select(StarRating, model.name, _name_order(subject))
                .join(model, model.id == StarRating.subject_id)
                .where(StarRating.subject == subject, StarRating.year == year, StarRating.level >= min_level)
            )
            return [
                RatingRow(subject, r[0].subject_id, r[1], year, r[0].level, r[0].basis, r[0].manual)
                for r in _highest_first(subject, rows)
            ]

    def rated(self, subject: str, year: int, *, min_level: int = 0) -> list[RatedRow]:
        """A year's ratings with unit, hours, activity count and mean score as counted now, highest first
        (then by name, in phone-book order).

        A manual rating shows the figures too, so the clerk sees what the rules would have said.
        """
        self._check_subject(subject)
        start, end = _year_bounds(year)
        model = Person if subject == "volunteer" else Team
        with self.ctx.db.reader() as session:
            figures = (
                self._volunteer_figures(session, start, end)
                if subject == "volunteer"
                else self._team_figures(session, start, end)
            )
            rows = session.execute(
                select(StarRating, model.name, _name_order(subject), Unit.name)
                .join(model, model.id == StarRating.subject_id)
                .outerjoin(Unit, Unit.id == model.unit_id)
                .where(StarRating.subject == subject, StarRating.year == year, StarRating.level >= min_level)
            )
            out = []
            for rating, name, _key, unit in _highest_first(subject, rows):
                fig = figures.get(rating.subject_id, _Figures())
                mean = fig.mean_score
                out.append(
                    RatedRow(
                        rating.subject_id,
                        subject,
                        name,
                        unit or "",
                        year,
                        fig.hours,
                        fig.activities,
                        round(mean, 2) if mean is not None else None,
                        rating.level,
                        rating.basis or "",
                        rating.manual,
                    )
                )
            return out

    def level_of(self, subject: str, subject_id: int, year: int) -> int | None:
        with self.ctx.db.reader() as session:
            return session.scalar(
                select(StarRating.level).where(
                    StarRating.subject == subject,
                    StarRating.subject_id == subject_id,
                    StarRating.year == year,
                )
            )

    # internals ---------------------------------------------------------------------------------
    @staticmethod
    def _check_subject(subject: str) -> None:
        if subject not in SUBJECTS:
            raise UserError("星级对象只能是志愿者或服务队")

    @staticmethod
    def _name(session: Session, subject: str, subject_id: int) -> str:
        obj = session.get(Person if subject == "volunteer" else Team, subject_id)
        if obj is None:
            raise NotFound(f"找不到该{SUBJECTS[subject]}（编号 {subject_id}）")
        return obj.name

    @staticmethod
    def _rules_for_year(
        session: Session, subject: str, start: dt.date, end: dt.date
    ) -> dict[int, StarRuleRow]:
        rows = session.scalars(
            select(StarRule)
            .where(
                StarRule.subject == subject,
                StarRule.valid_from <= end,
                (StarRule.valid_to.is_(None)) | (StarRule.valid_to >= start),
            )
            .order_by(StarRule.valid_from)
        )
        chosen: dict[int, StarRuleRow] = {}
        for r in rows:  # later valid_from wins; the one in force on 31 December is the latest to start
            chosen[r.level] = _rule_row(r)
        return chosen

    @staticmethod
    def _level(fig: _Figures, rules: dict[int, StarRuleRow], year: int) -> tuple[int, str]:
        mean = fig.mean_score
        level = 0
        for lv, rule in sorted(rules.items()):
            if (
                fig.hours + 1e-9 >= rule.min_hours
                and fig.activities >= rule.min_activities
                and (mean is None or mean + 1e-9 >= rule.min_score)
            ):
                level = lv
        basis = f"{year}年服务时长{fig.hours:g}小时，参加活动{fig.activities}次"
        basis += f"，订单平均评价{mean:.1f}分（{len(fig.scores)}单）" if mean is not None else "，无订单评价"
        if level:
            rule = rules[level]
            basis += (
                f"；达到{level}星标准（≥{rule.min_hours:g}小时、≥{rule.min_activities}次"
                + (f"、评价≥{rule.min_score:g}分" if rule.min_score else "")
                + f"，{rule.valid_from:%Y-%m-%d}起施行）"
            )
        else:
            basis += "；未达到1星标准"
        return level, basis

    @staticmethod
    def _volunteer_figures(session: Session, start: dt.date, end: dt.date) -> dict[int, _Figures]:
        figures: dict[int, _Figures] = defaultdict(_Figures)
        order_ids = set()
        for p in participant_hours(session, start, end):
            fig = figures[p.person_id]
            fig.hours = round(fig.hours + p.hours, 2)
            fig.activities += 1
            if p.order_id is not None:
                fig.scores[p.order_id] = -1  # filled below when scored
                order_ids.add(p.order_id)
        scores: dict[int, int] = {}
        if order_ids:
            scores = {
                oid: score
                for oid, score in session.execute(
                    select(ServiceOrder.id, ServiceOrder.score).where(
                        ServiceOrder.id.in_(order_ids), ServiceOrder.score.is_not(None)
                    )
                )
            }
        for fig in figures.values():
            fig.scores = {o: scores[o] for o in fig.scores if o in scores}
        return dict(figures)

    @staticmethod
    def _team_figures(session: Session, start: dt.date, end: dt.date) -> dict[int, _Figures]:
        figures: dict[int, _Figures] = defaultdict(_Figures)
        linked: dict[int, set[int]] = defaultdict(set)
        for team_id, hours, order_id in session.execute(
            select(ActivityTeam.team_id, Activity.hours, Activity.order_id)
            .join(Activity, Activity.id == ActivityTeam.activity_id)
            .where(Activity.occurred_on.between(start, end))
        ):
            fig = figures[team_id]
            fig.hours = round(fig.hours + (hours or 0.0), 2)
            fig.activities += 1
            if order_id is not None:
                linked[team_id].add(order_id)
        order_ids = {o for ids in linked.values() for o in ids}
        rows = session.execute(
            select(ServiceOrder.id, ServiceOrder.team_id, ServiceOrder.score, ServiceOrder.completed_on)
            .where(ServiceOrder.score.is_not(None))
            .where(
                ServiceOrder.id.in_(order_ids)
                | (ServiceOrder.team_id.is_not(None) & ServiceOrder.completed_on.between(start, end))
            )
        )
        teams_of: dict[int, set[int]] = defaultdict(set)
        for tid, ids in linked.items():
            for oid in ids:
                teams_of[oid].add(tid)
        for oid, team_id, score, completed in rows:
            claimed = {team_id} if completed is not None and start <= completed <= end else set()
            for tid in (claimed | teams_of.get(oid, set())) & figures.keys():
                figures[tid].scores[oid] = score
        return dict(figures)

    @staticmethod
    def _update_team_levels(session: Session, year: int) -> None:
        """The team list shows the latest year's star: copy it when that year is the one recomputed."""
        session.flush()
        latest = session.scalar(select(func.max(StarRating.year)).where(StarRating.subject == "team"))
        if latest is not None and latest > year:
            return
        for team_id, level in session.execute(
            select(StarRating.subject_id, StarRating.level).where(
                StarRating.subject == "team", StarRating.year == year
            )
        ).all():
            team = session.get(Team, team_id)
            if team is not None:
                team.star_level = level


# --- points -------------------------------------------------------------------------------------


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


# --- certificates -------------------------------------------------------------------------------


class CertificateService:
    """Gathers what certificates say; ``silverdesk.reports.certificates`` draws them."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def service_certificate(self, person_id: int, start: dt.date, end: dt.date) -> ServiceCertificate:
        """志愿服务证明: the person's activities in the period with hours, the total and the star level."""
        if end < start:
            raise UserError("证明的截止日期早于起始日期，请核对")
        with self.ctx.db.reader() as session:
            person = session.get(Person, person_id)
            if person is None:
                raise NotFound(f"找不到该人员（编号 {person_id}）")
            hours = participant_hours(session, start, end, [person_id])
            ids = [h.activity_id for h in hours]
            organisers: dict[int, list[str]] = defaultdict(list)
            for aid, name in session.execute(
                select(ActivityTeam.activity_id, Team.name)
                .join(Team)
                .where(ActivityTeam.activity_id.in_(ids))
            ):
                organisers[aid].append(name)
            for aid, name in session.execute(
                select(Activity.id, Unit.name)
                .join(Unit, Unit.id == Activity.unit_id)
                .where(Activity.id.in_(ids))
            ):
                organisers.setdefault(aid, [name])
            records = tuple(
                ServiceRecordLine(h.day, h.title, "、".join(organisers.get(h.activity_id, [])), h.hours)
                for h in hours
            )
            level = session.scalar(
                select(StarRating.level).where(
                    StarRating.subject == "volunteer",
                    StarRating.subject_id == person_id,
                    StarRating.year == end.year,
                )
            )
            bureau = self._bureau(session)
            today = self.ctx.today()
            return ServiceCertificate(
                number=f"ZYFW{today:%Y%m%d}{person_id:06d}",
                name=person.name,
                gender=person.gender or "",
                id_number_masked=mask_id_number(person.id_number),
                period_start=start,
                period_end=end,
                records=records,
                total_hours=round(sum(r.hours for r in records), 2),
                star_level=level or None,
                star_year=end.year,
                bureau=bureau,
                issued_on=today,
            )

    def honour_certificates(
        self, person_ids: Sequence[int], title: str, *, year: int | None = None, body: str = ""
    ) -> list[HonourCertificate]:
        """A batch of 荣誉证书, one per person in the order given.

        ``body`` may use ``{name}``, ``{title}`` and ``{year}``; the default reads "…同志在2026年度
        离退休干部志愿服务工作中表现突出，被评为“五星级志愿者”。特发此证，以资鼓励。"
        """
        title = clean(title)
        if not title:
            raise UserError("请填写荣誉称号（如：五星级志愿者）")
        if not person_ids:
            raise UserError("请至少选择一人")
        today = self.ctx.today()
        year = year or today.year
        template = (
            body
            or "{name}同志在{year}年度离退休干部志愿服务工作中表现突出，被评为“{title}”。特发此证，以资鼓励。"
        )
        with self.ctx.db.reader() as session:
            names = dict(
                session.execute(select(Person.id, Person.name).where(Person.id.in_(list(person_ids)))).all()
            )
            missing = [i for i in person_ids if i not in names]
            if missing:
                raise NotFound(f"有{len(missing)}人不在花名册中，请重新选择")
            bureau = self._bureau(session)
        try:
            return [
                HonourCertificate(
                    f"RY{year}-{n:04d}",
                    names[pid],
                    title,
                    template.format(name=names[pid], title=title, year=year),
                    bureau,
                    today,
                )
                for n, pid in enumerate(person_ids, start=1)
            ]
        except (KeyError, IndexError, ValueError) as exc:
            raise UserError("证书正文中只能使用 {name}、{title}、{year} 三个占位符") from exc

    def write_service_certificate(
        self, person_id: int, start: dt.date, end: dt.date, out: Path, *, cancel: CancelToken = NEVER
    ) -> Path:
        """The 志愿服务证明 as a PDF at ``out``, written whole or not at all: a cancel (checked once
        the records are gathered and as each page begins) leaves no file and a file at ``out`` as it was."""
        from silverdesk.reports.certificates import render_service_certificate

        cert = self.service_certificate(person_id, start, end)
        cancel.raise_if_set()
        with atomic_target(out) as partial:
            render_service_certificate(cert, partial, cancel=cancel)
        return out

    def write_honour_certificates(
        self,
        person_ids: Sequence[int],
        title: str,
        out: Path,
        *,
        year: int | None = None,
        progress: Progress = null_progress,
        cancel: CancelToken = NEVER,
    ) -> Path:
        """A batch of 荣誉证书 (:meth:`honour_certificates`) as one PDF at ``out``, one page each,
        written whole or not at all (``cancel`` checked per page)."""
        from silverdesk.reports.certificates import render_honour_certificates

        certs = self.honour_certificates(person_ids, title, year=year)
        with atomic_target(out) as partial:
            render_honour_certificates(certs, partial, progress=progress, cancel=cancel)
        return out

    @staticmethod
    def star_title(level: int) -> str:
        return f"{STAR_WORDS[level]}志愿者" if 1 <= level <= 5 else ""

    @staticmethod
    def _bureau(session: Session) -> str:
        name = session.scalar(select(Setting.value).where(Setting.key == "bureau_name"))
        if not name:
            raise UserError("请先在设置中填写本局名称（证书落款用）")
        return name
