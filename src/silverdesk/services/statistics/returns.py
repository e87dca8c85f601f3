"""汇总: import a report workbook a subordinate unit wrote with silverdesk.

The figures come from the workbook's hidden data sheet (exact, whatever the visible layout).
They are kept per unit and period in ``submitted_report``; the statistics service then shows
that unit as one row of 表1.  Importing the same unit and period again replaces the earlier
figures, never doubles them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select

from silverdesk.db.models import ImportBatch, SubmittedReport, Unit
from silverdesk.errors import UserError
from silverdesk.services.base import Context, audit


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
    if scope and scope != "全县":
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
            raise UserError("还没有建立本级单位，请先在“设置”里建立单位或运行 silverdesk demo --people 0")
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
