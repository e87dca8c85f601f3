"""Chinese for Qt's own words too: the buttons of message boxes (是/否/取消), file and print dialogs,
the right-click menu of text fields (撤销/剪切/复制/粘贴), calendar pop-ups (十一月, 周一).

silverdesk's own texts are written in Chinese in the code; what Qt draws by itself comes from
the ``qtbase_zh_CN`` catalogue that ships with Qt (``QLibraryInfo``'s translations folder, also
collected by the PyInstaller build).  Without it a clerk would meet "OK"/"Cancel"/"Save As".
"""

from __future__ import annotations

import logging
from typing import ClassVar

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

CATALOGUES = ("qtbase",)
_installed: list[QTranslator] = []  # kept alive: Qt does not own installed translators


class CatalogueFallback(QTranslator):
    """Qt's texts that changed after its Chinese catalogue was written, answered from the catalogue.

    * Qt 6 labels the file dialog "&Look in:" and "Files of &type:" and the print dialog "Page &Set:",
      while ``qtbase_zh_CN`` only knows "Look in:", "Files of type:", "Page Set:": the catalogue's words
      for the text without the "&", plus the mnemonic ("查找范围(&L)：").
    * Qt 6 asks for the file dialog's "Folder" and "Drive" in the context ``QAbstractFileIconProvider``;
      the catalogue has them under ``QFileDialog``.

    Installed before the catalogues, it is asked only for what they lack; anything else it leaves
    to Qt (``None``: not translated here).
    """

    RENAMED_CONTEXTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "QAbstractFileIconProvider": ("QFileIconProvider", "QFileDialog"),
    }

    def __init__(self, catalogues: list[QTranslator], parent: QApplication) -> None:
        super().__init__(parent)
        self.catalogues = catalogues

    def isEmpty(self) -> bool:
        return False

    def translate(self, context: str, source: str, disambiguation: str | None = None,  # type: ignore[override]
                  n: int = -1) -> str | None:  # fmt: skip
        for other in self.RENAMED_CONTEXTS.get(context, ()):
            words = self._lookup(other, source, disambiguation, n) or self._lookup(other, source, None, n)
            if words:
                return words
        at = source.find("&")
        if at < 0 or at + 1 >= len(source) or source[at + 1] == "&":
            return None
        words = self._lookup(context, source[:at] + source[at + 1 :], disambiguation, n)
        if not words:
            return None
        stem = words.rstrip(":：")
        return f"{stem}(&{source[at + 1].upper()}){words[len(stem) :]}"

    def _lookup(self, context: str, source: str, disambiguation: str | None, n: int) -> str:
        return next(
            (w for c in self.catalogues if (w := c.translate(context, source, disambiguation, n))), ""
        )


def install_language(app: QApplication) -> bool:
    """Switch Qt's standard texts and date/number formats to Simplified Chinese; True when the
    catalogue was found (the program still works in Chinese without it, buttons then read "OK")."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if _installed:
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    catalogues: list[QTranslator] = []
    for name in CATALOGUES:
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), name, "_", folder):
            catalogues.append(translator)
        else:
            log.warning("Qt translation %s_zh_CN not found in %s", name, folder)
    if catalogues:  # Qt asks the translator installed last first: the fallback goes in before the catalogues
        _installed.append(CatalogueFallback(catalogues, app))
        _installed.extend(catalogues)
        for translator in _installed:
            app.installTranslator(translator)
    return bool(_installed)
