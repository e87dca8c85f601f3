"""A clerk's journeys, end to end: the real main window with its own threaded task runner, on a
real SQLite file, driven with keys and mouse clicks; every step waits for what appears on screen.

Questions the window asks (``ctx.confirm``, where to save a file) are answered by replacing those
hooks; the app's own dialogs (the person form, the wizard, the order steps) are driven while
their ``exec()`` runs, as a clerk would.  A picture of every step is saved into the folder named
by ``SILVERDESK_JOURNEY_SHOTS`` (default: the test's tmp_path) to be looked at.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

from silverdesk.services.hub import Services
from silverdesk.services.system.lock import DatabaseLock
from silverdesk.ui.main_window import SCREENS, MainWindow
from silverdesk.ui.settings import UiState

WAIT_MS = 20000


class Shots:
    """Pictures of every step: the window with whatever dialogs are up drawn where they are."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.window: QtWidgets.QWidget | None = None

    def __call__(self, label: str) -> Path:
        QtWidgets.QApplication.processEvents()
        self.count += 1
        pictures = (
            [(self.window.geometry().topLeft(), self.window.grab(), "")] if self.window is not None else []
        )
        for widget in QtWidgets.QApplication.topLevelWidgets():
            if widget is not self.window and widget.isVisible() and isinstance(widget, QtWidgets.QDialog):
                pictures.append((widget.geometry().topLeft(), widget.grab(), widget.windowTitle()))
        assert pictures, "nothing on screen"
        font = QtWidgets.QApplication.font()
        bar = QtGui.QFontMetrics(font).height() + 8  # a dialog's title, as its frame would show it
        area = QtCore.QRect()
        for at, pixmap, title in pictures:
            top = bar if title else 0
            area = area.united(QtCore.QRect(at - QtCore.QPoint(0, top), pixmap.size() + QtCore.QSize(0, top)))
        canvas = QtGui.QPixmap(area.size())
        canvas.fill(QtGui.QColor("#808080"))
        painter = QtGui.QPainter(canvas)
        painter.setFont(font)
        for at, pixmap, title in pictures:
            corner = at - area.topLeft()
            if title:
                strip = QtCore.QRect(corner.x(), corner.y() - bar, pixmap.width(), bar)
                painter.fillRect(strip, QtGui.QColor("#3b4a5a"))
                painter.setPen(QtGui.QColor("#ffffff"))
                painter.drawText(strip.adjusted(8, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, title)
            painter.drawPixmap(corner, pixmap)
        painter.end()
        path = self.folder / f"{self.count:02d}-{label}.png"
        assert canvas.save(str(path)), path
        return path

    def pdf(self, pdf: Path, label: str) -> None:
        """Every page of a PDF the clerk saved, as it prints."""
        from PySide6.QtPdf import QPdfDocument

        document = QPdfDocument()
        document.load(str(pdf))
        assert document.pageCount() > 0, pdf
        for page in range(document.pageCount()):
            self.count += 1
            size = document.pagePointSize(page).toSize() * 1.2
            image = document.render(page, size)
            assert image.save(str(self.folder / f"{self.count:02d}-{label}第{page + 1}页.png"))
        document.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest, tmp_path: Path) -> Shots:
    root = os.environ.get("SILVERDESK_JOURNEY_SHOTS")
    return Shots(Path(root) / request.node.name if root else tmp_path / "shots")


class Dialog:
    """Drives an application dialog once it is up — a modal one while its ``exec()`` runs, as the
    clerk's typing would: ``act(dialog)`` runs once inside its event loop, when ``ready(dialog)``.
    A failure inside closes a modal dialog, so the test never hangs on it, and is raised by
    :meth:`check`."""

    def __init__(
        self,
        kind: type[QtWidgets.QDialog],
        act: Callable[[Any], None],
        *,
        modal: bool = True,
        ready: Callable[[Any], bool] = lambda _dialog: True,
    ) -> None:
        self.kind, self.act, self.modal, self.ready = kind, act, modal, ready
        self.error: BaseException | None = None
        self.ran = False
        self._timer = QtCore.QTimer()
        self._timer.setInterval(20 if not modal else 50)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _up(self) -> QtWidgets.QWidget | None:
        if self.modal:
            return QtWidgets.QApplication.activeModalWidget()
        return next(
            (
                w
                for w in QtWidgets.QApplication.topLevelWidgets()
                if isinstance(w, self.kind) and w.isVisible()
            ),
            None,
        )

    def _poll(self) -> None:
        dialog = self._up()
        if self.ran or not isinstance(dialog, self.kind) or not self.ready(dialog):
            return
        self.ran = True
        self._timer.stop()
        try:
            self.act(dialog)
        except BaseException as exc:
            self.error = exc
            if self.modal:
                dialog.reject()

    def check(self) -> None:
        self._timer.stop()
        if self.error is not None:
            raise self.error
        assert self.ran, f"no {self.kind.__name__} was up"


class Clerk:
    """The main window and what a clerk does with it."""

    def __init__(
        self,
        qtbot: Any,
        services: Services | None,
        state: UiState | None,
        shots: Shots,
        type_text: Callable[[QtWidgets.QWidget, str], None],
    ) -> None:
        self.qtbot, self.services, self.state, self.shot, self.type = qtbot, services, state, shots, type_text
        self.window: MainWindow | None = None
        self.questions: list[str] = []

    def open(self) -> MainWindow:
        """Start the main window as the app does (its own task runner) and wait for its first figures."""
        window = MainWindow(self.services, state=self.state)
        self.qtbot.addWidget(window)
        window.show()
        return self.attach(window)

    def attach(self, window: MainWindow) -> MainWindow:
        """Work in ``window`` (shown): questions answered yes and kept, pictures taken of it."""
        self.window = self.shot.window = window
        window.ctx.confirm = lambda _parent, _title, text: self.questions.append(text) or True
        window.activateWindow()
        self.qtbot.waitExposed(window)
        self.wait(lambda: window.counts_label.text())
        return window

    @property
    def ctx(self) -> Any:
        return self.window.ctx

    def wait(self, condition: Callable[[], object], timeout: int = WAIT_MS) -> None:
        self.qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)

    def idle(self) -> None:
        """Nothing is running behind the screen (searches, counts, saves)."""
        self.wait(lambda: not self.ctx.runner.busy())

    def press(
        self,
        key: Qt.Key,
        modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        widget: QtWidgets.QWidget | None = None,
    ) -> None:
        """A key on ``widget``; by default where the keyboard is: an open suggestion list, else the
        focused field of the window."""
        popup = QtWidgets.QApplication.activePopupWidget()
        if widget is None and popup is not None:
            self.qtbot.keyClick(popup, key, modifier)
            return
        window = (widget or self.window).window()
        target = widget or QtWidgets.QApplication.focusWidget() or window
        if QtWidgets.QApplication.activeWindow() is not window:
            # a window manager gives the keyboard back to the window, where it was, when a dialog
            # or a suggestion list closes; the offscreen platform has none
            window.activateWindow()
            self.wait(lambda: QtWidgets.QApplication.activeWindow() is window)
            if target.window() is window:
                target.setFocus()
        self.qtbot.keyClick(target, key, modifier)

    def go(self, screen: str) -> QtWidgets.QWidget:
        """Ctrl+1 … Ctrl+9 to a screen."""
        self.press(getattr(Qt.Key, f"Key_{SCREENS.index(screen) + 1}"), Qt.KeyboardModifier.ControlModifier)
        self.wait(lambda: self.window.nav.currentRow() == SCREENS.index(screen))
        return self.window.current()

    def click(self, widget: QtWidgets.QWidget, pos: QtCore.QPoint | None = None) -> None:
        self.wait(lambda: widget.isVisible() and widget.isEnabled())
        if pos is None:
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        else:
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)

    def click_tab(self, tabs: QtWidgets.QTabWidget, name: str) -> QtWidgets.QWidget:
        bar = tabs.tabBar()
        index = next(i for i in range(bar.count()) if bar.tabText(i) == name)
        self.click(bar, bar.tabRect(index).center())
        self.wait(lambda: tabs.currentIndex() == index)
        return tabs.widget(index)

    def click_row(self, table: QtWidgets.QAbstractItemView, row: int, double: bool = False) -> None:
        index = table.model().index(row, 0)
        table.scrollTo(index)
        pos = table.visualRect(index).center()
        if double:
            self.qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        else:
            self.qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def cell_texts(table: QtWidgets.QAbstractItemView, row: int) -> dict[str, str]:
    """What the list shows in ``row``, by column title (hidden columns left out)."""
    model = table.model()
    return {
        str(model.headerData(c, Qt.Orientation.Horizontal)): str(model.index(row, c).data() or "")
        for c in range(model.columnCount())
        if not table.isColumnHidden(c)
    }


def table_rows(table: QtWidgets.QTableWidget) -> list[dict[str, str]]:
    """A small table's rows as shown, by column title."""
    titles = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return [
        {title: (table.item(r, c).text() if table.item(r, c) else "") for c, title in enumerate(titles)}
        for r in range(table.rowCount())
    ]


def row_of(table: QtWidgets.QAbstractItemView, column: str, text: str) -> int:
    """The row whose ``column`` shows ``text`` (-1 when none does)."""
    model = table.model()
    for row in range(model.rowCount()):
        if cell_texts(table, row).get(column) == text:
            return row
    return -1


def painted(widget: QtWidgets.QWidget) -> bool:
    """Something is drawn on ``widget`` (not one flat colour, as a page still being rendered is)."""
    image = widget.grab().toImage().scaled(64, 64)
    return len({image.pixel(x, y) for x in range(64) for y in range(64)}) > 2


def form_texts(*forms: Any) -> dict[str, str]:
    """What a form shows, by the caption beside each field (``FieldForm``s of a dialog)."""
    shown = {}
    for form in forms:
        for i, (key, editor) in enumerate(form.editors.items()):
            caption = form.grid.itemAtPosition(2 * i, 0).widget().text().rstrip("＊")
            if isinstance(editor, QtWidgets.QComboBox):
                shown[caption] = editor.currentText().strip()
            elif isinstance(editor, QtWidgets.QLineEdit):
                shown[caption] = editor.text()
            else:
                raise AssertionError(f"{key}: {type(editor).__name__}")
    return shown


def drop_file(qtbot: Any, target: QtWidgets.QWidget, path: Path) -> None:
    """Drag a file from the file manager and drop it on the middle of ``target``: the events go to
    the widget under the cursor and on up to the one that takes drops, as Qt delivers them."""
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(path))])
    centre = target.rect().center()
    under = target.childAt(centre) or target
    at = QtCore.QPointF(under.mapFrom(target, centre))
    copy, left, none = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QtGui.QDragEnterEvent(at.toPoint(), copy, mime, left, none)
    QtWidgets.QApplication.sendEvent(under, enter)
    assert enter.isAccepted(), "the drop was refused"
    move = QtGui.QDragMoveEvent(at.toPoint(), copy, mime, left, none)
    QtWidgets.QApplication.sendEvent(under, move)
    QtWidgets.QApplication.sendEvent(under, QtGui.QDropEvent(at, copy, mime, left, none))


@pytest.fixture
def clerk(
    qtbot: Any,
    services: Services,
    ui_state: UiState,
    db_path: Path,
    shots: Shots,
    type_text: Callable[[QtWidgets.QWidget, str], None],
) -> Iterator[Clerk]:
    """The clerk; ``clerk.open()`` starts the real main window on the test's SQLite file as the
    app does: its own TaskRunner, the database's lock held (a restore swaps the file under it)."""
    lock = DatabaseLock(db_path, "测试员")
    lock.acquire()
    services.backups.lock = lock
    me = Clerk(qtbot, services, ui_state, shots, type_text)
    try:
        yield me
    finally:
        if me.window is not None:
            me.idle()
            me.window.close()  # and deleted now: left to the interpreter's exit, the heap was corrupted (abort)
            me.window.deleteLater()
            QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
        lock.release()


# --- (4) back up, change a person, restore: the change is gone -----------------------------------
def test_backup_change_a_person_restore_the_change_is_gone(clerk, services, county):
    from silverdesk.ui.people.form import PersonDialog

    services.people.create(
        {"name": "张建国", "phone": "13800000001", "unit_id": county["street"], "former_post": "副局长"}
    )
    services.people.create({"name": "李秀英", "phone": "13800000002", "unit_id": county["town"]})
    clerk.open()
    board = clerk.window.current()
    clerk.wait(lambda: board.board is not None and all(painted(v.viewport()) for v in board._chart_views))
    clerk.shot("首页")

    settings = clerk.go("设置")
    backups = clerk.click_tab(settings.tabs, "备份与恢复")
    before = backups.table.rowCount()
    clerk.click(backups.backup_button)
    clerk.wait(lambda: "已备份到" in backups.status.text())
    assert backups.table.rowCount() == before + 1
    made = backups.selected_backup()
    assert made is not None and made.label == "手动备份"
    clerk.shot("已备份")

    people = clerk.go("人员")
    clerk.wait(lambda: people.model.rowCount() == 2)
    row = row_of(people.table, "姓名", "张建国")
    assert cell_texts(people.table, row)["联系电话"] == "13800000001"
    clerk.shot("人员列表")

    def edit(dialog: PersonDialog) -> None:
        assert dialog.windowTitle() == "修改人员信息"
        assert dialog.edits["phone"].text() == "13800000001"
        phone = dialog.edits["phone"]
        phone.setFocus()
        phone.selectAll()
        clerk.type(phone, "13900000009")
        clerk.shot("修改电话")
        clerk.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier, phone)

    form = Dialog(PersonDialog, edit)
    clerk.click_row(people.table, row)
    clerk.press(Qt.Key.Key_Return, widget=people.table)
    form.check()
    clerk.wait(
        lambda: cell_texts(people.table, row_of(people.table, "姓名", "张建国"))["联系电话"] == "13900000009"
    )
    assert "已保存：张建国" in clerk.window.statusBar().currentMessage()
    clerk.shot("已改电话")

    settings = clerk.go("设置")
    assert settings.tabs.currentWidget() is backups
    clerk.idle()  # a restore waits for work in progress (the list's reload) to end
    clerk.click_row(backups.table, [b.path for b in backups.backups].index(made.path))
    clerk.click(backups.restore_button)
    clerk.wait(lambda: "已用" in backups.status.text())
    assert clerk.questions and made.path.name in clerk.questions[-1]
    assert "数据库已恢复" in clerk.window.statusBar().currentMessage()
    clerk.shot("已恢复")

    people = clerk.go("人员")
    clerk.wait(
        lambda: (
            people.model.rowCount() == 2
            and cell_texts(people.table, row_of(people.table, "姓名", "张建国"))["联系电话"] == "13800000001"
        )
    )
    assert row_of(people.table, "联系电话", "13900000009") == -1
    clerk.shot("恢复后的人员列表")


# --- (5) a demand matched, its order walked through to 评价, the volunteer's 积分存折 credited -------
def test_a_demand_matched_its_order_walked_through_and_the_volunteer_credited(clerk, services, county):
    from silverdesk.ui.activities.form import ActivityDialog
    from silverdesk.ui.market.order_dialogs import LinkActivityDialog, NewOrderDialog, StepDialog
    from silverdesk.ui.market.points import AwardDialog

    clinic = services.lookups.resolve("resource_category", "健康义诊").id
    doctor = services.people.create(
        {
            "name": "王德明",
            "gender": "男",
            "birth_date": "1955-06-01",
            "unit_id": county["town"],
            "talents": "医疗卫生",
        }
    )
    services.people.create(
        {
            "name": "李桂兰",
            "gender": "女",
            "birth_date": "1958-02-11",
            "unit_id": county["street"],
            "community_id": county["community"],
            "talents": "医疗卫生",
        }
    )
    services.demands.create(
        {
            "title": "老年人健康义诊",
            "category_id": clinic,
            "requester_unit_id": county["community"],
            "contact_name": "刘主任",
            "wanted_by": "2026-12-31",
            "urgency": "较急",
        }
    )
    clerk.open()

    market = clerk.go("资源与需求")
    shelf = market.shelf
    clerk.wait(lambda: [c.row.title for c in shelf.visible_cards()] == ["老年人健康义诊"])
    card = shelf.visible_cards()[0]
    clerk.click(card)
    assert shelf.detail_title.text() == "老年人健康义诊"
    clerk.press(Qt.Key.Key_Return, widget=card)  # Enter on a card: 匹配推荐
    clerk.wait(lambda: shelf.hits.count() > 0)
    hits = [shelf.hits.item(i).text() for i in range(shelf.hits.count())]
    assert [text.split("\n")[0] for text in hits] == [
        "1.［人才］李桂兰",
        "2.［人才］王德明",
    ]  # she lives there
    mine = 1  # the clerk knows 王德明 is free that week
    assert "人才库类别‘医疗卫生’与需求相关" in hits[mine]
    clerk.shot("匹配推荐")
    item = shelf.hits.item(mine)
    clerk.click(shelf.hits.viewport(), shelf.hits.visualItemRect(item).center())
    assert shelf.hits.currentRow() == mine and shelf.order_button.isEnabled()

    def publish(dialog: NewOrderDialog) -> None:
        assert dialog.windowTitle() == "生成订单" and dialog.title_edit.text() == "老年人健康义诊"
        clerk.shot("生成订单")
        clerk.click(dialog.ok)

    new_order = Dialog(NewOrderDialog, publish)
    clerk.click(shelf.order_button)
    new_order.check()
    orders = market.orders
    clerk.wait(
        lambda: (
            market.tabs.currentWidget() is orders
            and orders.current is not None
            and orders.current.status == "发布"
        )
    )
    assert orders.current.provider == "王德明"
    assert "已发布订单" in clerk.window.statusBar().currentMessage()
    clerk.shot("订单已发布")

    def shown_status() -> str:
        return cell_texts(orders.table, orders.table.currentIndex().row())["状态"]

    def do_step(step: str, fill: Callable[[StepDialog], None] = lambda _d: None) -> None:
        def act(dialog: StepDialog) -> None:
            assert dialog.windowTitle() == f"订单{step}"
            fill(dialog)
            clerk.shot(f"订单{step}")
            clerk.click(dialog.ok)

        assert {s for s, b in orders.step_buttons.items() if b.isEnabled()} <= {step, "撤销"}
        dialog = Dialog(StepDialog, act)
        clerk.click(orders.step_buttons[step])
        dialog.check()
        clerk.wait(lambda: shown_status() == step and orders.current.status == step)

    def claimed_by_the_doctor(dialog: StepDialog) -> None:
        assert dialog.claimer.kind.currentText() == "个人" and dialog.claimer.person.chosen.text() == "王德明"

    do_step("认领", claimed_by_the_doctor)
    for step in ("签约", "实施", "完成"):
        do_step(step)
    clerk.shot("订单已完成")

    # the service itself, registered on 活动 with the volunteer named; then linked to the order
    activities = clerk.go("活动")

    def register(dialog: ActivityDialog) -> None:
        clerk.type(dialog.edits["title"], "光明社区老年人健康义诊")
        dialog.edits["hours_each"].setFocus()  # 每人时长: one volunteer named, so 2.5 hours in all
        clerk.type(dialog.edits["hours_each"], "2.5")
        dialog.edits["beneficiaries"].setFocus()
        clerk.type(dialog.edits["beneficiaries"], "60")
        dialog.person.setFocus()
        clerk.type(dialog.person, "wdm")  # pinyin initials
        clerk.press(Qt.Key.Key_Return, widget=dialog.person)
        assert [dialog.people.item(i).text() for i in range(dialog.people.count())] == ["王德明"]
        unit = dialog.edits["unit_id"]
        unit.set_value(county["community"])
        clerk.shot("登记活动")
        clerk.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier, dialog.edits["title"])

    form = Dialog(ActivityDialog, register)
    clerk.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form.check()
    clerk.wait(lambda: activities.model.rowCount() == 1)
    clerk.shot("活动已登记")

    market = clerk.go("资源与需求")
    assert market.tabs.currentWidget() is orders

    def link(dialog: LinkActivityDialog) -> None:
        assert dialog.results.count() == 1 and "光明社区老年人健康义诊" in dialog.results.item(0).text()
        clerk.shot("关联活动")
        clerk.click(dialog.ok)

    linking = Dialog(LinkActivityDialog, link)
    clerk.click(orders.link_button)
    linking.check()
    clerk.wait(lambda: orders.activities.topLevelItemCount() == 1)
    assert "服务 2.5 小时，受益 60 人次" in orders.totals.text()

    def rate(dialog: StepDialog) -> None:
        dialog.score.setFocus()
        dialog.score.selectAll()
        clerk.type(dialog.score.lineEdit(), "4")
        dialog.note.setFocus()
        clerk.type(dialog.note, "王医生很耐心")

    do_step("评价", rate)
    assert "评价 ★★★★（4分）" in orders.facts.text()
    history = [orders.events.topLevelItem(i).text(1) for i in range(orders.events.topLevelItemCount())]
    assert history == ["发布", "认领", "签约", "实施", "完成", "评价"]
    assert not any(b.isEnabled() for b in orders.step_buttons.values())
    clerk.shot("订单已评价")

    ratings = clerk.click_tab(market.tabs, "星级与积分")
    points = clerk.click_tab(ratings.tabs, "积分存折")

    def award(dialog: AwardDialog) -> None:
        clerk.wait(
            lambda: "将为 1 人次计入积分：服务 2.5 小时 × 每小时 1 分 = 2.5 分" in dialog.status_label.text()
        )
        clerk.shot("发放积分")
        clerk.click(dialog.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok))

    awarding = Dialog(AwardDialog, award)
    clerk.click(points.award_button)
    awarding.check()
    clerk.wait(lambda: "计入 1 人次" in points.award_label.text())
    points.search.setFocus()
    clerk.type(points.search, "王德明")
    clerk.wait(lambda: points.search.model.rowCount() == 1)
    clerk.press(Qt.Key.Key_Return, widget=points.search)
    clerk.wait(lambda: points.person_label.text() == "王德明　积分余额 2.5 分")
    statement = cell_texts(points.table, points.model.rowCount() - 1)
    assert (
        statement["积分"] == "+2.5"
        and statement["余额"] == "2.5"
        and "光明社区老年人健康义诊" in statement["摘要"]
    )
    assert doctor == points.person_id
    clerk.shot("积分存折")


# --- (3) a roster dropped on the import wizard, committed, checked, undone -----------------------
ROSTER_HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "身份证号码",
    "政治面貌",
    "离退休类别",
    "离退休时间",
    "原工作单位",
    "原职务",
    "职级",
    "联系电话",
    "居住社区",
    "家庭住址",
    "社区报到时间",
    "社区任职",
    "人才库类别",
    "健康状况",
]


def _roster(path: Path) -> dict[str, dict[str, str]]:
    """城关街道's roster as a town sends it (a title row, a bad ID number, a 合计 row); returns, by
    name, what each good person's row says."""
    import datetime as dt

    import openpyxl

    from silverdesk.domain.idcard import make_id_number

    people = [
        [
            "1",
            "张建国",
            "男",
            "汉族",
            make_id_number("370402", dt.date(1956, 3, 1), 123),
            "中共党员",
            "退休",
            "2016-03-01",
            "县教育局",
            "副局长",
            "县处级副职",
            "13812345678",
            "光明社区",
            "城关街道光明路12号",
            "2017-05-10",
            "楼栋长",
            "教育培训",
            "良好",
        ],
        [
            "2",
            "李桂兰",
            "女",
            "回族",
            make_id_number("370402", dt.date(1958, 5, 2), 124),
            "群众",
            "退休",
            "2013-06-01",
            "县人民医院",
            "护士长",
            "乡科级正职",
            "0632-5123456",
            "光明社区",
            "城关街道健康巷3号",
            "",
            "",
            "医疗卫生",
            "一般",
        ],
        [
            "3",
            "王德明",
            "男",
            "汉族",
            make_id_number("370402", dt.date(1930, 8, 15), 31),
            "中共党员",
            "离休",
            "1990-09-01",
            "县委组织部",
            "部长",
            "县处级正职",
            "13912345678",
            "",
            "城关街道和平路1号",
            "",
            "",
            "政治理论、历史人文",
            "较差",
        ],
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["城关街道离退休干部花名册（2026年11月）"])
    ws.append(ROSTER_HEADER)
    for row in people:
        ws.append(row)
    ws.append(
        [
            "4",
            "赵淑芬",
            "女",
            "汉族",
            "370402195603011238",
            "群众",
            "退休",
            "2011-03-01",
            "县供销社",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    )  # the check digit is wrong
    ws.append(["合计", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""])
    wb.save(path)
    return {row[1]: dict(zip(ROSTER_HEADER, row, strict=True)) for row in people}


def test_a_roster_dropped_on_the_wizard_is_imported_checked_and_undone(clerk, services, county, tmp_path):
    from silverdesk.ui.importing.wizard import ImportWizard
    from silverdesk.ui.people.form import PersonDialog

    sent = _roster(tmp_path / "城关街道花名册.xlsx")
    clerk.open()
    screen = clerk.go("导入")
    clerk.press(Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # 导入表格文件…
    clerk.wait(
        lambda: isinstance(getattr(screen, "wizard", None), ImportWizard) and screen.wizard.isVisible()
    )
    wizard = screen.wizard
    clerk.shot("导入向导")
    drop_file(clerk.qtbot, wizard, tmp_path / "城关街道花名册.xlsx")
    clerk.wait(lambda: wizard.file_page.sheet.count() == 1 and not wizard.busy())
    assert (
        wizard.file_page.path.text() == str(tmp_path / "城关街道花名册.xlsx")
        and wizard.file_page.sheet.currentText() == "花名册"
    )
    unit = wizard.file_page.unit.lineEdit()
    unit.setFocus()
    clerk.type(unit, "城关街道")
    clerk.shot("文件已拖入")

    clerk.click(wizard.next_button)  # → ② 核对列
    clerk.wait(lambda: wizard.stack.currentIndex() == 1 and wizard.next_button.isEnabled())
    assert (
        "离退休干部名册（自动识别）" in wizard.columns_page.columns_title.text()
        and "共 4 行数据" in wizard.columns_page.columns_title.text()
    )  # the 合计 row is not data
    chosen = {
        wizard.columns_page.columns.item(r, 0).text(): wizard.columns_page.columns.cellWidget(
            r, 2
        ).currentText()
        for r in range(wizard.columns_page.columns.rowCount())
    }
    assert (
        chosen["序号"] == "不导入" and chosen["姓名"] == "姓名（必填）" and chosen["身份证号码"] == "身份证号"
    )
    assert all(chosen[column] != "不导入" for column in ROSTER_HEADER[1:]), chosen
    clerk.shot("核对列")

    clerk.click(wizard.next_button)  # → ③ 预览
    clerk.wait(lambda: wizard.stack.currentIndex() == 2 and wizard.next_button.isEnabled())
    preview = {row["行号"]: row for row in table_rows(wizard.preview_page.preview)}
    assert [(preview[str(n)]["姓名"], preview[str(n)]["结果"]) for n in (3, 4, 5, 6)] == [
        ("张建国", "新增"),
        ("李桂兰", "新增"),
        ("王德明", "新增"),
        ("赵淑芬", "拒绝"),
    ]
    assert preview["3"]["说明"] == "“楼栋长”按“楼长”计"  # the town's word, matched to the list's entry
    assert "校验位" in preview["6"]["说明"]
    assert "共 4 行：新增 3，更新 0，未变 0，未通过 1" in wizard.preview_page.summary.text()
    assert wizard.next_button.text() == "导入"
    assert clerk.window.counts_label.text().startswith("在册人员 0 人")  # nothing written before 导入
    clerk.shot("预览")

    clerk.click(wizard.next_button)  # 导入
    clerk.wait(lambda: wizard.stack.currentIndex() == 3 and wizard.batch_id is not None)
    assert "新增 3 行，更新 0 行，未变 0 行，未通过 1 行" in wizard.done_page.done_text.text()
    clerk.shot("导入完成")
    clerk.press(Qt.Key.Key_Return, widget=wizard.close_button)  # 关闭, the one button left
    clerk.wait(lambda: not wizard.isVisible())
    clerk.wait(lambda: screen.model.rowCount() == 1)
    batch = cell_texts(screen.table, 0)
    assert (batch["文件"], batch["报送单位"], batch["导入"], batch["未通过"]) == (
        "城关街道花名册.xlsx",
        "城关街道",
        "3",
        "1",
    )
    clerk.wait(lambda: clerk.window.counts_label.text().startswith("在册人员 3 人"))

    people = clerk.go("人员")
    clerk.wait(lambda: people.model.rowCount() == 3)
    for name, row in sent.items():
        shown = cell_texts(people.table, row_of(people.table, "姓名", name))
        assert shown == {
            "姓名": name,
            "性别": row["性别"],
            "出生日期": row["身份证号码"][6:10]
            + "-"
            + row["身份证号码"][10:12]
            + "-"
            + row["身份证号码"][12:14],
            "身份证号": row["身份证号码"][:14] + "****",
            "联系电话": row["联系电话"],
            "政治面貌": row["政治面貌"],
            "离休/退休": row["离退休类别"],
            "原工作单位": row["原工作单位"],
            "所属单位": "城关街道",
            "居住社区": row["居住社区"],
            "状态": "在册",
        }, name
    clerk.shot("导入的人员")

    for name, row in sent.items():  # and what only the form shows, person by person (Enter, look, Esc)

        def look(dialog: PersonDialog, name: str = name, row: dict[str, str] = row) -> None:
            shown = form_texts(dialog.left, dialog.right)
            for caption, column in (
                ("民族", "民族"),
                ("家庭住址", "家庭住址"),
                ("健康状况", "健康状况"),
                ("离退休时间", "离退休时间"),
                ("原职务", "原职务"),
                ("职级", "职级"),
                ("社区报到时间", "社区报到时间"),
                ("社区任职", "社区任职"),
                ("人才库类别", "人才库类别"),
                ("身份证号", "身份证号码"),
                ("居住社区", "居住社区"),
            ):
                expected = {"楼栋长": "楼长", "": "（未选择）" if caption == "居住社区" else ""}.get(
                    row[column], row[column]
                )
                assert shown[caption] == expected, (name, caption, shown[caption])
            if name == "张建国":
                clerk.shot("张建国的表单")
            clerk.press(Qt.Key.Key_Escape, widget=dialog.edits["name"])

        form = Dialog(PersonDialog, look)
        clerk.click_row(people.table, row_of(people.table, "姓名", name))
        clerk.press(Qt.Key.Key_Return, widget=people.table)
        form.check()

    screen = clerk.go("导入")
    clerk.click_row(screen.table, 0)
    clerk.click(screen.undo_button)
    clerk.wait(lambda: cell_texts(screen.table, 0)["状态"] == "已撤销")
    assert "城关街道花名册.xlsx" in clerk.questions[-1]
    assert "已撤销" in clerk.window.statusBar().currentMessage()
    clerk.shot("已撤销")
    people = clerk.go("人员")
    clerk.wait(lambda: people.model.rowCount() == 0)
    assert people.count_label.text() == "共 0 人"
    clerk.wait(lambda: clerk.window.counts_label.text().startswith("在册人员 0 人"))
    people.status.set_value(None)  # 全部状态: not set aside as 去世 or 迁出 either — gone
    clerk.wait(lambda: people.count_label.text() == "共 0 人" and not clerk.ctx.runner.busy())
    clerk.shot("撤销后的人员列表")


# --- (2) five activities typed in quick entry, the month's report saved and read back ----------------
# what the clerk types, field by field, Tab between them ("" = leave the field as it is: date, team,
# category and place are kept from the entry before)
TYPED = [
    {
        "日期": "11.3",
        "服务队": "光明社区理论宣讲队",
        "活动名称": "老党员讲党课",
        "服务领域": "理论宣讲",
        "地点": "光明社区活动室",
        "人次": "12",
        "每人时长": "2",
        "受益": "80",
    },
    {
        "日期": "",
        "服务队": "",
        "活动名称": "红色故事进校园",
        "服务领域": "",
        "地点": "",
        "人次": "8",
        "每人时长": "2",
        "受益": "200",
    },
    {
        "日期": "11.10",
        "服务队": "龙山镇健康义诊队",
        "活动名称": "健康义诊下乡",
        "服务领域": "健康义诊",
        "地点": "龙山镇卫生院",
        "人次": "6",
        "每人时长": "3",
        "受益": "150",
    },
    {
        "日期": "",
        "服务队": "",
        "活动名称": "血压测量服务",
        "服务领域": "",
        "地点": "",
        "人次": "4",
        "每人时长": "2",
        "受益": "60",
    },
    {
        "日期": "11.12",
        "服务队": "光明社区理论宣讲队",
        "活动名称": "政策宣讲进社区",
        "服务领域": "理论宣讲",
        "地点": "光明社区",
        "人次": "10",
        "每人时长": "2",
        "受益": "约100",
    },
]
# what the month's report must say: (场次, 参与人次, 服务时长, 受益人次) by unit and by category; 服务时长 is
# 每人时长 × 人次 (24 + 16 + 18 + 8 + 20 hours)
BY_UNIT = {"城关街道": (3, 30, 60, 380), "龙山镇": (2, 10, 26, 210), "合计": (5, 40, 86, 590)}
BY_CATEGORY = {"理论宣讲": (3, 30, 60, 380), "健康义诊": (2, 10, 26, 210), "合计": (5, 40, 86, 590)}


def _pdf_rows(pdf: Path, table: str, names: list[str], width: int) -> dict[str, list[float]]:
    """The figures printed after each name in the PDF's ``table`` (pypdf's text, one cell a line)."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    lines = [line.strip() for line in text[text.index(table) :].splitlines()]
    rows = {}
    for name in names:
        at = lines.index(name)
        rows[name] = [float(v.rstrip("%")) for v in lines[at + 1 : at + 1 + width]]
    return rows


def test_five_activities_typed_in_quick_entry_and_the_months_report_reads_back(clerk, services, county):
    import openpyxl

    services.teams.create({"name": "光明社区理论宣讲队", "unit_id": county["community"]})
    services.teams.create({"name": "龙山镇健康义诊队", "unit_id": county["town"]})
    clerk.open()
    clerk.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    activities = clerk.window.current()
    quick = activities.quick
    clerk.wait(lambda: quick.title_edit.hasFocus())
    fields = {
        "日期": quick.date,
        "服务队": quick.team,
        "活动名称": quick.title_edit,
        "服务领域": quick.category,
        "阵地": quick.place_pick,
        "地点": quick.place,
        "参与人员": quick.person,
        "人次": quick.participants,
        "每人时长": quick.hours,
        "受益": quick.beneficiaries,
    }

    def tab(backwards: bool = False) -> None:
        clerk.press(Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab)

    for n, entry in enumerate(TYPED, start=1):
        assert QtWidgets.QApplication.focusWidget() is quick.title_edit  # each entry starts at the title
        tab(backwards=True)
        tab(backwards=True)  # back to the date
        for label, widget in fields.items():
            assert QtWidgets.QApplication.focusWidget() is widget, (n, label)
            text = entry.get(label, "")
            if text:
                line = widget.lineEdit() if isinstance(widget, QtWidgets.QComboBox) else widget
                line.selectAll()  # as Tab leaves it on entering the field
                clerk.type(line, text)
            if label == "受益":
                clerk.press(Qt.Key.Key_Return, widget=widget)  # Enter saves
            else:
                tab()
        clerk.wait(lambda n=n: activities.count_label.text() == f"共 {n} 项活动")
        assert quick.message.text() == "", quick.message.text()
        clerk.shot(f"快速登记第{n}条")
    status = clerk.window.statusBar().currentMessage()
    assert status == "已登记：2026-11-12 政策宣讲进社区（Ctrl+Z 可撤销）"

    reports = clerk.go("报表")
    assert reports.kind.currentText() == "月报"
    reports.part.setFocus()
    reports.part.selectAll()
    clerk.type(reports.part, "11")
    assert (reports.year.value(), reports.part.value()) == (2026, 11)
    clerk.click(reports.preview_button)
    # the first report asks once for the names printed at its foot (kept in 设置 › 本单位)
    clerk.wait(lambda: reports.signatories_dialog is not None and reports.signatories_dialog.isVisible())
    signers = reports.signatories_dialog
    clerk.shot("报表署名")
    for key, text in (
        ("report_leader", "赵国强"),
        ("report_preparer", "李堃"),
        ("report_phone", "0536-1234567"),
    ):
        clerk.type(signers.edits[key], text)  # 审核人 left blank: a line to sign on
    clerk.click(signers.save_button)
    clerk.wait(lambda: reports.save_button.isEnabled())
    assert "活动 5 场次，受益 590 人次" in reports.status.text()
    assert (
        "共开展志愿服务活动5场次，参与志愿者40人次，服务时长86小时，受益群众590人次"
        in reports.narrative.toPlainText()
    )
    clerk.wait(lambda: reports.document.pageCount() >= 4)
    clerk.wait(lambda: painted(reports.view.viewport()))  # the pages are drawn behind the screen
    clerk.shot("报表预览")

    target = clerk.shot.folder / "十一月月报.xlsx"  # kept with the pictures when they are kept
    asked: list[str] = []
    clerk.ctx.ask_save_path = lambda _parent, _title, suggested, _filters: (
        asked.append(suggested) or str(target)
    )
    clerk.click(reports.save_button)
    clerk.wait(lambda: reports.status.text().startswith("已保存"))
    assert asked and asked[0].endswith("（2026年11月）.xlsx")
    clerk.shot("报表已保存")

    book = openpyxl.load_workbook(target)
    units = {
        row[1]: tuple(row[5:9]) for row in book["表1 分单位"].iter_rows(values_only=True) if row[1] in BY_UNIT
    }
    assert units == BY_UNIT
    fields_by_category = {
        row[0]: tuple(row[1:5])
        for row in book["表2 分领域"].iter_rows(values_only=True)
        if row[0] in BY_CATEGORY
    }
    assert fields_by_category == BY_CATEGORY
    pdf = target.with_suffix(".pdf")
    clerk.shot.pdf(pdf, "报表")
    printed = _pdf_rows(pdf, "表1 各单位志愿服务开展情况", list(BY_UNIT), 7)  # 队伍, 志愿者, 党员, then ours
    assert {name: tuple(v[3:]) for name, v in printed.items()} == BY_UNIT
    printed = _pdf_rows(pdf, "表2 各服务领域志愿服务开展情况", list(BY_CATEGORY), 4)
    assert {name: tuple(v) for name, v in printed.items()} == BY_CATEGORY
    from pypdf import PdfReader

    foot = PdfReader(pdf).pages[-1].extract_text()
    assert "单位负责人：赵国强" in foot and "填表人：李堃" in foot and "联系电话：0536-1234567" in foot
    assert "审核人：______" in foot and "报送日期：2026年11月20日" in foot


# --- (1) the first start: no database yet → 用演示数据试用 → the window with a painted dashboard ----------
def test_the_first_start_builds_demo_data_and_paints_the_dashboard(qtbot, monkeypatch, shots, type_text):
    import datetime as dt
    import sys

    from silverdesk import app
    from silverdesk.paths import default_db_path
    from silverdesk.services.activities.log import ActivityFilter
    from silverdesk.ui.system.first_run import FirstRunDialog

    monkeypatch.setattr(app, "DEMO_PEOPLE", 300)  # the journey, not the size: a smaller county is quicker
    monkeypatch.setattr(app, "DEMO_ACTIVITIES", 3000)
    monkeypatch.setattr(app, "PINYIN_PRELOAD_MS", 10**9)  # not during the test that follows
    monkeypatch.delenv("SILVERDESK_OPERATOR", raising=False)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # start_gui installs the app's own; put back after
    assert not default_db_path().exists()  # a new machine: nothing in the data folder yet
    clerk = Clerk(qtbot, None, None, shots, type_text)

    def who(dialog: QtWidgets.QInputDialog) -> None:
        assert dialog.labelText() == "请输入您的姓名（记入操作日志）："
        line = dialog.findChild(QtWidgets.QLineEdit)
        line.setFocus()
        clerk.type(line, "李秀英")
        shots("操作人")
        clerk.press(Qt.Key.Key_Return, widget=line)

    steps: list[str] = []

    def building(welcome: FirstRunDialog) -> None:  # at once, and moving on while the county is made
        assert welcome.windowTitle() == "首次启动" and not any(
            isinstance(w, MainWindow) and w.isVisible() for w in QtWidgets.QApplication.topLevelWidgets()
        )
        steps.append(welcome.step.text())
        shots("首次启动")

    def agree(box: QtWidgets.QMessageBox) -> None:  # told that the demo county is made up
        assert "演示数据是虚构的" in box.text()
        next(b for b in box.buttons() if b.text() == "用演示数据").click()

    choose = Dialog(
        FirstRunDialog, lambda w: w.demo.click(), modal=False, ready=lambda w: w.pages.currentIndex() == 0
    )
    fictional = Dialog(QtWidgets.QMessageBox, agree)
    welcome = Dialog(
        FirstRunDialog,
        building,
        modal=False,
        ready=lambda w: w.bar.maximum() > 0 and 0 < w.bar.value() < w.bar.maximum(),
    )
    operator = Dialog(QtWidgets.QInputDialog, who)
    started = app.start_gui(None)
    choose.check()
    fictional.check()
    welcome.check()
    operator.check()
    # a step of the fill in the clerk's words (which one the dialog shows first depends on the machine's speed)
    assert steps and steps[0].startswith(("生成", "建立", "写入", "组建", "汇总")), steps
    assert not any(
        isinstance(w, FirstRunDialog) and w.isVisible() for w in QtWidgets.QApplication.topLevelWidgets()
    )
    assert started is not None
    _qapp, window, services = started
    try:
        assert services.ctx.db.path == default_db_path()
        assert services.ctx.operator == "李秀英"
        clerk.attach(window)
        board = window.current()
        assert window.nav.currentItem().text() == "首页"
        clerk.wait(lambda: board.board is not None and len(board._chart_views) == 2)
        for view in board._chart_views:
            clerk.wait(lambda view=view: painted(view.viewport()))
        clerk.wait(lambda: window.counts_label.text().endswith("活动 3,000 项"))
        today = dt.date.today()
        assert (
            board.heading.text() == f"{today.year}年{today.month}月{today.day}日　全县离退休干部志愿服务概况"
        )
        this_year = services.activities.count(
            ActivityFilter(date_from=dt.date(today.year, 1, 1), date_to=today)
        )
        assert this_year > 0 and board.year.values["activities"].text() == f"{this_year:,}"
        assert all(
            label.text() != "—" for tiles in (board.month, board.year) for label in tiles.values.values()
        )
        lists = (board.orders.list, board.demands.list)
        assert all(lst.count() > 0 for lst in lists)  # the demo county has work waiting
        shots("首页")
    finally:
        runner = window.ctx.runner  # let the background work end before the window and database go
        runner.discard_background()
        runner.cancel_all()
        qtbot.waitUntil(lambda: not runner.busy(), timeout=30000)
        window.close()
        assert not window.isVisible()
        window.opened.close()
        window.deleteLater()
        QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
