"""``silverdesk report``: 表1–表4 for a period, written as Excel or PDF."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import TYPE_CHECKING

from silverdesk.cli.common import load_storage, open_services

if TYPE_CHECKING:
    from silverdesk.reports.model import UnitRow


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from silverdesk.errors import UserError
    from silverdesk.services.statistics.periods import parse_period
    from silverdesk.services.statistics.reporting import ReportService

    period = parse_period(args.period)
    reported_on = _report_date(args.date)
    load_storage()
    services = open_services(args)
    unit_id = None
    if args.unit:
        unit_id = services.units.find(args.unit)
        if unit_id is None:
            raise UserError(f"找不到单位“{args.unit}”，请检查名称（可用 silverdesk check 查看数据库）")
    reports = ReportService(services.ctx)
    started = time.perf_counter()
    data = reports.build(period, unit_id, reported_on=reported_on)
    from silverdesk.domain.privacy import MaskPolicy

    out = reports.write(
        data,
        Path(args.out),
        args.format,
        layout=Path(args.layout) if args.layout else None,
        form=Path(args.form) if args.form else None,
        mask=MaskPolicy.off() if args.no_mask else MaskPolicy(),
        unit_id=unit_id,
    )
    print(f"{data.title}（{data.period.label}）已写入 {out}（用时 {time.perf_counter() - started:.2f} 秒）")
    print(figures_line(data.table1_total))
    services.close()
    return 0


def figures_line(total: UnitRow) -> str:
    """The report's headline figures as a clerk writes them: "活动 1,234 场次，……服务时长 1,344,680.5 小时，……"."""
    from silverdesk.domain.numbers import count_text, hours_text

    return (
        f"活动 {count_text(total.activities)} 场次，参与 {count_text(total.participations)} 人次，"
        f"服务时长 {hours_text(total.hours)} 小时，受益 {count_text(total.beneficiaries)} 人次"
    )


def _report_date(value: str | None) -> dt.date | None:
    """``--date``: the 报送日期 (None: today)."""
    from silverdesk.domain.dates import DateError, parse_date_value
    from silverdesk.errors import UserError

    try:
        return parse_date_value(value, field_label="报送日期（--date）")
    except DateError as exc:
        raise UserError(str(exc)) from None
