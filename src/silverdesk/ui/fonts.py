"""Register the shipped CJK font with Qt so Chinese renders the same on every machine."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from silverdesk.resources import FONT_BOLD, FONT_REGULAR, resource_path

_families: list[str] = []


def install_app_font(app: QApplication, point_size: int = 10) -> str:
    """Load LXGW WenKai and make it the application font; returns the family name."""
    if not _families:
        for parts in (FONT_REGULAR, FONT_BOLD):
            font_id = QFontDatabase.addApplicationFont(str(resource_path(*parts)))
            if font_id >= 0:
                _families.extend(QFontDatabase.applicationFontFamilies(font_id))
    family = _families[0] if _families else app.font().family()
    font = QFont(family, point_size)
    app.setFont(font)
    return family
