"""导入 — the import wizard, the list of import batches, pasting rows from Excel/WPS."""
