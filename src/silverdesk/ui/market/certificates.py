"""证书: a 志愿服务证明 (one person, a period) or a batch of 荣誉证书 (several people), as PDF.

The PDF is drawn in the task runner; afterwards the clerk can open the file or its folder.
A chosen person's star level and points balance are shown, since the certificate quotes the star.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.progress import CancelToken, Progress
from silverdesk.ui.context import UiContext
from silverdesk.ui.market.common import date_edit, date_of, star_text
from silverdesk.ui.widgets.person_search import PersonSearch
from silverdesk.ui.widgets.record_dialog import message_label


def open_path(path: Path) -> None:
    QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(path)))


class CertificatesDialog(QtWidgets.QDialog):
    """Signals:
    written(str): a PDF was written (its path).
    """

    written = QtCore.Signal(str)

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("打印证书")
        self.setSizeGripEnabled(True)
        self.last_path: Path | None = None
        self.opener = open_path  # tests replace it
        services = ctx.services
        today = services.ctx.today()
        self.tabs = QtWidgets.QTabWidget()

        # --- 志愿服务证明 ------------------------------------------------------------------------
        service_tab = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(service_tab)
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.person_search = PersonSearch(services.people)
        self.person_search.personChosen.connect(self.choose_person)
        self.person_id: int | None = None
        self.person_label = QtWidgets.QLabel("（未选择）")
        self.person_label.setWordWrap(True)
        form.addRow("人员＊", self.person_search)
        form.addRow("", self.person_label)
        self.start = date_edit(dt.date(today.year, 1, 1))
        self.end = date_edit(today)
        period = QtWidgets.QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QtWidgets.QLabel("至"))
        period.addWidget(self.end)
        period.addStretch(1)
        form.addRow("证明时段", period)
        quick = QtWidgets.QHBoxLayout()
        for text, start in (("今年", dt.date(today.year, 1, 1)), ("去年", dt.date(today.year - 1, 1, 1))):
            button = QtWidgets.QPushButton(text)
            end = today if start.year == today.year else dt.date(start.year, 12, 31)
            button.clicked.connect(lambda _c=False, s=start, e=end: self._period(s, e))
            quick.addWidget(button)
        quick.addStretch(1)
        form.addRow("", quick)
        self.service_button = QtWidgets.QPushButton("保存志愿服务证明 PDF…")
        self.service_button.clicked.connect(self.save_service_certificate)
        form.addRow("", self.service_button)
        self.tabs.addTab(service_tab, "志愿服务证明")

        # --- 荣誉证书 ----------------------------------------------------------------------------
        honour_tab = QtWidgets.QWidget()
        hform = QtWidgets.QFormLayout(honour_tab)
        hform.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.honour_title = QtWidgets.QLineEdit("优秀志愿者")
        self.honour_title.setPlaceholderText("如 五星级志愿者、优秀志愿者")
        hform.addRow("荣誉称号＊", self.honour_title)
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.setSuffix(" 年度")
        hform.addRow("年度", self.year)
        self.honour_search = PersonSearch(services.people)
        self.honour_search.personChosen.connect(self.add_honoured)
        hform.addRow("添加人员", self.honour_search)
        self.honoured = QtWidgets.QListWidget()
        self.honoured.setToolTip("一人一页，按列表顺序；Delete 键移除选中的人")
        self.honoured.setMinimumHeight(self.fontMetrics().height() * 8)
        remove = QtGui.QAction("移除", self.honoured)
        remove.setShortcut(QtGui.QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_honoured)
        self.honoured.addAction(remove)
        remove_button = QtWidgets.QPushButton("移除选中")
        remove_button.clicked.connect(self.remove_honoured)
        hform.addRow("获奖名单", self.honoured)
        hform.addRow("", remove_button)
        self.honour_button = QtWidgets.QPushButton("保存荣誉证书 PDF…")
        self.honour_button.clicked.connect(self.save_honour_certificates)
        hform.addRow("", self.honour_button)
        self.tabs.addTab(honour_tab, "荣誉证书（批量）")

        # --- after saving ------------------------------------------------------------------------
        self.message = message_label()
        self.status = QtWidgets.QLabel("选择人员和时段后保存；保存后可直接打开文件打印。")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QtWidgets.QPushButton("打开文件")
        self.open_button.clicked.connect(lambda: self.last_path and self.opener(self.last_path))
        self.folder_button = QtWidgets.QPushButton("打开所在文件夹")
        self.folder_button.clicked.connect(lambda: self.last_path and self.opener(self.last_path.parent))
        for button in (self.open_button, self.folder_button):
            button.setEnabled(False)
        after = QtWidgets.QHBoxLayout()
        after.addWidget(self.open_button)
        after.addWidget(self.folder_button)
        after.addStretch(1)
        close = QtWidgets.QPushButton("关闭")
        close.clicked.connect(self.reject)
        after.addWidget(close)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.status)
        layout.addLayout(after)
        char = self.fontMetrics().horizontalAdvance("汉")
        self.resize(char * 40, char * 30)
        self.person_search.setFocus()

    # --- people --------------------------------------------------------------------------------
    def choose_person(self, person_id: int, name: str) -> None:
        self.person_id = person_id
        services = self.ctx.services
        year = date_of(self.end).year
        level = services.stars.level_of("volunteer", person_id, year)
        balance = services.points.balance(person_id)
        self.person_label.setText(f"{name}　{year}年度{star_text(level)}　积分余额 {balance:g} 分")
        self.message.setVisible(False)

    def _period(self, start: dt.date, end: dt.date) -> None:
        self.start.setDate(QtCore.QDate(start.year, start.month, start.day))
        self.end.setDate(QtCore.QDate(end.year, end.month, end.day))

    def add_honoured(self, person_id: int, name: str) -> None:
        ids = self.honoured_ids()
        if person_id in ids:
            self.ctx.notify(self, f"{name}已在名单中")
            return
        item = QtWidgets.QListWidgetItem(name)
        item.setData(QtCore.Qt.ItemDataRole.UserRole, person_id)
        self.honoured.addItem(item)
        self.message.setVisible(False)

    def remove_honoured(self) -> None:
        for item in self.honoured.selectedItems():
            self.honoured.takeItem(self.honoured.row(item))

    def honoured_ids(self) -> list[int]:
        return [
            int(self.honoured.item(i).data(QtCore.Qt.ItemDataRole.UserRole))
            for i in range(self.honoured.count())
        ]

    # --- saving --------------------------------------------------------------------------------
    def _refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)

    def _ask(self, suggested: str) -> Path | None:
        return self.ctx.ask_save_file(self, "保存证书", suggested)

    def save_service_certificate(self) -> None:
        if self.person_id is None:
            self._refuse("请先在“人员”框输入姓名并从提示中选择一人")
            return
        start, end = date_of(self.start), date_of(self.end)
        if end < start:
            self._refuse("证明的截止日期早于起始日期，请核对")
            return
        name = self.person_label.text().split("　")[0]
        target = self._ask(f"志愿服务证明_{name}_{start:%Y%m%d}-{end:%Y%m%d}.pdf")
        if target is None:
            return
        person_id, certificates = self.person_id, self.ctx.services.certificates

        def work(_p: Progress, cancel: CancelToken) -> Path:
            return certificates.write_service_certificate(person_id, start, end, target, cancel=cancel)

        self._start(work, "正在生成志愿服务证明")

    def save_honour_certificates(self) -> None:
        ids = self.honoured_ids()
        if not ids:
            self._refuse("请先在“添加人员”框输入姓名，把获奖人员加入名单")
            return
        title, year = self.honour_title.text(), self.year.value()
        target = self._ask(f"荣誉证书_{title.strip() or '证书'}_{year}年度_{len(ids)}份.pdf")
        if target is None:
            return
        certificates = self.ctx.services.certificates

        def work(progress: Progress, cancel: CancelToken) -> Path:
            return certificates.write_honour_certificates(
                ids, title, target, year=year, progress=progress, cancel=cancel
            )

        self._start(work, "正在生成荣誉证书")

    def _start(self, work: Callable[[Progress, CancelToken], Path], title: str) -> None:
        """Draw the PDF in the task runner; the save buttons wait for it, whatever it ends with."""
        for button in (self.service_button, self.honour_button):
            button.setEnabled(False)
        self.status.setText(title + "……")
        self.ctx.runner.run(
            work, self._saved, on_error=self._failed, on_cancelled=self._cancelled, title=title, parent=self
        )

    def _cancelled(self) -> None:
        self._ready()
        self.status.setText("已取消，没有生成证书文件。")

    def _ready(self) -> None:
        for button in (self.service_button, self.honour_button):
            button.setEnabled(True)

    def _saved(self, path: Path) -> None:
        self._ready()
        self.last_path = path
        self.message.setVisible(False)
        self.status.setText(f"已保存：{path}")
        for button in (self.open_button, self.folder_button):
            button.setEnabled(True)
        self.open_button.setFocus()
        self.ctx.notify(self.parentWidget(), f"证书已保存到 {path}")
        self.written.emit(str(path))

    def _failed(self, exc: BaseException) -> None:
        from silverdesk.errors import SilverdeskError
        from silverdesk.ui.errors import show_error

        self._ready()
        self.status.setText("没有生成证书文件。")
        if isinstance(exc, SilverdeskError):
            self._refuse(exc.message)
        elif isinstance(exc, PermissionError):
            self._refuse("无法写入文件：它可能正在被 PDF 阅读器打开，请关闭后重试，或换一个文件名")
        else:
            show_error(self, exc)
