"""The two sheets with merged data cells of ``test_merged_cells.py``, and the .xls copies of them.

The test writes the .xlsx and .ods versions itself (openpyxl, odfpy); .xls needs xlwt, which is
not a silverdesk dependency, so ``merged_activities.xls`` and ``merged_roster.xls`` are committed
and this script documents exactly how they were made::

    pip download --no-deps xlwt          # xlwt-1.3.0-py2.py3-none-any.whl
    PYTHONPATH=xlwt-1.3.0-py2.py3-none-any.whl python tests/data/make_merged_xls.py

A sheet is a title (merged over the header's width), a header row and record rows; ``MERGES``
lists the data merges as (first row, column, last row) with 0-based sheet rows and columns.
``None`` is an empty cell.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent

ID_ZHANG = "370102195603011230"
ID_LI = "37010219580715222X"
ID_WANG = "370102196001013217"
ID_ZHAO = "370102196205041244"
ID_SUN = "370102196309093217"
ID_ZHOU = "370102196411112226"

ACTIVITIES: dict[str, Any] = {
    "sheet": "活动台账",
    "title": "龙山镇志愿服务活动台账",
    "header": ["序号", "活动日期", "活动名称", "服务队", "参与人次", "服务时长", "活动地点"],
    "rows": [  # sheet rows 2.. (Excel rows 3..)
        [1, dt.date(2026, 10, 8), "重阳节敬老慰问", "夕阳红服务队", 20, 2, "光明社区活动室"],
        [2, None, "政策宣讲进社区", None, 15, 1.5, "光明社区广场"],
        [3, None, "义诊", "银发先锋队", 30, 3, "光明社区卫生室"],
        [4, dt.date(2026, 10, 12), "环境整治", "银发先锋队", 12, 2, "河滨路"],
        [5, None, "垃圾分类宣传", None, 18, 1, "河滨小区"],  # date blank, not merged: refused
        [6, dt.date(2026, 10, 15), "法律咨询", None, 8, 2, "镇政府大厅"],  # team blank, not merged
    ],
    # date over Excel rows 3-5, 夕阳红服务队 over rows 3-4, 银发先锋队 over rows 6-7
    "merges": [(2, 1, 4), (2, 3, 3), (5, 3, 6)],
}

ROSTER: dict[str, Any] = {
    "sheet": "名册",
    "title": "龙山镇离退休干部名册",
    "header": ["序号", "姓名", "性别", "身份证号", "原工作单位", "联系电话"],
    "rows": [
        [1, "张建国", "男", ID_ZHANG, "县教育局", "13812345678"],
        [2, "李秀英", "女", ID_LI, None, "13900001111"],
        [3, "王明", "男", ID_WANG, None, "13700001111"],
        [4, "赵红", "女", ID_ZHAO, "县财政局", "13600001111"],
        [5, "孙强", "男", ID_SUN, None, "13500001111"],
        [6, "周丽", "女", ID_ZHOU, None, "13400001111"],  # blank below a value, not merged: stays blank
    ],
    "merges": [(2, 4, 4), (5, 4, 6)],  # 县教育局 over rows 3-5, 县财政局 over rows 6-7
}

SHEETS = {"activities": ACTIVITIES, "roster": ROSTER}


def main() -> None:
    import xlwt

    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for kind, spec in SHEETS.items():
        wb = xlwt.Workbook(encoding="utf-8")
        ws = wb.add_sheet(spec["sheet"])
        ws.write_merge(0, 0, 0, len(spec["header"]) - 1, spec["title"])
        for c, label in enumerate(spec["header"]):
            ws.write(1, c, label)
        starts = {(r0, c): r1 for r0, c, r1 in spec["merges"]}
        covered = {(r, c) for r0, c, r1 in spec["merges"] for r in range(r0 + 1, r1 + 1)}
        for r, row in enumerate(spec["rows"], start=2):
            for c, v in enumerate(row):
                if (r, c) in covered:
                    continue
                style = date_style if isinstance(v, dt.date) else xlwt.Style.default_style
                if (r, c) in starts:
                    ws.write_merge(r, starts[(r, c)], c, c, v, style)
                elif v is not None:
                    ws.write(r, c, v, style)
        wb.save(str(HERE / f"merged_{kind}.xls"))


if __name__ == "__main__":
    main()
