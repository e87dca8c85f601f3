"""志愿服务活动: record, correct, delete (audited with the old values), attachments, duplicate warning."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from silverdesk.db.models import (
    Activity,
    ActivityParticipant,
    ActivityTeam,
    Attachment,
    Lookup,
    MonthlyTheme,
    Person,
    Place,
    Team,
    Unit,
)
from silverdesk.domain import fields as f
from silverdesk.domain.pinyin import collation_key
from silverdesk.domain.text import clean
from silverdesk.errors import FieldError, UserError, ValidationError
from silverdesk.services.base import CrudService, audit, snapshot
from silverdesk.services.list_sums import ListSums, list_sums

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

ACTIVITY_SPECS = (
    f.FieldSpec("occurred_on", "活动日期", f.date, required=True),
    f.FieldSpec("title", "活动名称", f.text, required=True, max_length=300),
    f.FieldSpec("unit_id", "组织单位", f.passthrough),
    f.FieldSpec("category_id", "服务领域", f.passthrough),
    f.FieldSpec("theme_id", "月度主题", f.passthrough),
    f.FieldSpec("place_id", "阵地", f.passthrough),
    f.FieldSpec("place_text", "活动地点", f.text, max_length=200),
    f.FieldSpec("community_id", "服务社区", f.passthrough),
    f.FieldSpec("sessions", "场次", f.count),
    f.FieldSpec("participants", "参与人次", f.count),
    f.FieldSpec("hours", "服务时长", f.hours),
    f.FieldSpec("beneficiaries", "受益人次", f.count),
    f.FieldSpec("description", "活动内容", f.multiline, max_length=5000),
    f.FieldSpec("order_id", "关联订单", f.passthrough),
)
HOURS_EACH = f.FieldSpec("hours_each", "每人时长", f.hours)
"""What the forms ask (the hours of one participant); 服务时长 = 每人时长 × 参与人次 (:func:`total_hours`)."""
HOURS_EACH_LABEL = "每人时长（小时）"
HOURS_EACH_TIP = (
    "每位参与人员服务了几小时（不是全体合计）；服务时长合计 = 每人时长 × 参与人次，算好显示在下方"
)
_SPEC = {s.key: s for s in ACTIVITY_SPECS}


def head_count(raw: Mapping[str, Any]) -> int | None:
    """参与人次 as typed, else the number of named participants; ``None`` when neither says (or unreadable)."""
    try:
        typed = f.count(raw.get("participants"), _SPEC["participants"])
    except f.FieldProblem:
        return None
    return typed if typed is not None else len(set(raw.get("participant_ids") or ())) or None


def total_hours(raw: Mapping[str, Any]) -> float | None:
    """服务时长 (person-hours, what is stored and counted) from a form's 每人时长 (``hours_each``) and
    :func:`head_count`; ``None`` while either is missing or unreadable (the forms show it as typed)."""
    try:
        each = f.hours(raw.get("hours_each"), HOURS_EACH)
    except f.FieldProblem:
        return None
    count = head_count(raw)
    return None if each is None or count is None else round(each * count, 2)


def hours_summary(raw: Mapping[str, Any]) -> str:
    """What a form shows under 每人时长: the 服务时长 that will be stored and how it is reached.

    ``raw`` asks 每人时长 (``hours_each``), or keeps an activity's stored 服务时长 (``hours``, a number).
    """
    count = head_count(raw)
    total = total_hours(raw) if HOURS_EACH.key in raw else raw.get("hours")
    if isinstance(total, int | float) and count:
        return f"服务时长合计 {total:g} 小时 = 每人 {round(total / count, 2):g} 小时 × {count} 人次"
    if isinstance(total, int | float) and total:
        return f"服务时长合计 {total:g} 小时"
    if not f.is_blank(raw.get(HOURS_EACH.key)) and count is None:
        return "服务时长合计：请填写参与人次或加入参与人员"
    return ""


@dataclass(frozen=True)
class ActivityRow:
    id: int
    occurred_on: dt.date
    title: str
    unit: str
    category: str
    teams: str
    sessions: int
    participants: int
    hours: float
    beneficiaries: int
    theme: str = ""  # 月度主题
    place: str = ""  # 阵地 (its name), else the place as typed


@dataclass(frozen=True)
class ActivityFilter:
    """What the activity list shows: every criterion is optional."""

    query: str = ""  # a fragment of the title or of a team's name
    unit_id: int | None = None  # the organising unit and every unit below it
    category_id: int | None = None
    team_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    theme_id: int | None = None  # 月度主题
    place_id: int | None = None  # 阵地


ACTIVITY_SORT_KEYS = {
    "occurred_on": Activity.occurred_on,
    "title": Activity.title,
    "sessions": Activity.sessions,
    "participants": Activity.participants,
    "hours": Activity.hours,
    "beneficiaries": Activity.beneficiaries,
    "id": Activity.id,
}


class ActivityService(CrudService[Activity]):
    model = Activity
    entity = "activity"
    label = "活动"
    specs = ACTIVITY_SPECS

    def clean(self, raw: Mapping[str, Any], *, partial: bool = False) -> dict[str, object]:
        values = super().clean(raw, partial=partial)
        if not partial:
            values["sessions"] = 1 if values.get("sessions") is None else values["sessions"]
        day = values.get("occurred_on")
        if isinstance(day, dt.date) and day > self.ctx.today() + dt.timedelta(days=1):
            raise ValidationError([FieldError("occurred_on", f"活动日期 {day:%Y-%m-%d} 在未来，请核对")])
        participants = raw.get("participant_ids")
        if participants and values.get("participants") is None:
            values["participants"] = len(set(participants))
        if not f.is_blank(raw.get("hours_each")):
            values["hours"] = self._hours_from_each(raw, values)
        return values

    @staticmethod
    def _hours_from_each(raw: Mapping[str, Any], values: Mapping[str, object]) -> float:
        """服务时长 = 每人时长 × 参与人次 (the form asks the hours of one participant)."""
        try:
            each = f.hours(raw["hours_each"], HOURS_EACH)
        except f.FieldProblem as exc:
            raise ValidationError([FieldError("hours_each", str(exc))]) from None
        count = values.get("participants")
        if not count:
            raise ValidationError(
                [FieldError("hours_each", "算服务时长要知道人数：请填写参与人次，或加入参与人员")]
            )
        try:
            return f.hours(round(float(each or 0) * int(count), 2), _SPEC["hours"]) or 0.0  # type: ignore[call-overload]
        except f.FieldProblem as exc:
            raise ValidationError([FieldError("hours_each", f"{exc}（每人时长 × 参与人次）")]) from None

    def check(self, session: Session, values: dict[str, object], current: Activity | None) -> None:
        cat = values.get("category_id")
        if cat is not None:
            kind = session.scalar(select(Lookup.kind).where(Lookup.id == cat))
            if kind != "activity_category":
                raise ValidationError([FieldError("category_id", "服务领域不存在，请重新选择")])
        for key, model, what in (("theme_id", MonthlyTheme, "月度主题"), ("place_id", Place, "阵地")):
            ref = values.get(key)
            if ref is not None and session.get(model, ref) is None:
                raise ValidationError([FieldError(key, f"所选{what}已不存在，请重新选择")])
        day = values.get("occurred_on") or (current.occurred_on if current else None)
        if "theme_id" not in values and current is None and isinstance(day, dt.date):
            values["theme_id"] = session.scalar(
                select(MonthlyTheme.id).where(MonthlyTheme.year == day.year, MonthlyTheme.month == day.month)
            )

    def after_save(
        self, session: Session, obj: Activity, values: dict[str, object], raw: Mapping[str, Any]
    ) -> None:
        if "team_ids" in raw:
            ids = list(dict.fromkeys(raw["team_ids"]))
            if len(set(session.scalars(select(Team.id).where(Team.id.in_(ids))))) != len(ids):
                raise ValidationError([FieldError("team_ids", "所选服务队不存在，请重新选择")])
            obj.teams = [ActivityTeam(team_id=i) for i in ids]
        if "participant_ids" in raw:
            ids = list(dict.fromkeys(raw["participant_ids"]))
            if len(set(session.scalars(select(Person.id).where(Person.id.in_(ids))))) != len(ids):
                raise ValidationError([FieldError("participant_ids", "参与人员中有人不在花名册中")])
            obj.participant_links = [ActivityParticipant(person_id=i) for i in ids]

    def delete(self, activity_id: int, reason: str = "") -> None:
        """Remove a wrongly entered activity; the audit log keeps every value it had."""
        with self.ctx.db.session() as session:
            obj = self.load(session, activity_id)
            before = {k: v for k, v in snapshot(obj).items() if v not in (None, "")}
            title = obj.title
            session.delete(obj)
            audit(
                session,
                self.ctx,
                "删除",
                self.entity,
                activity_id,
                f"删除活动：{title}{('（' + reason + '）') if reason else ''}",
                {k: [str(v), None] for k, v in before.items()},
            )

    def likely_duplicates(
        self, occurred_on: dt.date, title: str, team_ids: Sequence[int] = (), exclude_id: int | None = None
    ) -> list[int]:
        """Activities on the same day with the same title, sharing a team when teams are given."""
        with self.ctx.db.reader() as session:
            stmt = select(Activity.id).where(
                Activity.occurred_on == occurred_on, func.trim(Activity.title) == title.strip()
            )
            if team_ids:
                stmt = stmt.join(ActivityTeam).where(ActivityTeam.team_id.in_(list(team_ids)))
            if exclude_id:
                stmt = stmt.where(Activity.id != exclude_id)
            return list(dict.fromkeys(session.scalars(stmt)))

    def attach(self, activity_id: int, path: Path) -> int:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise UserError(f"附件“{path.name}”有 {size // 1024 // 1024} MB，超过 20 MB 上限；请压缩后再添加")
        content = path.read_bytes()
        with self.ctx.db.session() as session:
            self.load(session, activity_id)
            att = Attachment(
                activity_id=activity_id,
                file_name=path.name[:255],
                size=size,
                mime_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
            )
            session.add(att)
            session.flush()
            audit(session, self.ctx, "新增", "attachment", att.id, f"活动附件：{path.name}")
            return att.id

    def recent(self, limit: int = 200) -> list[ActivityRow]:
        with self.ctx.db.reader() as session:
            ids = list(
                session.scalars(
                    select(Activity.id).order_by(Activity.occurred_on.desc(), Activity.id.desc()).limit(limit)
                )
            )
        return self.rows_by_ids(ids)

    # --- list, search and completion --------------------------------------------------------------
    def _filtered(self, flt: ActivityFilter) -> Select[Any]:
        from silverdesk.services.people.roster import unit_subtree_ids_stmt

        stmt = select(Activity.id)
        if flt.date_from is not None:
            stmt = stmt.where(Activity.occurred_on >= flt.date_from)
        if flt.date_to is not None:
            stmt = stmt.where(Activity.occurred_on <= flt.date_to)
        if flt.unit_id is not None:
            stmt = stmt.where(Activity.unit_id.in_(unit_subtree_ids_stmt(flt.unit_id)))
        if flt.category_id is not None:
            stmt = stmt.where(Activity.category_id == flt.category_id)
        if flt.theme_id is not None:
            stmt = stmt.where(Activity.theme_id == flt.theme_id)
        if flt.place_id is not None:
            stmt = stmt.where(Activity.place_id == flt.place_id)
        if flt.team_id is not None:
            stmt = stmt.where(
                Activity.id.in_(select(ActivityTeam.activity_id).where(ActivityTeam.team_id == flt.team_id))
            )
        q = clean(flt.query)
        if q:
            like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            by_team = (
                select(ActivityTeam.activity_id)
                .join(Team, Team.id == ActivityTeam.team_id)
                .where(Team.name.like(like, escape="\\"))
            )
            stmt = stmt.where(or_(Activity.title.like(like, escape="\\"), Activity.id.in_(by_team)))
        return stmt

    def search_ids(
        self, flt: ActivityFilter, sort: str = "occurred_on", descending: bool = True
    ) -> list[int]:
        """Ids of the activities matching ``flt``, sorted in SQL.

        ``sort`` is a key of :data:`ACTIVITY_SORT_KEYS` or ``"unit"`` / ``"category"`` (by name);
        ties are broken by id, in the same direction, so the order is stable.
        """
        if sort == "unit":
            column: Any = select(Unit.name).where(Unit.id == Activity.unit_id).scalar_subquery()
        elif sort == "category":
            column = select(Lookup.sort_order).where(Lookup.id == Activity.category_id).scalar_subquery()
        else:
            column = ACTIVITY_SORT_KEYS.get(sort, Activity.occurred_on)
        order = column.desc() if descending else column.asc()
        stmt = self._filtered(flt).order_by(order, Activity.id.desc() if descending else Activity.id)
        with self.ctx.db.reader() as session:
            return list(session.scalars(stmt))

    def count(self, flt: ActivityFilter | None = None) -> int:
        with self.ctx.db.reader() as session:
            if flt is None:
                return session.scalar(select(func.count(Activity.id))) or 0
            return session.scalar(select(func.count()).select_from(self._filtered(flt).subquery())) or 0

    def list_sums(self, flt: ActivityFilter) -> ListSums:
        """The activity list's line: how many activities ``flt`` finds and their 场次, 参与人次, 服务时长
        and 受益人次, summed in SQL over the list's own query."""
        with self.ctx.db.reader() as session:
            return list_sums(
                session,
                self._filtered(flt),
                {
                    "sessions": Activity.sessions,
                    "participants": Activity.participants,
                    "hours": Activity.hours,
                    "beneficiaries": Activity.beneficiaries,
                },
            )

    def recent_titles(self, limit: int = 300) -> list[str]:
        """Titles used lately, most recent first (for the quick-entry completer)."""
        with self.ctx.db.reader() as session:
            recent = (
                select(Activity.title, Activity.id).order_by(Activity.id.desc()).limit(limit * 20).subquery()
            )
            rows = session.execute(
                select(recent.c.title)
                .group_by(recent.c.title)
                .order_by(func.max(recent.c.id).desc())
                .limit(limit)
            )
            return [r[0] for r in rows]

    def place_names(self, limit: int = 300) -> list[str]:
        """Places to offer while typing: the 阵地 on record (phone-book order), then places typed lately."""
        with self.ctx.db.reader() as session:
            places = sorted(
                session.scalars(select(Place.name).where(Place.closed_on.is_(None))), key=collation_key
            )
            recent = (
                select(Activity.place_text, Activity.id)
                .where(Activity.place_text != "")
                .order_by(Activity.id.desc())
                .limit(limit * 20)
                .subquery()
            )
            typed = list(
                session.scalars(
                    select(recent.c.place_text)
                    .group_by(recent.c.place_text)
                    .order_by(func.max(recent.c.id).desc())
                    .limit(limit)
                )
            )
        return list(dict.fromkeys([*places, *typed]))

    def detail(self, activity_id: int) -> dict[str, object]:
        """Everything the activity form shows: values, team ids, participant ids and attachments."""
        with self.ctx.db.reader() as session:
            obj = self.load(session, activity_id)
            data: dict[str, object] = {s.key: getattr(obj, s.key) for s in ACTIVITY_SPECS}
            data.update(
                id=obj.id,
                source=obj.source,
                team_ids=[t.team_id for t in obj.teams],
                participant_ids=[p.person_id for p in obj.participant_links],
                attachments=[(a.id, a.file_name, a.size) for a in obj.attachments],
            )
            return data

    def rows_by_ids(self, ids: Sequence[int]) -> list[ActivityRow]:
        if not ids:
            return []
        with self.ctx.db.reader() as session:
            rows = session.execute(
                select(
                    Activity.id,
                    Activity.occurred_on,
                    Activity.title,
                    Unit.name,
                    Lookup.name,
                    Activity.sessions,
                    Activity.participants,
                    Activity.hours,
                    Activity.beneficiaries,
                    MonthlyTheme.name,
                    Place.name,
                    Activity.place_text,
                )
                .outerjoin(Unit, Unit.id == Activity.unit_id)
                .outerjoin(Lookup, Lookup.id == Activity.category_id)
                .outerjoin(MonthlyTheme, MonthlyTheme.id == Activity.theme_id)
                .outerjoin(Place, Place.id == Activity.place_id)
                .where(Activity.id.in_(list(ids)))
            ).all()
            teams: dict[int, list[str]] = {}
            for aid, name in session.execute(
                select(ActivityTeam.activity_id, Team.name)
                .join(Team)
                .where(ActivityTeam.activity_id.in_(list(ids)))
            ):
                teams.setdefault(aid, []).append(name)
        found = {r[0]: r for r in rows}
        return [
            ActivityRow(
                r[0],
                r[1],
                r[2],
                r[3] or "",
                r[4] or "",
                "、".join(teams.get(r[0], [])),
                r[5],
                r[6],
                r[7],
                r[8],
                r[9] or "",
                r[10] or r[11] or "",
            )
            for i in ids
            if (r := found.get(i))
        ]
