"""The 需求清单 of ``tests/unit/importing/test_list_files.py`` as a street writes it, and its .xls copy.

No 需求名称 and no 类别 column: the request is in 需求内容, section rows (“一、为老助老服务类”,
merged over the table's width) give the 大类, the 提出社区 is merged over the rows of one
community, and one row names no community (the 填报单位 line above the header asks then).
The test writes the .xlsx version itself (openpyxl); .xls needs xlwt, which is not a silverdesk
dependency, so ``street_demands.xls`` is committed and this script documents how it was made::

    pip download --no-deps xlwt          # xlwt-1.3.0-py2.py3-none-any.whl
    PYTHONPATH=xlwt-1.3.0-py2.py3-none-any.whl python tests/data/make_list_xls.py

``ROWS`` are the sheet's rows from 0 (``None``: an empty cell; a ``str`` alone: a section row,
merged over the header's width); ``MERGES`` the data merges as (first row, column, last row).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).parent

TITLE = "城关街道离退休干部志愿服务需求清单"
UNIT_LINE = ["填报单位：城关街道", None, None, None, "填报日期：2026年11月10日"]
HEADER = ["序号", "提出社区", "需求内容", "联系人", "联系电话", "备注"]
ROWS: list[Any] = [  # sheet rows 3.. (Excel rows 4..)
    "一、为老助老服务类",
    [1, "光明社区", "1.帮助独居老人购买生活用品，每周两次", "王芳", "13912345678", None],
    [2, None, "智能手机使用培训。教老人用微信视频通话", "王芳", "13912345678", None],  # 光明社区 (merged)
    [3, "幸福社区", "陪同高龄老人就医\n需要会开车", "李娜", "13800002222", "周末优先"],
    "二、文化体育活动类",
    [4, "光明社区", "组织辖区内六十岁以上空巢老人参加每月一次的健康讲座和文艺演出", None, None, None],
    [5, None, "书法、绘画兴趣班", None, None, None],  # 光明社区 (merged)
    [6, None, "（一）太极拳晨练指导", "赵刚", "13600001111", None],  # no community: the 填报单位 line
    ["填表人：张三", None, None, "审核人：李四"],
]
MERGES = [(4, 1, 5), (8, 1, 9)]  # 光明社区 over Excel rows 5-6 and 9-10


def main() -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("需求清单")
    width = len(HEADER)
    ws.write_merge(0, 0, 0, width - 1, TITLE)
    for c, v in enumerate(UNIT_LINE):
        if v is not None:
            ws.write(1, c, v)
    for c, label in enumerate(HEADER):
        ws.write(2, c, label)
    starts = {(r0, c): r1 for r0, c, r1 in MERGES}
    covered = {(r, c) for r0, c, r1 in MERGES for r in range(r0 + 1, r1 + 1)}
    for r, row in enumerate(ROWS, start=3):
        if isinstance(row, str):
            ws.write_merge(r, r, 0, width - 1, row)
            continue
        for c, v in enumerate(row):
            if (r, c) in covered:
                continue
            if (r, c) in starts:
                ws.write_merge(r, starts[(r, c)], c, c, v)
            elif v is not None:
                ws.write(r, c, v)
    wb.save(str(HERE / "street_demands.xls"))


if __name__ == "__main__":
    main()
