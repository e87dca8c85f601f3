"""The people list's organisation filters and 一人一档 (issue #18), through the real screen and runner."""

from pypdf import PdfReader
from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from silverdesk.ui.people import profile as profile_ui
from silverdesk.ui.people.screen import PeopleView
from tests.unit.people import test_filters
from tests.unit.people.test_filters import lookup_id

roster = test_filters.roster  # the fixture: four people with talents, roles, a team and a party branch


def test_filters_narrow_the_list_and_its_count_with_the_search(qtbot, ui_ctx, roster, county):
    view = PeopleView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    view.reload()
    qtbot.waitUntil(lambda: view.count_label.text() == "共 4 人", timeout=10000)
    qtbot.waitUntil(
        lambda: view.team.count() == 2 and view.party_org.count() == 2, timeout=10000
    )  # 全部… + one
    view.team.set_value(roster["team"])  # 李二 left yesterday, 张四 joins next month
    qtbot.waitUntil(lambda: view.count_label.text() == "共 1 人", timeout=10000)
    assert view.model.record(0).name == "张一"
    view.team.set_value(None)
    view.community.set_value(county["community"])  # the pick list holds 社区 and 村
    qtbot.waitUntil(
        lambda: view.count_label.text() == "共 1 人" and view.model.record(0).name == "张一", timeout=10000
    )
    view.community.set_value(None)
    view.search.setText("张")
    qtbot.waitUntil(lambda: view.count_label.text() == "共 2 人", timeout=10000)
    view.party_org.set_value(roster["org"])
    qtbot.waitUntil(lambda: view.count_label.text() == "共 1 人", timeout=10000)
    view.party_org.set_value(None)
    view.role.set_value(roster["role"])
    qtbot.waitUntil(lambda: view.count_label.text() == "共 1 人", timeout=10000)
    view.role.set_value(None)
    view.talent.set_value(lookup_id(ui_ctx.services, "talent_category", "文化艺术"))
    qtbot.waitUntil(
        lambda: view.count_label.text() == "共 1 人" and view.model.record(0).name == "张一", timeout=10000
    )
    assert "文化艺术" in [
        w.currentText() for w in view.filter_widgets() if isinstance(w, QtWidgets.QComboBox)
    ]

    # keyboard: Tab from the search box reaches every filter of the second row, in order
    view.activateWindow()
    view.search.setFocus()
    reached = []
    for _ in range(40):
        qtbot.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QtWidgets.QApplication.focusWidget()
        owner = (
            widget.parentWidget()
            if isinstance(widget, QtWidgets.QLineEdit) and widget.parentWidget() is not view
            else widget
        )
        if owner is view.table:
            break
        reached.append(owner)
    wanted = [view.talent, view.role, view.team, view.community, view.party_org]
    assert [w for w in reached if w in wanted] == wanted


def test_profile_from_the_people_list_previews_and_saves_the_page(
    qtbot,
    ui_ctx,
    roster,
    monkeypatch,
    tmp_path,
):
    spans, previews = [], []
    monkeypatch.setattr(profile_ui.SpanDialog, "exec", lambda self: spans.append(self) or 1)  # 预览 pressed
    monkeypatch.setattr(profile_ui.ProfilePreview, "exec", lambda self: previews.append(self) or 0)
    view = PeopleView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    view.search.setText("张一")
    qtbot.waitUntil(lambda: view.count_label.text() == "共 1 人", timeout=10000)
    view.table.selectRow(0)  # the clerk's row
    view.activateWindow()
    view.table.setFocus()
    qtbot.keyClick(
        view.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=5000)
    assert spans[-1].span.currentText() == "本年" and str(spans[-1].dates()[0]) == "2026-01-01"
    dialog = previews[-1]
    qtbot.waitUntil(lambda: dialog.status.text().endswith("共 1 页"), timeout=15000)
    text = "".join(page.extract_text() for page in PdfReader(dialog.path).pages)
    assert "张一" in text and "夕阳红服务队" in text and "楼长" in text and "文化艺术" in text
    target = tmp_path / "saved.pdf"
    ui_ctx.ask_save_path = lambda *_: str(target)
    dialog.save_pdf()
    assert target.exists() and "张一" in PdfReader(target).pages[0].extract_text()
    assert ui_ctx.notices[-1] == f"已保存到 {target}"
    dialog.done(0)

    from silverdesk.ui.people.form import PersonDialog

    form = PersonDialog(ui_ctx, roster["张一"], view)  # the same from the person form
    qtbot.addWidget(form)
    form.profile_button.click()
    qtbot.waitUntil(lambda: len(previews) == 2 and previews[-1].path is not None, timeout=15000)
    assert previews[-1].person_id == roster["张一"]
    previews[-1].done(0)


def test_profile_without_a_selection_says_what_to_do(qtbot, ui_ctx, roster):
    view = PeopleView(ui_ctx)
    qtbot.addWidget(view)
    view.show()
    view.search.setText("没有这个人")
    qtbot.waitUntil(lambda: view.count_label.text() == "共 0 人", timeout=10000)
    view.profile_button.click()
    assert ui_ctx.notices[-1] == "请先在列表中选中一名人员，再打印一人一档"
