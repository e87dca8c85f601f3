"""Delimited text files (.csv/.txt) with the encodings Chinese offices actually produce.

Excel on a Chinese Windows saves "CSV" in GBK; "CSV UTF-8" adds a BOM; "Unicode 文本" is
UTF-16 with tabs.  Values stay strings: an ID number in a CSV is still all 18 characters,
unlike the same column in a workbook.

Control characters (NUL, BEL, ESC … — C0 other than tab and line breaks, and DEL) are invisible,
mean nothing in a cell and cannot be written back to a workbook.  Wherever they are in the file
they are treated alike (issue #16): a file made mostly of NUL bytes is binary and refused; a few
of them anywhere are removed before the cells are read, and the file gets one warning naming the
lines — the stored value is what the unit sees in its own file.  (Names are refused when they
still hold controls or bidi overrides, see :func:`silverdesk.domain.text.name_problem`.)
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

from silverdesk.errors import with_reason
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.importing.grid import Grid
from silverdesk.services.importing.safety import (
    BINARY_CONTROL_SHARE,
    MAX_FILE_BYTES,
    MAX_ROWS,
    FileRefused,
    refuse_hostile,
    utf16_without_bom,
)

DELIMITERS = (",", "\t", ";", "，")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Text, the encoding used and warnings.  UTF-8 (BOM or not), UTF-16 with BOM or without (told
    by its NUL bytes), else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16", []
    utf16 = utf16_without_bom(data[:4096])
    if utf16:
        return data.decode(utf16, errors="replace"), utf16, []
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030", []
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
        return (
            text,
            "gb18030",
            ["文件中有无法识别的字符（已显示为“�”），请确认文件编码；建议另存为“CSV UTF-8”后重新导入"],
        )


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent multi-column rows."""
    lines = [ln for ln in text[:65536].splitlines()[:30] if ln.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        width, freq = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = freq + width / 1000  # consistency first, then width
        if score > best_score:
            best, best_score = delim, score
    return best


def strip_controls(text: str) -> tuple[str, str]:
    """``text`` without control characters, and a warning naming the first lines that had them
    (``""`` when there were none: one regex search over the text, no work per cell)."""
    if _CONTROL.search(text) is None:
        return text, ""
    lines: list[int] = []
    codes: dict[str, None] = {}
    count, line, pos, more = 0, 1, 0, False
    for m in _CONTROL.finditer(text):
        count += len(m.group())
        codes.update(dict.fromkeys(f"U+{ord(ch):04X}" for ch in m.group()))
        if not more:
            line += text.count("\n", pos, m.start())
            pos = m.start()
            if not lines or lines[-1] != line:
                more = len(lines) == 5
                if not more:
                    lines.append(line)
    where = "、".join(str(n) for n in lines) + ("等" if more else "")
    shown = "、".join(list(codes)[:3]) + ("等" if len(codes) > 3 else "")
    return _CONTROL.sub("", text), (
        f"文件中有 {count} 个看不见的控制字符（{shown}），在第 {where} 行；已删除，其余内容照常读取。"
        "如果这些行的内容看起来不对，请让报送单位检查原文件"
    )


def count_lines(path: Path) -> int:
    n = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
    return n + 1


def read_text_grid(path: Path, *, progress: Progress = null_progress, cancel: CancelToken = NEVER) -> Grid:

    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused("文件太大，请拆分后分批导入", code="too_large")
    text, _encoding, warnings = decode(data)
    del data
    head = text[:65536]
    if head.count("\x00") > max(16, len(head) * BINARY_CONTROL_SHARE):  # the rule of safety.sniff
        raise FileRefused("文件含有二进制内容，不是文本表格；请发送 Excel 表格或 CSV 文件", code="corrupt")
    text, removed = strip_controls(text)
    if removed:
        warnings.append(removed)
    delim = sniff_delimiter(text)
    rows: list[list[Any]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        for i, rec in enumerate(reader):
            if i % 20000 == 0 and i:
                cancel.raise_if_set()
                progress(15, 100, f"已读取 {i} 行")
            if len(rows) >= MAX_ROWS:
                raise refuse_hostile(f"超过 {MAX_ROWS} 行")
            rows.append([v if v.strip() else None for v in rec])
    except csv.Error as exc:
        raise FileRefused(
            f"CSV 文件第 {reader.line_num} 行格式有误{with_reason(exc)}；请用 Excel/WPS 打开检查后另存",
            code="corrupt",
        ) from None
    grid = Grid(path.stem, rows, source_format="csv", hidden_known=False)
    grid.warnings.extend(warnings)
    return grid
