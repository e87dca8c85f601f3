"""The import wizard on a real file: columns checked, preview with every row's fate, commit, undo."""

from __future__ import annotations

import datetime as dt

import openpyxl
from PySide6 import QtCore

from silverdesk.domain.idcard import make_id_number
from silverdesk.services.importing import IGNORE
from silverdesk.services.people.roster import PersonFilter
from silverdesk.ui.importing.wizard import ImportWizard

LEFT = QtCore.Qt.MouseButton.LeftButton


def shows_page(qtbot, wizard, index: int) -> None:
    """Wait until the step (run in the task runner) has ended and the wizard shows page ``index``."""
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == index and not wizard.busy(), timeout=10000)


def roster_file(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["城关街道离退休干部花名册"])
    ws.append(["姓名", "性别", "身份证号码", "手机", "备注栏"])
    ws.append(["张建国", "男", make_id_number("370402", dt.date(1956, 3, 1), 123), "13812345678", ""])
    ws.append(["李桂兰", "女", "370402195603011238", "13912345678", ""])  # bad check digit
    ws.append(["合计", "", "", "", ""])
    wb.save(path)
    return path


def test_wizard_imports_then_undoes(qtbot, ui_ctx, services, county, tmp_path):
    path = roster_file(tmp_path / "花名册.xlsx")
    wizard = ImportWizard(ui_ctx, str(path))
    qtbot.addWidget(wizard)
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("roster"))
    wizard.file_page.unit.setEditText("城关街道")
    qtbot.mouseClick(wizard.next_button, LEFT)  # → columns
    # (下一步 stays pressable while the file is checked: the read follows the check, see test_long_jobs_import)
    shows_page(qtbot, wizard, 1)
    combos = {
        wizard.columns_page.columns.item(r, 0).text(): wizard.columns_page.columns.cellWidget(r, 2)
        for r in range(wizard.columns_page.columns.rowCount())
    }
    assert combos["身份证号码"].currentData() == "id_number"
    assert combos["手机"].currentData() == "phone"
    name_combo = combos["姓名"]
    name_combo.setCurrentIndex(name_combo.findData(IGNORE))
    assert "姓名" in wizard.columns_page.missing.text() and not wizard.next_button.isEnabled()
    name_combo.setCurrentIndex(name_combo.findData("name"))
    assert wizard.next_button.isEnabled()

    qtbot.mouseClick(wizard.next_button, LEFT)  # → preview
    shows_page(qtbot, wizard, 2)
    assert [wizard.preview_page.preview.horizontalHeaderItem(c).text() for c in range(4)] == [
        "行号",
        "姓名",
        "结果",
        "说明",
    ]
    preview = wizard.preview_page.preview
    fates = {
        preview.item(r, 0).text(): tuple(preview.item(r, c).text() for c in (1, 2, 3))
        for r in range(preview.rowCount())
    }
    assert fates["3"][:2] == ("张建国", "新增")
    assert (
        fates["4"][:2] == ("李桂兰", "拒绝") and "校验位" in fates["4"][2]
    )  # refused rows say whose they are
    assert services.people.count(PersonFilter()) == 0  # nothing written before 导入

    errors = tmp_path / "退回.xlsx"
    ui_ctx.ask_save_path = lambda *_: str(errors)
    qtbot.mouseClick(wizard.preview_page.errors_button, LEFT)
    assert errors.exists()

    qtbot.mouseClick(wizard.next_button, LEFT)  # 导入
    shows_page(qtbot, wizard, 3)
    assert (
        wizard.batch_id
        and f"导入完成（批次 {wizard.batch_id}）：新增 1 行" in wizard.done_page.done_text.text()
    )
    assert [r.name for r in services.people.search("张建国")] == ["张建国"]
    qtbot.mouseClick(wizard.done_page.undo_button, LEFT)
    qtbot.waitUntil(lambda: "已撤销" in wizard.done_page.done_text.text(), timeout=10000)
    assert services.people.count(PersonFilter()) == 0
    assert not wizard.done_page.undo_button.isEnabled()


def _phone_file(path, phone: str):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "身份证号码", "手机"])
    ws.append(["张建国", "男", make_id_number("370402", dt.date(1956, 3, 1), 123), phone])
    wb.save(path)
    return path


def _to_preview(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("roster"))
    wizard.file_page.unit.setEditText("城关街道")
    qtbot.mouseClick(wizard.next_button, LEFT)  # → columns
    shows_page(qtbot, wizard, 1)
    qtbot.mouseClick(wizard.next_button, LEFT)  # → preview
    shows_page(qtbot, wizard, 2)


def _stored_phone(services) -> str:  # type: ignore[no-untyped-def]
    with services.ctx.db.reader() as session:
        from sqlalchemy import select

        from silverdesk.db.models import Person

        return session.scalar(select(Person.phone).where(Person.name == "张建国"))


def test_wizard_conflict_takes_the_file_value_only_when_ticked(qtbot, ui_ctx, services, county, tmp_path):
    services.imports.run(
        _phone_file(tmp_path / "第一次.xlsx", "13812345678"), kind="roster", unit_name="城关街道"
    )
    assert _stored_phone(services) == "13812345678"
    changed = _phone_file(tmp_path / "第二次.xlsx", "13999990000")

    keep = ImportWizard(ui_ctx, str(changed))
    qtbot.addWidget(keep)
    _to_preview(qtbot, keep)
    assert keep.preview_page.conflicts_group.isVisibleTo(keep) and keep.preview_page.conflicts.rowCount() == 1
    cells = [keep.preview_page.conflicts.item(0, c).text() for c in range(5)]
    assert cells == ["2", "张建国", "联系电话", "13812345678", "13999990000"]
    tick = keep.preview_page.conflicts.item(0, 5)
    assert (
        tick.text() == "采用文件值" and tick.checkState() == QtCore.Qt.CheckState.Unchecked
    )  # default: keep
    assert not keep.next_button.isEnabled()  # nothing new, nothing chosen: nothing to import
    keep.preview_page.conflicts.item(0, 5).setCheckState(QtCore.Qt.CheckState.Checked)
    assert keep.next_button.isEnabled()
    qtbot.mouseClick(keep.preview_page.keep_all_button, LEFT)  # 全部保留原值 unticks it again
    assert tick.checkState() == QtCore.Qt.CheckState.Unchecked and not keep.next_button.isEnabled()
    assert _stored_phone(services) == "13812345678"

    take = ImportWizard(ui_ctx, str(changed))
    qtbot.addWidget(take)
    _to_preview(qtbot, take)
    take.preview_page.conflicts.item(0, 5).setCheckState(QtCore.Qt.CheckState.Checked)  # 采用文件值
    assert _stored_phone(services) == "13812345678"  # nothing written before 导入
    qtbot.mouseClick(take.next_button, LEFT)  # 导入
    shows_page(qtbot, take, 3)
    assert take.batch_id
    assert _stored_phone(services) == "13999990000"
    assert "更新 1 行" in take.done_page.done_text.text()


def test_wizard_take_all_and_keep_without_ticking(qtbot, ui_ctx, services, county, tmp_path):
    services.imports.run(
        _phone_file(tmp_path / "第一次.xlsx", "13812345678"), kind="roster", unit_name="城关街道"
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "身份证号码", "手机"])
    ws.append(["张建国", "男", make_id_number("370402", dt.date(1956, 3, 1), 123), "13999990000"])
    ws.append(
        ["李桂兰", "女", make_id_number("370402", dt.date(1958, 5, 2), 124), "13712345678"]
    )  # new person
    wb.save(tmp_path / "第二次.xlsx")

    wizard = ImportWizard(ui_ctx, str(tmp_path / "第二次.xlsx"))
    qtbot.addWidget(wizard)
    _to_preview(qtbot, wizard)
    qtbot.mouseClick(wizard.preview_page.take_all_button, LEFT)
    assert wizard.preview_page.conflicts.item(0, 5).checkState() == QtCore.Qt.CheckState.Checked
    qtbot.mouseClick(wizard.preview_page.keep_all_button, LEFT)  # back to the default
    qtbot.mouseClick(wizard.next_button, LEFT)  # 导入 (the new person only)
    shows_page(qtbot, wizard, 3)
    assert _stored_phone(services) == "13812345678"  # not ticked: the stored value stays
    assert [r.name for r in services.people.search("李桂兰")] == ["李桂兰"]
