"""Small workbooks and database probes for the pipeline tests (every file is generated in tmp_path)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from silverdesk.domain.idcard import make_id_number

ROSTER_HEADER = [
    "序号",
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "联系电话",
    "居住社区",
    "社区任职",
    "特长",
    "所在服务队",
]
ID_ZHANG = make_id_number("370102", dt.date(1956, 3, 1), 123)  # male
ID_LI = make_id_number("370102", dt.date(1958, 7, 15), 222)  # female
ID_WANG = make_id_number("370102", dt.date(1960, 1, 1), 321)  # male


def write_book(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "名册"
    if title:
        ws.append([title])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def roster_file(path: Path, rows: Sequence[Sequence[Any]] | None = None) -> Path:
    rows = (
        rows
        if rows is not None
        else [
            [
                1,
                "张建国",
                "男",
                None,
                ID_ZHANG,
                "13812345678",
                "光明社区",
                "楼长",
                "政治理论",
                "夕阳红服务队",
            ],
            [
                2,
                "李秀英",
                "女",
                dt.date(1958, 7, 15),
                ID_LI,
                "13900001111",
                "光明社区",
                "网格员、调解员",
                None,
                None,
            ],
            [3, "王明", "男", None, ID_WANG, None, None, None, None, None],
        ]
    )
    return write_book(path, ROSTER_HEADER, rows)


def table_counts(db: Path) -> dict[str, int]:
    """Row count of every table (the database's content, ignoring file-level bytes)."""
    with sqlite3.connect(db) as conn:
        names = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def dump(db: Path, table: str, columns: str = "*", order: str = "id") -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT {columns} FROM {table} ORDER BY {order}").fetchall()
