"""What the people and activity screens share: a filter bar, a big id table, export and paste.

A subclass says how to build its filter (:meth:`ListScreen.current_filter`), how to fetch ids
(:meth:`ListScreen.fetch_ids`) and rows for export, and what its form is.  Searches run through
the task runner; a result that arrives after a newer search started is dropped.

Under the table, the count of what the filter found and, for a list with numeric columns
(:attr:`ListScreen.sum_labels`), their sums for the same filter ("共 1,234 项活动；场次 1,300，……服务时长
8,120.5 小时，……"): computed by the service in SQL (:meth:`ListScreen.fetch_sums`), in the task runner once
the ids are in, so the rows never wait for the sums.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtWidgets

from silverdesk.domain.numbers import count_text, hours_text
from silverdesk.domain.privacy import PERSONAL_FIELDS
from silverdesk.progress import CancelToken, Progress
from silverdesk.services.importing.paste import PasteKind
from silverdesk.services.list_sums import ListSums
from silverdesk.ui.context import UiContext
from silverdesk.ui.models.id_table import IdTableModel
from silverdesk.ui.widgets.data_table import DataTable
from silverdesk.ui.widgets.privacy import UnmaskBox
from silverdesk.ui.widgets.search_box import SearchBox

if TYPE_CHECKING:  # QtPdf loads when the clerk first prints, not at start-up
    from silverdesk.ui.widgets.print_preview import PrintSource


def sums_text(labels: Sequence[tuple[str, str]], sums: ListSums) -> str:
    """ "场次 1,300，参与人次 25,000，服务时长 8,120.5 小时" for ``labels`` ((key, 名称), …) in that order;
    hours (a key ending in ``hours``) with 小时, a mean (平均评价) with one decimal; a key without a value
    (no record rated: no mean) is left out."""
    parts = []
    for key, label in labels:
        value = sums.values.get(key)
        if value is None:
            continue
        if key.endswith("hours"):
            parts.append(f"{label} {hours_text(value)} 小时")
        elif key in sums.means:
            parts.append(f"{label} {hours_text(value)}")
        else:
            parts.append(f"{label} {count_text(value)}")
    return "，".join(parts)


class ListScreen(QtWidgets.QWidget):
    """Signals:
    loaded(int): a search finished; the argument is the number of rows.
    sumsLoaded(str): the line under the table has its sums (the line's text).
    """

    loaded = QtCore.Signal(int)
    sumsLoaded = QtCore.Signal(str)
    title = ""
    entity = ""
    paste_kind: PasteKind | None = None
    export_name = ""
    sum_labels: tuple[tuple[str, str], ...] = ()
    """The numeric columns summed under the table ((key of :class:`ListSums` values, 名称), …); none:
    the count alone."""

    def __init__(self, ctx: UiContext, model: IdTableModel, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = model
        self._generation = 0
        self._loaded_once = False
        self._jump_pending = False  # Enter in the search box: go to the first row found
        self.table = DataTable(self.entity, ctx.state)
        self.table.setModel(model)
        # the indicator first: enabling sorting sorts by the indicator's column and order at once
        sort_col = next((i for i, c in enumerate(model.columns) if c.sort == model.sort_key), 0)
        self.table.horizontalHeader().setSortIndicator(
            sort_col,
            QtCore.Qt.SortOrder.DescendingOrder if model.descending else QtCore.Qt.SortOrder.AscendingOrder,
        )
        self.table.setSortingEnabled(True)
        model.sortRequested.connect(lambda: self.reload())
        self.table.recordActivated.connect(self.open_record)
        self.table.copied.connect(lambda n: ctx.notify(self, f"已复制 {n} 行，可直接粘贴到 Excel 或 WPS"))
        self.search = SearchBox()
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance("汉") * 10)
        self.search.searchRequested.connect(lambda: self.reload())
        self.search.returnPressed.connect(self._search_now)
        self.count_label = QtWidgets.QLabel()
        self.filters = QtWidgets.QHBoxLayout()
        self.filters.setSpacing(8)
        self.buttons = QtWidgets.QHBoxLayout()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(self.filters)
        layout.addWidget(self.table, 1)
        self.sums_label = QtWidgets.QLabel(self)  # "；场次 1,300，……": the count's line goes on
        self.sums_label.setObjectName("sums")
        self.sums_label.setVisible(bool(self.sum_labels))  # a child at once: shown alone it is a window
        # it wraps in a narrow window rather than widen it (or be cut): the buttons keep their room
        self.sums_label.setWordWrap(True)
        line = QtWidgets.QHBoxLayout()
        line.setSpacing(0)
        line.addWidget(self.count_label)
        line.addWidget(self.sums_label, 1)
        bottom = QtWidgets.QHBoxLayout()
        bottom.addLayout(line, 1)
        self.unmask = UnmaskBox(
            "导出时不隐藏身份证号/电话", self
        )  # a child at once: shown alone it flashed as a window
        self.unmask.setVisible(any(c.key in PERSONAL_FIELDS for c in model.columns))
        bottom.addWidget(self.unmask)
        bottom.addLayout(self.buttons)
        layout.addLayout(bottom)
        ctx.events.changed.connect(self._data_changed)

    # --- for subclasses ------------------------------------------------------------------------
    def current_filter(self) -> Any:
        raise NotImplementedError

    def fetch_ids(self, flt: Any, sort: str, descending: bool) -> list[int]:
        raise NotImplementedError

    def fetch_records(self, ids: Sequence[int]) -> Sequence[Any]:
        """Row objects for export (attributes named like the columns' keys); runs in a worker."""
        raise NotImplementedError

    def open_record(self, record_id: int) -> None:
        raise NotImplementedError

    def new_record(self) -> None:
        raise NotImplementedError

    def fetch_sums(self, flt: Any) -> ListSums:
        """The sums of :attr:`sum_labels` for ``flt``, from the service, in SQL; runs in a worker."""
        raise NotImplementedError

    def count_text(self, n: int) -> str:
        return f"共 {count_text(n)} 条"

    # --- actions -------------------------------------------------------------------------------
    def add_button(self, text: str, tip: str, slot: Any) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def ensure_loaded(self) -> None:
        """Load on first show (the main window creates screens lazily)."""
        if not self._loaded_once:
            self._loaded_once = True
            self.reload()

    def reload(self, select_id: int | None = None) -> None:
        """Fetch the ids for the current filter and sort (in the task runner), then select ``select_id``
        or else the row that was selected before."""
        self.search.cancel_pending()
        self._loaded_once = True
        self._generation += 1
        generation = self._generation
        flt = self.current_filter()
        sort, descending = self.model.sort_key, self.model.descending

        def work(_progress: Progress, _cancel: CancelToken) -> list[int]:
            return self.fetch_ids(flt, sort, descending)

        def done(ids: list[int]) -> None:
            if generation != self._generation:
                return  # a newer search has started: this result is stale
            keep = (
                select_id
                if select_id is not None
                else (self.table.current_id() if self.model.rowCount() else None)
            )
            self.model.set_ids(ids)
            self.count_label.setText(self.count_text(len(ids)))
            self.sums_label.clear()  # until this search's own sums are in
            self._load_sums(flt, generation)
            if self._jump_pending:
                self._jump_pending = False
                if ids:
                    self.table.setFocus()
                    self.table.selectRow(0)
            elif keep is not None:
                self.table.select_id(keep)
            self.loaded.emit(len(ids))

        self.ctx.runner.run(work, done, parent=self)

    def summary_line(self) -> str:
        """The line under the table as the clerk reads it: "共 1,234 项活动；场次 1,300，……"."""
        return self.count_label.text() + self.sums_label.text()

    def _load_sums(self, flt: Any, generation: int) -> None:
        """Add the sums of the search ``generation`` to the line under the table."""
        if not self.sum_labels:
            return

        def work(_progress: Progress, _cancel: CancelToken) -> ListSums:
            return self.fetch_sums(flt)

        def done(sums: ListSums) -> None:
            if generation != self._generation:
                return  # a newer search has started: its own sums follow
            self.sums_label.setText("；" + sums_text(self.sum_labels, sums))
            self.sumsLoaded.emit(self.summary_line())

        self.ctx.runner.run(work, done, parent=self)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def export(self) -> None:
        ids = self.model.ids()
        if not ids:
            self.ctx.notify(self, "列表为空，没有可导出的行")
            return
        target = self.ctx.ask_save_file(
            self, "导出到 Excel", f"{self.export_name}_{dt.date.today():%Y%m%d}.xlsx"
        )
        if target is None:
            return
        columns = self.table.visible_columns()
        keys = [c.key for c in columns]
        mask = self.unmask.policy()

        def fetch(page: Sequence[int]) -> list[list[object]]:
            return [[mask.value(k, getattr(r, k, None)) for k in keys] for r in self.fetch_records(page)]

        def work(progress: Progress, cancel: CancelToken) -> int:
            from silverdesk.services.table_export import export_table

            return export_table(
                target,
                self.export_name,
                [c.title for c in columns],
                ids,
                fetch,
                widths=[c.width + 2 for c in columns],
                progress=progress,
                cancel=cancel,
            )

        self.ctx.runner.run(
            work,
            lambda n: self.ctx.notify(self, f"已导出 {n} 行到 {target}"),
            on_cancelled=lambda: self.ctx.notify(self, f"已取消导出，没有生成 {target.name}"),
            title=f"正在导出 {len(ids)} 行……",
            parent=self,
        )

    def print_source(self) -> PrintSource | None:
        from silverdesk.ui.widgets.print_preview import PrintSource, filter_summary, page_through

        """The list as it stands (filter, sort, visible columns), for Ctrl+P."""
        ids = self.model.ids()
        if not ids:
            self.ctx.notify(self, "列表为空，没有可打印的行")
            return None
        return PrintSource(
            self.export_name,
            filter_summary(self.filter_widgets()),
            self.table.visible_columns(),
            len(ids),
            lambda: page_through(ids, self.fetch_records),
        )

    def filter_widgets(self) -> list[QtWidgets.QWidget]:
        """The filter bar's widgets in order (a screen with a second row of filters adds them)."""
        items = (self.filters.itemAt(i).widget() for i in range(self.filters.count()))
        return [w for w in items if w is not None]

    def paste(self) -> None:
        if self.paste_kind is None:
            return
        from silverdesk.ui.importing.paste import PasteDialog

        text = self.ctx.clipboard_text()
        dialog = PasteDialog(self.ctx, self.paste_kind, text, self)
        if dialog.plan is not None:
            dialog.exec()

    def _search_now(self) -> None:
        """Enter in the search box: search at once, then go to the first row found."""
        self._jump_pending = True
        self.reload()

    def _data_changed(self, entity: str) -> None:
        if entity == self.entity and self._loaded_once:
            self.model.invalidate_rows()
            self.reload()
