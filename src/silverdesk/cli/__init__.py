"""Command line: ``silverdesk [gui] | demo | check | report | stats | import | template | backup | backups | restore | --version``.

Every command calls the same services as the GUI.  Exit codes: 0 success, 1 the command ran
and found problems (``check``), 2 refused input or a user error (the message is on stderr).

The parser is here; the commands are in a module per group (gui, demo, maintenance, reports, stats, imports),
each importing what it needs only when it runs, so ``silverdesk --help`` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from silverdesk import __version__
from silverdesk.cli.chinese import ChineseArgumentParser
from silverdesk.cli.common import IMPORT_KINDS, TEMPLATE_KINDS, kind_choices
from silverdesk.cli.demo import cmd_demo
from silverdesk.cli.gui import cmd_gui, cmd_screenshot
from silverdesk.cli.imports import cmd_import, cmd_template
from silverdesk.cli.maintenance import cmd_backup, cmd_backups, cmd_check, cmd_restore
from silverdesk.cli.reports import cmd_report
from silverdesk.cli.stats import add_parser as add_stats_parser
from silverdesk.cli.stats import cmd_stats
from silverdesk.errors import SilverdeskError, with_reason


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字，如 1.5") from None


_KIND_WORDS = {"名册": "roster", "离退休干部名册": "roster", "志愿服务活动": "activities", "资源": "resources",
               "需求": "demands", "报表": "report"}  # fmt: skip


def _kind_arg(kinds: Sequence[str]) -> Callable[[str], str]:
    """``--kind 花名册`` (or the key, ``roster``) → ``roster``; anything else is refused with the choices.
    (The import's kind names are loaded when a kind is read, not for every command.)"""

    def parse(text: str) -> str:
        from silverdesk.services.importing import kind_name

        words = {kind_name(k): k for k in kinds} | {w: k for w, k in _KIND_WORDS.items() if k in kinds}
        key = text if text in kinds else words.get(text.strip())
        if key is None:
            raise argparse.ArgumentTypeError(
                f"没有“{text}”这一类，请写：{'、'.join(kind_name(k) for k in kinds)}"
            )
        return key

    return parse


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        metavar="数据库",
        help="数据库文件路径或 SQLAlchemy 连接地址（默认：环境变量 SILVERDESK_DB，或用户数据目录下的 silverdesk.sqlite）",
    )
    p.add_argument(
        "--operator",
        metavar="姓名",
        help="操作人姓名，写入操作日志（默认：环境变量 SILVERDESK_OPERATOR 或登录名）",
    )


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; ``command`` (the command about to run, when known): the import kinds'
    names, which load the import package, are spelt out in the help of ``import`` and ``template`` only
    when one of those (or the help) runs — ``silverdesk report`` does not pay for them."""
    parser = ChineseArgumentParser(prog="silverdesk", description="离退休干部志愿服务工作管理系统")
    parser.add_argument(
        "--version", action="version", version=f"silverdesk {__version__}", help="显示版本号后退出"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")

    gui = sub.add_parser("gui", help="启动图形界面（不带命令时的默认操作）")
    _add_db(gui)

    demo = sub.add_parser("demo", help="生成演示数据库（虚构数据，仅供试用）")
    _add_db(demo)
    demo.add_argument(
        "--people", type=_whole_number, default=2000, metavar="人数", help="人员数（默认 2000）"
    )
    demo.add_argument(
        "--activities", type=_whole_number, default=20000, metavar="条数", help="活动数（默认 20000）"
    )
    demo.add_argument(
        "--seed", type=_whole_number, default=2026, metavar="种子", help="随机种子，相同种子生成相同数据"
    )
    demo.add_argument("--county", default="青山县", metavar="县名", help="县名（默认 青山县）")

    check = sub.add_parser("check", help="检查数据库完整性并汇总记录数")
    _add_db(check)

    report = sub.add_parser("report", help="生成统计报表（Excel 或 PDF）")
    _add_db(report)
    report.add_argument(
        "--period",
        required=True,
        metavar="时段",
        help="统计时段：2026-10（月）、2026Q3（季）、2026（年）或 2026-01-01..2026-06-30",
    )
    report.add_argument(
        "--unit",
        metavar="单位",
        help="只统计某单位及其下级（单位名称）；默认本级及全部下级（全县、全市或全区）",
    )
    report.add_argument("--format", choices=("xlsx", "pdf"), help="输出格式（默认按 --out 的扩展名）")
    report.add_argument("--out", required=True, metavar="文件", help="输出文件（.xlsx 或 .pdf）")
    report.add_argument(
        "--date",
        metavar="日期",
        help="报表末尾的报送日期，如 2026-12-05（默认今天）；署名用“设置 › 本单位”中填写的",
    )
    layout = report.add_mutually_exclusive_group()
    layout.add_argument("--layout", metavar="版式.json", help="报表版式文件（默认使用内置版式）")
    layout.add_argument(
        "--form", metavar="表样.xlsx", help="省里下发的 Excel 表格（单元格中写有 {{占位符}}），由程序填写"
    )
    report.add_argument(
        "--no-mask",
        action="store_true",
        help="不隐藏文字中的身份证号和手机号（默认隐藏；仅供内部使用时才加）",
    )
    add_stats_parser(sub, _add_db)
    _add_import_parsers(sub, command in (None, "import", "template"))
    _add_backup_commands(sub)

    shots = sub.add_parser("screenshot", help="把各主界面和表单渲染为 PNG 图片（供审阅和编写手册）")
    _add_db(shots)
    shots.add_argument("--out", required=True, metavar="文件夹", help="图片输出目录")
    shots.add_argument(
        "--scale", type=_number, default=1.0, metavar="比例", help="界面缩放比例，如 1.25、1.5（默认 1）"
    )
    return parser


def _add_import_parsers(sub: argparse._SubParsersAction, named: bool = True) -> None:  # type: ignore[type-arg]
    def choices(kinds: Sequence[str]) -> str:
        return kind_choices(kinds) if named else "、".join(kinds)

    imp = sub.add_parser(
        "import",
        help="导入下级单位报送的表格；import undo 批次号 撤销一批导入",
        description=f"导入表格（{choices(IMPORT_KINDS)}），或撤销一批导入：silverdesk import undo 12",
    )
    _add_db(imp)
    imp.add_argument("file", metavar="文件", help="要导入的文件（.xlsx/.xls/.csv/.ods），或 undo")
    imp.add_argument("batch", nargs="?", metavar="批次号", help="与 undo 连用：要撤销的导入批次号")
    imp.add_argument(
        "--kind",
        type=_kind_arg(IMPORT_KINDS),
        metavar="内容",
        help=f"表格内容：{choices(IMPORT_KINDS)}（不写则按表头判断）",
    )
    imp.add_argument(
        "--unit",
        metavar="单位",
        help="报送单位名称；库中没有时在本县下新建。导入花名册和活动时必须写，除非表中有“所属单位”列逐行写明单位",
    )
    imp.add_argument(
        "--sheet", metavar="工作表", help="工作表：序号（从 1 起）或名称（默认第一个可见工作表）"
    )
    imp.add_argument("--dry-run", action="store_true", help="只检查和预览，不写入数据库")
    imp.add_argument(
        "--confirm-large",
        action="store_true",
        help="已核对：超出常见范围的数字（如参与人次超过 5000）按原数导入（默认这些行暂不导入，列为待核对）",
    )
    imp.add_argument("--json", action="store_true", help="以一个 JSON 对象输出结果")
    imp.add_argument(
        "--errors", metavar="退回.xlsx", help="把被拒绝的行写成表格（问题单元格标红并批注），退回报送单位"
    )
    imp.add_argument(
        "--no-mask",
        action="store_true",
        help="与 --errors 连用：错误表中不隐藏身份证号和电话（默认隐藏；仅供内部使用时才加）",
    )

    tpl = sub.add_parser("template", help="生成空白导入模板（带下拉列表和填写说明）")
    _add_db(tpl)
    tpl.add_argument(
        "kind",
        type=_kind_arg(TEMPLATE_KINDS),
        metavar="内容",
        help=f"模板内容：{choices(TEMPLATE_KINDS)}",
    )
    tpl.add_argument("--out", required=True, metavar="文件", help="输出的 .xlsx 文件")


def _add_backup_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = sub.add_parser("backup", help="立即备份数据库（SQLite 在线备份，程序运行时也可以做）")
    _add_db(backup)
    backup.add_argument("--out", metavar="位置", help="备份到这个文件或文件夹（默认：备份文件夹，见设置）")

    backups = sub.add_parser("backups", help="列出数据库的备份（时间、大小、原因）")
    _add_db(backups)

    restore = sub.add_parser("restore", help="用备份替换数据库（先检查备份，并把当前数据库另存一份）")
    restore.add_argument("file", metavar="备份文件", help="要恢复的备份文件")
    _add_db(restore)
    restore.add_argument("--yes", action="store_true", help="不再询问，直接恢复")


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    first = next((w for w in words if not w.startswith("-")), None)
    asked_help = any(w in ("-h", "--help") for w in words)
    args = build_parser(None if asked_help else first).parse_args(argv)
    command = args.command or "gui"
    try:
        handler: Callable[[argparse.Namespace], int] = {
            "gui": cmd_gui,
            "demo": cmd_demo,
            "check": cmd_check,
            "report": cmd_report,
            "stats": cmd_stats,
            "import": cmd_import,
            "template": cmd_template,
            "screenshot": cmd_screenshot,
            "backup": cmd_backup,
            "backups": cmd_backups,
            "restore": cmd_restore,
        }[command]
        return handler(args)
    except SilverdeskError as exc:
        print(f"silverdesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("silverdesk: 已中断", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: a Chinese line on screen, the traceback in the log for the maintainer
        print(
            f"silverdesk: 程序遇到意外错误，这次操作没有完成{with_reason(exc)}；详细信息已写入 {_log_traceback(exc)}，"
            "请发给维护人员",
            file=sys.stderr,
        )
        return 1


def _log_traceback(exc: BaseException) -> Path:
    """Append ``exc``'s traceback to the program's log file (the GUI's); returns the file."""
    import datetime as dt
    import traceback

    from silverdesk.paths import log_dir

    path = log_dir() / "silverdesk.log"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(
            f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} ERROR silverdesk.cli: {' '.join(sys.argv)}\n"
            + "".join(traceback.format_exception(exc))
        )
    return path
