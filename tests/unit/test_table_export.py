import datetime as dt

import pytest
from openpyxl import load_workbook

from silverdesk.errors import Cancelled
from silverdesk.progress import CancelToken
from silverdesk.services.table_export import export_table


def fetch(ids):
    return [(i, f"张建国{i}", dt.date(1956, 3, 1), None) for i in ids]


def test_export_writes_header_and_rows_in_view_order(tmp_path):
    seen = []
    path = tmp_path / "人员.xlsx"
    n = export_table(
        path,
        "人员",
        ["编号", "姓名", "出生日期", "备注"],
        [3, 1, 2],
        fetch,
        widths=[6, 10],
        progress=lambda done, total, label="": seen.append((done, total)),
    )
    assert n == 3 and seen[-1] == (3, 3)
    book = load_workbook(path, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert rows[0] == ("编号", "姓名", "出生日期", "备注")
    assert [r[0] for r in rows[1:]] == [3, 1, 2]
    assert rows[1][1] == "张建国3" and rows[1][2].date() == dt.date(1956, 3, 1)


def test_cancelled_export_leaves_no_file(tmp_path):
    token = CancelToken()
    token.cancel()
    path = tmp_path / "out.xlsx"
    with pytest.raises(Cancelled):
        export_table(path, "人员", ["编号"], list(range(5000)), fetch, cancel=token)
    assert not path.exists() and not list(tmp_path.iterdir())
