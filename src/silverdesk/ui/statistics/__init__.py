"""统计 — 首页 (the dashboard) and 报表 (reports, their signatories)."""
