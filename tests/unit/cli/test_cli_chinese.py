"""The command line speaks Chinese: argparse's own words, our messages, and the reasons libraries give (issue 14)."""

from __future__ import annotations

import errno
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from silverdesk import cli
from silverdesk.errors import reason_of, with_reason

COMMANDS = [
    "",
    "gui",
    "demo",
    "check",
    "report",
    "stats",
    "import",
    "template",
    "backup",
    "backups",
    "restore",
    "screenshot",
]
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED = re.compile(
    r"--?[a-z][a-z-]*"  # option names
    r"|\{[a-z,]+\}"  # choices
    r"|\b(gui|demo|check|report|stats|import|template|backup|backups|restore|screenshot|undo)\b"  # command words
    r"|silverdesk(\.sqlite)?|SILVERDESK_[A-Z]+|SQLAlchemy|SQLite|Excel|WPS|PDF|PNG|JSON"  # names of things
    r"|\.?\b(xlsx|xls|csv|ods|pdf|json)\b"  # file types
)


def english_words(text: str) -> list[str]:
    return LATIN_WORD.findall(ALLOWED.sub(" ", text))


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_is_chinese(capsys, command):
    code, out, _ = run(capsys, *filter(None, [command, "--help"]))
    assert code == 0
    assert out.startswith("用法：silverdesk")
    assert english_words(out) == []  # no "usage:", "options:", "show this help message and exit"
    assert not re.search(r"^\S.*:$", out, re.MULTILINE)  # headings end with "："


@pytest.mark.parametrize(
    "argv, says",
    [
        (["bogus"], "没有 'bogus' 这一项（可选：'gui', 'demo'"),
        (["report", "--db", "x.sqlite"], "缺少必须写的参数：--period, --out"),
        (["demo", "--people", "many"], "--people：“many”不是整数"),
        (["check", "--unknown-option"], "无法识别的参数：--unknown-option"),
        (
            ["import", "a.xlsx", "--kind", "people"],
            "--kind：没有“people”这一类，请写：花名册、活动、资源清单、需求清单、月度主题、下级报表",
        ),
        (
            ["report", "--period", "2026", "--out", "a.xlsx", "--layout", "a", "--form", "b"],
            "--form：不能与 --layout 同时使用",
        ),
    ],
)
def test_argparse_errors_are_chinese(capsys, argv, says):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert says in err and "错误：" in err
    assert (
        english_words(
            err.replace("bogus", "")
            .replace("many", "")
            .replace("people", "")
            .replace("x.sqlite", "")
            .replace("a.xlsx", "")
        )
        == []
    )


def test_kinds_in_chinese_or_as_keys(tmp_path, capsys):
    kind = cli.build_parser().parse_args(["import", "a.xlsx", "--kind", "花名册"]).kind
    assert kind == cli.build_parser().parse_args(["import", "a.xlsx", "--kind", "roster"]).kind == "roster"
    code, _, err = run(
        capsys,
        "template",
        "需求清单",
        "--out",
        str(tmp_path / "模板.xlsx"),
        "--db",
        str(tmp_path / "t.sqlite"),
    )
    assert code == 0 and (tmp_path / "模板.xlsx").exists(), err


@pytest.mark.parametrize(
    "content, says",
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"not really a workbook" * 40,
            "文件已损坏或不是有效的表格文件（无法识别的文件格式）",
        ),
        (b"PK\x03\x04 cut short", "文件已损坏或不是有效的表格文件"),
    ],
)
def test_a_library_refusing_a_file_is_told_in_chinese(tmp_path, capsys, content, says):
    path = tmp_path / "坏文件.xls"
    path.write_bytes(content)
    code, _, err = run(
        capsys,
        "import",
        str(path),
        "--kind",
        "活动",
        "--unit",
        "龙山镇",
        "--dry-run",
        "--db",
        str(tmp_path / "t.sqlite"),
    )
    assert code == 2 and says in err
    assert english_words(err.replace(str(path), "")) == []  # was “（Cannot detect file format）”


@pytest.mark.parametrize("name", ["旧报表.xls", "说明.txt"])
def test_a_report_import_of_a_file_openpyxl_refuses_is_a_message_not_a_traceback(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel" if name.endswith(".xls") else "你好".encode()
    )
    for extra in ([], ["--dry-run"]):
        code, _, err = run(
            capsys, "import", str(path), "--kind", "下级报表", *extra, "--db", str(tmp_path / "t.sqlite")
        )
        assert code == 2 and f"无法导入报表 {name}：不是有效的 Excel（.xlsx）文件" in err
        assert "Traceback" not in err


def test_an_unexpected_error_is_one_chinese_line_and_the_traceback_goes_to_the_log(
    capsys, monkeypatch, tmp_path
):
    def broken(_args):  # type: ignore[no-untyped-def]
        raise RuntimeError("something deep went wrong")

    monkeypatch.setattr(cli, "cmd_check", broken)
    code, _, err = run(capsys, "check")
    assert code == 1
    assert err.startswith("silverdesk: 程序遇到意外错误，这次操作没有完成；详细信息已写入 ")
    assert "Traceback" not in err and english_words(err.split("已写入")[0]) == []
    log = Path(err.split("已写入 ")[1].split("，")[0])
    assert "RuntimeError: something deep went wrong" in log.read_text(encoding="utf-8")


def test_reasons_from_the_system_and_libraries_are_chinese():
    assert reason_of(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "文件或文件夹不存在"
    assert reason_of(PermissionError(errno.EACCES, "Permission denied")) == "没有读写权限"
    assert reason_of(zipfile.BadZipFile("File is not a zip file")) == "压缩结构不对，不是有效的 .xlsx 文件"
    assert reason_of(sqlite3.DatabaseError("database disk image is malformed")) == "数据库文件结构损坏"
    assert reason_of(sqlite3.IntegrityError("UNIQUE constraint failed: person.id_number")) == "与已有记录重复"
    assert reason_of(ValueError("第 3 行日期有误")) == "第 3 行日期有误"  # already Chinese: kept
    assert reason_of(ValueError("frobnicator exploded")) == ""  # unknown English: left out, not shown
    assert with_reason(OSError(errno.ENOSPC, "No space left on device")) == "（磁盘空间已满）"
    assert with_reason(KeyError("x")) == ""
