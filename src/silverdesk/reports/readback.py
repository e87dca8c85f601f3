"""Read a report workbook that silverdesk wrote back into a :class:`ReportData` (for 汇总 above).

The figures come from the hidden ``_silverdesk`` sheet (a JSON document in chunks, with a format
version and a SHA-256), not from the visible cells, so the import is exact whatever the layout.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from silverdesk.errors import UserError, with_reason
from silverdesk.reports.codec import report_from_plain
from silverdesk.reports.model import ReportData
from silverdesk.reports.xlsx import DATA_MAGIC, DATA_SHEET, DATA_VERSION


def _refuse(path: Path, why: str) -> UserError:
    return UserError(f"无法导入报表 {path.name}：{why}", code="bad_report_workbook")


def read_report_workbook(path: str | Path) -> ReportData:
    """The report data stored in a silverdesk report workbook.

    Raises :class:`UserError` (code ``bad_report_workbook``) when the file is not such a workbook,
    was damaged or edited in the data sheet, or comes from a newer silverdesk.
    """
    path = Path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise _refuse(path, "文件不存在") from exc
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, InvalidFileException) as exc:
        raise _refuse(path, "不是有效的 Excel（.xlsx）文件；请让下级单位用 silverdesk 导出后再报送") from exc
    try:
        if DATA_SHEET not in wb.sheetnames:
            raise _refuse(
                path, "这不是 silverdesk 生成的报表（缺少数据页），请让下级单位用 silverdesk 导出后再报送"
            )
        rows = [r[:2] for r in wb[DATA_SHEET].iter_rows(min_row=1, max_col=2, values_only=True)]
    finally:
        wb.close()
    if len(rows) < 4 or rows[0][0] != DATA_MAGIC:
        raise _refuse(path, "数据页已损坏")
    version = rows[0][1]
    if not isinstance(version, int) or version < 1:
        raise _refuse(path, "数据页已损坏（版本号无效）")
    if version > DATA_VERSION:
        raise _refuse(path, f"由较新版本的 silverdesk 生成（数据格式 {version}），请升级本程序后再导入")
    digest, count = rows[1][1], rows[2][1]
    if not isinstance(count, int) or count < 1 or len(rows) < 3 + count:
        raise _refuse(path, "数据页已损坏（分段不完整）")
    chunks = [r[0] for r in rows[3 : 3 + count]]
    texts = [c for c in chunks if isinstance(c, str)]
    if len(texts) != len(chunks):
        raise _refuse(path, "数据页已损坏（内容缺失）")
    payload = "".join(texts)
    if hashlib.sha256(payload.encode("utf-8")).hexdigest() != digest:
        raise _refuse(path, "数据页已被改动或损坏（校验不符），请让下级单位重新导出")
    try:
        return report_from_plain(json.loads(payload))
    except (json.JSONDecodeError, ValueError) as exc:
        raise _refuse(path, f"数据页内容无效{with_reason(exc)}") from exc
