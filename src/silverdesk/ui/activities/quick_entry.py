"""快速登记: one line to record an activity reported by phone, keyboard only.

Tab moves through the fields (and takes the suggestion offered), Enter saves and starts the next
entry with the date, team, category, theme and place of the previous one kept.  The 月度主题 is the
theme of the date's month until the clerk chooses another; 阵地 picks one of the open places.  The clerk gives each
participant's hours (每人时长); the 服务时长 stored is that × the head-count, shown as it is typed.
A likely duplicate (same day, same title, same team) is shown and needs a second Enter.  Ctrl+Z
undoes the last entry (it is deleted).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

from PySide6 import QtCore, QtWidgets

from silverdesk.errors import FieldError, SilverdeskError, ValidationError
from silverdesk.services.activities.log import (
    ACTIVITY_SPECS,
    HOURS_EACH,
    HOURS_EACH_LABEL,
    HOURS_EACH_TIP,
    hours_summary,
)
from silverdesk.ui.activities.choosers import PlaceCombo, ThemeCombo, read_day
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.undo import CreateActivityCommand
from silverdesk.ui.widgets.completion import word_completer
from silverdesk.ui.widgets.form import ERROR_STYLE
from silverdesk.ui.widgets.person_search import PersonSearch
from silverdesk.ui.widgets.pickers import LookupCombo

LABELS = {s.key: s.label for s in ACTIVITY_SPECS} | {
    "team_ids": "服务队",
    "participant_ids": "参与人员",
    HOURS_EACH.key: HOURS_EACH.label,
}
_SHORT_DATE = re.compile(r"^(\d{1,2})[.\-/月](\d{1,2})日?$")


def expand_short_date(text: str, today: dt.date) -> str:
    """ "11.3" or "11月3日" means this year (last year if that would be in the future)."""
    m = _SHORT_DATE.match(text.strip())
    if not m:
        return text
    month, day = int(m.group(1)), int(m.group(2))
    try:
        value = dt.date(today.year, month, day)
    except ValueError:
        return text
    if value > today:
        value = value.replace(year=today.year - 1)
    return value.isoformat()


class QuickEntry(QtWidgets.QGroupBox):
    """Signals:
    recorded(int): an activity was saved (its id).
    """

    recorded = QtCore.Signal(int)

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("快速登记（Tab 换栏，Enter 保存并开始下一条）", parent)
        self.ctx = ctx
        self._confirmed_duplicate: tuple[Any, ...] | None = None
        self.people: list[tuple[int, str]] = []
        self.teams: dict[str, int] = {}
        self.date = QtWidgets.QLineEdit(ctx.services.ctx.today().isoformat())
        self.date.setToolTip("活动日期：可写 2026-11-03、11.3 或 11月3日（指今年）")
        self.team = QtWidgets.QLineEdit()
        self.team.setToolTip("服务队：输入名称中的几个字，从提示中选择（↓ 键选中，Enter 确定）")
        self.title_edit = QtWidgets.QLineEdit()
        self.category = LookupCombo(blank="")
        self.category.setToolTip("服务领域；可输入几个字选择")
        self.theme = ThemeCombo(ctx.services)
        self.place_pick = PlaceCombo(ctx.services)
        self.place = QtWidgets.QLineEdit()
        self.place.setToolTip("不在阵地时填写活动地点")
        self.person = PersonSearch(ctx.services.people)
        self.person.setPlaceholderText("姓名或拼音")
        self.person.setToolTip(
            "输入姓名或拼音首字母，Enter 加入，退格键删去最后一人；不知道姓名时只填人数即可"
        )
        self.participants = QtWidgets.QLineEdit()
        self.participants.setToolTip("参与人次；填了参与人员时可不填（按人数计）")
        self.hours = QtWidgets.QLineEdit()
        self.hours.setToolTip(HOURS_EACH_TIP)
        self.beneficiaries = QtWidgets.QLineEdit()
        self.beneficiaries.setToolTip("受益群众人次；“约200”“200余人”也可以")
        self.total = QtWidgets.QLabel()
        self.total.setToolTip("报表中的服务时长是全体参与人员的合计（人·小时）")
        self.people_label = QtWidgets.QLabel()
        self.people_label.setWordWrap(True)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.save_button = QtWidgets.QPushButton("保存")
        self.save_button.setToolTip("保存这条活动（Enter）")
        self.save_button.clicked.connect(self.submit)
        self.refresh_lists()

        char = self.fontMetrics().horizontalAdvance("汉")
        for edit, width in ((self.date, 7), (self.participants, 4), (self.hours, 6), (self.beneficiaries, 5)):
            edit.setMaximumWidth(char * width + 24)
        for widget, width in ((self.theme, 14), (self.place, 14)):
            widget.setMinimumWidth(char * width + 24)  # a month's theme reads whole
        grid = QtWidgets.QGridLayout()
        grid.setVerticalSpacing(2)
        fields = (
            ("活动日期", self.date, 0),
            ("服务队", self.team, 3),
            ("活动名称", self.title_edit, 4),
            ("服务领域", self.category, 2),
            ("阵地", self.place_pick, 2),
            ("参与人员", self.person, 2),
            ("参与人次", self.participants, 0),
            (HOURS_EACH_LABEL, self.hours, 0),
            ("受益人次", self.beneficiaries, 0),
        )
        for column, (text, widget, stretch) in enumerate(fields):
            label = QtWidgets.QLabel(text)
            label.setBuddy(widget)
            label.setToolTip(widget.toolTip())
            grid.addWidget(label, 0, column)
            grid.addWidget(widget, 1, column)
            grid.setColumnStretch(column, stretch)
        grid.addWidget(self.save_button, 1, len(fields))
        hours_column = next(i for i, field in enumerate(fields) if field[1] is self.hours)
        grid.addWidget(
            self.total,
            2,
            hours_column - 2,
            1,
            len(fields) - hours_column + 3,
            QtCore.Qt.AlignmentFlag.AlignRight,
        )
        grid.addWidget(self.people_label, 3, 0, 1, hours_column - 2)
        second = QtWidgets.QHBoxLayout()  # what usually stays as it is: the month's theme, a place elsewhere
        second.setContentsMargins(0, 0, 0, 0)
        for text, widget in (("月度主题", self.theme), ("其他地点", self.place)):
            label = QtWidgets.QLabel(text)
            label.setBuddy(widget)
            label.setToolTip(widget.toolTip())
            second.addWidget(label)
            second.addWidget(widget, 1)
            second.addSpacing(12)
        second.addStretch(1)
        grid.addLayout(second, 2, 0, 1, hours_column - 2)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        self.people_label.setVisible(False)
        order = [
            self.date,
            self.team,
            self.title_edit,
            self.category,
            self.place_pick,
            self.place,  # 其他地点, when not at a 阵地
            self.person,
            self.participants,
            self.hours,
            self.beneficiaries,
            self.theme,  # rarely changed: the month's theme
            self.save_button,
        ]
        for a, b in itertools.pairwise(order):
            QtWidgets.QWidget.setTabOrder(a, b)
        for edit in (
            self.date,
            self.team,
            self.title_edit,
            self.place,
            self.participants,
            self.hours,
            self.beneficiaries,
        ):
            edit.returnPressed.connect(self.submit)
        for combo in (self.category, self.theme, self.place_pick):
            combo.lineEdit().returnPressed.connect(self.submit)
        self.date.textChanged.connect(self._follow_date)
        self._follow_date(self.date.text())
        self.person.personChosen.connect(self._add_person)
        self.person.emptyEnter.connect(self.submit)
        self.person.installEventFilter(self)
        for edit in (
            self.date,
            self.team,
            self.title_edit,
            self.participants,
            self.hours,
            self.beneficiaries,
        ):
            edit.textEdited.connect(lambda _t: self._reset_duplicate())
        for edit in (self.participants, self.hours):
            edit.textChanged.connect(lambda _t: self._show_total())

    def refresh_lists(self) -> None:
        """Reload the completion lists (teams, titles, places, categories)."""
        services = self.ctx.services
        self.teams = {t["name"]: int(t["id"]) for t in services.teams.list()}  # type: ignore[call-overload]
        word_completer(self.team, list(self.teams))
        word_completer(
            self.title_edit, services.activities.recent_titles(), tab_accepts=False
        )  # a new title is typed whole
        word_completer(self.place, services.activities.place_names())
        self.category.set_lookups(services.lookups.items("activity_category"))
        self.place_pick.refresh()
        self.theme.refresh()

    # --- entry ---------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        raw: dict[str, Any] = {
            "occurred_on": expand_short_date(self.date.text(), self.ctx.services.ctx.today()),
            "title": self.title_edit.text(),
            "category_id": self.category.value(),
            "theme_id": self.theme.value(),
            "place_id": self.place_pick.value(),
            "place_text": self.place.text(),
            "participants": self.participants.text(),
            HOURS_EACH.key: self.hours.text(),
            "beneficiaries": self.beneficiaries.text(),
        }
        if self.people:
            raw["participant_ids"] = [pid for pid, _ in self.people]
            if not self.participants.text().strip():
                raw.pop("participants")
        team_name = self.team.text().strip()
        if team_name:
            raw["team_ids"] = [self.teams[team_name]] if team_name in self.teams else []
        return raw

    def submit(self) -> None:
        """Save the entry (Enter); a second Enter confirms a likely duplicate."""
        if self.person.pending():
            return  # Enter in the people field picks a person first
        if self._choosing():
            return  # Enter picks the highlighted suggestion; the next Enter saves
        team_name = self.team.text().strip()
        if team_name and team_name not in self.teams:
            self._say(
                [FieldError("team_ids", f"没有名为“{team_name}”的服务队，请从提示中选择，或到“队伍”里新建")],
                self.team,
            )
            return
        for combo, key, what in ((self.theme, "theme_id", "月度主题"), (self.place_pick, "place_id", "阵地")):
            if combo.has_unknown_text():
                self._say(
                    [FieldError(key, f"{what}“{combo.currentText()}”不在列表中，请从提示中选择")], combo
                )
                return
        if self.category.has_unknown_text():
            self._say(
                [
                    FieldError(
                        "category_id", f"服务领域“{self.category.currentText()}”不在列表中，请从提示中选择"
                    )
                ],
                self.category,
            )
            return
        raw = self.values()
        services = self.ctx.services
        team_ids = raw.get("team_ids", [])
        if team_ids:
            raw["unit_id"] = services.teams.get(team_ids[0])["unit_id"]
        try:
            cleaned = services.activities.clean(raw)
            key = (cleaned["occurred_on"], cleaned["title"], tuple(team_ids))
            if key != self._confirmed_duplicate:
                dups = services.activities.likely_duplicates(
                    cleaned["occurred_on"],
                    str(cleaned["title"]),  # type: ignore[arg-type]
                    team_ids,
                )
                if dups:
                    self._confirmed_duplicate = key
                    self._warn(
                        f"可能重复：{cleaned['occurred_on']} 已有 {len(dups)} 条同名活动"
                        f"{'（同一服务队）' if team_ids else ''}。确认不是重复请再按 Enter 保存，否则请修改。"
                    )
                    return
            activity_id = services.activities.create(raw)
        except ValidationError as exc:
            self._say(exc.errors, None)
            return
        except SilverdeskError as exc:
            self._say([FieldError("", exc.message)], None)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        title = raw["title"].strip()
        self.ctx.undo.push(
            CreateActivityCommand(services.activities, activity_id, raw, f"登记活动 {title}", self.ctx.events)
        )
        self.ctx.events.changed.emit("activity")
        self.ctx.notify(self, f"已登记：{cleaned['occurred_on']} {title}（Ctrl+Z 可撤销）")
        self.date.setText(str(cleaned["occurred_on"]))  # "11.3" becomes the date it meant
        self.recorded.emit(activity_id)
        self._next_entry()

    # --- private -------------------------------------------------------------------------------
    def _choosing(self) -> bool:
        """True while a suggestion list is open with an entry highlighted (hides lists left open)."""
        choosing = False
        combos = (self.category, self.theme, self.place_pick)
        for edit in (self.team, self.title_edit, self.place, *(c.lineEdit() for c in combos)):
            completer = edit.completer()
            if completer is not None and completer.popup().isVisible():
                if completer.popup().currentIndex().isValid():
                    choosing = True
                else:
                    completer.popup().hide()
        return choosing

    def _next_entry(self) -> None:
        """Keep date, team, category, theme and place; clear the rest; start at the title."""
        for edit in (self.title_edit, self.participants, self.hours, self.beneficiaries):
            edit.clear()
        self.people.clear()
        self._show_people()
        self._reset_duplicate()
        self.message.setVisible(False)
        self.title_edit.setFocus()

    def _follow_date(self, text: str) -> None:
        """The 月度主题 follows the date typed (11.3 means this year) unless the clerk chose another."""
        self.theme.follow(read_day(expand_short_date(text, self.ctx.services.ctx.today())))

    def _add_person(self, person_id: int, name: str) -> None:
        if all(pid != person_id for pid, _ in self.people):
            self.people.append((person_id, name))
        self._show_people()

    def _show_people(self) -> None:
        names = "、".join(n for _, n in self.people)
        self.people_label.setText(f"参与人员（{len(self.people)}人）：{names}" if self.people else "")
        self.people_label.setVisible(bool(self.people))
        self.participants.setPlaceholderText(f"{len(self.people)}（按人员）" if self.people else "")
        self._show_total()

    def _show_total(self) -> None:
        self.total.setText(hours_summary(self.values()))

    def _reset_duplicate(self) -> None:
        self._confirmed_duplicate = None

    def _warn(self, text: str) -> None:
        self.message.setStyleSheet("color: #8a5300;")
        self.message.setText(text)
        self.message.setVisible(True)

    def _say(self, errors: list[FieldError], focus: QtWidgets.QWidget | None) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(
            "\n".join(
                f"{LABELS.get(e.field, '')}：{e.message}" if e.field in LABELS else e.message for e in errors
            )
        )
        self.message.setVisible(True)
        targets = {
            "occurred_on": self.date,
            "title": self.title_edit,
            "category_id": self.category,
            "participants": self.participants,
            "hours": self.hours,
            HOURS_EACH.key: self.hours,
            "beneficiaries": self.beneficiaries,
            "team_ids": self.team,
            "place_text": self.place,
            "theme_id": self.theme,
            "place_id": self.place_pick,
        }
        widget = focus or next((targets[e.field] for e in errors if e.field in targets), None)
        if widget is not None:
            widget.setFocus()

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        """Backspace in the empty people field removes the last person added."""
        if (
            watched is self.person
            and event.type() == QtCore.QEvent.Type.KeyPress
            and event.key() == QtCore.Qt.Key.Key_Backspace
            and not self.person.text()
            and self.people
        ):  # type: ignore[attr-defined]
            self.people.pop()
            self._show_people()
            return True
        return super().eventFilter(watched, event)
