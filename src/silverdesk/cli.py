"""Command line: ``silverdesk [gui] | demo | check | --version``.

Every command calls the same services as the GUI.  Exit codes: 0 success, 1 the command ran
and found problems (``check``), 2 refused input or a user error (the message is on stderr).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from silverdesk import __version__
from silverdesk.errors import SilverdeskError


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH|URL",
                   help="数据库文件路径或 SQLAlchemy URL（默认：环境变量 SILVERDESK_DB，或用户数据目录下的 silverdesk.sqlite）")
    p.add_argument("--operator", help="操作人姓名，写入操作日志（默认：SILVERDESK_OPERATOR 或登录名）")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="silverdesk", description="离退休干部志愿服务工作管理系统")
    parser.add_argument("--version", action="version", version=f"silverdesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    gui = sub.add_parser("gui", help="启动图形界面（不带命令时的默认操作）")
    _add_db(gui)

    demo = sub.add_parser("demo", help="生成演示数据库")
    _add_db(demo)
    demo.add_argument("--people", type=int, default=2000, help="人员数（默认 2000）")
    demo.add_argument("--activities", type=int, default=20000, help="活动数（默认 20000）")
    demo.add_argument("--seed", type=int, default=2026, help="随机种子，相同种子生成相同数据")
    demo.add_argument("--county", default="青山县", help="县名（默认 青山县）")

    check = sub.add_parser("check", help="检查数据库完整性并汇总记录数")
    _add_db(check)

    report = sub.add_parser("report", help="生成统计报表（Excel 或 PDF）")
    _add_db(report)
    report.add_argument("--period", required=True,
                        help="统计时段：2026-10（月）、2026Q3（季）、2026（年）或 2026-01-01..2026-06-30")
    report.add_argument("--unit", help="只统计某单位及其下级（单位名称）；默认全县")
    report.add_argument("--format", choices=("xlsx", "pdf"), help="输出格式（默认按 --out 的扩展名）")
    report.add_argument("--out", required=True, help="输出文件")
    layout = report.add_mutually_exclusive_group()
    layout.add_argument("--layout", help="报表版式文件（JSON，默认使用内置版式）")
    layout.add_argument("--form", help="省里下发的 Excel 表格（单元格中写有 {{占位符}}），由程序填写")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "gui"
    try:
        if command == "gui":
            from silverdesk.app import run_gui

            return run_gui(getattr(args, "db", None))
        handler = {"demo": cmd_demo, "check": cmd_check, "report": cmd_report}[command]
        return handler(args)
    except SilverdeskError as exc:
        print(f"silverdesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("silverdesk: 已中断", file=sys.stderr)
        return 130


def _services(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from silverdesk.services.hub import Services

    return Services.open(args.db, args.operator)


def cmd_demo(args: argparse.Namespace) -> int:
    from silverdesk.services import demo

    services = _services(args)
    started = time.perf_counter()

    def progress(done: int, total: int, label: str = "") -> None:
        print(f"\r{label} {done}/{total}", end="", file=sys.stderr, flush=True)

    result = demo.generate(services.ctx, people=args.people, activities=args.activities, seed=args.seed,
                           county=args.county, progress=progress)
    print("", file=sys.stderr)
    print(f"演示数据已写入 {services.ctx.db.display_name}（用时 {time.perf_counter() - started:.1f} 秒）")
    print(f"单位 {result.units}，人员 {result.people}，党组织 {result.party_orgs}，服务队 {result.teams}，"
          f"活动 {result.activities}，资源 {result.resources}，需求 {result.demands}，订单 {result.orders}")
    services.close()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from silverdesk.services.check import run_check

    services = _services(args)
    report = run_check(services.ctx)
    print("\n".join(report.lines()))
    services.close()
    return 0 if report.ok else 1


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from silverdesk.errors import UserError
    from silverdesk.services.periods import parse_period
    from silverdesk.services.reporting import ReportService

    period = parse_period(args.period)
    services = _services(args)
    unit_id = None
    if args.unit:
        unit_id = services.units.find(args.unit)
        if unit_id is None:
            raise UserError(f"找不到单位“{args.unit}”，请检查名称（可用 silverdesk check 查看数据库）")
    reports = ReportService(services.ctx)
    started = time.perf_counter()
    data = reports.build(period, unit_id)
    out = reports.write(data, Path(args.out), args.format, layout=Path(args.layout) if args.layout else None,
                        form=Path(args.form) if args.form else None)
    total = data.table1_total
    print(f"{data.title}（{data.period.label}）已写入 {out}（用时 {time.perf_counter() - started:.2f} 秒）")
    print(f"活动 {total.activities} 场次，参与 {total.participations} 人次，服务时长 {total.hours:g} 小时，"
          f"受益 {total.beneficiaries} 人次")
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
