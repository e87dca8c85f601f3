"""The teams and party-organisation screens: a small in-memory table, search, new / edit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtWidgets

from silverdesk.domain.numbers import count_text
from silverdesk.services.list_sums import ListSums
from silverdesk.ui.context import UiContext
from silverdesk.ui.models.columns import Column
from silverdesk.ui.models.record_table import RecordTableModel
from silverdesk.ui.widgets.data_table import DataTable
from silverdesk.ui.widgets.list_screen import sums_text

if TYPE_CHECKING:  # QtPdf loads when the clerk first prints, not at start-up
    from silverdesk.ui.widgets.print_preview import PrintSource


class GroupScreen(QtWidgets.QWidget):
    """A list of a few hundred records filtered in memory as the clerk types.

    The line under it counts the rows shown and sums the columns of :attr:`sum_labels` over them (the
    whole list is in memory already, loaded once; the big lists sum in SQL, see
    :mod:`silverdesk.ui.widgets.list_screen`)."""

    entity = ""
    noun = ""
    sum_labels: tuple[tuple[str, str], ...] = ()

    def __init__(
        self,
        ctx: UiContext,
        columns: Sequence[Column],
        load: Callable[[], list[dict[str, Any]]],
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self._load = ctx, load
        self._all: list[dict[str, Any]] = []
        self.model = RecordTableModel(columns, self)
        self.table = DataTable(self.entity, ctx.state)
        self.table.setModel(self.model)
        self.table.enable_sorting()
        self.table.recordActivated.connect(self.open_record)
        self.table.copied.connect(lambda n: ctx.notify(self, f"已复制 {n} 行"))
        self.search = QtWidgets.QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(f"搜索{self.noun}名称、单位")
        self.search.textChanged.connect(self._filter)
        self.include_closed = QtWidgets.QCheckBox("含已撤销")
        self.include_closed.toggled.connect(lambda _on: self.reload())
        self.count_label = QtWidgets.QLabel()
        self.new_button = QtWidgets.QPushButton(f"新建{self.noun}")
        self.new_button.setToolTip(f"新建{self.noun}（Ctrl+N）")
        self.new_button.clicked.connect(self.new_record)
        edit = QtWidgets.QPushButton("修改")
        edit.setToolTip("修改选中的一项（Enter 或双击）")
        edit.clicked.connect(self._edit_current)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.include_closed)
        bottom = QtWidgets.QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.new_button)
        bottom.addWidget(edit)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        ctx.events.changed.connect(self._changed)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self._all = self._load()
        self._filter(self.search.text())
        if select_id is not None:
            self.table.select_id(select_id)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def open_record(self, record_id: int) -> None:
        raise NotImplementedError

    def new_record(self) -> None:
        raise NotImplementedError

    def print_source(self) -> PrintSource | None:
        from silverdesk.ui.widgets.print_preview import PrintSource

        rows = self.model.rows()
        if not rows:
            self.ctx.notify(self, "列表为空，没有可打印的行")
            return None
        text = self.search.text().strip()
        return PrintSource(
            f"{self.noun}名单",
            f"筛选：搜索“{text}”" if text else "",
            self.table.visible_columns(),
            len(rows),
            lambda: rows,
        )

    def _filter(self, text: str) -> None:
        text = text.strip()
        rows = [
            r
            for r in self._all
            if not text or any(text in str(r.get(k, "")) for k in ("name", "unit", "brand"))
        ]
        self.model.set_rows(rows)
        line = f"共 {count_text(len(rows))} 个{self.noun}"
        if self.sum_labels:
            sums = ListSums(
                len(rows), {k: float(sum(r.get(k) or 0 for r in rows)) for k, _ in self.sum_labels}
            )
            line += "；" + sums_text(self.sum_labels, sums)
        self.count_label.setText(line)

    def _edit_current(self) -> None:
        record_id = self.table.current_id()
        if record_id is not None:
            self.open_record(record_id)

    def _changed(self, entity: str) -> None:
        if entity == self.entity:
            keep = self.table.current_id() if self.model.rowCount() else None
            self.reload(keep)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(800, 600)
