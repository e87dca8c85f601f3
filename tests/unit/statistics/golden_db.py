"""The golden files' database, questions and comparison (see test_golden.py).

The database is the demo generator's with a fixed seed and a fixed ``today`` (small: built in about two
seconds), plus a few changes made the clerk's way that the reports must handle (a team retired, a party
organisation dissolved, a member leaving a team, a person moving away) and one subordinate's return
imported for 汇总 (石门县's October 2026 report, written by silverdesk from its own demo database).
Nothing depends on the wall clock, the machine or the order of a set: the context's clock is fixed, the
demo draws from one seeded stream, and every file is written with sorted keys.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import func, select

from silverdesk.db import models as m
from silverdesk.db.connect import connect
from silverdesk.reports.codec import to_plain
from silverdesk.reports.model import ReportData
from silverdesk.services.base import Context
from silverdesk.services.demo import generate
from silverdesk.services.hub import Services
from silverdesk.services.statistics.periods import month, parse_period
from silverdesk.services.statistics.reporting import ReportService
from silverdesk.services.statistics.returns import import_report

GOLDEN = Path(__file__).parent / "golden"
UPDATE_ENV = "SILVERDESK_UPDATE_GOLDEN"
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 10, 0, 0)
SEED = 17
PEOPLE, ACTIVITIES = 300, 3000


@dataclass(frozen=True)
class Question:
    """One report asked of the golden database; ``unit`` by name (None: the county)."""

    name: str  # the golden file's stem
    period: str  # as `silverdesk report --period` takes it
    unit: str | None
    about: str


QUESTIONS = (
    Question("month_county", "2026-10", None, "月报，全县；石门县的10月报表已导入（汇总）"),
    Question("quarter_county", "2026Q4", None, "季报，全县；石门县只报了10月，季度无其报表"),
    Question("quarter_q3_county", "2026Q3", None, "季报，全县，已过去的季度（队伍撤销、人员迁出之前）"),
    Question("year_county", "2025", None, "年报，全县，上一年"),
    Question("custom_county", "2026-03-15..2026-06-30", None, "自定义时段，全县"),
    Question("month_street", "2026-10", "城关街道", "月报，街道"),
    Question("quarter_town", "2026Q3", "龙山镇", "季报，乡镇"),
    Question("month_community", "2026-10", "@community", "月报，社区（城关街道下第一个社区）"),
    Question("year_department", "2026", "县教育局", "年报，部门"),
)
XLSX_QUESTION = QUESTIONS[0]


def _context(path: Path) -> Context:
    return Context(connect(path), operator="金标", clock=lambda: NOW)


def build_database(folder: Path) -> Services:
    """The golden database in ``folder`` (a new one each call, the same figures every time)."""
    services = Services(_context(folder / "golden.sqlite"))
    generate(services.ctx, people=PEOPLE, activities=ACTIVITIES, seed=SEED, today=TODAY)
    _clerk_changes(services)
    import_report(services.ctx, _shimen_return(folder))
    return services


def _clerk_changes(s: Services) -> None:
    """What a clerk changed lately: each is a case the counting of past periods must get right."""
    with s.ctx.db.reader() as session:
        teams = session.execute(select(m.Team.id, m.Team.unit_id).order_by(m.Team.id)).all()
        orgs = list(session.scalars(select(m.PartyOrg.id).order_by(m.PartyOrg.id)))
        movers = list(
            session.scalars(
                select(m.Person.id).where(m.Person.status == "在册").order_by(m.Person.id).limit(3)
            )
        )
    s.teams.retire(teams[0].id)  # 撤销 today (2026-11-20)
    s.party_orgs.dissolve(orgs[1], dt.date(2026, 9, 15))
    s.people.set_status(movers[0], "迁出", dt.date(2026, 10, 20))
    members = s.teams.members(teams[1].id)
    s.teams.update(
        teams[1].id, {"members": [(pid, role) for pid, _, role in members if pid != members[-1][0]]}
    )
    _community_records(s)


def _community_records(s: Services) -> None:
    """The demo's activities are organised by 街道/乡镇/部门; a community of its own is entered by hand:
    two people (one of the community, one of the street living and reporting there), a team, a place and
    activities this October, last month and a year ago."""
    community, _ = unit_id(s, "@community")
    street, _ = unit_id(s, "城关街道")
    assert community is not None
    lecture = s.lookups.resolve("activity_category", "理论宣讲").id
    elderly = s.lookups.resolve("activity_category", "为老服务").id
    first = s.people.create(
        {
            "name": "周光明",
            "political_status": "中共党员",
            "unit_id": community,
            "community_id": community,
            "registered_on": "2025-03-01",
            "community_roles": ["楼长"],
        }
    )
    second = s.people.create(
        {
            "name": "吴秀琴",
            "political_status": "群众",
            "unit_id": street,
            "community_id": community,
            "registered_on": "2026-04-01",
            "community_roles": ["网格员"],
        }
    )
    team = s.teams.create(
        {
            "name": "社区银龄志愿服务队",
            "unit_id": community,
            "founded_on": "2024-05-01",
            "members": [(first, "队长"), (second, "队员")],
        }
    )
    s.places.create({"name": "社区银龄驿站", "kind": "驿站", "unit_id": community, "opened_on": "2025-06-01"})
    for day, category, sessions, people, hours, served in (
        ("2026-10-12", lecture, 1, 6, 9.5, 45),
        ("2026-10-25", elderly, 2, 4, 6, 20),
        ("2026-09-20", elderly, 1, 3, 4.5, 12),
        ("2025-10-08", lecture, 1, 5, 5, 30),
    ):
        s.activities.create(
            {
                "occurred_on": day,
                "title": "社区志愿服务",
                "unit_id": community,
                "community_id": community,
                "category_id": category,
                "sessions": sessions,
                "participants": people,
                "hours": hours,
                "beneficiaries": served,
                "team_ids": [team],
            }
        )


def _shimen_return(folder: Path) -> Path:
    """石门县's October 2026 report workbook, as its bureau would send it."""
    other = Services(_context(folder / "shimen.sqlite"))
    try:
        generate(other.ctx, people=60, activities=600, seed=SEED + 1, county="石门县", today=TODAY)
        reports = ReportService(other.ctx)
        data = reports.build(month(2026, 10), reported_on=TODAY)
        return reports.write(data, folder / "石门县2026年10月月报.xlsx")
    finally:
        other.close()


def fingerprint(services: Services) -> dict[str, int]:
    """Row counts of the tables the reports read: a changed demo generator shows here first."""
    tables = (
        m.Unit,
        m.Person,
        m.PersonCommunityRole,
        m.Team,
        m.TeamMember,
        m.PartyOrg,
        m.CoBuildingAgreement,
        m.Place,
        m.Activity,
        m.Resource,
        m.Demand,
        m.ServiceOrder,
        m.SubmittedReport,
    )
    with services.ctx.db.reader() as session:
        counts = {t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0 for t in tables}
        counts["activity.sessions"] = session.scalar(select(func.sum(m.Activity.sessions))) or 0
        counts["activity.beneficiaries"] = session.scalar(select(func.sum(m.Activity.beneficiaries))) or 0
    return counts


def unit_id(services: Services, name: str | None) -> tuple[int | None, str | None]:
    """The unit a question names (``@community``: the first community under 城关街道), and its name."""
    if name is None:
        return None, None
    with services.ctx.db.reader() as session:
        if name == "@community":
            street = session.scalar(select(m.Unit.id).where(m.Unit.name == "城关街道"))
            row = session.execute(
                select(m.Unit.id, m.Unit.name).where(m.Unit.parent_id == street).order_by(m.Unit.id).limit(1)
            ).one()
            return row.id, row.name
        found = session.scalar(select(m.Unit.id).where(m.Unit.name == name))
        assert found is not None, f"no unit {name} in the golden database"
        return found, name


def build_report(services: Services, question: Question) -> tuple[ReportData, str | None]:
    uid, name = unit_id(services, question.unit)
    data = ReportService(services.ctx).build(parse_period(question.period), uid, reported_on=TODAY)
    return data, name


def report_plain(data: ReportData) -> dict[str, Any]:
    """The report as the golden file holds it: every field but ``generated_at``; the narrative apart."""
    plain: dict[str, Any] = to_plain(data)
    del plain["generated_at"]
    del plain["narrative"]
    return plain


def sentences(text: str) -> list[str]:
    """The narrative one sentence a line (a differing figure is then easy to see)."""
    return [s + "。" for p in text.splitlines() for s in p.split("。") if s.strip()]


def golden_document(question: Question, data: ReportData, unit_name: str | None) -> dict[str, Any]:
    return {
        "question": {"period": question.period, "unit": unit_name or "全县", "about": question.about},
        "report": report_plain(data),
        "narrative": sentences(data.narrative),
    }


def xlsx_cells(path: Path) -> dict[str, list[list[Any]]]:
    """The visible sheets' filled cells, row by row (the figures as the clerk sees them)."""
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets: dict[str, list[list[Any]]] = {}
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            sheets[ws.title] = [
                [v for v in row if v is not None and v != ""]
                for row in ws.iter_rows(values_only=True)
                if any(v is not None and v != "" for v in row)
            ]
        return sheets
    finally:
        wb.close()


def dump(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# -- naming each differing figure ----------------------------------------------------------------------
TABLES = {
    "table1": "表1",
    "table1_total": "表1 合计",
    "table2": "表2",
    "table2_total": "表2 合计",
    "table3": "表3",
    "table4": "表4",
    "current": "本期",
    "previous": "上期",
    "last_year": "去年同期",
    "year_to_date": "年初以来",
    "trend": "12个月趋势",
    "period": "时段",
    "notes": "编报说明",
    "footer": "落款",
}
COLUMNS = {
    "seq": "序号",
    "unit": "单位",
    "teams": "服务队",
    "volunteers": "志愿者",
    "party_members": "其中党员",
    "activities": "场次",
    "participations": "参与人次",
    "hours": "服务时长",
    "beneficiaries": "受益人次",
    "ytd_activities": "年度累计场次",
    "ytd_beneficiaries": "年度累计受益人次",
    "note": "备注",
    "share": "占比",
    "party_orgs": "党组织",
    "agreements": "共建协议",
    "registered": "社区报到",
    "community_roles": "社区任职",
    "community_role_people": "任职人数",
    "places": "阵地",
    "resources": "资源条目",
    "demands": "需求条目",
    "matches": "对接次数",
    "orders_signed": "签约订单",
    "orders_completed": "完成订单",
}
_ROW_KEYS = ("unit", "category", "label")


def _name(key: str) -> str:
    return TABLES.get(key) or (f"{COLUMNS[key]}({key})" if key in COLUMNS else key)


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    """A list of rows by their name (表1 by unit, 表2 by category, the trend by month, roles by role)."""
    for key in _ROW_KEYS:
        if items and all(isinstance(i, dict) and key in i for i in items):
            names = [str(i[key]) for i in items]
            return dict(zip(names, items, strict=True)) if len(set(names)) == len(names) else None
    if items and all(isinstance(i, list) and len(i) == 2 and isinstance(i[0], str) for i in items):
        names = [i[0] for i in items]
        return {n: i[1] for n, i in zip(names, items, strict=True)} if len(set(names)) == len(names) else None
    return None


def differences(expected: Any, got: Any, path: tuple[str, ...] = ()) -> Iterator[str]:
    """One line per differing figure: where (table / row / column), what was expected, what came."""
    where = " / ".join(path) or "（整体）"
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in sorted(set(expected) | set(got)):
            sub = (*path, _name(key))
            if key not in got:
                yield f"{' / '.join(sub)}: 期望有此项 {expected[key]!r}，实得没有"
            elif key not in expected:
                yield f"{' / '.join(sub)}: 多出此项 {got[key]!r}"
            else:
                yield from differences(expected[key], got[key], sub)
    elif isinstance(expected, list) and isinstance(got, list):
        exp_rows, got_rows = _keyed(expected), _keyed(got)
        if exp_rows is not None and got_rows is not None:
            yield from differences(exp_rows, got_rows, path)
            if list(exp_rows) != list(got_rows) and set(exp_rows) == set(got_rows):
                yield f"{where} 行序: 期望 {list(exp_rows)}，实得 {list(got_rows)}"
            return
        for i in range(max(len(expected), len(got))):
            sub = (*path, f"第{i + 1}项")
            if i >= len(got):
                yield f"{' / '.join(sub)}: 期望 {expected[i]!r}，实得没有"
            elif i >= len(expected):
                yield f"{' / '.join(sub)}: 多出 {got[i]!r}"
            else:
                yield from differences(expected[i], got[i], sub)
    elif _same(expected, got):
        return
    else:
        yield f"{where}: 期望 {expected!r}，实得 {got!r}"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return bool(a == b)
