"""Qt's own dialogs in Chinese: the words the clerk meets in a file or print dialog (issue 14)."""

from __future__ import annotations

import re

import pytest
from PySide6 import QtCore, QtWidgets
from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from silverdesk.ui.language import CatalogueFallback

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
NOT_WORDS = re.compile(r"\t.*$|\(\*[^)]*\)|PDF|/\S*")  # shortcuts after a tab, file filters, "PDF", paths


def visible_words(dialog: QtWidgets.QWidget) -> list[str]:
    """Every label, button, menu entry, tooltip and column header of ``dialog`` with a Latin word in it."""
    texts = []
    for obj in (dialog, *dialog.findChildren(QtCore.QObject)):
        for name in ("text", "toolTip", "windowTitle", "placeholderText", "title"):
            getter = getattr(obj, name, None)
            if callable(getter) and not isinstance(obj, QtWidgets.QLineEdit | QtWidgets.QComboBox):
                value = getter()
                if isinstance(value, str):
                    texts.append(value)
        if isinstance(obj, QtWidgets.QAbstractItemView) and obj.model() is not None:
            texts += [
                str(obj.model().headerData(c, QtCore.Qt.Orientation.Horizontal) or "")
                for c in range(obj.model().columnCount())
            ]
    return sorted({t for t in texts if LATIN_WORD.search(NOT_WORDS.sub("", t.replace("&", "")))})


@pytest.mark.parametrize("mode", ["open", "save", "folder"])
def test_the_file_dialog_qt_draws_itself_has_no_english(qtbot, tmp_path, mode):
    dialog = QtWidgets.QFileDialog(None, "选择要导入的表格", str(tmp_path), "表格文件 (*.xlsx);;所有文件 (*)")
    dialog.setOption(
        QtWidgets.QFileDialog.Option.DontUseNativeDialog, True
    )  # as on a Linux desktop without a theme
    if mode == "save":
        dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
    if mode == "folder":
        dialog.setFileMode(QtWidgets.QFileDialog.FileMode.Directory)
    (tmp_path / "各乡镇报表").mkdir()
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {label.text() for label in dialog.findChildren(QtWidgets.QLabel)}
    assert {"查找范围(&L)：", "文件类型(&T)："} <= labels  # were "&Look in:" and "Files of &type:"
    assert visible_words(dialog) == []
    files = dialog.findChild(QtWidgets.QTreeView).model()  # the dialog's QFileSystemModel, filled behind it

    def kind() -> str:
        return files.index(str(tmp_path / "各乡镇报表"), 2).data() or ""

    qtbot.waitUntil(lambda: kind() != "", timeout=5000)
    assert kind() == "文件夹"  # was "Folder"


def test_the_print_dialog_has_no_english(qtbot):
    printer = QPrinter()  # the dialog keeps a pointer to it: it must outlive the dialog
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    assert visible_words(dialog) == []


def test_the_fallback_adds_the_mnemonic_to_the_catalogues_words(qapp):
    class Catalogue(QtCore.QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):  # type: ignore[no-untyped-def]
            return (
                {"Look in:": "查找范围：", "Pages": "页数"}.get(source) if context == "QFileDialog" else None
            )

    fallback = CatalogueFallback([Catalogue()], qapp)
    assert fallback.translate("QFileDialog", "&Look in:") == "查找范围(&L)："
    assert fallback.translate("QFileDialog", "&Pages") == "页数(&P)"
    assert fallback.translate("QFileDialog", "Look in:") is None  # no mnemonic: the catalogue's business
    assert fallback.translate("QFileDialog", "&Unknown:") is None  # left as Qt has it
    assert fallback.translate("Other", "&Look in:") is None
    assert fallback.translate("QAbstractFileIconProvider", "Look in:", "All other platforms") == "查找范围："
