"""系统 — what keeps the office's data safe: backups and restore, the audit log, the opening password, the operator, the one-writer lock, the start-up check."""
