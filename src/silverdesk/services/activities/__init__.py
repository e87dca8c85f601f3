"""活动 — the volunteer activity log: record, correct, delete, search."""
