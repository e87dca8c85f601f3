"""A clerk builds a bureau from nothing: the first start's window (five townships pasted), two communities
added under one in 设置 › 单位 with the keyboard, one renamed, then a person there counted by unit."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6 import QtCore, QtWidgets

from silverdesk import app as app_module
from silverdesk.domain import pinyin
from silverdesk.paths import default_db_path
from silverdesk.services.statistics.query import DimRef, QueryService, Question
from silverdesk.ui.org.unit_dialogs import NewUnitDialog
from silverdesk.ui.system.first_run import FirstRunDialog
from tests.gui.org.test_units_tree import answer_dialog, rows, select
from tests.gui.system.test_first_start import watch

Key = QtCore.Qt.Key
TOWNSHIPS = "城关街道\n龙山镇\n青河镇\n柳林镇\n石桥乡\n"


@pytest.fixture
def first_start(monkeypatch):
    monkeypatch.setenv("SILVERDESK_OPERATOR", "王德明")
    monkeypatch.setattr(pinyin, "preload", lambda: None)
    assert not default_db_path().exists()


def preview(welcome: FirstRunDialog) -> list[tuple[int, str, str]]:
    out = []
    it = QtWidgets.QTreeWidgetItemIterator(welcome.preview)
    while it.value():
        item = it.value()
        out.append((0 if item.parent() is None else 1, item.text(0), item.text(1)))
        it += 1
    return out


def test_a_clerk_builds_the_bureau_from_nothing(qtbot, first_start, type_text):
    seen: list[list[tuple[int, str, str]]] = []

    def answer(welcome: FirstRunDialog) -> None:
        if seen or welcome.pages.currentIndex() != 0:
            return
        type_text(welcome.name, "青山县")
        assert welcome.bureau.text() == "中共青山县委老干部局" and welcome.kind.currentText() == "县"
        QtWidgets.QApplication.clipboard().setText(TOWNSHIPS)  # copied from the bureau's own sheet
        welcome.units.setFocus()
        qtbot.keyClick(welcome.units, Key.Key_V, QtCore.Qt.KeyboardModifier.ControlModifier)
        seen.append(preview(welcome))
        welcome.ok.click()

    timer = watch(20, answer)
    started = app_module.start_gui(None)
    timer.stop()
    assert started is not None
    _app, window, services = started
    qtbot.addWidget(window)
    assert seen[0] == [(0, "青山县", "县"), (1, "城关街道", "街道"), (1, "龙山镇", "乡镇"), (1, "青河镇", "乡镇"),
                       (1, "柳林镇", "乡镇"), (1, "石桥乡", "乡镇")]  # fmt: skip
    # nothing fictional: the bureau, its five townships, no people, no activities
    assert [n.name for n in services.units.tree()] == [
        "青山县",
        "城关街道",
        "龙山镇",
        "青河镇",
        "柳林镇",
        "石桥乡",
    ]
    assert services.settings.get("bureau_name") == "中共青山县委老干部局"

    window.go_to("设置")
    tab = window.screen("设置").show_tab("单位")
    qtbot.waitUntil(lambda: len(rows(tab)) == 6)
    for name in ("光明社区", "幸福社区"):
        select(tab, "城关街道")
        answer_dialog(qtbot, NewUnitDialog, lambda d, name=name: type_text(d.name, name))
        qtbot.keyClick(tab.tree, Key.Key_Insert)
    assert rows(tab)[1:4] == [
        (1, "城关街道", "街道", ""),
        (2, "光明社区", "社区", ""),
        (2, "幸福社区", "社区", ""),
    ]
    qtbot.keyClick(tab.tree, Key.Key_F2)  # the new 幸福社区 is selected
    editor = tab.tree.findChild(QtWidgets.QLineEdit)
    editor.selectAll()
    type_text(editor, "幸福里社区")
    qtbot.keyClick(editor, Key.Key_Return)
    qtbot.waitUntil(lambda: (2, "幸福里社区", "社区", "") in rows(tab))

    # a person of the renamed community is counted there, and under 城关街道 one level up
    happy = services.units.find("幸福社区")
    assert happy == services.units.find("幸福里社区")  # the old name still finds it
    services.people.create({"name": "张建国", "gender": "男", "unit_id": happy, "community_id": happy})
    today = dt.date.today()
    month = (today.replace(day=1), today)
    by_unit = QueryService(services.ctx).ask(Question(("人员数",), *month, rows=(DimRef("单位"),)))
    assert {r.labels[0]: r.values[0] for r in by_unit.rows} == {"城关街道": 1} and by_unit.total == (1,)
    by_community = QueryService(services.ctx).ask(
        Question(("人员数",), *month, rows=(DimRef("单位", "社区村"),))
    )
    assert by_community.value("人员数", "幸福里社区") == 1
    window.close()
    window.opened.close()
