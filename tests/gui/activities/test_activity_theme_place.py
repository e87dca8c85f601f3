"""The activity form's 月度主题 follows the date until the clerk chooses another; 阵地 is picked by typing;
场次 by 月度主题 and by 阵地 read back from the query model are what was typed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from silverdesk.services.statistics.query import DimRef, QueryService, Question
from silverdesk.ui.activities.form import ActivityDialog


def _themes(services) -> dict[str, int]:
    for month, name in ((9, "助学圆梦"), (10, "金秋敬老"), (11, "法治宣传")):
        services.themes.set(2026, month, name)
    return {t.name: t.id for t in services.themes.year(2026).values()}


def _retype(qtbot, type_text, edit, text):
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    type_text(edit, text)


def test_the_default_theme_follows_the_date_unless_another_was_chosen(qtbot, type_text, ui_ctx, county):
    ids = _themes(ui_ctx.services)
    dialog = ActivityDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.theme.currentText() == "11月·法治宣传"  # today: 2026-11-20
    _retype(qtbot, type_text, dialog.edits["occurred_on"], "2026.10.5")
    assert dialog.theme.currentText() == "10月·金秋敬老"
    _retype(qtbot, type_text, dialog.theme.lineEdit(), "9月·助学圆梦")  # the clerk's own choice
    dialog.theme.lineEdit().editingFinished.emit()
    _retype(qtbot, type_text, dialog.edits["occurred_on"], "20261103")
    assert dialog.theme.currentText() == "9月·助学圆梦"  # kept: the clerk chose it
    type_text(dialog.edits["title"], "开学助学")
    dialog.save()
    aid = dialog.activity_id
    assert aid is not None
    detail = ui_ctx.services.activities.detail(aid)
    assert detail["theme_id"] == ids["助学圆梦"] and detail["occurred_on"] == dt.date(2026, 11, 3)

    again = ActivityDialog(ui_ctx, aid)  # opened again: the chosen theme stays when the date moves
    qtbot.addWidget(again)
    _retype(qtbot, type_text, again.edits["occurred_on"], "2026-10-08")
    assert again.theme.currentText() == "9月·助学圆梦"


def test_theme_and_place_typed_in_the_form_come_back_from_the_statistics(qtbot, type_text, ui_ctx, county):
    services = ui_ctx.services
    _themes(services)
    station = services.places.create(
        {"name": "光明社区银龄驿站", "kind": "驿站", "unit_id": county["community"]}
    )
    services.places.create(
        {"name": "龙山镇老年大学教学点", "kind": "老年大学教学点", "unit_id": county["town"]}
    )
    services.places.create(
        {"name": "已关闭的工作室", "kind": "工作室", "unit_id": county["town"], "closed_on": "2025-01-01"}
    )
    typed = (("2026-10-12", "敬老理发", "驿站", "2"), ("2026-10-20", "重阳慰问", "驿站", "3"),
             ("2026-11-03", "普法讲座", "", "1"))  # fmt: skip
    for day, title, place, sessions in typed:
        dialog = ActivityDialog(ui_ctx)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()  # suggestions show in the field that has the keyboard
        qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
        names = [dialog.place.itemText(i) for i in range(dialog.place.count())]
        assert names == ["光明社区银龄驿站（光明社区）", "龙山镇老年大学教学点（龙山镇）"]
        _retype(qtbot, type_text, dialog.edits["occurred_on"], day)
        type_text(dialog.edits["title"], title)
        _retype(qtbot, type_text, dialog.edits["sessions"], sessions)
        if place:
            dialog.place.lineEdit().setFocus()
            type_text(dialog.place.lineEdit(), place)
            qtbot.waitUntil(dialog.place.completer().popup().isVisible, timeout=2000)
            qtbot.keyClick(dialog.place.completer().popup(), Qt.Key.Key_Tab)  # the only place offered
            assert dialog.place.value() == station
        dialog.save()
        assert dialog.activity_id is not None

    def by(dimension: str) -> dict[str, float]:
        q = Question(("场次",), dt.date(2026, 10, 1), dt.date(2026, 11, 30), rows=(DimRef(dimension),))
        return {r.labels[0]: r.values[0] for r in QueryService(services.ctx).ask(q).rows}

    assert by("月度主题") == {"10月·金秋敬老": 5, "11月·法治宣传": 1}
    assert by("阵地") == {"光明社区银龄驿站": 5, "未注明阵地": 1}
