"""系统 — 设置 (backups, audit log, security), the start-up checks and the very first start."""
