"""The full activity form asks 每人时长 as the quick entry does, and keeps a stored total it was not asked to change."""

from PySide6.QtWidgets import QLabel

from silverdesk.ui.activities.form import ActivityDialog


def _caption(dialog, editor):
    return next(label.text() for label in dialog.findChildren(QLabel) if label.buddy() is editor)


def test_a_new_activity_asks_hours_per_person(qtbot, ui_ctx):
    dialog = ActivityDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    each = dialog.edits["hours_each"]
    assert _caption(dialog, each) == "每人时长（小时）"
    dialog.edits["title"].setText("重阳节慰问")
    dialog.edits["participants"].setText("12")
    each.setText("2")
    assert dialog.total.text() == "服务时长合计 24 小时 = 每人 2 小时 × 12 人次"
    dialog.save()
    qtbot.waitUntil(lambda: dialog.activity_id is not None, timeout=5000)
    assert ui_ctx.services.activities.detail(dialog.activity_id)["hours"] == 24


def test_an_activity_opened_and_saved_keeps_its_total(qtbot, ui_ctx):
    acts = ui_ctx.services.activities
    aid = acts.create({"occurred_on": "2026-11-02", "title": "环境整治", "participants": 7, "hours": 30})
    dialog = ActivityDialog(ui_ctx, aid)
    qtbot.addWidget(dialog)
    assert dialog.edits["hours_each"].text() == "4.29"  # 30 hours among 7
    assert dialog.total.text() == "服务时长合计 30 小时 = 每人 4.29 小时 × 7 人次"
    dialog.save()
    assert acts.detail(aid)["hours"] == 30  # not 30.03
    dialog = ActivityDialog(ui_ctx, aid)
    qtbot.addWidget(dialog)
    dialog.edits["participants"].setText("10")  # three more came: the hours follow the head-count
    assert dialog.total.text() == "服务时长合计 42.9 小时 = 每人 4.29 小时 × 10 人次"
    dialog.save()
    assert acts.detail(aid)["hours"] == 42.9
    dialog = ActivityDialog(ui_ctx, aid)
    qtbot.addWidget(dialog)
    dialog.edits["hours_each"].clear()
    assert dialog.total.text() == "（填写每人时长后自动计算）"
    dialog.save()
    assert acts.detail(aid)["hours"] == 0
