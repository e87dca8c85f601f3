"""Chinese for Qt's own words too: the buttons of message boxes (是/否/取消), file and print dialogs,
the right-click menu of text fields (撤销/剪切/复制/粘贴), calendar pop-ups (十一月, 周一).

silverdesk's own texts are written in Chinese in the code; what Qt draws by itself comes from
the ``qtbase_zh_CN`` catalogue that ships with Qt (``QLibraryInfo``'s translations folder, also
collected by the PyInstaller build).  Without it a clerk would meet "OK"/"Cancel"/"Save As".
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

CATALOGUES = ("qtbase",)
_installed: list[QTranslator] = []  # kept alive: Qt does not own installed translators


def install_language(app: QApplication) -> bool:
    """Switch Qt's standard texts and date/number formats to Simplified Chinese; True when the
    catalogue was found (the program still works in Chinese without it, buttons then read "OK")."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if _installed:
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in CATALOGUES:
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), name, "_", folder):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            log.warning("Qt translation %s_zh_CN not found in %s", name, folder)
    return bool(_installed)
