"""Thin Qt layer: windows, forms, item models and workers.  The only package that imports PySide6."""
