"""The 分组统计 questions saved by name, as a list: Enter or a double-click asks for one to be run, Delete
removes one after a confirmation (the statistics' data are not touched)."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.errors import UserError
from silverdesk.services.statistics.saved_questions import SavedQuestions
from silverdesk.ui.context import UiContext

Qt = QtCore.Qt
PERIOD_TEXT = {
    "month": "最近一月",
    "quarter": "最近一季度",
    "year": "最近一年",
    "custom": "所选时段",
    "since": "自起始日累计至今",
}


class SavedList(QtWidgets.QListWidget):
    """Signals:
    chosen(str): the question of that name is to be run.
    filled(bool): the list was read again; whether it holds any question.
    failed(str): what went wrong, for the screen to show.
    """

    chosen = QtCore.Signal(str)
    filled = QtCore.Signal(bool)
    failed = QtCore.Signal(str)

    def __init__(
        self, ctx: UiContext, store: SavedQuestions, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.store = ctx, store
        self.setToolTip("双击或按 Enter 运行（时段取最近一期）；Delete 删除")
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.itemActivated.connect(lambda item: self.chosen.emit(item.text()))
        delete_key = QtGui.QAction(self)
        delete_key.setShortcut(QtGui.QKeySequence(QtGui.QKeySequence.StandardKey.Delete))
        delete_key.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.triggered.connect(lambda _checked=False: self.delete_current())
        self.addAction(delete_key)

    def load(self, select: str | None = None) -> None:
        self.clear()
        for q in self.store.list():
            item = QtWidgets.QListWidgetItem(q.name)
            when = (
                f"自{q.since.isoformat()}起累计至今"
                if q.period == "since" and q.since
                else PERIOD_TEXT[q.period]
            )
            item.setToolTip(f"{q.name}：统计{when}；双击运行")
            self.addItem(item)
            if q.name == select:
                self.setCurrentItem(item)
        self.filled.emit(self.count() > 0)

    def names(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]

    def current_name(self) -> str | None:
        item = self.currentItem()
        return item.text() if item is not None else None

    def delete_current(self) -> None:
        name = self.current_name()
        if name is None:
            return
        if not self.ctx.confirm(self, "删除保存的统计", f"删除保存的统计“{name}”？（统计的数据不受影响）"):
            return
        try:
            self.store.delete(name)
        except UserError as exc:
            self.failed.emit(str(exc))
        self.load()
