"""Consistent copies of a live SQLite database through SQLite's online backup API."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path


def backup_sqlite_file(source: Path, dest: Path) -> Path:
    """Copy ``source`` to ``dest`` (a new file) consistently, even while others use it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(dest.suffix + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    finally:
        src.close()
    tmp.replace(dest)
    return dest


def timestamped_name(stem: str, tag: str, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"{stem}_{tag}_{now:%Y%m%d-%H%M%S}.sqlite"
