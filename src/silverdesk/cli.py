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

    shots = sub.add_parser("screenshot", help="把各主界面和表单渲染为 PNG 图片（供审阅和编写手册）")
    _add_db(shots)
    shots.add_argument("--out", required=True, help="图片输出目录")
    shots.add_argument("--scale", type=float, default=1.0, help="界面缩放比例，如 1.25、1.5（默认 1）")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "gui"
    try:
        if command == "gui":
            from silverdesk.app import run_gui

            return run_gui(getattr(args, "db", None))
        handler = {"demo": cmd_demo, "check": cmd_check, "screenshot": cmd_screenshot}[command]
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


def cmd_screenshot(args: argparse.Namespace) -> int:
    from pathlib import Path

    from silverdesk.app import run_screenshots

    files = run_screenshots(args.db, Path(args.out), args.scale)
    print(f"已生成 {len(files)} 张截图：{Path(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
