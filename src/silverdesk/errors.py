"""Errors the layers below ``ui`` raise.

Messages are Chinese sentences a clerk can act on; the GUI shows ``str(exc)`` and the CLI
prints it.  ``code`` is stable for tests and for callers that want to branch on the kind.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field


class SilverdeskError(Exception):
    """Base of every error silverdesk raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class UserError(SilverdeskError):
    """Expected and fixable by the user: bad input, a file in the wrong shape, a refused step."""

    code = "user_error"


class NotFound(UserError):
    code = "not_found"


class Conflict(UserError):
    """The change clashes with what is stored (duplicate ID number, name already used …)."""

    code = "conflict"


@dataclass(frozen=True)
class FieldError:
    field: str  # the input field's key, e.g. "id_number"
    message: str  # Chinese, says what is wrong and how to fix it


class ValidationError(UserError):
    """One or more fields are invalid.  ``errors`` lists them for display beside each field."""

    code = "validation"

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("；".join(e.message for e in self.errors) or "输入有误")

    def for_field(self, name: str) -> list[str]:
        return [e.message for e in self.errors if e.field == name]


class StorageError(SilverdeskError):
    code = "storage"


class DatabaseTooNew(StorageError):
    code = "db_too_new"


class DatabaseLocked(StorageError):
    code = "db_locked"


class DatabaseCorrupt(StorageError):
    code = "db_corrupt"


class Cancelled(SilverdeskError):
    code = "cancelled"

    def __init__(self, message: str = "操作已取消") -> None:
        super().__init__(message)


@dataclass
class Warnings:
    """Non-fatal remarks collected while normalising input (shown, never blocking)."""

    items: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, message: str) -> None:
        self.items.append(FieldError(field_name, message))


# -- the words of the system and of libraries, for the clerk ------------------------------------

_ERRNO_REASONS = {getattr(errno, name): reason for name, reason in (
    ("ENOENT", "文件或文件夹不存在"), ("EACCES", "没有读写权限"), ("EPERM", "没有读写权限"), ("ENOSPC", "磁盘空间已满"),
    ("EROFS", "磁盘是只读的"), ("EISDIR", "这是一个文件夹，不是文件"), ("ENOTDIR", "路径中有一段不是文件夹"),
    ("EEXIST", "同名文件已存在"), ("EBUSY", "文件正被其他程序使用"), ("ENAMETOOLONG", "文件名或路径太长"),
    ("EINVAL", "文件名或路径无效"), ("EIO", "读写磁盘出错"), ("EXDEV", "不能跨磁盘移动文件"),
    ("EDQUOT", "磁盘配额已用完"), ("ENOLCK", "这个位置不支持文件锁"),
) if hasattr(errno, name)}  # fmt: skip
_WINERROR_REASONS = {32: "文件正被其他程序打开", 33: "文件的一部分被其他程序锁定", 5: "没有读写权限"}
_KNOWN_REASONS = (  # lower-case fragments of libraries' messages we pass on (calamine, openpyxl, zipfile, sqlite, csv …)
    ("cannot detect file format", "无法识别的文件格式"),
    ("not a zip file", "压缩结构不对，不是有效的 .xlsx 文件"),
    ("bad magic number", "压缩结构不对"),
    ("truncated", "文件不完整，可能传输中断"),
    ("unexpected end", "文件不完整，可能传输中断"),
    ("does not support the old .xls", "这是旧版 .xls 文件，请用 Excel/WPS 另存为 .xlsx"),
    ("does not support", "不支持这种文件格式，请用 Excel/WPS 另存为 .xlsx"),
    ("password", "文件设置了打开密码"),
    ("encrypt", "文件已加密"),
    ("database disk image is malformed", "数据库文件结构损坏"),
    ("file is not a database", "不是 SQLite 数据库文件"),
    ("database is locked", "数据库正被其他程序使用"),
    ("unable to open database file", "无法打开数据库文件"),
    ("disk i/o error", "读写磁盘出错"),
    ("readonly database", "数据库文件是只读的"),
    ("unique constraint", "与已有记录重复"),
    ("duplicate key", "与已有记录重复"),
    ("foreign key constraint", "引用了不存在的记录"),
    ("violates foreign key", "引用了不存在的记录"),
    ("not null constraint", "缺少必填的内容"),
    ("null value in column", "缺少必填的内容"),
    ("check constraint", "内容不在允许的范围内"),
    ("line contains nul", "含有空字符"),
    ("field larger than field limit", "某个单元格的内容太长"),
    ("single '}'", "大括号没有成对"),
    ("single '{'", "大括号没有成对"),
    ("expected '}'", "大括号没有成对"),
    ("unmatched '{'", "大括号没有成对"),
)
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def reason_of(exc: BaseException) -> str:
    """The reason the system or a library gives for ``exc``, as a few Chinese words ("" when there is
    none to give: an English message we do not know is left out of what the clerk reads, not shown).

    For the parentheses of messages such as “无法写入 月报.xlsx（没有读写权限）”.
    """
    if isinstance(exc, OSError):
        winerror = getattr(exc, "winerror", None)
        if winerror in _WINERROR_REASONS:
            return _WINERROR_REASONS[winerror]
        if exc.errno in _ERRNO_REASONS:
            return _ERRNO_REASONS[exc.errno]
    if isinstance(exc, SilverdeskError):
        return exc.message
    text = str(getattr(exc, "orig", None) or exc).strip()
    lowered = text.lower()
    for fragment, reason in _KNOWN_REASONS:
        if fragment in lowered:
            return reason
    if isinstance(exc, OSError) and exc.errno:
        return f"系统错误 {exc.errno}"
    return text if _CHINESE.search(text) else ""  # our own words pass; a library's English does not


def with_reason(exc: BaseException) -> str:
    """``（reason）`` for the end of a message, or "" when :func:`reason_of` has none."""
    reason = reason_of(exc)
    return f"（{reason}）" if reason else ""
