"""The start-up sequence: damaged file → restore after asking, lock, password, operator."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from silverdesk.services.hub import Services
from silverdesk.services.system.lock import DatabaseLock
from silverdesk.ui.system.startup import Prompts, open_database


class Answers(Prompts):
    def __init__(self, yes: bool = True, texts: list[str] | None = None) -> None:
        self.warnings: list[str] = []
        self.questions: list[str] = []
        self._texts = list(texts or [])
        super().__init__(
            ask_yes=self._yes(yes),
            warn=lambda title, text: self.warnings.append(text),
            ask_text=lambda title, label, default, pw: self._texts.pop(0) if self._texts else None,
        )

    def _yes(self, answer: bool):  # type: ignore[no-untyped-def]
        def ask(title: str, text: str) -> bool:
            self.questions.append(text)
            return answer

        return ask


def opener(db: str | None) -> Services:
    return Services.open(db)


@pytest.fixture
def no_operator_env(monkeypatch):
    monkeypatch.delenv("SILVERDESK_OPERATOR", raising=False)


def corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096:12288] = b"\x00garbage" * 1024
    path.write_bytes(bytes(data))


def make_db_with_backup(services: Services, db_path: Path) -> None:
    services.people.create({"name": "张建国"})
    services.backups.backup_now()
    services.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_damaged_database_is_restored_after_asking(qtbot, services, db_path, no_operator_env):
    make_db_with_backup(services, db_path)
    corrupt(db_path)
    answers = Answers(yes=True, texts=["王德明"])
    opened = open_database(str(db_path), opener, answers)
    assert opened is not None
    assert "已损坏" in answers.questions[0]
    assert [r.name for r in opened.services.people.search("张建国")] == ["张建国"]
    assert opened.services.ctx.operator == "王德明"
    opened.close()


def test_damaged_database_left_alone_when_the_clerk_says_no(qtbot, services, db_path, no_operator_env):
    make_db_with_backup(services, db_path)
    corrupt(db_path)
    before = db_path.read_bytes()
    assert open_database(str(db_path), opener, Answers(yes=False)) is None
    assert db_path.read_bytes() == before


def test_second_copy_is_told_who_holds_the_database(qtbot, services, db_path, no_operator_env):
    services.close()
    holder = DatabaseLock(db_path, "张三").acquire()
    answers = Answers()
    try:
        assert open_database(str(db_path), opener, answers) is None
    finally:
        holder.release()
    assert "张三" in answers.warnings[0]


def test_password_and_operator(qtbot, services, db_path, no_operator_env):
    services.app_password.set("lao-gan-bu-2026")
    services.close()
    wrong = Answers(texts=["x", "y", "z"])
    assert open_database(str(db_path), opener, wrong) is None
    assert "密码连续输错" in wrong.warnings[-1]
    right = Answers(texts=["lao-gan-bu-2026", "李桂兰"])
    opened = open_database(str(db_path), opener, right)
    assert opened is not None
    assert opened.services.operators.last() == "李桂兰"
    opened.close()


def test_a_large_file_opens_first_and_is_checked_in_the_background(
    qtbot, services, db_path, no_operator_env, monkeypatch
):
    """Checking every page of a 500 MB file takes seconds: a file closed cleanly opens at once and
    is checked behind the window; damage found then is reported, and the next start checks first
    and offers the backup."""
    from silverdesk.services.system import startup as startup_service
    from silverdesk.ui.system.startup import check_in_background
    from silverdesk.ui.tasks import TaskRunner

    monkeypatch.setattr(startup_service, "SMALL_FILE", 0)  # every file counts as large
    for i in range(300):
        services.people.create({"name": "张建国", "address": f"光明路{i}号" * 20})
    make_db_with_backup(services, db_path)
    data = bytearray(db_path.read_bytes())  # damage the last pages: the roster, not the schema
    data[-8192:] = b"\xff" * 8192
    db_path.write_bytes(bytes(data))

    answers = Answers(texts=["王德明"])
    opened = open_database(str(db_path), opener, answers)
    assert opened is not None and answers.questions == [], "a cleanly closed large file opens without waiting"
    assert opened.deferred_check == db_path
    runner = TaskRunner()
    check_in_background(None, runner, opened.deferred_check, answers)
    qtbot.waitUntil(
        lambda: bool(answers.warnings), timeout=10000
    )  # said once the check behind the window ends
    assert "已损坏" in answers.warnings[-1] and "关闭程序后重新打开" in answers.warnings[-1]
    assert startup_service.check_marker(db_path).exists()
    opened.close()

    again = Answers(yes=True, texts=["王德明"])
    reopened = open_database(str(db_path), opener, again)
    assert reopened is not None and "已损坏" in again.questions[0], "the next start checks first and asks"
    assert reopened.deferred_check is None and not startup_service.check_marker(db_path).exists()
    assert reopened.services.people.search("张建国")
    reopened.close()


def test_which_files_are_checked_before_opening(tmp_path, monkeypatch):
    from silverdesk.services.system import startup as startup_service

    db = tmp_path / "x.sqlite"
    db.write_bytes(b"x" * 1000)
    assert startup_service.needs_full_check(db)  # small: always
    monkeypatch.setattr(startup_service, "SMALL_FILE", 10)
    assert not startup_service.needs_full_check(db)  # large, closed cleanly
    wal = tmp_path / "x.sqlite-wal"
    wal.write_bytes(b"w")
    assert startup_service.needs_full_check(db)  # the last session did not end cleanly
    wal.unlink()
    startup_service.check_marker(db).write_text("damaged", encoding="utf-8")
    assert startup_service.needs_full_check(db)  # damage was found while it ran


def test_pinyin_tables_load_behind_the_window(qtbot, db_path, monkeypatch):
    """So the first name typed or imported does not wait for them (or, on a new machine, for building them)."""
    from silverdesk import app as app_module
    from silverdesk.domain import pinyin

    calls: list[str] = []
    monkeypatch.setenv("SILVERDESK_OPERATOR", "王德明")
    monkeypatch.setattr(app_module, "PINYIN_PRELOAD_MS", 50)
    monkeypatch.setattr(pinyin, "preload", lambda: calls.append("preload"))
    started = app_module.start_gui(str(db_path))
    assert started is not None
    _app, window, _services = started
    qtbot.addWidget(window)
    assert calls == []  # not before the window is up
    qtbot.waitUntil(lambda: calls == ["preload"], timeout=3000)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)  # once the counts behind it have ended
    window.opened.close()
