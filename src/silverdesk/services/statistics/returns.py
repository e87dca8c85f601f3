"""汇总: import a report workbook a subordinate unit wrote with silverdesk, and read the returns for a span.

The figures come from the workbook's hidden data sheet (exact, whatever the visible layout).
They are kept per unit and period in ``submitted_report``; the statistics service then shows
that unit as one row of 表1.  Importing the same unit and period again replaces the earlier
figures, never doubles them.

:func:`returns_for` gives, for each unit, its return for a span: the return for exactly that span, else
one built from its returns inside the span (months, or quarters for a year) by the rule :data:`RULE`
states — flows summed, stocks from the last return, 志愿者 (people, not summable) the largest; the
months no return covers are named in the row's note. :func:`monthly_returns` gives the trend's months.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from silverdesk.db.models import ImportBatch, SubmittedReport, Unit
from silverdesk.errors import UserError
from silverdesk.reports.model import (
    CategoryRow,
    Period,
    ReportData,
    SupplyDemand,
    Totals,
    TrendPoint,
    UnitRow,
)
from silverdesk.services.base import Context, audit
from silverdesk.services.statistics.periods import REPORT_NAMES, ReportPeriod, period_of
from silverdesk.services.statistics.query.units import WHOLE_LABELS

RULE = (
    "下级单位报送了本时段报表并已导入的，该单位按其报送数据汇总；没有本时段报表的，按其本时段内的月报（或季报）汇总："
    "场次、参与人次、服务时长、受益人次、表2各服务领域、需求条目、对接次数、签约订单、完成订单各月相加，"
    "志愿服务队、年度累计、表3和资源条目取最后一期报表，志愿者和其中党员是人数、不能相加，取各月最大值；"
    "缺报的月份在表1备注中注明。"
)


@dataclass(frozen=True)
class ReportImportResult:
    batch_id: int
    unit: str
    unit_created: bool
    period_label: str
    replaced: bool
    activities: int
    beneficiaries: int


def sender_name(title: str, issuer: str, scope: str) -> str:
    """The sending unit's name: the title's prefix ("青山县" of "青山县离退休干部…"), else scope/issuer."""
    m = re.match(r"(.+?)离退休干部", title)
    if m and m.group(1).strip():
        return m.group(1).strip()
    if scope and scope not in WHOLE_LABELS:
        return scope
    m = re.match(r"中共(.+?)委", issuer)
    return m.group(1) if m else issuer


def import_report(ctx: Context, path: Path, unit_name: str | None = None) -> ReportImportResult:
    from silverdesk.reports.codec import to_plain
    from silverdesk.reports.readback import read_report_workbook

    data = read_report_workbook(path)  # refuses anything that is not a silverdesk report
    name = (unit_name or sender_name(data.title, data.issuer, data.scope)).strip()
    if not name:
        raise UserError("无法从报表中判断报送单位，请用 --unit 指定单位名称")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with ctx.db.session() as session:
        root = session.scalar(select(Unit).where(Unit.parent_id.is_(None)))
        if root is None:
            raise UserError("还没有建立本级单位，请先在“设置 › 单位”中建立本县（市、区）")
        unit = session.scalar(select(Unit).where(Unit.name == name).order_by(Unit.parent_id.is_(None)))
        created = unit is None
        if unit is None:
            kind = "县" if name.endswith("县") else ("区" if name.endswith("区") else "其他")
            unit = Unit(name=name, kind=kind, parent_id=root.id)
            session.add(unit)
            session.flush()
            audit(session, ctx, "新增", "unit", unit.id, f"导入报表时新建下级单位：{name}")
        if unit.id == root.id:
            raise UserError(f"这份报表是本级（{name}）自己的报表，不能作为下级报表汇总")
        replaced = (
            cast(
                "CursorResult[Any]",  # what a DELETE returns; Session.execute is typed for SELECT
                session.execute(
                    delete(SubmittedReport).where(
                        SubmittedReport.unit_id == unit.id,
                        SubmittedReport.period_start == data.period.start,
                        SubmittedReport.period_end == data.period.end,
                    )
                ),
            ).rowcount
            > 0
        )
        batch = ImportBatch(
            kind="report",
            file_name=path.name[:255],
            file_sha256=digest,
            sheet="_silverdesk",
            unit_id=unit.id,
            operator=ctx.operator,
            imported_at=ctx.clock(),
            rows_read=1,
            imported=0 if replaced else 1,
            updated=1 if replaced else 0,
        )
        session.add(batch)
        session.flush()
        session.add(
            SubmittedReport(
                unit_id=unit.id,
                period_start=data.period.start,
                period_end=data.period.end,
                figures_json=json.dumps(to_plain(data), ensure_ascii=False),
                import_batch_id=batch.id,
                received_at=ctx.clock(),
            )
        )
        audit(
            session,
            ctx,
            "导入",
            "submitted_report",
            batch.id,
            f"{'替换' if replaced else '导入'}{name}{data.period.label}报表（{path.name}）",
        )
        total = data.table1_total
        return ReportImportResult(
            batch.id, name, created, data.period.label, replaced, total.activities, total.beneficiaries
        )


# -- the returns for a span -----------------------------------------------------------------------
def returns_for(
    session: Session, unit_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, ReportData]:
    """Each unit's return for ``start`` … ``end``: the return for exactly that span, else one built from
    its returns inside it (see :data:`RULE`); a unit with no return inside the span is left out."""
    from silverdesk.reports.codec import report_from_plain

    ids = sorted(set(unit_ids))
    if not ids:
        return {}
    found: dict[int, list[tuple[dt.date, dt.date, str]]] = {}
    for unit_id, first, last, figures in session.execute(
        select(
            SubmittedReport.unit_id,
            SubmittedReport.period_start,
            SubmittedReport.period_end,
            SubmittedReport.figures_json,
        ).where(
            SubmittedReport.unit_id.in_(ids),
            SubmittedReport.period_start >= start,
            SubmittedReport.period_end <= end,
        )
    ):
        found.setdefault(unit_id, []).append((first, last, figures))
    out: dict[int, ReportData] = {}
    for unit_id, returns in found.items():
        exact = next((f for a, b, f in returns if (a, b) == (start, end)), None)
        if exact is not None:
            out[unit_id] = report_from_plain(json.loads(exact))
            continue
        pieces, missing = _cover(returns, start, end)
        if pieces:
            parts = [report_from_plain(json.loads(f)) for _, _, f in pieces]
            out[unit_id] = _combine(parts, period_of(start, end), missing)
    return out


def monthly_returns(
    session: Session, unit_ids: Iterable[int], months: Sequence[ReportPeriod]
) -> dict[str, dict[int, tuple[int, int]]]:
    """The month returns among ``months``: {month code: {unit: (场次, 受益人次)}} — for the 12-month trend."""
    ids = sorted(set(unit_ids))
    if not ids or not months:
        return {}
    codes = {(m.start, m.end): m.code for m in months}
    out: dict[str, dict[int, tuple[int, int]]] = {}
    for unit_id, first, last, figures in session.execute(
        select(
            SubmittedReport.unit_id,
            SubmittedReport.period_start,
            SubmittedReport.period_end,
            SubmittedReport.figures_json,
        ).where(
            SubmittedReport.unit_id.in_(ids),
            SubmittedReport.period_start >= months[0].start,
            SubmittedReport.period_end <= months[-1].end,
        )
    ):
        code = codes.get((first, last))
        if code is not None:
            total = json.loads(figures)["table1_total"]
            out.setdefault(code, {})[unit_id] = (int(total["activities"]), int(total["beneficiaries"]))
    return out


def trend_with_returns(
    points: Sequence[TrendPoint],
    months: Sequence[ReportPeriod],
    returned: Mapping[str, Mapping[int, tuple[int, int]]],
    own: Mapping[tuple[str, int], tuple[int, int]],
) -> list[TrendPoint]:
    """The 12-month trend with each subordinate's month return in place of its own records of that month,
    as 表1 does: ``returned`` from :func:`monthly_returns`; ``own`` the (场次, 受益人次) recorded here for
    the returned units, by (month code, unit) — whatever counted ``points``."""
    out = []
    for point, m in zip(points, months, strict=True):
        activities, beneficiaries = point.activities, point.beneficiaries
        for unit_id, (n, b) in returned.get(m.code, {}).items():
            mine = own.get((m.code, unit_id), (0, 0))
            activities += n - mine[0]
            beneficiaries += b - mine[1]
        out.append(TrendPoint(point.label, activities, beneficiaries))
    return out


def _cover(
    returns: list[tuple[dt.date, dt.date, str]], start: dt.date, end: dt.date
) -> tuple[list[tuple[dt.date, dt.date, str]], list[tuple[dt.date, dt.date]]]:
    """The returns that tile the span one after another, the longest first at each step, and the stretches
    no return covers (a month at a time)."""
    by_start: dict[dt.date, list[tuple[dt.date, dt.date, str]]] = {}
    for r in returns:
        by_start.setdefault(r[0], []).append(r)
    pieces: list[tuple[dt.date, dt.date, str]] = []
    missing: list[tuple[dt.date, dt.date]] = []
    day = start
    while day <= end:
        here = by_start.get(day)
        if here:
            piece = max(here, key=lambda r: r[1])
            pieces.append(piece)
            day = piece[1] + dt.timedelta(days=1)
            continue
        month_end = dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
        missing.append((day, min(month_end, end)))
        day = min(month_end, end) + dt.timedelta(days=1)
    return pieces, missing


def _missing_text(missing: list[tuple[dt.date, dt.date]], period: ReportPeriod) -> str:
    """The stretches no return covers: "11月", "1月—9月、11月", "10月15日—31日"."""
    merged: list[list[dt.date]] = []
    for first, last in missing:
        if merged and merged[-1][1] + dt.timedelta(days=1) == first:
            merged[-1][1] = last
        else:
            merged.append([first, last])
    one_year = period.start.year == period.end.year

    def month_name(day: dt.date) -> str:
        return f"{day.month}月" if one_year else f"{day.year}年{day.month}月"

    names = []
    for first, last in merged:
        whole = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
        if not whole:
            names.append(f"{month_name(first)}{first.day}日—{month_name(last)}{last.day}日")
        elif (first.year, first.month) == (last.year, last.month):
            names.append(month_name(first))
        else:
            names.append(f"{month_name(first)}—{month_name(last)}")
    return "、".join(names)


def _combine(
    parts: list[ReportData], period: ReportPeriod, missing: list[tuple[dt.date, dt.date]]
) -> ReportData:
    """One return for ``period`` from the returns inside it, in order (:data:`RULE`)."""
    last = parts[-1]
    months = all(p.period.kind == "month" for p in parts)
    note = "据月报汇总，志愿者取各月最大值" if months else "据分期报表汇总，志愿者取各期最大值"
    if missing:
        note += f"；缺{_missing_text(missing, period)}报表"
    rows: dict[str, list[UnitRow]] = {}
    for data in parts:
        for row in data.table1:
            rows.setdefault(row.unit, []).append(row)
    last_rows = {r.unit: r for r in last.table1}
    table1 = tuple(
        _unit_row(same, last_rows.get(label), seq, label, "")
        for seq, (label, same) in enumerate(rows.items(), 1)
    )
    total = _unit_row([d.table1_total for d in parts], last.table1_total, None, "合计", note)
    categories: dict[str, list[int | float]] = {}
    for data in parts:
        for c in data.table2:
            sums = categories.setdefault(c.category, [0, 0, 0.0, 0])
            for i, v in enumerate((c.activities, c.participations, c.hours, c.beneficiaries)):
                sums[i] += v
    activities = sum(int(c[0]) for c in categories.values())
    table2 = tuple(
        CategoryRow(
            name,
            int(c[0]),
            int(c[1]),
            round(float(c[2]), 1),
            int(c[3]),
            round(c[0] / activities, 4) if activities else 0.0,
        )
        for name, c in categories.items()
    )
    t2 = [d.table2_total for d in parts]
    table2_total = CategoryRow(
        "合计",
        sum(c.activities for c in t2),
        sum(c.participations for c in t2),
        round(sum(c.hours for c in t2), 1),
        sum(c.beneficiaries for c in t2),
        1.0 if activities else 0.0,
    )
    t4 = [d.table4 for d in parts]
    cur = [d.current for d in parts]
    title = re.sub(r"统计(月报|季报|年报|报表)$", REPORT_NAMES[period.kind], last.title)
    return ReportData(
        title=title,
        issuer=last.issuer,
        scope=last.scope,
        period=Period(period.start, period.end, period.kind, period.label, period.range_text),
        table1=table1,
        table1_total=total,
        table2=table2,
        table2_total=table2_total,
        table3=last.table3,
        table4=SupplyDemand(
            last.table4.resources,
            sum(d.demands for d in t4),
            sum(d.matches for d in t4),
            sum(d.orders_signed for d in t4),
            sum(d.orders_completed for d in t4),
        ),
        current=Totals(
            sum(t.activities for t in cur),
            sum(t.participations for t in cur),
            round(sum(t.hours for t in cur), 1),
            sum(t.beneficiaries for t in cur),
            last.current.teams,
            max(t.volunteers for t in cur),
        ),
        previous=None,
        last_year=None,
        year_to_date=last.year_to_date,
        trend=last.trend,
        narrative="",
        notes=(RULE,),
        footer=last.footer,
        generated_at=last.generated_at,
    )


def _unit_row(rows: list[UnitRow], last: UnitRow | None, seq: int | None, label: str, note: str) -> UnitRow:
    """A row of 表1 over several returns: flows summed, stocks from the last return (0 when the unit is not
    in it), 志愿者 and 其中党员 the largest."""
    return UnitRow(
        seq,
        label,
        last.teams if last else 0,
        max(r.volunteers for r in rows),
        max(r.party_members for r in rows),
        sum(r.activities for r in rows),
        sum(r.participations for r in rows),
        round(sum(r.hours for r in rows), 1),
        sum(r.beneficiaries for r in rows),
        last.ytd_activities if last else 0,
        last.ytd_beneficiaries if last else 0,
        note,
    )
