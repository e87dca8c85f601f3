"""Command line: ``silverdesk [gui] | demo | check | report | import | template | backup | backups | restore | --version``.

Every command calls the same services as the GUI.  Exit codes: 0 success, 1 the command ran
and found problems (``check``), 2 refused input or a user error (the message is on stderr).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import re
import sys
import time
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from silverdesk import __version__
from silverdesk.errors import SilverdeskError, with_reason

# -- argparse in Chinese ---------------------------------------------------------------------------

ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示这段说明后退出",
    "show program's version number and exit": "显示版本号后退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必须写的参数：%s",
    "one of the arguments %s is required": "%s 中必须写一个",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "ignored explicit argument %r": "这个选项后面不能写值（%r）",
    "expected one argument": "后面要写一个值",
    "expected at most one argument": "后面最多写一个值",
    "expected at least one argument": "后面至少要写一个值",
    "expected %s argument": "后面要写 %s 个值",
    "expected %s arguments": "后面要写 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "unexpected option string: %s": "多余的选项：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有 %(value)r 这一项（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 写得不对",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有 %(parser_name)r 这个命令（可用：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
"""argparse's own words (its gettext message ids) in Chinese; an id not listed stays as argparse has it."""


@contextlib.contextmanager
def _argparse_in_chinese() -> Iterator[None]:
    """argparse looks its words up through its module's ``_``/``ngettext`` at the moment it needs
    them: while this is active they come from :data:`ARGPARSE_ZH`."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = lambda text: ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: ARGPARSE_ZH.get(one if n == 1 else many, one if n == 1 else many)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _columns(text: str) -> int:
    """How many terminal columns ``text`` takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_TOKENS = re.compile(r"[!-~]+| |.")  # ASCII words stay whole; a line may break after any Chinese character
_NO_LINE_START = set("，。、；：？！）》”’")
_NO_LINE_END = set("“‘（《")


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help, aligned and wrapped by terminal columns (argparse counts characters)."""

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            actions = [action, *self._iter_indented_subactions(action)]
            widest = max(_columns(self._format_action_invocation(a)) for a in actions)
            self._action_max_length = max(self._action_max_length, widest + self._current_indent)

    def _format_action(self, action: argparse.Action) -> str:
        help_position = min(self._action_max_length + 2, self._max_help_position)
        header = self._format_action_invocation(action)
        lines = (self._split_lines(self._expand_help(action), max(self._width - help_position, 11))
                 if action.help and action.help.strip() else [])  # fmt: skip
        room = help_position - self._current_indent - 2
        parts = [" " * self._current_indent + header]
        if lines and _columns(header) <= room:
            parts.append(" " * (room - _columns(header) + 2) + lines.pop(0))
        parts.append("\n")
        parts += [" " * help_position + line + "\n" for line in lines]
        parts += [self._format_action(sub) for sub in self._iter_indented_subactions(action)]
        return self._join_parts(parts)

    def _split_lines(self, text: str, width: int) -> list[str]:
        lines, line = [], ""
        for token in _TOKENS.findall(self._whitespace_matcher.sub(" ", text).strip()):
            if line and _columns(line + token) > width and token not in _NO_LINE_START:
                carried = line[-1] if line[-1] in _NO_LINE_END else ""
                lines.append(line[: len(line) - len(carried)].rstrip())
                line = carried + token.lstrip()
            else:
                line += token
        return [*lines, line.rstrip()] if line else lines

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in self._split_lines(text, width - len(indent)))


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage, headings, help and error messages are Chinese (subcommands too)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        with _argparse_in_chinese():
            super().__init__(*args, **kwargs)

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def]
        with _argparse_in_chinese():
            return super().parse_known_args(args, namespace)

    def parse_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def]
        with _argparse_in_chinese():  # its own "unrecognized arguments" comes after parse_known_args
            return super().parse_args(args, namespace)

    def format_usage(self) -> str:
        with _argparse_in_chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in_chinese():
            text = super().format_help()
        for group in self._action_groups:  # the formatter ends headings with ":"; Chinese ends them with "："
            text = text.replace(f"\n{group.title}:\n", f"\n{group.title}：\n")
        return text


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


IMPORT_KINDS = ("roster", "activities", "resources", "demands", "report")
"""The import kinds' keys (``--kind``, the JSON output); the clerk may write them in Chinese."""
_KIND_WORDS = {"名册": "roster", "离退休干部名册": "roster", "志愿服务活动": "activities", "资源": "resources",
               "需求": "demands", "报表": "report"}  # fmt: skip


def _kind_arg(kinds: Sequence[str]):  # type: ignore[no-untyped-def]
    """``--kind 花名册`` (or the key, ``roster``) → ``roster``; anything else is refused with the choices."""
    from silverdesk.services.importing import kind_name

    words = {kind_name(k): k for k in kinds} | {w: k for w, k in _KIND_WORDS.items() if k in kinds}

    def parse(text: str) -> str:
        key = text if text in kinds else words.get(text.strip())
        if key is None:
            raise argparse.ArgumentTypeError(
                f"没有“{text}”这一类，请写：{'、'.join(kind_name(k) for k in kinds)}"
            )
        return key

    return parse


def _kind_choices(kinds: Sequence[str]) -> str:
    from silverdesk.services.importing import kind_name

    return "、".join(kind_name(k) for k in kinds)


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


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="silverdesk", description="离退休干部志愿服务工作管理系统")
    parser.add_argument(
        "--version", action="version", version=f"silverdesk {__version__}", help="显示版本号后退出"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")

    gui = sub.add_parser("gui", help="启动图形界面（不带命令时的默认操作）")
    _add_db(gui)

    demo = sub.add_parser("demo", help="生成演示数据库")
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
    report.add_argument("--unit", metavar="单位", help="只统计某单位及其下级（单位名称）；默认全县")
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
    _add_import_parsers(sub)
    _add_backup_commands(sub)

    shots = sub.add_parser("screenshot", help="把各主界面和表单渲染为 PNG 图片（供审阅和编写手册）")
    _add_db(shots)
    shots.add_argument("--out", required=True, metavar="文件夹", help="图片输出目录")
    shots.add_argument(
        "--scale", type=_number, default=1.0, metavar="比例", help="界面缩放比例，如 1.25、1.5（默认 1）"
    )
    return parser


def _add_import_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = sub.add_parser(
        "import",
        help="导入下级单位报送的表格；import undo 批次号 撤销一批导入",
        description=f"导入表格（{_kind_choices(IMPORT_KINDS)}），或撤销一批导入：silverdesk import undo 12",
    )
    _add_db(imp)
    imp.add_argument("file", metavar="文件", help="要导入的文件（.xlsx/.xls/.csv/.ods），或 undo")
    imp.add_argument("batch", nargs="?", metavar="批次号", help="与 undo 连用：要撤销的导入批次号")
    imp.add_argument(
        "--kind",
        type=_kind_arg(IMPORT_KINDS),
        metavar="内容",
        help=f"表格内容：{_kind_choices(IMPORT_KINDS)}（不写则按表头判断）",
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
        type=_kind_arg(IMPORT_KINDS[:4]),
        metavar="内容",
        help=f"模板内容：{_kind_choices(IMPORT_KINDS[:4])}",
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
    args = build_parser().parse_args(argv)
    command = args.command or "gui"
    try:
        if command == "gui":
            from silverdesk.app import run_gui

            return run_gui(getattr(args, "db", None), operator=getattr(args, "operator", None))
        handler = {
            "demo": cmd_demo,
            "check": cmd_check,
            "report": cmd_report,
            "import": cmd_import,
            "template": cmd_template,
            "screenshot": cmd_screenshot,
            **BACKUP_COMMANDS,
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


def _services(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from silverdesk.services.hub import Services

    return Services.open(args.db, args.operator)


def _write_lock(args: argparse.Namespace) -> contextlib.AbstractContextManager[object]:
    """The database's one-writer lock for commands that write (demo, import, restore).

    A second writer is refused with the holder's name; a server database needs no file lock.
    """
    from silverdesk.services.base import default_operator
    from silverdesk.services.system.backups import BackupsNotApplicable, db_file
    from silverdesk.services.system.lock import DatabaseLock

    try:
        path = db_file(args.db)
    except BackupsNotApplicable:
        return contextlib.nullcontext()
    return DatabaseLock(path, args.operator or default_operator())


def cmd_demo(args: argparse.Namespace) -> int:
    with _write_lock(args):
        return _demo(args)


def _demo(args: argparse.Namespace) -> int:
    from silverdesk.services import demo

    services = _services(args)
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
        f"单位 {result.units}，人员 {result.people}，党组织 {result.party_orgs}，服务队 {result.teams}，"
        f"活动 {result.activities}，资源 {result.resources}，需求 {result.demands}，订单 {result.orders}"
    )
    services.close()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from silverdesk.services.system.check import run_check

    problem = _precheck(args)
    if problem is not None:
        return problem
    services = _services(args)
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


# -- backups (issue #7) -------------------------------------------------------------------------


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


BACKUP_COMMANDS = {"backup": cmd_backup, "backups": cmd_backups, "restore": cmd_restore}


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from silverdesk.errors import UserError
    from silverdesk.services.statistics.periods import parse_period
    from silverdesk.services.statistics.reporting import ReportService

    period = parse_period(args.period)
    reported_on = _report_date(args.date)
    services = _services(args)
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
    )
    total = data.table1_total
    print(f"{data.title}（{data.period.label}）已写入 {out}（用时 {time.perf_counter() - started:.2f} 秒）")
    print(
        f"活动 {total.activities} 场次，参与 {total.participations} 人次，服务时长 {total.hours:g} 小时，"
        f"受益 {total.beneficiaries} 人次"
    )
    services.close()
    return 0


def _report_date(value: str | None) -> dt.date | None:
    """``--date``: the 报送日期 (None: today)."""
    from silverdesk.domain.dates import DateError, parse_date_value
    from silverdesk.errors import UserError

    try:
        return parse_date_value(value, field_label="报送日期（--date）")
    except DateError as exc:
        raise UserError(str(exc)) from None


def cmd_screenshot(args: argparse.Namespace) -> int:
    from pathlib import Path

    from silverdesk.app import run_screenshots

    files = run_screenshots(args.db, Path(args.out), args.scale)
    print(f"已生成 {len(files)} 张截图：{Path(args.out)}")
    return 0


def _sheet_arg(value: str | None) -> int | str | None:
    """``--sheet 2`` is the second sheet (as the clerk counts); anything else is a sheet name."""
    if value is None:
        return None
    return int(value) - 1 if value.isdigit() and int(value) >= 1 else value


def _jsonable(value: object) -> object:
    import datetime as dt

    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def cmd_import(args: argparse.Namespace) -> int:
    """``silverdesk import FILE …`` (exit 0 when the file was read, 2 when it was refused) or ``import undo N``.

    Holds the database's one-writer lock (like ``demo`` and ``restore``) unless it is a dry run.
    """
    if args.dry_run and args.file != "undo":
        return _cmd_import(args)
    with _write_lock(args):
        return _cmd_import(args)


def _cmd_import(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from silverdesk.errors import UserError

    if args.file == "undo":
        return _cmd_import_undo(args)
    if args.batch is not None:
        raise UserError(f"多余的参数“{args.batch}”：一次只能导入一个文件")
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"找不到文件“{args.file}”，请检查路径")
    services = _services(args)
    try:
        if args.kind == "report":
            return _import_report(services, path, args)
        from silverdesk.services.importing.plan import UnitRequired
        from silverdesk.services.importing.service import KindUnknown

        try:
            outcome = services.imports.run(
                path, kind=args.kind, unit_name=args.unit, sheet=_sheet_arg(args.sheet), dry_run=args.dry_run
            )
        except KindUnknown:
            raise KindUnknown(
                f"无法从表头判断这是哪一类表格，请用 --kind 指定：{_kind_choices(IMPORT_KINDS)}，"
                "如 --kind 花名册"
            ) from None
        except UnitRequired as exc:
            raise exc.asking("请用 --unit 写明报送单位（如 --unit 城关街道）") from None
        plan = outcome.plan
        if args.errors and plan.rejected_raw:
            services.imports.write_errors(plan, Path(args.errors), mask=not args.no_mask)
        counts = plan.counts
        created = [o.label for o in plan.offers]
        if args.json:
            result = {
                "file": path.name, "kind": plan.kind, "rows_read": plan.rows_read, "imported": counts["新增"],
                "updated": counts["更新"], "unchanged": counts["未变"], "rejected": counts["拒绝"],
                "batch_id": outcome.batch_id,
                "errors": [{"row": row, "column": issue.column_label, "value": _jsonable(issue.value),
                            "reason": issue.reason} for row, issue in plan.issues()],
                "conflicts": [{"row": rp.row_number, "column": c.label, "stored": _jsonable(c.stored),
                               "value": _jsonable(c.incoming), "reason": c.text} for rp, c in plan.conflicts()],
                "created": created,
            }  # fmt: skip
            print(json.dumps(result, ensure_ascii=False))
        else:
            _print_import_summary(plan, outcome.batch_id, created, args)
        return 0
    finally:
        services.close()


def _print_import_summary(plan, batch_id: int | None, created: list[str], args: argparse.Namespace) -> None:  # type: ignore[no-untyped-def]
    counts = plan.counts
    head = "预览（未写入）" if batch_id is None else f"已导入，第 {batch_id} 批"
    print(
        f"{plan.file_name}：{head}。读取 {plan.rows_read} 行：新增 {counts['新增']}，更新 {counts['更新']}，"
        f"未变 {counts['未变']}，拒绝 {counts['拒绝']}"
    )
    if created:
        print(("将新建" if batch_id is None else "已新建") + "：" + "、".join(created))
    for row, issue in plan.issues():
        print(f"  第 {row} 行 {issue.column_label}：{issue.reason}")
    for rp, c in plan.conflicts():
        print(f"  第 {rp.row_number} 行 {c.text}（未覆盖）")
    if args.errors and plan.rejected_raw:
        print(f"被拒绝的行已写入 {args.errors}，可退回报送单位修改")


def _import_report(services, path, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    import json

    from silverdesk.services.statistics.returns import import_report

    if args.dry_run:
        from silverdesk.reports.readback import read_report_workbook

        data = read_report_workbook(path)
        result = {"file": path.name, "kind": "report", "rows_read": 1, "imported": 0, "updated": 0, "unchanged": 0,
                  "rejected": 0, "batch_id": None, "errors": [], "period": data.period.label}  # fmt: skip
    else:
        done = import_report(services.ctx, path, args.unit)
        result = {"file": path.name, "kind": "report", "rows_read": 1, "imported": 0 if done.replaced else 1,
                  "updated": 1 if done.replaced else 0, "unchanged": 0, "rejected": 0, "batch_id": done.batch_id,
                  "errors": [], "unit": done.unit, "period": done.period_label,
                  "created": [f"单位“{done.unit}”"] if done.unit_created else []}  # fmt: skip
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    elif result["batch_id"] is None:
        print(f"{path.name}：报表可以导入（{result['period']}），未写入")
    else:
        print(
            f"{path.name}：已{'替换' if result['updated'] else '导入'}{result['unit']}{result['period']}报表，"
            f"第 {result['batch_id']} 批"
        )
    return 0


def _cmd_import_undo(args: argparse.Namespace) -> int:
    import json

    from silverdesk.errors import UserError

    if args.batch is None or not str(args.batch).isdigit():
        raise UserError("请写明要撤销的批次号，例如：silverdesk import undo 12")
    services = _services(args)
    try:
        result = services.imports.undo(int(args.batch))
    finally:
        services.close()
    if args.json:
        print(json.dumps({"batch_id": result.batch_id, "deleted": result.deleted, "restored": result.restored,
                          "kept": list(result.kept)}, ensure_ascii=False))  # fmt: skip
    else:
        print(
            f"第 {result.batch_id} 批导入已撤销：删除 {result.deleted} 条，恢复 {result.restored} 条"
            + (f"；{'、'.join(result.kept)}仍在使用，予以保留" if result.kept else "")
        )
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from pathlib import Path

    services = _services(args)
    try:
        out = services.imports.write_template(args.kind, Path(args.out))
    finally:
        services.close()
    print(f"模板已写入 {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
