"""Keeping the data safe: ``check`` (with the way out of a damaged file), ``backup``, ``backups``, ``restore``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from silverdesk.cli.common import open_services


def cmd_check(args: argparse.Namespace) -> int:
    from silverdesk.services.system.check import run_check

    problem = _precheck(args)
    if problem is not None:
        return problem
    services = open_services(args)
    report = run_check(services.ctx)
    print("\n".join(report.lines()))
    path = services.ctx.db.path
    services.close()
    if report.integrity != ["ok"] and path is not None:
        _print_way_out(path)
    return 0 if report.ok else 1


def _precheck(args: argparse.Namespace) -> int | None:
    """Before opening (which would migrate): a damaged file is reported with its way out.

    Returns the exit code when the check must stop here: 1 damaged, 2 not a database / too new.
    """
    from silverdesk.services.system.backups import BackupsNotApplicable, db_file
    from silverdesk.services.system.startup import DAMAGED, startup_check

    try:
        path = db_file(args.db)
    except BackupsNotApplicable:
        return None
    state = startup_check(path)
    if state.can_open:
        return None
    if state.kind == DAMAGED:
        print(state.message())
        print("结论：数据库已损坏，请按上面的命令从备份恢复")
        return 1
    print(f"silverdesk: {state.message()}", file=sys.stderr)
    return 2


def _print_way_out(path: Path) -> None:
    from silverdesk.services.system.backups import latest_good_backup

    backup = latest_good_backup(path)
    if backup is None:
        print("没有找到可用的备份；请不要再写入这个文件，把它复制一份后联系维护人员")
        return
    print(
        f"最近的完好备份：{backup.path}（{backup.created:%Y-%m-%d %H:%M}，{backup.label}，{backup.size_text}）"
    )
    print(f'恢复命令（当前文件会先另存一份）：silverdesk restore "{backup.path}" --db "{path}"')


def cmd_backup(args: argparse.Namespace) -> int:
    from silverdesk.services.system.backups import db_file, manual_backup

    path = db_file(args.db)
    info = manual_backup(path, Path(args.out).expanduser() if args.out else None)
    print(f"已备份到 {info.path}（{info.size_text}）")
    if info.note:
        print(info.note, file=sys.stderr)
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    from silverdesk.services.system.backups import all_backups, backup_folders, db_file

    path = db_file(args.db)
    folders = backup_folders(path)
    found = all_backups(path)
    print(f"数据库：{path}")
    print("备份文件夹：" + "；".join(str(f) for f in folders))
    if not found:
        print("还没有备份")
        return 0
    for b in found:
        where = "" if b.path.parent == folders[0] else f"  （在 {b.path.parent}）"
        print(f"{b.created:%Y-%m-%d %H:%M:%S}  {b.size_text:>9}  {b.label}  {b.path.name}{where}")
    print(f"共 {len(found)} 个")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from silverdesk.errors import UserError
    from silverdesk.services.base import default_operator
    from silverdesk.services.system.backups import db_file, restore, verify_backup

    path = db_file(args.db)
    source = Path(args.file).expanduser()
    verify_backup(source)
    if not args.yes:
        print(f"将用备份 {source} 替换数据库 {path}；当前数据库会先另存一份。")
        try:
            answer = input("确认恢复吗？输入 y 确认：")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes", "是"):
            raise UserError("未确认，数据库未作改动（不询问直接恢复请加 --yes）")
    result = restore(source, path, operator=args.operator or default_operator())
    print(f"已从 {source} 恢复数据库 {result.database}")
    if result.previous is not None:
        print(f"原来的数据库已另存为 {result.previous.path}")
    return 0
