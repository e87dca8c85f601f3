"""Delimited text files (.csv/.txt) with the encodings Chinese offices actually produce.

Excel on a Chinese Windows saves "CSV" in GBK; "CSV UTF-8" adds a BOM; "Unicode 文本" is
UTF-16 with tabs.  Values stay strings: an ID number in a CSV is still all 18 characters,
unlike the same column in a workbook.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

from silverdesk.errors import with_reason
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.importing.grid import Grid
from silverdesk.services.importing.safety import MAX_FILE_BYTES, MAX_ROWS, FileRefused, refuse_hostile

DELIMITERS = (",", "\t", ";", "，")


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Text, the encoding used and warnings.  UTF-8 (BOM or not), UTF-16 with BOM, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16", []
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
    if "\x00" in text[:65536]:
        raise FileRefused("文件含有二进制内容，不是文本表格；请发送 Excel 表格或 CSV 文件", code="corrupt")
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
