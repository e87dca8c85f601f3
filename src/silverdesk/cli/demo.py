"""``silverdesk demo``: a new database filled with demo data."""

from __future__ import annotations

import argparse
import sys
import time

from silverdesk.cli.common import open_services, write_lock


def cmd_demo(args: argparse.Namespace) -> int:
    with write_lock(args):
        return _demo(args)


def _demo(args: argparse.Namespace) -> int:
    from silverdesk.services import demo

    services = open_services(args)
    started = time.perf_counter()

    def progress(done: int, total: int, label: str = "") -> None:
        print(f"\r{done * 100 // max(total, 1):3d}% {label:<24}", end="", file=sys.stderr, flush=True)

    result = demo.generate(
        services.ctx,
        people=args.people,
        activities=args.activities,
        seed=args.seed,
        county=args.county,
        progress=progress,
    )
    print("", file=sys.stderr)
    print(f"演示数据已写入 {services.ctx.db.display_name}（用时 {time.perf_counter() - started:.1f} 秒）")
    print(
        f"注意：这些数据是虚构的（“{args.county}”及其单位、人员、活动均为编造），仅供试用和熟悉功能，不能用于工作。"
    )
    from silverdesk.domain.numbers import count_text as n

    print(
        f"单位 {n(result.units)}，人员 {n(result.people)}，党组织 {n(result.party_orgs)}，服务队 {n(result.teams)}，"
        f"活动 {n(result.activities)}，资源 {n(result.resources)}，需求 {n(result.demands)}，订单 {n(result.orders)}"
    )
    services.close()
    return 0
