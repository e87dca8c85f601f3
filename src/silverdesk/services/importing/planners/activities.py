"""The activities planner: an activity per row, refused when it is in the future, the same activity (day,
title, unit) found again in the file or already on record.

A log with no 活动名称 column (a patrol log that only says what was done) takes each title from the row's
活动内容 by the list rule (:class:`~.derive.Derivations`, a 推导 decision the clerk may change); such a row
is then known by its day, unit and content, so two patrols of one day with the same first clause stay two
and a re-import finds each again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import Activity, MonthlyTheme, Place
from silverdesk.domain.names import fold
from silverdesk.services.importing.plan import DERIVED, REJECTED, UNCHANGED, ImportPlan, RowPlan
from silverdesk.services.importing.planners.base import Planner
from silverdesk.services.importing.planners.derive import Derivations
from silverdesk.services.importing.resolve import Resolver
from silverdesk.services.importing.rows import NormalizedRow

ACTIVITY_DEFAULTS: dict[str, Any] = {
    "occurred_on": None, "title": "", "unit_id": None, "category_id": None, "theme_id": None, "place_id": None,
    "place_text": "", "community_id": None, "sessions": 1, "participants": 0, "hours": 0.0, "beneficiaries": 0,
    "description": "", "order_id": None, "source": "导入", "import_batch_id": None,
}  # fmt: skip


class ActivityPlanner(Planner):
    entity = "activity"

    def __init__(self, ctx: Any, session: Session, resolver: Resolver, plan: ImportPlan, *given: Any) -> None:
        super().__init__(ctx, session, resolver, plan, *given)
        self.limits = self.limits_for(Activity, {"title": "title", "place_text": "place"})
        self.themes = {(y, m): (tid, name) for tid, y, m, name in session.execute(
            select(MonthlyTheme.id, MonthlyTheme.year, MonthlyTheme.month, MonthlyTheme.name))}  # fmt: skip
        self.theme_named: dict[tuple[int, str], int] = {}  # (year, folded name) → theme id (the first month)
        for (y, _month), (tid, name) in sorted(self.themes.items()):
            self.theme_named.setdefault((y, fold(name)), tid)
        self.places = {fold(name): pid for pid, name in session.execute(select(Place.id, Place.name))}
        self.seen: dict[tuple[Any, ...], int] = {}
        self.pending: list[tuple[RowPlan, tuple[Any, ...]]] = []
        self.derive = Derivations(plan, self.table, self.options, content_key="description")

    def first(self, n: NormalizedRow) -> RowPlan:
        rp = self.start(n)
        assert rp is not None
        if rp.fate == REJECTED:
            return rp
        v, row = n.values, n.row_number
        day: dt.date = v["date"]
        if day > self.today:
            rp.refuse(self.issue("date", day, f"{self.label('date')} {day:%Y-%m-%d} 在今天之后，请核对"))
        derived = self.derive.title(rp, v)
        if not v.get("title"):
            title, content = self.label("title"), self.label("description")
            reason = (f"{title}是必填项，推导出的值已按您的选择清空；请填写{title}，或保留推导的值" if derived
                      else f"{title}未填写，也没有{content}可以推导；请填写{title}或{content}后重新导入")  # fmt: skip
            rp.refuse(self.issue("title", None, reason))
            return rp
        ins = dict(ACTIVITY_DEFAULTS)
        ins.update(occurred_on=day, title=v["title"], place_text=v.get("place", ""))
        place = self.places.get(fold(ins["place_text"])) if ins["place_text"] else None
        if place is not None:  # a 阵地 on record: linked, its name is not kept twice
            ins["place_id"], ins["place_text"] = place, ""
        ins["unit_id"], unit_warning = self.plan.unit_ref, ""
        if "unit" in v:
            ref, unit_warning = self.resolver.unit(v["unit"], row)
            rp.note(unit_warning)
            ins["unit_id"] = ref if ref is not None else ins["unit_id"]
        if ins["unit_id"] is None:
            rp.refuse(self.no_unit(v, unit_warning))
        if "category" in v:
            ins["category_id"], warn = self.resolver.lookup(
                "activity_category", v["category"], self.label("category")
            )
            rp.note(warn)
        theme = self.themes.get((day.year, day.month))
        ins["theme_id"] = theme[0] if theme else None
        if v.get("theme") and (theme is None or fold(theme[1]) != fold(v["theme"])):
            named = self.theme_named.get((day.year, fold(v["theme"])))
            if named is not None:  # another month's theme of that year, as the unit wrote
                ins["theme_id"] = named
            else:
                rp.note(f"月度主题“{v['theme']}”不在设置的{day.year}年主题中，按{day.month}月的主题"
                        f"{'“' + theme[1] + '”' if theme else '（未设置）'}计")  # fmt: skip
        if "community" in v:
            ref, warn = self.resolver.community(v["community"], row, within=ins["unit_id"])
            rp.note(warn)
            ins["community_id"] = ref
        names = v.get("participant_names", ())
        ins["sessions"] = v.get("sessions", 1)
        ins["participants"] = v.get("participants", len(names))
        ins["hours"] = float(v.get("hours", 0.0))
        ins["beneficiaries"] = v.get("beneficiaries", 0)
        description = v.get("description", "")
        if v.get("notes"):
            description = f"{description}\n备注：{v['notes']}" if description else f"备注：{v['notes']}"
        ins["description"] = description
        self.check_lengths(rp, ins, self.limits)
        links: dict[str, list[dict[str, Any]]] = {}
        teams: list[int] = []
        for text in v.get("teams", ()):
            found, warn = self.resolver.team(text, row, within=ins["unit_id"])
            rp.note(warn)
            if found is not None and found not in teams:
                teams.append(found)
        if teams:
            links["activity_team"] = [{"team_id": t} for t in teams]
        people: list[int] = []
        unit_for_names = ins["unit_id"] if isinstance(ins["unit_id"], int) and ins["unit_id"] > 0 else None
        for name in names:
            pid, warn = self.resolver.person_by_name(name, unit_for_names)
            rp.note(warn)
            if pid is not None and pid not in people:
                people.append(pid)
        if people:
            links["activity_participant"] = [{"person_id": p, "hours": None} for p in people]
        if rp.fate == REJECTED:
            return rp
        key: tuple[Any, ...] = (day, ins["title"].strip(), ins["unit_id"])
        if derived:  # known by what was done, not by the first clause the title was cut from
            key = (day, DERIVED, ins["description"], ins["unit_id"])
        earlier = self.seen.setdefault(key, row)
        if earlier != row:
            same = "活动内容" if derived else "名称"
            rp.refuse(self.issue("title", ins["title"], f"与第 {earlier} 行是同一活动（日期、{same}、组织单位都相同），未重复导入；"
                                 f"如确为两次活动，请在{same}中加以区分"))  # fmt: skip
            return rp
        rp.insert = ins
        rp.links = links or None
        self.pending.append((rp, key))
        return rp

    def finish(self) -> None:
        if not self.pending:
            return
        days = [key[0] for _, key in self.pending]
        existing: dict[tuple[Any, ...], int] = {}
        stmt = select(
            Activity.id,
            Activity.occurred_on,
            func.trim(Activity.title),
            Activity.unit_id,
            Activity.description,
        ).where(Activity.occurred_on.between(min(days), max(days)))
        for aid, day, title, unit_id, description in self.session.execute(stmt):
            existing.setdefault((day, title, unit_id), aid)
            existing.setdefault((day, DERIVED, description, unit_id), aid)
        for rp, key in self.pending:
            aid = existing.get(key)
            if aid is not None:
                rp.fate, rp.entity_id, rp.insert, rp.links = UNCHANGED, aid, None, None
                same = "内容" if key[1] == DERIVED else "名称"
                rp.note(f"库中已有同一天、同{same}、同组织单位的活动（编号 {aid}），未重复导入")
