"""argparse in Chinese: its own words, headings and error messages, and help aligned by terminal columns."""

from __future__ import annotations

import argparse
import contextlib
import re
import unicodedata
from collections.abc import Iterator

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
    argparse.ngettext = lambda one, many, n: ARGPARSE_ZH.get(one if n == 1 else many, one if n == 1 else many)  # type: ignore[attr-defined]
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
