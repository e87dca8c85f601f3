"""志愿服务活动: record, correct, delete (audited with the old values), attachments, duplicate warning."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import (
    Activity,
    ActivityParticipant,
    ActivityTeam,
    Attachment,
    Lookup,
    MonthlyTheme,
    Person,
    Team,
)
from silverdesk.domain import fields as f
from silverdesk.errors import FieldError, UserError, ValidationError
from silverdesk.services.base import CrudService, audit, snapshot

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
        return values

    def check(self, session: Session, values: dict[str, object], current: Activity | None) -> None:
        cat = values.get("category_id")
        if cat is not None:
            kind = session.scalar(select(Lookup.kind).where(Lookup.id == cat))
            if kind != "activity_category":
                raise ValidationError([FieldError("category_id", "服务领域不存在，请重新选择")])
        day = values.get("occurred_on") or (current.occurred_on if current else None)
        if "theme_id" not in values and current is None and isinstance(day, dt.date):
            values["theme_id"] = session.scalar(select(MonthlyTheme.id).where(
                MonthlyTheme.year == day.year, MonthlyTheme.month == day.month))

    def after_save(self, session: Session, obj: Activity, values: dict[str, object], raw: Mapping[str, Any]) -> None:
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
            audit(session, self.ctx, "删除", self.entity, activity_id, f"删除活动：{title}{('（' + reason + '）') if reason else ''}",
                  {k: [str(v), None] for k, v in before.items()})

    def likely_duplicates(self, occurred_on: dt.date, title: str, team_ids: Sequence[int] = (),
                          exclude_id: int | None = None) -> list[int]:
        """Activities on the same day with the same title, sharing a team when teams are given."""
        with self.ctx.db.reader() as session:
            stmt = select(Activity.id).where(Activity.occurred_on == occurred_on,
                                             func.trim(Activity.title) == title.strip())
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
            att = Attachment(activity_id=activity_id, file_name=path.name[:255], size=size,
                             mime_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                             sha256=hashlib.sha256(content).hexdigest(), content=content)
            session.add(att)
            session.flush()
            audit(session, self.ctx, "新增", "attachment", att.id, f"活动附件：{path.name}")
            return att.id

    def recent(self, limit: int = 200) -> list[ActivityRow]:
        with self.ctx.db.reader() as session:
            ids = list(session.scalars(select(Activity.id).order_by(Activity.occurred_on.desc(), Activity.id.desc())
                                       .limit(limit)))
        return self.rows_by_ids(ids)

    def rows_by_ids(self, ids: Sequence[int]) -> list[ActivityRow]:
        from silverdesk.db.models import Unit

        if not ids:
            return []
        with self.ctx.db.reader() as session:
            rows = session.execute(
                select(Activity.id, Activity.occurred_on, Activity.title, Unit.name, Lookup.name, Activity.sessions,
                       Activity.participants, Activity.hours, Activity.beneficiaries)
                .outerjoin(Unit, Unit.id == Activity.unit_id).outerjoin(Lookup, Lookup.id == Activity.category_id)
                .where(Activity.id.in_(list(ids)))).all()
            teams: dict[int, list[str]] = {}
            for aid, name in session.execute(select(ActivityTeam.activity_id, Team.name).join(Team)
                                             .where(ActivityTeam.activity_id.in_(list(ids)))):
                teams.setdefault(aid, []).append(name)
        found = {r[0]: r for r in rows}
        return [ActivityRow(r[0], r[1], r[2], r[3] or "", r[4] or "", "、".join(teams.get(r[0], [])), r[5], r[6],
                            r[7], r[8]) for i in ids if (r := found.get(i))]
