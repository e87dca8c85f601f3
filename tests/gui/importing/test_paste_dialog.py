import datetime as dt

from silverdesk.domain.idcard import make_id_number
from silverdesk.services.people.roster import PersonFilter
from silverdesk.ui.importing.paste import PasteDialog
from silverdesk.ui.people.screen import PeopleView

GOOD = make_id_number("370402", dt.date(1956, 3, 1), 123)
BAD = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")
TSV = (
    "姓名\t身份证号码\t手机号码\t所属单位\r\n"
    f"张建国\t{GOOD}\t13812345678\t城关街道\r\n"
    f"王德明\t{BAD}\t13812345679\t城关街道\r\n"
    "李桂兰\t\t\t不存在的单位\r\n"
)


def test_paste_rows_from_excel_shows_refusals_and_writes_on_confirm(qtbot, ui_ctx, county):
    view = PeopleView(ui_ctx)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.count_label.text() == "共 0 人", timeout=10000)
    dialog = PasteDialog(ui_ctx, "people", TSV, view)
    qtbot.addWidget(dialog)
    assert dialog.plan is not None and len(dialog.plan.accepted) == 1
    assert dialog.refused.rowCount() == 2
    assert dialog.refused.item(0, 0).text() == "3" and "校验位" in dialog.refused.item(0, 1).text()
    assert "不存在的单位" in dialog.refused.item(1, 1).text()
    assert dialog.write_button.text() == "写入 1 行人员"
    copied = []
    ui_ctx.set_clipboard_text = copied.append
    dialog.copy_button.click()
    lines = copied[0].splitlines()  # the refused rows, with reasons, can go back to the unit
    assert lines[0].startswith("行号\t原因\t姓名") and lines[1].startswith("3\t身份证号校验位不对")
    dialog.write_button.click()
    assert dialog.written == 1
    qtbot.waitUntil(lambda: view.count_label.text() == "共 1 人", timeout=10000)  # the list shows the new row
    assert view.model.record(0).name == "张建国"


def test_cancelled_paste_writes_nothing(qtbot, ui_ctx, county):
    dialog = PasteDialog(ui_ctx, "people", TSV)
    qtbot.addWidget(dialog)
    dialog.reject()
    assert ui_ctx.services.people.count(PersonFilter(status=None)) == 0


def test_paste_from_the_list_uses_the_clipboard_and_an_empty_one_is_explained(
    qtbot, ui_ctx, county, monkeypatch
):
    view = PeopleView(ui_ctx)
    qtbot.addWidget(view)
    ui_ctx.clipboard_text = lambda: "\r\n"
    view.paste()
    assert "没有可粘贴的表格行" in ui_ctx.notices[-1]
    shown = []
    monkeypatch.setattr(PasteDialog, "exec", lambda self: shown.append(len(self.plan.accepted)) or 0)
    ui_ctx.clipboard_text = lambda: TSV
    view.paste()
    assert shown == [1]


def test_copy_selected_rows_as_tab_separated_text(qtbot, ui_ctx, county):
    from PySide6.QtGui import QGuiApplication

    ui_ctx.services.people.create({"name": "张建国", "phone": "13812345678"})
    view = PeopleView(ui_ctx)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.count_label.text() == "共 1 人", timeout=10000)
    view.table.selectRow(0)
    view.table.copy_selection()
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t")[:2] == ["姓名", "性别"]
    assert lines[1].split("\t")[0] == "张建国" and "13812345678" in lines[1]
