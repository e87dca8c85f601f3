"""``silverdesk gui --operator NAME`` names who is working: the name is not asked at start (issue 14)."""

from __future__ import annotations

import pytest
from PySide6 import QtWidgets

from silverdesk import app as app_module
from silverdesk import cli
from silverdesk.services.hub import Services
from silverdesk.ui.system.startup import Prompts, open_database


@pytest.fixture
def asked(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every name prompt shown (answered with 取消, which would end the start)."""
    monkeypatch.delenv("SILVERDESK_OPERATOR", raising=False)
    labels: list[str] = []

    def get_text(_parent, _title, label, *_args):  # type: ignore[no-untyped-def]
        labels.append(label)
        return "", False

    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", get_text)
    return labels


def test_the_command_line_hands_the_operator_to_the_window(db_path, asked, monkeypatch):
    handed: list[tuple[str | None, str | None]] = []
    monkeypatch.setattr(app_module, "_setup_logging", lambda: None)  # the test run keeps its own logging
    monkeypatch.setattr(app_module, "start_gui", lambda db, operator=None: handed.append((db, operator)))
    assert cli.main(["gui", "--db", str(db_path), "--operator", "王德明"]) == 2  # start_gui said stop
    assert handed == [(str(db_path), "王德明")]


def test_the_window_opens_with_the_operator_given_and_asks_nothing(
    qtbot, services, db_path, asked, monkeypatch
):
    from silverdesk.domain import pinyin

    services.close()
    monkeypatch.setattr(pinyin, "preload", lambda: None)
    started = app_module.start_gui(str(db_path), "王德明")
    assert started is not None
    _app, window, opened_services = started
    qtbot.addWidget(window)
    try:
        assert asked == [] and opened_services.ctx.operator == "王德明"
    finally:
        window.close()
        window.opened.close()


def test_open_database_takes_the_operator_given(services, db_path, asked):
    services.close()
    prompts = Prompts(ask_text=lambda *_a: pytest.fail("the operator was given: nothing to ask"))
    opened = open_database(str(db_path), Services.open, prompts, operator="  李桂兰 ")
    assert opened is not None
    try:
        assert opened.services.ctx.operator == "李桂兰"
    finally:
        opened.close()
