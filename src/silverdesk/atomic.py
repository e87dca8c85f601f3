"""Files written whole or not at all: exports, reports, certificates, printed lists.

The file is written beside its target under a temporary name (``name.part``) and renamed over
the target only when the writing block ends normally.  A cancelled or failed write removes the
temporary file: no half-written file is left where the clerk looks, and a file that was already
there stays as it was.  Several files that belong together (a report saved as Excel and PDF) are
written in nested blocks (``contextlib.ExitStack``): none is renamed unless all were written.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from silverdesk.errors import StorageError, with_reason

PART_SUFFIX = ".part"


def partial_path(target: str | os.PathLike[str]) -> Path:
    """Where :func:`atomic_target` writes ``target`` before renaming it."""
    target = Path(target)
    return target.with_name(target.name + PART_SUFFIX)


@contextlib.contextmanager
def atomic_target(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield the temporary path to write ``target`` to; rename it over ``target`` at the end.

    Raises:
        StorageError: the file cannot be written or the target replaced (it is open in Excel,
            WPS or a PDF reader on Windows; the folder is read-only); nothing is left behind.
    """
    target = Path(target)
    partial = partial_path(target)
    try:
        open(partial, "wb").close()
    except OSError as exc:
        raise StorageError(
            f"无法在文件夹“{target.parent}”中写入文件（文件夹不存在、只读或磁盘已满）；请换一个文件夹",
            code="write_failed",
        ) from exc
    try:
        try:
            yield partial
            os.replace(partial, target)
        except PermissionError as exc:
            raise StorageError(
                f"无法写入“{target.name}”：文件可能正在 Excel、WPS 或 PDF 阅读器中打开，请关闭后重试",
                code="file_locked",
            ) from exc
        except OSError as exc:
            raise StorageError(f"无法写入“{target}”{with_reason(exc)}", code="write_failed") from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
