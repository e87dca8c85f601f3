"""超市: open demands and available resources as cards, filtered, with matching and new orders.

Only the ids of every match are fetched; cards are built a page at a time ("显示更多"), so a
shelf of thousands stays quick.  Selecting a card shows it on the right; for a demand "匹配推荐"
ranks resources, teams and talent-pool people with the reason for each, and an order is made
from the chosen one (or by hand); for a resource, the open demands it could serve are listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.domain import enums
from silverdesk.progress import CancelToken, Progress
from silverdesk.services.market.lists import DemandFilter, ResourceFilter
from silverdesk.services.market.match_ranking import KIND_LABELS, DemandSuggestion, Suggestion
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.market import common as market_common
from silverdesk.ui.market.cards import Card, day_text
from silverdesk.ui.market.common import card_style, category_items, star_text
from silverdesk.ui.market.order_dialogs import NewOrderDialog
from silverdesk.ui.widgets.pickers import ChoiceCombo, IdCombo, UnitCombo
from silverdesk.ui.widgets.search_box import SearchBox

PAGE = 60
DEBOUNCE_MS = 200
KINDS = ("demand", "resource")


@dataclass
class _Loaded:
    ids: list[int]
    rows: list[Any]
    counts: dict[str, int]


class ShelfTab(QtWidgets.QWidget):
    """Signals:
    orderCreated(int): an order was published from this tab (its id).
    editRequested(str, int): the clerk wants the form of a demand or resource.
    """

    orderCreated = QtCore.Signal(int)
    editRequested = QtCore.Signal(str, int)

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = "demand"
        self.ids: list[int] = []
        self.cards: list[Card] = []
        self.selected: tuple[str, int] | None = None
        self.suggestions: list[Suggestion] = []
        self.demand_hits: list[DemandSuggestion] = []
        self._generation = 0
        self._columns = 0
        char = self.fontMetrics().horizontalAdvance("汉")
        self.card_width = char * 19 + 24
        self.setStyleSheet(card_style())

        # --- filters ---------------------------------------------------------------------------
        self.kind_bar = QtWidgets.QTabBar()
        self.kind_bar.addTab("需求")
        self.kind_bar.addTab("资源")
        self.kind_bar.setToolTip("切换需求与资源")
        self.kind_bar.setDrawBase(False)
        self.kind_bar.currentChanged.connect(self._kind_changed)
        self.search = SearchBox("名称、内容、需求方或提供者", DEBOUNCE_MS)
        self.search.setMinimumWidth(char * 10)
        self.search.searchRequested.connect(self.reload)
        self.search.returnPressed.connect(self.reload)
        self.category = IdCombo(blank="全部类别")
        self.category.set_items(category_items(ctx.services))
        self.area = UnitCombo(blank="全部单位/区域")
        self.area.set_units(ctx.services.units.tree())
        self.area.setToolTip("需求：需求单位在此范围内；资源：服务区域在此范围内")
        self.status = ChoiceCombo(enums.DEMAND_STATUSES, blank="全部状态")
        self.urgency = ChoiceCombo(enums.URGENCIES, blank="全部紧急程度")
        for choice in (self.status, self.urgency):
            choice.setMinimumContentsLength(7)
        for combo in (self.category, self.area):
            combo.idChanged.connect(lambda _v: self.reload())
        for choice in (self.status, self.urgency):
            choice.currentIndexChanged.connect(lambda _i: self.reload())
        filters = QtWidgets.QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.kind_bar)
        filters.addSpacing(8)
        find = QtWidgets.QLabel("查找(&F)")
        find.setBuddy(self.search)
        filters.addWidget(find)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.category, 1)
        filters.addWidget(self.area, 1)
        filters.addWidget(self.status)
        filters.addWidget(self.urgency)

        # --- the shelf ---------------------------------------------------------------------------
        self.shelf = QtWidgets.QWidget()
        self.grid = QtWidgets.QGridLayout(self.shelf)
        self.grid.setSpacing(10)
        self.grid.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.shelf)
        self.scroll.viewport().installEventFilter(self)
        self.scroll.setStyleSheet(
            "QScrollArea { background: #f3f4f6; } QWidget#shelf { background: #f3f4f6; }"
        )
        self.shelf.setObjectName("shelf")
        self.more_button = QtWidgets.QPushButton("显示更多")
        self.more_button.clicked.connect(self.show_more)
        self.count_label = QtWidgets.QLabel()
        below = QtWidgets.QHBoxLayout()
        below.addWidget(self.count_label)
        below.addStretch(1)
        below.addWidget(self.more_button)
        left = QtWidgets.QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.scroll, 1)
        left.addLayout(below)
        left_box = QtWidgets.QWidget()
        left_box.setLayout(left)

        # --- the chosen card ---------------------------------------------------------------------
        self.detail_title = QtWidgets.QLabel("在左侧选中一张卡片")
        font = self.detail_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.detail_title.setFont(font)
        self.detail_title.setWordWrap(True)
        self.detail = QtWidgets.QLabel("需求卡片可“匹配推荐”并生成订单；资源卡片可查看它能服务的需求。")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        self.match_button = QtWidgets.QPushButton("匹配推荐 (F6)")
        self.match_button.setShortcut(QtGui.QKeySequence("F6"))
        self.match_button.clicked.connect(self.match)
        self.manual_button = QtWidgets.QPushButton("手工建单…")
        self.manual_button.setToolTip("不按推荐，自己指定服务方（也可暂不指定）")
        self.manual_button.clicked.connect(self.manual_order)
        self.edit_button = QtWidgets.QPushButton("修改…")
        self.edit_button.clicked.connect(lambda: self.selected and self.editRequested.emit(*self.selected))
        actions = QtWidgets.QHBoxLayout()
        for button in (self.match_button, self.manual_button, self.edit_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.hits_label = QtWidgets.QLabel()
        self.hits_label.setWordWrap(True)
        self.hits = QtWidgets.QListWidget()
        self.hits.setWordWrap(True)
        self.hits.setAlternatingRowColors(True)
        self.hits.setTextElideMode(QtCore.Qt.TextElideMode.ElideNone)
        self.hits.setVerticalScrollMode(QtWidgets.QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.hits.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.hits.itemActivated.connect(lambda _i: self.order_from_hit())
        self.order_button = QtWidgets.QPushButton("用选中的推荐生成订单…")
        self.order_button.clicked.connect(self.order_from_hit)
        right = QtWidgets.QVBoxLayout()
        right.addWidget(self.detail_title)
        right.addWidget(self.detail)
        right.addLayout(actions)
        right.addWidget(self.hits_label)
        right.addWidget(self.hits, 1)
        right.addWidget(self.order_button)
        right_box = QtWidgets.QWidget()
        right_box.setLayout(right)
        right_box.setMinimumWidth(char * 24)

        splitter = QtWidgets.QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(right_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([3000, 2000])  # the shelf gets the larger share, whatever the window's width
        self.splitter = splitter
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self._kind_changed(0, reload=False)
        self._show_detail()

    # --- loading -------------------------------------------------------------------------------
    def current_filter(self) -> DemandFilter | ResourceFilter:
        if self.kind == "demand":
            return DemandFilter(
                query=self.search.text(),
                category_id=self.category.value(),
                status=self.status.value(),
                unit_id=self.area.value(),
                urgency=self.urgency.value(),
            )
        return ResourceFilter(
            query=self.search.text(),
            category_id=self.category.value(),
            status=self.status.value(),
            unit_id=self.area.value(),
        )

    def reload(self) -> None:
        self.search.cancel_pending()
        self._generation += 1
        generation, kind, flt = self._generation, self.kind, self.current_filter()
        services = self.ctx.services

        def work(_p: Progress, _c: CancelToken) -> _Loaded:
            if kind == "demand":
                assert isinstance(flt, DemandFilter)
                ids = services.demands.search_ids(flt, "urgency", True)
                rows: list[Any] = services.demands.rows_by_ids(ids[:PAGE])
            else:
                assert isinstance(flt, ResourceFilter)
                ids = services.resources.search_ids(flt, "listed_on", True)
                rows = services.resources.rows_by_ids(ids[:PAGE])
            counts = {
                "demand": len(services.demands.search_ids(DemandFilter(status="待对接"))),
                "resource": len(services.resources.search_ids(ResourceFilter(status="可用"))),
            }
            return _Loaded(ids, rows, counts)

        def done(loaded: _Loaded) -> None:
            if generation != self._generation:
                return
            self.ids = loaded.ids
            self.kind_bar.setTabText(0, f"需求（待对接 {loaded.counts['demand']}）")
            self.kind_bar.setTabText(1, f"资源（可用 {loaded.counts['resource']}）")
            self._set_cards(loaded.rows, append=False)

        self.ctx.runner.run(work, done, parent=self)

    def show_more(self) -> None:
        start = len(self.cards)
        page = self.ids[start : start + PAGE]
        if not page:
            return
        service = self.ctx.services.demands if self.kind == "demand" else self.ctx.services.resources
        generation = self._generation
        self.more_button.setEnabled(False)  # one page at a time: a second click would add it twice

        def done(rows: list[Any]) -> None:
            if generation == self._generation:
                self._set_cards(rows, append=True)

        def failed(exc: BaseException) -> None:
            self.more_button.setEnabled(True)
            show_error(self, exc)

        self.ctx.runner.run(lambda _p, _c: service.rows_by_ids(page), done, on_error=failed, parent=self)

    def _set_cards(self, rows: list[Any], append: bool) -> None:
        if not append:
            for card in self.cards:
                card.setParent(None)
                card.deleteLater()
            self.cards = []
        today = self.ctx.services.ctx.today()
        keep = self.selected
        for row in rows:
            card = Card(self.kind, row, today, self.card_width)
            card.chosen.connect(self.choose)
            card.activated.connect(self._activate)
            card.moved.connect(self._move)
            self.cards.append(card)
        self._columns = 0
        self._reflow()
        shown, total = len(self.cards), len(self.ids)
        self.count_label.setText(f"共 {total} 条" + (f"，已显示 {shown} 条" if shown < total else ""))
        self.more_button.setVisible(shown < total)
        self.more_button.setEnabled(True)
        self.more_button.setText(f"显示更多（还有 {total - shown} 条）")
        if keep is not None and keep[0] == self.kind and any(c.record_id == keep[1] for c in self.cards):
            self._mark(keep[1])
            self._describe()  # from its card, which may have come after the choice (from 首页) or changed
        elif not append:
            self.selected = None
            self._show_detail()
        if not self.cards:
            self.count_label.setText(
                "没有符合条件的"
                + ("需求" if self.kind == "demand" else "资源")
                + "；可清空查找内容或放宽筛选条件"
            )

    def _reflow(self) -> None:
        spacing = self.grid.horizontalSpacing()
        margins = self.grid.contentsMargins()
        width = self.scroll.viewport().width() - margins.left() - margins.right()
        columns = max(1, (width + spacing) // (self.card_width + spacing))
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards):
            self.grid.addWidget(
                card,
                i // columns,
                i % columns,
                QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft,
            )
        for i in range(self.grid.rowCount()):
            self.grid.setRowStretch(i, 0)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.scroll.viewport() and event.type() == QtCore.QEvent.Type.Resize:
            self._reflow()
        return super().eventFilter(watched, event)

    def _move(self, card: Card, key: int) -> None:
        """Arrow keys walk the grid of cards; past the last one they offer "显示更多"."""
        if card not in self.cards:
            return
        step = {
            QtCore.Qt.Key.Key_Left: -1,
            QtCore.Qt.Key.Key_Right: 1,
            QtCore.Qt.Key.Key_Up: -max(self._columns, 1),
            QtCore.Qt.Key.Key_Down: max(self._columns, 1),
        }[key]
        index = self.cards.index(card) + step
        if 0 <= index < len(self.cards):
            target = self.cards[index]
            target.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(target)
            self.choose(target.kind, target.record_id)
        elif index >= len(self.cards) and self.more_button.isVisible():
            self.more_button.setFocus()

    def visible_cards(self) -> list[Card]:
        return list(self.cards)

    def card_for(self, record_id: int) -> Card | None:
        return next((c for c in self.cards if c.record_id == record_id), None)

    # --- choosing ------------------------------------------------------------------------------
    def _kind_changed(self, index: int, reload: bool = True) -> None:
        self.kind = KINDS[index]
        demand = self.kind == "demand"
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem("全部状态", None)
        for choice in enums.DEMAND_STATUSES if demand else enums.RESOURCE_STATUSES:
            self.status.addItem(choice, choice)
        self.status.set_value("待对接" if demand else "可用")
        self.status.blockSignals(False)
        self.urgency.setEnabled(demand)
        self.urgency.setVisible(demand)
        self.selected = None
        self._show_detail()
        if reload:
            self.reload()

    def set_kind(self, kind: str) -> None:
        self.kind_bar.setCurrentIndex(KINDS.index(kind))

    def choose(self, kind: str, record_id: int) -> None:
        if self.selected == (kind, record_id):
            return
        self.selected = (kind, record_id)
        self._mark(record_id)
        self.suggestions, self.demand_hits = [], []
        self._show_detail()

    def _activate(self, kind: str, record_id: int) -> None:
        self.choose(kind, record_id)
        self.match()

    def _mark(self, record_id: int) -> None:
        for card in self.cards:
            card.set_selected(card.record_id == record_id)

    def _show_detail(self) -> None:
        self.hits.clear()
        self.hits_label.clear()
        self._describe()
        demand = self.selected is not None and self.selected[0] == "demand"
        self.match_button.setText("匹配推荐 (F6)" if demand or self.selected is None else "可服务的需求 (F6)")
        self.order_button.setText(
            "用选中的推荐生成订单…" if demand or self.selected is None else "为选中的需求生成订单…"
        )
        self._update_buttons()

    def _describe(self) -> None:
        """The chosen card's title and facts (what its card says, its content, the provider's stars)."""
        if self.selected is None:
            self.detail_title.setText("在左侧选中一张卡片")
            self.detail.setText(
                "需求卡片可“匹配推荐”并生成订单；资源卡片可查看它能服务的需求。\n"
                "用 Tab 在卡片间移动，回车即匹配。"
            )
        else:
            kind, record_id = self.selected
            card = self.card_for(record_id)
            service = self.ctx.services.demands if kind == "demand" else self.ctx.services.resources
            data = service.get(record_id)
            self.detail_title.setText(str(data["title"]))
            lines = list(card.findChildren(QtWidgets.QLabel)) if card else []
            texts = [
                str(label.property("full_text") or label.text())
                for label in lines
                if label.objectName() == "muted"
            ]
            facts = [text for text in texts if "：" in text]
            content = str(data.get("content") or "").strip()
            status = f"状态：{data['status']}" + (
                f"（{'、'.join(card.flags)}）" if card and card.flags else ""
            )
            extra = [f"内容：{content}"] if content else []
            if kind == "resource":
                extra += self._provider_rating(data)
            self.detail.setText("\n".join([status, *facts, *extra]))

    def _provider_rating(self, data: dict[str, object]) -> list[str]:
        """The providing team's or person's star level this year (and a person's points)."""
        services, year = self.ctx.services, self.ctx.services.ctx.today().year
        team_id, person_id = data.get("team_id"), data.get("person_id")
        if isinstance(team_id, int):
            return [f"服务队星级：{year}年度{star_text(services.stars.level_of('team', team_id, year))}"]
        if isinstance(person_id, int):
            level = services.stars.level_of("volunteer", person_id, year)
            return [
                f"提供人星级：{year}年度{star_text(level)}，积分余额 {services.points.balance(person_id):g} 分"
            ]
        return []

    def _update_buttons(self) -> None:
        chosen = self.selected is not None
        demand = chosen and self.selected is not None and self.selected[0] == "demand"
        self.match_button.setEnabled(chosen)
        self.edit_button.setEnabled(chosen)
        self.manual_button.setEnabled(bool(demand))
        self.manual_button.setVisible(bool(demand) or not chosen)
        self.order_button.setEnabled(
            self.hits.currentRow() >= 0
            and self.hits.count() > 0
            and bool(self.suggestions or self.demand_hits)
        )

    # --- matching ------------------------------------------------------------------------------
    def match(self) -> None:
        if self.selected is None:
            return
        kind, record_id = self.selected
        services = self.ctx.services
        year = services.ctx.today().year

        def work(_p: Progress, cancel: CancelToken) -> tuple[list[Any], dict[int, str]]:
            if kind == "resource":
                return list(services.matching.demands_for_resource(record_id, cancel=cancel)), {}
            found = services.matching.suggest_for_demand(record_id, cancel=cancel)
            extra: dict[int, str] = {}
            for i, s in enumerate(found):
                cancel.raise_if_set()
                if s.kind == "team":
                    extra[i] = f"{year}年度{star_text(services.stars.level_of('team', s.id, year))}"
                elif s.kind == "person":
                    level = services.stars.level_of("volunteer", s.id, year)
                    extra[i] = f"{year}年度{star_text(level)}，积分余额 {services.points.balance(s.id):g} 分"
            return list(found), extra

        def done(result: tuple[list[Any], dict[int, str]]) -> None:
            if self.selected != (kind, record_id):
                return
            found, extra = result
            self.hits.clear()
            if kind == "demand":
                self.suggestions, self.demand_hits = found, []
                for i, s in enumerate(found, start=1):
                    text = f"{i}.［{KIND_LABELS.get(s.kind, s.kind)}］{s.name}\n匹配得分 {s.score:g}　理由：{s.reason}"
                    if extra.get(i - 1):
                        text += f"\n{extra[i - 1]}"
                    self.hits.addItem(text)
                self.hits_label.setText(
                    f"推荐 {len(found)} 个服务方（按匹配得分排列，越靠前越合适）："
                    if found
                    else "没有找到合适的服务方：可“手工建单”，或在资源清单中登记相应资源。"
                )
            else:
                self.suggestions, self.demand_hits = [], found
                for i, d in enumerate(found, start=1):
                    self.hits.addItem(
                        f"{i}.［{d.urgency}］{d.title}\n匹配得分 {d.score:g}　"
                        f"需求方：{d.requester or '—'}"
                        + (f"　期望 {day_text(d.wanted_by)}前" if d.wanted_by else "")
                        + f"\n理由：{d.reason}"
                    )
                self.hits_label.setText(
                    f"此资源可服务 {len(found)} 条待对接需求："
                    if found
                    else "此资源暂无可服务的待对接需求（资源须为“可用”且在服务期内）。"
                )
            if self.hits.count():
                self.hits.setCurrentRow(0)
            self._update_buttons()

        def cancelled() -> None:
            if self.selected == (kind, record_id):
                self.hits.clear()
                self.suggestions, self.demand_hits = [], []
                self.hits_label.setText("已取消匹配。按 F6 可重新匹配。")
                self._update_buttons()

        self.ctx.runner.run(work, done, on_cancelled=cancelled, title="正在匹配", parent=self)

    def order_from_hit(self) -> None:
        row = self.hits.currentRow()
        if self.selected is None or row < 0:
            return
        kind, record_id = self.selected
        if kind == "demand" and row < len(self.suggestions):
            title = str(self.ctx.services.demands.get(record_id)["title"])
            dialog = NewOrderDialog(
                self.ctx,
                demand_id=record_id,
                demand_title=title,
                suggestion=self.suggestions[row],
                parent=self,
            )
        elif kind == "resource" and row < len(self.demand_hits):
            hit = self.demand_hits[row]
            resource = str(self.ctx.services.resources.get(record_id)["title"])
            dialog = NewOrderDialog(
                self.ctx,
                demand_id=hit.demand_id,
                demand_title=hit.title,
                resource_id=record_id,
                resource_title=resource,
                parent=self,
            )
        else:
            return
        self._finish(dialog)

    def manual_order(self) -> None:
        if self.selected is None or self.selected[0] != "demand":
            return
        title = str(self.ctx.services.demands.get(self.selected[1])["title"])
        self._finish(NewOrderDialog(self.ctx, demand_id=self.selected[1], demand_title=title, parent=self))

    def _finish(self, dialog: NewOrderDialog) -> None:
        if not market_common.run_dialog(dialog) or dialog.result_id is None:
            return
        order_id = dialog.result_id
        code = self.ctx.services.orders.get(order_id)["code"]
        self.ctx.notify(self, f"已发布订单 {code}，请在“订单”页办理认领、签约等后续步骤")
        self.ctx.events.changed.emit("order")
        self.orderCreated.emit(order_id)
