"""Where silverdesk keeps its data: platformdirs' user data dir unless told otherwise."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "silverdesk"
APP_AUTHOR = "silverdesk"
DB_FILENAME = "silverdesk.sqlite"


def data_dir() -> Path:
    """``SILVERDESK_DATA_DIR`` or the platform's user data dir (created on demand)."""
    env = os.environ.get("SILVERDESK_DATA_DIR")
    if env:
        path = Path(env)
    else:
        import platformdirs  # ~40 ms: only when the default place is asked for

        path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    env = os.environ.get("SILVERDESK_DATA_DIR")
    if env:
        path = Path(env) / "logs"
    else:
        import platformdirs

        path = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path
