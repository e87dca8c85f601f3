"""What every screen and dialog gets: services, the task runner, the undo stack, UI state and
the few interactions tests must replace (file pickers, questions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6 import QtGui, QtWidgets

from silverdesk.services.hub import Services
from silverdesk.ui.settings import UiState
from silverdesk.ui.tasks import Runner
from silverdesk.ui.undo import DataEvents


def _ask_save_path(parent: QtWidgets.QWidget | None, title: str, suggested: str, filters: str) -> str:
    path, _ = QtWidgets.QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return path


def _ask_open_paths(parent: QtWidgets.QWidget | None, title: str, folder: str, filters: str) -> list[str]:
    paths, _ = QtWidgets.QFileDialog.getOpenFileNames(parent, title, folder, filters)
    return paths


def _confirm(parent: QtWidgets.QWidget | None, title: str, text: str) -> bool:
    answer = QtWidgets.QMessageBox.question(parent, title, text)
    return answer == QtWidgets.QMessageBox.StandardButton.Yes


def _notify(parent: QtWidgets.QWidget | None, text: str) -> None:
    window = parent.window() if parent is not None else None
    if isinstance(window, QtWidgets.QMainWindow):
        window.statusBar().showMessage(text, 8000)


@dataclass
class UiContext:
    services: Services
    runner: Runner
    state: UiState
    undo: QtGui.QUndoStack = field(default_factory=QtGui.QUndoStack)
    events: DataEvents = field(default_factory=DataEvents)
    ask_save_path: Callable[[QtWidgets.QWidget | None, str, str, str], str] = _ask_save_path
    ask_open_paths: Callable[[QtWidgets.QWidget | None, str, str, str], list[str]] = _ask_open_paths
    confirm: Callable[[QtWidgets.QWidget | None, str, str], bool] = _confirm
    notify: Callable[[QtWidgets.QWidget | None, str], None] = _notify
    clipboard_text: Callable[[], str] = lambda: QtGui.QGuiApplication.clipboard().text()
    set_clipboard_text: Callable[[str], None] = lambda text: QtGui.QGuiApplication.clipboard().setText(text)

    def ask_save_file(self, parent: QtWidgets.QWidget | None, title: str, name: str) -> Path | None:
        """Where to save a file called ``name`` (in the folder used last): the chosen path with
        ``name``'s suffix ensured, the folder remembered for next time; ``None`` when cancelled."""
        suffix = Path(name).suffix
        kinds = {".xlsx": "Excel 工作簿 (*.xlsx)", ".pdf": "PDF 文件 (*.pdf)"}
        folder = self.state.last_folder()
        chosen = self.ask_save_path(
            parent, title, str(Path(folder) / name) if folder else name, kinds.get(suffix, f"*{suffix}")
        )
        if not chosen:
            return None
        target = Path(chosen if chosen.lower().endswith(suffix) else chosen + suffix)
        self.state.set_last_folder(str(target.parent))
        return target
