"""首页: this month and this year at a glance, a 12-month trend, categories, open work.

The figures come from ``DashboardService.load`` in the task runner; QtCharts is imported when
the first figures arrive, so it costs nothing at start-up.
"""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.domain.dates import axis_month_labels, month_label
from silverdesk.domain.numbers import count_scale, count_text, hours_text
from silverdesk.progress import CancelToken, Progress
from silverdesk.services.statistics.dashboard import Dashboard, PeriodFigures
from silverdesk.ui.context import UiContext

TILES = (
    ("activities", "活动", "项"),
    ("sessions", "场次", "场"),
    ("participations", "参与", "人次"),
    ("hours", "服务时长", "小时"),
    ("beneficiaries", "受益群众", "人次"),
    ("teams_active", "开展活动的服务队", "支"),
)
BAR = QtGui.QColor("#b8322a")  # 党建红, calm enough for a whole screen
LINE = QtGui.QColor("#d08a1e")


def _number(key: str, value: float) -> str:
    """A tile's figure: ``12.3万`` from 100,000 on (a tile is narrow), else as a clerk writes it
    (:func:`~silverdesk.domain.numbers.count_text`, hours with :func:`~silverdesk.domain.numbers.hours_text`)."""
    if value >= 100000:
        return f"{value / 10000:.1f}万"
    return _exact(key, value)


def _exact(key: str, value: float) -> str:
    return hours_text(value) if key == "hours" else count_text(value)


CATEGORY_BARS = 6
"""Service areas charted one by one on 首页; the rest are one bar (more names do not fit beside
their bars on a laptop's screen: Qt then leaves every other name out)."""


def category_bars(board: Dashboard) -> list[tuple[str, int]]:
    """(name, 场次) of each bar of the service-area chart, largest first, the rest as 其他领域."""
    bars = [(c.name, c.sessions) for c in board.by_category[:CATEGORY_BARS]]
    rest = board.by_category[CATEGORY_BARS:]
    if len(rest) == 1:
        bars.append((rest[0].name, rest[0].sessions))
    elif rest:
        bars.append((f"其他{len(rest)}个领域", sum(c.sessions for c in rest)))
    return bars


def _count_axis(most: float, intervals: int = 6) -> Any:
    from PySide6 import QtCharts

    top, step = count_scale(most, intervals)
    axis = QtCharts.QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, top)
    axis.setTickType(QtCharts.QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setMinorTickCount(0)
    return axis


class _Tiles(QtWidgets.QGroupBox):
    def __init__(self, title: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(title, parent)
        grid = QtWidgets.QGridLayout(self)
        self.values: dict[str, QtWidgets.QLabel] = {}
        big = QtGui.QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 1.8)
        big.setBold(True)
        for i, (key, label, unit) in enumerate(TILES):
            value = QtWidgets.QLabel("—")
            value.setFont(big)
            value.setObjectName(f"tile_{key}")
            caption = QtWidgets.QLabel(f"{label}（{unit}）")
            row, column = divmod(i, 3)  # 3 × 2 tiles: fits a 1280-pixel window at 150 %
            grid.addWidget(value, row * 2, column, QtCore.Qt.AlignmentFlag.AlignHCenter)
            grid.addWidget(caption, row * 2 + 1, column, QtCore.Qt.AlignmentFlag.AlignHCenter)
            self.values[key] = value

    def show_figures(self, figures: PeriodFigures) -> None:
        for key, label in self.values.items():
            value = getattr(figures, key)
            label.setText(_number(key, value))
            label.setToolTip(_exact(key, value))


class _OpenList(QtWidgets.QGroupBox):
    """A titled list whose lines open their record (click, or Enter on the focused line).

    It shows as many whole lines as its height holds, and "……另有 N 项" for the rest: no line is cut
    at the bottom, none hides behind a scroll bar (a line too wide ends in "…", its tooltip whole).

    Signals:
        picked(int): the id behind the line that was clicked.
    """

    picked = QtCore.Signal(int)

    def __init__(self, title: str, tip: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.base_title = title
        self.list = QtWidgets.QListWidget()
        self.list.setToolTip(tip)
        self.list.setFocusPolicy(QtCore.Qt.FocusPolicy.TabFocus)
        self.list.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        for policy in (self.list.setVerticalScrollBarPolicy, self.list.setHorizontalScrollBarPolicy):
            policy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemClicked.connect(self._open)
        self.list.itemActivated.connect(self._open)
        self.list.viewport().installEventFilter(self)  # its height says how many lines fit
        self._count, self._lines, self._empty = 0, [], ""
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.list)

    def show_lines(self, count: int, lines: list[tuple[int, str]], empty: str) -> None:
        self.setTitle(f"{self.base_title}（{count}）")
        self._count, self._lines, self._empty = count, lines, empty
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        if not self._lines:
            self.list.addItem(self._empty)
        width = self.list.viewport().width() - 2 * self.list.frameWidth() - 4
        metrics = self.list.fontMetrics()
        for record_id, text in self._lines:
            item = QtWidgets.QListWidgetItem(
                metrics.elidedText(text, QtCore.Qt.TextElideMode.ElideRight, width)
            )
            item.setToolTip(text)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, record_id)
            item.setForeground(self.palette().link())
            self.list.addItem(item)
        fits = max(1, self.list.viewport().height() // max(1, self.list.sizeHintForRow(0)))
        shown = len(self._lines)
        if shown + (self._count > shown) > fits:
            shown = max(0, fits - 1)
            while self.list.count() > shown:
                self.list.takeItem(self.list.count() - 1)
        if self._count > shown and self._lines:
            self.list.addItem(f"……另有 {self._count - shown} 项")
        self.list.viewport().setCursor(
            QtCore.Qt.CursorShape.PointingHandCursor if self._lines else QtCore.Qt.CursorShape.ArrowCursor
        )

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.list.viewport() and event.type() == QtCore.QEvent.Type.Resize:
            self._fill()
        return super().eventFilter(watched, event)

    def _open(self, item: QtWidgets.QListWidgetItem) -> None:
        record_id = item.data(QtCore.Qt.ItemDataRole.UserRole)
        if record_id is not None:
            self.picked.emit(int(record_id))


class DashboardView(QtWidgets.QWidget):
    """Signals:
    loaded(): the figures are shown.
    openRecord(str, str, int): open a record on another screen (screen name, kind, id).
    """

    loaded = QtCore.Signal()
    openRecord = QtCore.Signal(str, str, int)

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.board: Dashboard | None = None
        self.heading = QtWidgets.QLabel("正在统计……")
        heading_font = QtGui.QFont(self.font())
        heading_font.setPointSizeF(self.font().pointSizeF() * 1.3)
        self.heading.setFont(heading_font)
        self.month = _Tiles("本月")
        self.year = _Tiles("本年累计")
        self.totals = QtWidgets.QLabel()
        self.charts = QtWidgets.QHBoxLayout()
        self.orders = _OpenList("待办订单", "点击打开订单，办理下一步")
        self.demands = _OpenList("尚未对接的需求", "点击查看需求和匹配建议")
        self.silent = _OpenList("本月尚未报送活动的单位", "点击查看该单位本月的活动，或在快速登记中补录")
        self.orders.picked.connect(lambda i: self.openRecord.emit("资源与需求", "order", i))
        self.demands.picked.connect(lambda i: self.openRecord.emit("资源与需求", "demand", i))
        self.silent.picked.connect(lambda i: self.openRecord.emit("活动", "unit", i))
        lists = QtWidgets.QHBoxLayout()
        for box in (self.orders, self.demands, self.silent):
            box.setMinimumWidth(0)
            lists.addWidget(box, 1)
        content = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(content)
        layout.addWidget(self.heading)
        tiles = QtWidgets.QHBoxLayout()
        tiles.addWidget(self.month, 1)
        tiles.addWidget(self.year, 1)
        layout.addLayout(tiles)
        layout.addWidget(self.totals)
        layout.addLayout(self.charts, 3)
        layout.addLayout(lists, 2)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._chart_views: list[QtWidgets.QWidget] = []
        self._dirty = True
        ctx.events.changed.connect(self._changed)

    def ensure_loaded(self) -> None:
        if self._dirty:
            self.reload()

    def reload(self) -> None:
        self._dirty = False
        self.heading.setText("正在统计……" if self.board is None else self.heading.text())

        def work(_p: Progress, _c: CancelToken) -> Dashboard:
            return self.ctx.services.dashboard.load()

        self.ctx.runner.run(work, self.show_board, parent=self)

    def show_board(self, board: Dashboard) -> None:
        self.board = board
        self.heading.setText(
            f"{board.today.year}年{board.today.month}月{board.today.day}日　{board.scope}离退休干部志愿服务概况"
        )
        self.month.show_figures(board.month)
        self.year.show_figures(board.year)
        self.totals.setText(f"在册服务队 {board.teams} 支，服务队成员（在册）{board.volunteers} 人")
        self._draw_charts(board)
        self.orders.show_lines(
            board.open_order_count,
            [(o.id, f"{o.since or ''}　{o.title}（{o.status}）") for o in board.open_orders],
            "没有待办订单",
        )
        self.demands.show_lines(
            board.unmatched_demand_count,
            [(d.id, f"{d.since or ''}　{d.title}（{d.status}）") for d in board.unmatched_demands],
            "需求都已对接",
        )
        self.silent.show_lines(
            len(board.silent_units), [(u.id, u.name) for u in board.silent_units], "各单位本月都已报送"
        )
        self.loaded.emit()

    def _draw_charts(self, board: Dashboard) -> None:
        from PySide6 import QtCharts

        for view in self._chart_views:
            self.charts.removeWidget(view)
            view.deleteLater()
        trend = QtCharts.QChart()
        first, last = board.trend[0], board.trend[-1]
        trend.setTitle(f"近12个月活动场次（{first.year}年{first.month}月—{last.year}年{last.month}月）")
        bars = QtCharts.QBarSet("场次")
        bars.setColor(BAR)
        for point in board.trend:
            bars.append(point.sessions)
        # the month, with the year (four digits) under the first and under each 1月 (QtCharts: rich text)
        labels = [
            label.replace("\n", "<br>")
            for label in axis_month_labels(
                [month_label(p.year, p.month) for p in board.trend], year_below=True
            )
        ]
        series = QtCharts.QBarSeries()
        series.append(bars)
        trend.addSeries(series)
        axis_x = QtCharts.QBarCategoryAxis()
        axis_x.append(labels)
        axis_x.setTruncateLabels(False)
        axis_y = _count_axis(max(p.sessions for p in board.trend))
        trend.addAxis(axis_x, QtCore.Qt.AlignmentFlag.AlignBottom)
        trend.addAxis(axis_y, QtCore.Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        trend.legend().setVisible(False)
        cats = QtCharts.QChart()
        cats.setTitle(f"{board.today.year}年各服务领域场次")
        cat_set = QtCharts.QBarSet("场次")
        cat_set.setColor(LINE)
        shown = category_bars(board)
        for _name, sessions in reversed(shown):
            cat_set.append(sessions)
        cat_series = QtCharts.QHorizontalBarSeries()
        cat_series.append(cat_set)
        cats.addSeries(cat_series)
        axis_c = QtCharts.QBarCategoryAxis()
        axis_c.append([name for name, _sessions in reversed(shown)] or ["暂无"])
        axis_c.setTruncateLabels(False)
        axis_v = _count_axis(max([sessions for _name, sessions in shown] + [0]), 3)  # side by side: few
        cats.addAxis(axis_c, QtCore.Qt.AlignmentFlag.AlignLeft)
        cats.addAxis(axis_v, QtCore.Qt.AlignmentFlag.AlignBottom)
        cat_series.attachAxis(axis_c)
        cat_series.attachAxis(axis_v)
        cats.legend().setVisible(False)
        self._chart_views = []
        for chart, stretch in ((trend, 3), (cats, 2)):
            chart.setTitleFont(self.font())
            for axis in chart.axes():
                axis.setLabelsFont(self.font())
            chart.setAnimationOptions(QtCharts.QChart.AnimationOption.NoAnimation)
            view = QtCharts.QChartView(chart)
            view.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(self.fontMetrics().height() * 16)
            self.charts.addWidget(view, stretch)
            self._chart_views.append(view)

    def _changed(self, entity: str) -> None:
        if entity in ("activity", "team", "person"):
            self._dirty = True
            if self.isVisible():
                self.reload()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(1000, 700)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.ensure_loaded()
