"""What happens between double-clicking the icon and the main window (issue #7's GUI side).

1. The SQLite file is checked without opening it; a damaged file leads the clerk to restore the
   newest good backup — only after he says yes, and the damaged file is kept.  A large file that
   was closed cleanly is checked page by page in the background once the window shows (seconds
   on 500 MB); damage found then is reported at once and makes the next start check first.
2. The database's lock is taken: a second copy of silverdesk on the same file is told who holds it.
3. The database is opened (migrated, after a backup); on the first start a new one is filled with
   demo data on a thread while a window shows the progress (ui/system/first_run.py).
4. The opening password is asked when one is set; the operator name once per session.
5. The day's first backup runs in the background.

Questions go through a small :class:`Prompts` object so tests can answer them.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6 import QtWidgets

from silverdesk.errors import Cancelled, SilverdeskError
from silverdesk.services.hub import Services
from silverdesk.services.system.backups import BackupsNotApplicable, db_file, restore
from silverdesk.services.system.lock import DatabaseInUse, DatabaseLock
from silverdesk.services.system.startup import (
    StartupState,
    check_marker,
    needs_full_check,
    record_check,
    startup_check,
)
from silverdesk.ui.tasks import Runner

log = logging.getLogger(__name__)
PASSWORD_TRIES = 3


def _ask_yes(title: str, text: str) -> bool:
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, title, text)
    yes = box.addButton("恢复备份", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    box.addButton("退出", QtWidgets.QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes


def _warn(title: str, text: str) -> None:
    QtWidgets.QMessageBox.warning(None, title, text)


def _ask_text(title: str, label: str, default: str, password: bool) -> str | None:
    mode = QtWidgets.QLineEdit.EchoMode.Password if password else QtWidgets.QLineEdit.EchoMode.Normal
    text, ok = QtWidgets.QInputDialog.getText(None, title, label, mode, default)
    return text if ok else None


@dataclass
class Prompts:
    ask_yes: Callable[[str, str], bool] = _ask_yes
    warn: Callable[[str, str], None] = _warn
    ask_text: Callable[[str, str, str, bool], str | None] = _ask_text


@dataclass
class Opened:
    services: Services
    lock: DatabaseLock | None
    backup_thread: threading.Thread | None = field(default=None, repr=False)
    deferred_check: Path | None = None  # a large file whose pages are checked after the window opens

    def close(self) -> None:
        if self.backup_thread is not None:
            self.backup_thread.join(timeout=30)
        self.services.close()
        if self.lock is not None:
            self.lock.release()


def open_database(
    db: str | None,
    open_services: Callable[[str | None], Services],
    prompts: Prompts | None = None,
    operator: str | None = None,
) -> Opened | None:
    """Run the start-up sequence; ``None`` when the app should quit (the clerk was told why).

    ``operator`` (``silverdesk gui --operator``, else ``SILVERDESK_OPERATOR``) names who is working:
    the name is then not asked.
    """
    prompts = prompts or Prompts()
    operator = (operator or "").strip() or os.environ.get("SILVERDESK_OPERATOR", "")
    try:
        path = db_file(db)
    except BackupsNotApplicable:
        path = None  # a server database: the server keeps it sound and serialises writers
    lock = None
    deferred: Path | None = None
    if path is not None:
        full = needs_full_check(path)
        state = startup_check(path, pages=full)
        if full:
            record_check(state)
        else:
            deferred = path  # the window opens first; check_in_background() checks every page
        if not state.can_open:
            if state.latest_backup is None or state.kind == "too_new":
                prompts.warn("无法打开数据库", state.message())
                return None
            if not prompts.ask_yes(
                "数据库已损坏", state.message() + "\n\n是否用这个备份恢复？损坏的文件会另存一份，不会删除。"
            ):
                return None
            try:
                restore(state.latest_backup.path, path, operator=operator)
            except SilverdeskError as exc:
                prompts.warn("恢复失败", str(exc))
                return None
            check_marker(path).unlink(missing_ok=True)  # the restored file was checked before it was used
        lock = DatabaseLock(path, operator)
        try:
            lock.acquire()
        except DatabaseInUse as exc:
            prompts.warn("数据库正在使用", str(exc))
            return None
    try:
        services = open_services(db)
    except Cancelled:  # the first start's window was closed while the demo database was built
        if lock is not None:
            lock.release()
        return None
    except SilverdeskError as exc:
        if lock is not None:
            lock.release()
        prompts.warn("无法打开数据库", str(exc))
        return None
    opened = Opened(services, lock, deferred_check=deferred)
    services.backups.lock = lock  # a restore from 设置 swaps the file under this same lock
    if not _check_password(services, prompts) or not _ask_operator(services, prompts, operator):
        opened.close()
        return None
    opened.backup_thread = _daily_backup(services)
    return opened


def check_in_background(
    window: QtWidgets.QWidget, runner: Runner, path: Path, prompts: Prompts | None = None
) -> None:
    """Check every page of ``path`` off the GUI thread; on damage tell the clerk to stop and
    restart, and leave a marker so that the next start checks first and offers the backup."""
    prompts = prompts or Prompts()

    def done(state: StartupState) -> None:
        record_check(state)
        if not state.can_open:
            prompts.warn(
                "数据库文件有损坏",
                state.message() + "\n\n请不要再录入数据，关闭程序后重新打开："
                "程序会先检查文件，并引导您从最近的完好备份恢复。",
            )

    runner.run(
        lambda _p, _c: startup_check(path),
        done,
        on_error=lambda exc: log.warning("background integrity check failed: %s", exc),
        parent=window,
    )


def _check_password(services: Services, prompts: Prompts) -> bool:
    if not services.app_password.is_set():
        return True
    for attempt in range(PASSWORD_TRIES):
        label = (
            "请输入开机密码："
            if attempt == 0
            else f"密码不对，请重新输入（还可试 {PASSWORD_TRIES - attempt} 次）："
        )
        typed = prompts.ask_text("silverdesk", label, "", True)
        if typed is None:
            return False
        if services.app_password.verify(typed):
            return True
    prompts.warn("密码错误", "密码连续输错，程序将退出。忘记密码请联系维护人员。")
    return False


def _ask_operator(services: Services, prompts: Prompts, preset: str) -> bool:
    """Once per session: who is working (written to the audit log)."""
    if preset:
        services.ctx.operator = preset
        return True
    while True:
        name = prompts.ask_text(
            "操作人", "请输入您的姓名（记入操作日志）：", services.operators.last(), False
        )
        if name is None:
            return False
        try:
            services.operators.remember(name)
            return True
        except SilverdeskError as exc:
            prompts.warn("操作人", str(exc))


def _daily_backup(services: Services) -> threading.Thread | None:
    if not services.backups.applicable:
        return None

    def run() -> None:
        try:
            made = services.backups.ensure_daily_backup()
            if made is not None:
                log.info("daily backup: %s %s", made.path, made.note or "")
        except Exception:  # a failed backup must never stop the clerk's work; it is logged
            log.exception("daily backup failed")

    thread = threading.Thread(target=run, name="daily-backup", daemon=False)
    thread.start()
    return thread
