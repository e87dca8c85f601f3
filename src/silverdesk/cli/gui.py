"""``silverdesk gui`` (the default) and ``silverdesk screenshot``: the commands that start Qt."""

from __future__ import annotations

import argparse


def cmd_gui(args: argparse.Namespace) -> int:
    from silverdesk.app import run_gui

    return run_gui(getattr(args, "db", None), operator=getattr(args, "operator", None))


def cmd_screenshot(args: argparse.Namespace) -> int:
    from pathlib import Path

    from silverdesk.app import run_screenshots

    files = run_screenshots(args.db, Path(args.out), args.scale)
    print(f"已生成 {len(files)} 张截图：{Path(args.out)}")
    return 0
