"""Thin Qt layer: windows, forms, item models and workers.  The only package that imports PySide6.

One package per feature with the same names as ``services/`` (people, org, activities, market,
importing, statistics, system); ``widgets`` and ``models`` hold what several screens share; the
shell is here: :mod:`.main_window`, :mod:`.context`, :mod:`.tasks` (long work off the GUI thread),
:mod:`.undo`, :mod:`.errors`.  Never imports ``db`` or SQLAlchemy: everything goes through services.
"""
