"""The 分组统计 table and chart: a table model over :class:`~silverdesk.reports.pivot.PivotTable` (the
header in lines, 合计 row and column bold, figures right-aligned as people write them) and the chart of
its first measure (bars per row; a line when the rows are 期间)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.reports.pivot import DataColumn, PivotRow, PivotTable
from silverdesk.reports.pivot_cells import cell_text

Qt = QtCore.Qt
PERIOD = "期间"
CHART_ROWS = 24  # rows charted (more bars do not fit a laptop's width with their names)
CHART_SETS = 6
BAR_ROWS = 10  # rows charted as horizontal bars when there are many: the largest  # column combinations charted side by side
TOTAL_SHADE = QtGui.QBrush(QtGui.QColor("#f6efe6"))  # the 合计 row and column, besides bold
COLOURS = ("#b8322a", "#d08a1e", "#3f6e9a", "#5b8c5a", "#8a5a9a", "#7a7a7a")


@dataclass(frozen=True)
class Cell:
    """What a figure of the table stands for, for drill-down: the measure and the dimension values
    (``keys``) at the question's dimension ``positions`` (None: the first ``len(keys)``)."""

    measure: str
    keys: tuple[Any, ...]
    positions: tuple[int, ...] | None
    row: PivotRow
    column: DataColumn


class PivotModel(QtCore.QAbstractTableModel):
    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.table: PivotTable | None = None
        self.n_row_dims = 0
        self._bold = QtGui.QFont()
        self._bold.setBold(True)

    def set_table(self, table: PivotTable | None, n_row_dims: int = 0) -> None:
        self.beginResetModel()
        self.table, self.n_row_dims = table, n_row_dims
        self.endResetModel()

    @property
    def lead(self) -> int:
        """The label columns on the left (at least one: the 合计 row's name)."""
        return len(self.table.row_headers) or 1 if self.table else 0

    def rowCount(self, parent: QtCore.QModelIndex | None = None) -> int:
        return len(self.table.rows) if self.table and not (parent and parent.isValid()) else 0

    def columnCount(self, parent: QtCore.QModelIndex | None = None) -> int:
        if self.table is None or (parent and parent.isValid()):
            return 0
        return self.lead + len(self.table.columns)

    def column(self, index: int) -> DataColumn | None:
        assert self.table is not None
        return self.table.columns[index - self.lead] if index >= self.lead else None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.table is None or orientation != Qt.Orientation.Horizontal:
            return None
        column = self.column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(line[section] for line in self.table.header_lines() if line[section])
        if role == Qt.ItemDataRole.FontRole and column is not None and column.total:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and column is not None:
            return column.heading
        return None

    def data(self, index: QtCore.QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.table is None or not index.isValid():
            return None
        row = self.table.rows[index.row()]
        column = self.column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is None:
                return row.labels[index.column()] if index.column() < len(row.labels) else ""
            return cell_text(row.values[index.column() - self.lead], column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignLeft if column is None else Qt.AlignmentFlag.AlignRight
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if row.total or (column is not None and column.total):
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            if role == Qt.ItemDataRole.BackgroundRole:
                return TOTAL_SHADE
        if role == Qt.ItemDataRole.ToolTipRole and column is not None:
            where = " · ".join(x for x in (*row.labels, *column.labels) if x)
            if not column.figure:
                return f"{where}：{column.measure}{column.part} {self.data(index)}"
            return f"{where}：{column.measure} {self.data(index)} {column.unit}（双击或按 Enter 查看明细）"
        return None

    def cell(self, index: QtCore.QModelIndex) -> Cell | None:
        """The figure at ``index`` as a drill-down asks for it; None on a label."""
        if self.table is None or not index.isValid():
            return None
        column = self.column(index.column())
        if column is None or not column.figure:  # 上期, 增减, 增长率: no records of their own here
            return None
        row = self.table.rows[index.row()]
        if row.total and not column.total:  # the 合计 row under a column: the column's keys alone
            positions = tuple(range(self.n_row_dims, self.n_row_dims + len(column.keys)))
            return Cell(column.measure, tuple(column.keys), positions, row, column)
        keys = tuple(row.keys) + (() if column.total else tuple(column.keys))
        return Cell(column.measure, keys, None, row, column)

    def figure(self, labels: tuple[str, ...], heading: str) -> str:
        """The text of the figure in the row labelled ``labels`` under the column whose heading is
        ``heading`` (:attr:`DataColumn.heading`, e.g. "女 · 志愿者数（人）")."""
        assert self.table is not None
        r = next(i for i, row in enumerate(self.table.rows) if row.labels == labels)
        c = next(i for i, col in enumerate(self.table.columns) if col.heading == heading)
        return str(self.data(self.index(r, self.lead + c)))


class PivotTableView(QtWidgets.QTableView):
    """The table; Enter or a double-click on a figure asks for its records (``drill``)."""

    drill = QtCore.Signal(QtCore.QModelIndex)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)  # Tab leaves the table, to the next control
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)  # as in a spreadsheet
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.horizontalHeader().setResizeContentsPrecision(
            200
        )  # widths from the first rows: fast on long tables
        self.doubleClicked.connect(self.drill)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            if self.currentIndex().isValid():
                self.drill.emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def fit(self) -> None:
        """Columns as wide as their header lines and figures; header as tall as its lines."""
        self.resizeColumnsToContents()
        header = self.horizontalHeader()
        lines = max(
            (
                str(self.model().headerData(c, Qt.Orientation.Horizontal) or "").count("\n") + 1
                for c in range(self.model().columnCount())
            ),
            default=1,
        )
        header.setMinimumHeight(self.fontMetrics().lineSpacing() * lines + self.fontMetrics().height())


def chart_series(table: PivotTable) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """What the chart shows: the row labels and, per series, the first measure's figures by row. A few
    rows and column combinations: one series per column combination; else one series, the 合计
    column (the only column when there are no column dimensions). The 合计 row is left out."""
    rows = [r for r in table.rows if not r.total][:CHART_ROWS] or [r for r in table.rows if r.total][:1]
    first = table.columns[0].measure if table.columns else ""
    mine = [(i, c) for i, c in enumerate(table.columns) if c.measure == first and c.figure]
    split = [(i, c) for i, c in mine if not c.total]
    total = [(i, c) for i, c in mine if c.total] or mine[:1]
    chosen = split if split and len(split) <= CHART_SETS and len(rows) <= 8 else total
    if table.row_headers[:1] == (PERIOD,) and len(split) <= CHART_SETS:
        chosen = split or total
    labels = [" · ".join(x for x in r.labels if x) for r in rows]
    years = {label[:5] for label in labels}
    if table.row_headers[:1] == (PERIOD,) and len(years) == 1 and labels[0][4:5] == "年" and len(labels) > 1:
        labels = [label[5:] or label for label in labels]  # one year: 1月 … 12月 (the year is in the title)
    series = [(" · ".join(c.labels) or c.measure, [float(r.values[i] or 0) for r in rows]) for i, c in chosen]
    if table.row_headers[:1] != (PERIOD,) and len(labels) > BAR_ROWS and len(series) == 1:
        # many rows: the largest, largest first (more names than this do not fit beside their bars)
        order = sorted(range(len(labels)), key=lambda k: -series[0][1][k])[:BAR_ROWS]
        labels = [labels[k] for k in order]
        series = [(series[0][0], [series[0][1][k] for k in order])]
    return labels, series


def chart_view(table: PivotTable, font: QtGui.QFont) -> QtWidgets.QWidget:
    """The first measure of ``table`` by its rows: bars (side by side per column combination when few),
    or lines when the rows are 期间; many rows lie as horizontal bars, their names readable."""
    from PySide6 import QtCharts

    from silverdesk.ui.statistics.dashboard import _count_axis

    first = table.columns[0] if table.columns else None
    labels, series = chart_series(table)
    shown = len([r for r in table.rows if not r.total])
    chart = QtCharts.QChart()
    chart.setAnimationOptions(QtCharts.QChart.AnimationOption.NoAnimation)
    by = "、".join(table.row_headers)
    title = f"{first.measure}（{first.unit}）" if first else ""
    title += f"按{by}" if by else ""
    if table.row_headers[:1] == (PERIOD,) and labels and labels[0] != table.rows[0].labels[0]:
        title = f"{table.rows[0].labels[0][:5]}{title}"
    if shown > len(labels):
        title += f"（最多的{len(labels)}项，另有{shown - len(labels)}项见上表）"
    chart.setTitle(title)
    chart.setTitleFont(font)
    most = max((v for _, vs in series for v in vs), default=0.0)
    period = table.row_headers[:1] == (PERIOD,)
    across = not period and len(labels) > 8  # many rows: horizontal bars, the names on the left
    axis_c = QtCharts.QBarCategoryAxis()
    axis_c.append(list(reversed(labels)) if across else labels)
    axis_c.setTruncateLabels(False)
    axis_c.setLabelsFont(font)
    axis_v = _count_axis(most, 4 if across else 5)
    axis_v.setLabelsFont(font)
    chart.addAxis(axis_c, Qt.AlignmentFlag.AlignLeft if across else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_v, Qt.AlignmentFlag.AlignBottom if across else Qt.AlignmentFlag.AlignLeft)
    if period:
        for n, (name, vs) in enumerate(series):
            line = QtCharts.QLineSeries()
            line.setName(name)
            line.setPen(QtGui.QPen(QtGui.QColor(COLOURS[n % len(COLOURS)]), 2.5))
            line.setPointsVisible(True)
            for x, v in enumerate(vs):
                line.append(x, v)
            chart.addSeries(line)
            line.attachAxis(axis_c)
            line.attachAxis(axis_v)
    else:
        bars = QtCharts.QHorizontalBarSeries() if across else QtCharts.QBarSeries()
        for n, (name, vs) in enumerate(series):
            bar_set = QtCharts.QBarSet(name)
            bar_set.setColor(QtGui.QColor(COLOURS[n % len(COLOURS)]))
            bar_set.append(list(reversed(vs)) if across else vs)
            bars.append(bar_set)
        chart.addSeries(bars)
        bars.attachAxis(axis_c)
        bars.attachAxis(axis_v)
    chart.legend().setVisible(len(series) > 1)
    chart.legend().setFont(font)
    view = QtCharts.QChartView(chart)
    view.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(QtGui.QFontMetrics(font).height() * 16)
    return view
