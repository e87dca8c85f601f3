"""组织 — 队伍 and 党组织 screens and forms, and the configurable lists (设置 › 可维护的列表)."""
