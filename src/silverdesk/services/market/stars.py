"""星级: the star rules of volunteers and teams, and each year's ratings by them.

**Star rules** (``star_rule``): a level is reached when the year's hours, activity count and mean
order score (when any linked order was scored; no score does not block) all meet the level's
minimum; the highest level reached counts.  A year is rated with the rules in force on its 31
December (for a level whose rules all ended earlier in the year: the last one that applied).
Editing a rule closes the old one the day before the new one starts, so past years keep being
recomputed with the rules of their time.  A ``manual`` rating is never overwritten.

The figures a year is rated on (hours, activities, order scores) are counted in
:mod:`silverdesk.services.market.hours`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import Person, StarRating, StarRule, Team, Unit
from silverdesk.domain.pinyin import collation_key
from silverdesk.domain.text import clean_text
from silverdesk.errors import NotFound, UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.base import Context, audit, jsonable
from silverdesk.services.market.hours import Figures, team_figures, volunteer_figures

SUBJECTS = {"volunteer": "志愿者", "team": "服务队"}
STAR_WORDS = ("", "一星级", "二星级", "三星级", "四星级", "五星级")


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
                volunteer_figures(session, start, end)
                if subject == "volunteer"
                else team_figures(session, start, end)
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
                volunteer_figures(session, start, end)
                if subject == "volunteer"
                else team_figures(session, start, end)
            )
            rows = session.execute(
                select(StarRating, model.name, _name_order(subject), Unit.name)
                .join(model, model.id == StarRating.subject_id)
                .outerjoin(Unit, Unit.id == model.unit_id)
                .where(StarRating.subject == subject, StarRating.year == year, StarRating.level >= min_level)
            )
            out = []
            for rating, name, _key, unit in _highest_first(subject, rows):
                fig = figures.get(rating.subject_id, Figures())
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
        obj = session.get(Person, subject_id) if subject == "volunteer" else session.get(Team, subject_id)
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
    def _level(fig: Figures, rules: dict[int, StarRuleRow], year: int) -> tuple[int, str]:
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
