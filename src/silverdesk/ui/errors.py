"""Errors toward the clerk: one hook for the unexpected, friendly boxes for the expected."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from silverdesk import __version__
from silverdesk.errors import Cancelled, StorageError, UserError

log = logging.getLogger("silverdesk.ui")


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """The default failure handler: warnings for expected errors, details for the rest."""
    if isinstance(exc, Cancelled):
        return
    if os.environ.get("SILVERDESK_NO_ERR_WINDOWS"):
        log.error("error shown to user: %s", exc, exc_info=exc)
        return
    if isinstance(exc, UserError | StorageError):
        QMessageBox.warning(parent, "无法完成", str(exc))
        return
    details = "".join(traceback.format_exception(exc))
    log.error("unexpected error\n%s", details)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "程序出错",
        "程序遇到了意外错误，刚才的操作没有完成，已保存的数据不受影响。\n请把下面的详细信息复制给维护人员。",
        parent=parent,
    )
    box.setDetailedText(f"silverdesk {__version__}\n{details}")
    box.exec()


def install_excepthook() -> None:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught exception", exc_info=(kind, exc, tb))
        if QApplication.instance() is None or os.environ.get("SILVERDESK_NO_ERR_WINDOWS"):
            sys.__excepthook__(kind, exc, tb)
            return
        show_error(None, exc)

    sys.excepthook = hook
