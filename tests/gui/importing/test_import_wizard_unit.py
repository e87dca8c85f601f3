"""The import wizard and the sending unit: asked for where it matters, names in every preview table,
one button when done (issue 14)."""

from __future__ import annotations

import datetime as dt

import openpyxl
from PySide6 import QtCore

from silverdesk.domain.idcard import make_id_number
from silverdesk.ui.importing.wizard import ImportWizard

CLICK = QtCore.Qt.MouseButton.LeftButton


def _book(path, header, rows):  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return str(path)


def _people(services):  # type: ignore[no-untyped-def]
    """name → (unit, community) of everyone on the roster."""
    from silverdesk.services.people.roster import PersonFilter

    people = services.people
    return {r.name: (r.unit, r.community) for r in people.rows_by_ids(people.search_ids(PersonFilter()))}


def _next(qtbot, wizard, page: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(wizard.next_button, CLICK)
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == page, timeout=10_000)


def test_a_roster_without_a_sending_unit_cannot_go_on(qtbot, ui_ctx, services, county, tmp_path):
    path = _book(
        tmp_path / "花名册.xlsx",
        ["序号", "姓名", "联系电话", "身份证号码"],
        [[1, "张建国", 13812345678, make_id_number("370402", dt.date(1956, 3, 1), 123)]],
    )
    wizard = ImportWizard(ui_ctx, path)
    qtbot.addWidget(wizard)
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("roster"))
    assert "必填" in wizard.file_page.unit.lineEdit().placeholderText()
    _next(qtbot, wizard, 1)
    samples = {
        wizard.columns_page.columns.item(r, 0).text(): wizard.columns_page.columns.item(r, 1).text()
        for r in range(3)
    }
    assert samples["序号"] == "1" and samples["联系电话"] == "13812345678"  # not 1.0 and 1.38123e+10
    assert "报送单位：未选择" in wizard.columns_page.columns_title.text()
    assert "还缺报送单位" in wizard.columns_page.missing.text() and not wizard.next_button.isEnabled()

    qtbot.mouseClick(wizard.back_button, CLICK)
    wizard.file_page.unit.setEditText("城关街道")
    _next(qtbot, wizard, 1)
    assert wizard.columns_page.missing.text() == "" and wizard.next_button.isEnabled()
    _next(qtbot, wizard, 2)
    _next(qtbot, wizard, 3)
    assert _people(services)["张建国"][0] == "城关街道"


def test_with_a_unit_column_the_wizard_asks_and_refuses_rows_without_a_unit(
    qtbot, ui_ctx, services, county, tmp_path
):
    path = _book(
        tmp_path / "各单位花名册.xlsx",
        ["姓名", "性别", "所属单位", "居住社区"],
        [
            ["张建国", "男", "城关街道", "幸福社区"],
            ["李桂兰", "女", None, "和平社区"],
            ["王德明", "男", "县教育局", "文化路社区"],
        ],
    )
    questions: list[str] = []
    answers = [False, True]
    ui_ctx.confirm = lambda _parent, _title, text: questions.append(text) or answers.pop(0)
    wizard = ImportWizard(ui_ctx, path)
    qtbot.addWidget(wizard)
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("roster"))
    _next(qtbot, wizard, 1)
    # 所属单位 gives each row's unit
    assert wizard.columns_page.missing.text() == "" and wizard.next_button.isEnabled()

    qtbot.mouseClick(wizard.next_button, CLICK)  # “否”: back to choose a sending unit
    assert "按各行所填的单位导入吗" in questions[0] and "“所属单位”为空的行不会导入" in questions[0]
    assert wizard.stack.currentIndex() == 0
    _next(qtbot, wizard, 1)
    _next(qtbot, wizard, 2)  # “是”
    preview = wizard.preview_page.preview
    rows = {
        preview.item(r, 1).text(): (preview.item(r, 2).text(), preview.item(r, 3).text())
        for r in range(preview.rowCount())
    }
    assert rows["张建国"][0] == "新增" and rows["王德明"][0] == "新增"
    assert rows["李桂兰"][0] == "拒绝" and "所属单位未填写" in rows["李桂兰"][1]
    assert (
        "不知道它属于哪个街道（乡镇）" in rows["王德明"][1]
    )  # a 部门 has no 社区: not created under the county
    assert (
        "将新建：单位“幸福社区”（属城关街道）" in wizard.preview_page.summary.text()
        and "文化路社区" not in wizard.preview_page.summary.text()
    )

    _next(qtbot, wizard, 3)
    assert _people(services) == {"张建国": ("城关街道", "幸福社区"), "王德明": ("县教育局", "")}
    new = [n for n in services.units.tree() if n.name == "幸福社区"]
    assert len(new) == 1 and new[0].depth == 2  # under 城关街道, not beside it under 青山县


def test_preview_names_activities_and_the_last_page_has_one_button(qtbot, ui_ctx, services, county, tmp_path):
    path = _book(
        tmp_path / "活动.xlsx",
        ["活动日期", "活动名称", "参与人次"],
        [["2026-10-15", "重阳节敬老宣讲", 20], ["2026-10-16", None, 5]],
    )
    wizard = ImportWizard(ui_ctx, path)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("activities"))
    wizard.file_page.unit.setEditText("龙山镇")
    _next(qtbot, wizard, 1)
    _next(qtbot, wizard, 2)
    assert wizard.preview_page.preview.horizontalHeaderItem(1).text() == "活动名称"
    assert [wizard.preview_page.preview.item(r, 1).text() for r in range(2)] == ["重阳节敬老宣讲", ""]
    assert wizard.close_button.isVisible() and wizard.next_button.text() == "导入"

    _next(qtbot, wizard, 3)
    buttons = [
        b.text() for b in (wizard.back_button, wizard.next_button, wizard.close_button) if b.isVisible()
    ]
    assert buttons == ["关闭"]
    qtbot.keyClick(wizard, QtCore.Qt.Key.Key_Return)  # Enter closes it
    assert not wizard.isVisible()


def test_the_import_log_names_the_kind_in_chinese(qtbot, ui_ctx, services, county, tmp_path):
    from silverdesk.ui.importing.screen import ImportsView

    services.imports.run(
        _book(
            tmp_path / "名册.xlsx",
            ["姓名", "身份证号码"],
            [["张建国", make_id_number("370402", dt.date(1956, 3, 1), 123)]],
        ),
        kind="roster",
        unit_name="城关街道",
    )
    view = ImportsView(ui_ctx)
    qtbot.addWidget(view)
    model = view.model
    headers = [model.headerData(c, QtCore.Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    row = {h: model.index(0, c).data() for c, h in enumerate(headers)}
    assert (row["内容"], row["文件"], row["报送单位"]) == ("花名册", "名册.xlsx", "城关街道")  # was "roster"
