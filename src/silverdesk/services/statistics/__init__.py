"""统计 — the figures a bureau reports: periods, the monthly roll-up, 表1–表4, the 首页 figures, writing reports and 汇总 of returns."""
