"""UI state kept between sessions (window geometry, splitter, last screen, table columns).

One typed wrapper over an INI-format ``QSettings`` file in the data folder, so tests (which
point ``SILVERDESK_DATA_DIR`` at a temporary folder) never read or write the clerk's state.
Business settings that travel with the data (bureau name …) live in the database instead.

When adding a setting: give it a property here with its default, and never reuse a removed key.
"""

from __future__ import annotations

from PySide6 import QtCore

from silverdesk.paths import data_dir

FILE_NAME = "ui-state.ini"


class UiState:
    def __init__(self, settings: QtCore.QSettings | None = None) -> None:
        self.qsettings = settings or QtCore.QSettings(
            str(data_dir() / FILE_NAME), QtCore.QSettings.Format.IniFormat
        )

    # main window --------------------------------------------------------------------------------
    @property
    def geometry(self) -> QtCore.QByteArray | None:
        value = self.qsettings.value("main/geometry")
        return value if isinstance(value, QtCore.QByteArray) else None

    @geometry.setter
    def geometry(self, value: QtCore.QByteArray) -> None:
        self.qsettings.setValue("main/geometry", value)

    @property
    def window_state(self) -> QtCore.QByteArray | None:
        value = self.qsettings.value("main/state")
        return value if isinstance(value, QtCore.QByteArray) else None

    @window_state.setter
    def window_state(self, value: QtCore.QByteArray) -> None:
        self.qsettings.setValue("main/state", value)

    @property
    def splitter(self) -> QtCore.QByteArray | None:
        value = self.qsettings.value("main/splitter")
        return value if isinstance(value, QtCore.QByteArray) else None

    @splitter.setter
    def splitter(self, value: QtCore.QByteArray) -> None:
        self.qsettings.setValue("main/splitter", value)

    @property
    def screen(self) -> int:
        try:
            return int(self.qsettings.value("main/screen", 0))
        except (TypeError, ValueError):
            return 0

    @screen.setter
    def screen(self, value: int) -> None:
        self.qsettings.setValue("main/screen", int(value))

    # tables ------------------------------------------------------------------------------------
    def hidden_columns(self, table: str, default: tuple[str, ...] = ()) -> set[str]:
        value = self.qsettings.value(f"table/{table}/hidden")
        if value is None:
            return set(default)
        if isinstance(value, str):
            return {v for v in value.split(",") if v}
        return {str(v) for v in value}

    def set_hidden_columns(self, table: str, keys: set[str]) -> None:
        self.qsettings.setValue(f"table/{table}/hidden", ",".join(sorted(keys)))

    def column_widths(self, table: str) -> dict[str, int]:
        value = self.qsettings.value(f"table/{table}/widths", "")
        out: dict[str, int] = {}
        for part in str(value or "").split(","):
            key, _, width = part.partition("=")
            if key and width.isdigit():
                out[key] = int(width)
        return out

    def set_column_widths(self, table: str, widths: dict[str, int]) -> None:
        self.qsettings.setValue(f"table/{table}/widths", ",".join(f"{k}={v}" for k, v in widths.items()))

    def last_folder(self) -> str:
        return str(self.qsettings.value("files/last_folder", "") or "")

    def set_last_folder(self, folder: str) -> None:
        self.qsettings.setValue("files/last_folder", folder)

    def sync(self) -> None:
        self.qsettings.sync()
