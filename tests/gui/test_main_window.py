from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication

from silverdesk.ui.main_window import SCREENS, MainWindow
from silverdesk.ui.people.screen import PeopleView
from silverdesk.ui.statistics.dashboard import DashboardView
from silverdesk.ui.tasks import TaskRunner


def _window(qtbot, services, ui_state, finish_tasks):
    window = MainWindow(services, runner=TaskRunner(), state=ui_state)
    qtbot.addWidget(window, before_close_func=lambda w: finish_tasks(w.ctx.runner))
    return window


def test_main_window_shows_navigation_database_and_counts(qtbot, services, ui_state, finish_tasks, county):
    services.people.create({"name": "张建国"})
    window = _window(qtbot, services, ui_state, finish_tasks)
    window.show()
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == list(SCREENS)
    assert window.db_label.toolTip() == str(services.ctx.db.path)
    shown = window.db_label.text()  # a long path is shortened in the middle, the file name kept
    assert shown.startswith("数据库：") and shown.endswith("test.sqlite") and "…" in shown
    assert window.db_label.sizeHint().width() <= window.fontMetrics().horizontalAdvance("汉") * 22
    qtbot.waitUntil(lambda: window.counts_label.text() == "在册人员 1 人　活动 0 项", timeout=10000)
    board = window.current()
    assert isinstance(board, DashboardView)  # the first screen by default
    silent = board.silent.list
    qtbot.waitUntil(lambda: "龙山镇" in [silent.item(i).text() for i in range(silent.count())], timeout=10000)
    assert board.heading.text().startswith("2026年11月20日")


def test_every_screen_opens(qtbot, services, ui_state, finish_tasks, county):
    window = _window(qtbot, services, ui_state, finish_tasks)
    for i, name in enumerate(SCREENS):
        window.nav.setCurrentRow(i)
        assert window.current() is window.screens[name]


def test_last_screen_size_and_columns_are_remembered(qtbot, services, ui_state, finish_tasks):
    window = _window(qtbot, services, ui_state, finish_tasks)
    window.show()
    window.go_to("人员")
    people = window.current()
    assert isinstance(people, PeopleView)
    people.table._toggle_column(3, False)  # hide 身份证号
    window.resize(window.width(), 561)  # heights only: the offscreen screen (800 × 800) clamps widths
    size = window.size()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)  # once the searches still running end
    again = _window(qtbot, services, ui_state, finish_tasks)
    assert isinstance(again.current(), PeopleView)
    assert again.size().height() == size.height() == 561
    assert again.current().table.isColumnHidden(3)


def test_shortcuts_follow_desktop_habits(qtbot, services, ui_state, finish_tasks):
    window = _window(qtbot, services, ui_state, finish_tasks)
    shortcuts = {a.text(): a.shortcut().toString() for a in window.findChildren(type(window.new_action))}
    assert shortcuts["新建"] == "Ctrl+N" and shortcuts["查找"] == "Ctrl+F" and shortcuts["保存"] == "Ctrl+S"
    assert shortcuts["撤销"] == "Ctrl+Z" and shortcuts["打印…"] == "Ctrl+P"
    assert window.refresh_action.shortcut().toString() == "F5"
    window.go_to("人员")
    assert (
        window.new_action.isEnabled()
        and window.paste_action.isEnabled()
        and not window.save_action.isEnabled()
    )
    window.go_to("设置")
    assert window.save_action.isEnabled() and not window.paste_action.isEnabled()
    window.go_to("人员")
    window.find_action.trigger()
    assert window.current().focusWidget() is window.current().search


def test_enter_in_the_search_box_goes_to_the_first_person_found(
    qtbot, services, ui_state, finish_tasks, type_text
):
    for name in ("李桂兰", "王德明", "张建国"):
        services.people.create({"name": name})
    window = _window(qtbot, services, ui_state, finish_tasks)
    window.show()
    window.go_to("人员")
    people = window.current()
    qtbot.waitUntil(lambda: people.count_label.text() == "共 3 人", timeout=10000)
    window.find_action.trigger()
    type_text(people.search, "张")
    qtbot.keyClick(people.search, Qt.Key.Key_Return)  # search now, then go to the list
    qtbot.waitUntil(lambda: people.count_label.text() == "共 1 人", timeout=10000)
    assert people.focusWidget() is people.table
    assert people.table.current_id() is not None
    assert people.model.record(people.table.currentIndex().row()).name == "张建国"


def test_shipped_font_is_the_application_font(qtbot, services, ui_state, finish_tasks):
    window = _window(qtbot, services, ui_state, finish_tasks)
    family = QFontInfo(window.font()).family()
    assert "WenKai" in family or "文楷" in family


def test_quick_entry_shortcut_goes_to_the_activity_line(qtbot, services, ui_state, finish_tasks):
    window = _window(qtbot, services, ui_state, finish_tasks)
    window.show()
    window.quick_action.trigger()
    assert window.current().focusWidget() is window.current().quick.title_edit
    assert window.quick_action.shortcut().toString() == "Ctrl+Shift+N"
    assert Qt.Key.Key_N  # keyboard-first: every screen is also on Ctrl+1 … Ctrl+9


def test_dashboard_lines_open_their_records(qtbot, services, ui_state, finish_tasks, county):
    """Clicking a unit that has not reported this month shows that unit's activities this month."""
    from PySide6.QtCore import Qt

    from silverdesk.ui.activities.screen import ActivitiesView

    window = _window(qtbot, services, ui_state, finish_tasks)
    window.show()
    board = window.current()
    lines = board.silent.list
    qtbot.waitUntil(lambda: "龙山镇" in [lines.item(i).text() for i in range(lines.count())], timeout=10000)
    names = [lines.item(i).text() for i in range(lines.count())]
    item = lines.item(names.index("龙山镇"))
    rect = lines.visualItemRect(item)
    qtbot.mouseClick(lines.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    activities = window.current()
    assert isinstance(activities, ActivitiesView)
    assert activities.unit.value() == county["town"] and activities.period.currentText() == "本月"
    qtbot.waitUntil(lambda: activities.count_label.text() == "共 0 项活动", timeout=10000)

    window.go_to("首页")  # the other lists carry ids too: an empty list line opens nothing
    empty = board.orders.list.item(0)
    assert empty.text() == "没有待办订单" and empty.data(Qt.ItemDataRole.UserRole) is None


def test_qt_standard_texts_are_chinese(qtbot):
    """Message box buttons and text-field menus come from Qt: they must not read OK/Cancel."""
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from silverdesk.ui.language import install_language

    assert install_language(QApplication.instance())
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "确认",
        "删除这条记录？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    qtbot.addWidget(box)
    texts = {
        box.button(b).text().replace("&", "")
        for b in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No)
    }
    assert texts == {"是(Y)", "否(N)"} or texts == {"是", "否"}, texts
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "").startswith("取消")


def _long_job(window, got, seconds=1.5):
    import time

    def work(progress, cancel):
        for _ in range(int(seconds / 0.05)):
            cancel.raise_if_set()
            time.sleep(0.05)
        return "完成"

    window.ctx.runner.run(
        work,
        lambda r: got.append(r),
        on_cancelled=lambda: got.append("已取消"),
        title="正在导入",
        parent=window,
    )


def _answer_close(window, button_text):
    def answer(box):
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    asked: list[str] = []
    window.ask_close = answer
    return asked


def test_closing_while_a_job_runs_asks_then_waits_for_its_result(
    qtbot, services, ui_state, finish_tasks, county
):
    window = _window(qtbot, services, ui_state, finish_tasks)
    window.show()
    got: list[str] = []
    _long_job(window, got)
    asked = _answer_close(window, "完成后退出")
    window.close()
    assert "正在导入" in asked[0]
    assert window.isVisible()  # not closed under the running job
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=8000)
    assert got == ["完成"]


def test_closing_while_a_job_runs_can_cancel_it_or_stay(qtbot, services, ui_state, finish_tasks, county):
    window = _window(qtbot, services, ui_state, finish_tasks)
    window.show()
    got: list[str] = []
    _long_job(window, got, seconds=3)
    _answer_close(window, "继续工作")
    window.close()
    assert window.isVisible() and window.ctx.runner.running_titles() == ["正在导入"]
    _answer_close(window, "取消工作并退出")
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert got == ["已取消"]


def test_ctrl_digit_puts_the_keyboard_in_the_screen_not_the_navigation(qtbot, services, ui_state, finish_tasks,
                                                                        county):  # fmt: skip
    for name in ("曹宝山", "程爱民", "崔爱民"):
        services.people.create({"name": name})
    window = _window(qtbot, services, ui_state, finish_tasks)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.nav.setFocus()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    people = window.current()
    assert isinstance(people, PeopleView)
    qtbot.waitUntil(lambda: people.model.rowCount() == 3, timeout=5000)
    assert window.focusWidget() is people.table
    people.table.select_id(people.model.id_at(0))
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Down)  # moves in the list …
    assert window.current() is people and people.table.currentIndex().row() == 1  # … not to 队伍
    for i, name in enumerate(SCREENS):
        window.nav.setFocus()
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_1 + i, Qt.KeyboardModifier.ControlModifier)
        assert window.current() is window.screens[name]
        focused = window.focusWidget()
        assert focused is not None and window.current().isAncestorOf(focused), name
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Up)  # the navigation's own arrow keys still switch, and stay there
    assert window.current() is window.screens["报表"] and window.focusWidget() is window.nav
