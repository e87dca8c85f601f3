"""Regenerate ``roster.xls``: a small legacy-format roster for the reader tests.

xlwt (the only maintained-enough .xls writer) is not a silverdesk dependency, so the fixture is
committed and this script documents exactly how it was made::

    pip download --no-deps xlwt          # xlwt-1.3.0-py2.py3-none-any.whl
    PYTHONPATH=xlwt-1.3.0-py2.py3-none-any.whl python tests/data/make_roster_xls.py

Contents: merged title row, a 填报单位/填报日期 row, a header row, four records (the third row
of records hidden, one ID number typed as a number), a 合计 row and a 填表人 footer.
"""

import datetime as dt
from pathlib import Path

import xlwt

HERE = Path(__file__).parent


def main() -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("名册")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    ws.write_merge(0, 0, 0, 5, "某某街道离退休干部名册")
    ws.write(1, 0, "填报单位：某某街道")
    ws.write(1, 4, "填报日期：2026年10月5日")
    for c, label in enumerate(["序号", "姓名", "性别", "出生年月", "身份证号码", "联系电话"]):
        ws.write(2, c, label)
    records = [
        (1, "张建国", "男", dt.date(1956, 3, 1), "370102195603011230", "13812345678"),
        (2, "李秀英", "女", "1958.07", "37010219580715222X", "0533-1234567"),
        (3, "王  明", "男", "1960年1月", "370102196001013217", ""),
        (4, "赵红", "女", dt.date(1962, 5, 4), 370102196205041244.0, "13900001111"),
    ]
    for r, rec in enumerate(records, start=3):
        for c, v in enumerate(rec):
            if isinstance(v, dt.date):
                ws.write(r, c, v, date_style)
            elif v != "":
                ws.write(r, c, v)
    ws.row(5).hidden = True
    ws.write(7, 0, "合计")
    ws.write(7, 1, "4人")
    ws.write(8, 0, "填表人：刘文")
    ws.write(8, 3, "审核人：陈静")
    ws.col(5).hidden = True
    wb.add_sheet("说明").write(0, 0, "本表由系统生成")
    wb.save(str(HERE / "roster.xls"))


if __name__ == "__main__":
    main()
