"""Render resources/icons/silverdesk.svg to the PNG and ICO files the app and installers use.

Run after editing the SVG: python installer/build_assets.py  (needs PySide6; writes into resources/icons).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(ICONS / "silverdesk.svg")).render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    for size in (256, 64, 32):
        render(size).save(str(ICONS / f"silverdesk-{size}.png"))
    if not render(256).save(str(ICONS / "silverdesk.ico")):
        render(256).save(str(ICONS / "silverdesk.ico"), "ICO")
    print("written:", ", ".join(sorted(p.name for p in ICONS.iterdir())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
