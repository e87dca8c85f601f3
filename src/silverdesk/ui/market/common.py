"""What the 资源与需求 screens share: dates, pickers for who serves, the category combo, dialogs.

Every modal dialog of these screens is shown through :func:`run_dialog`, so a test can replace
that one function and drive the dialog's widgets instead of a blocking ``exec()``.
"""

from __future__ import annotations

import datetime as dt

from PySide6 import QtCore, QtWidgets

from silverdesk.errors import SilverdeskError
from silverdesk.services.hub import Services
from silverdesk.ui.widgets.person_search import PersonSearch
from silverdesk.ui.widgets.pickers import INDENT, IdCombo
from silverdesk.ui.widgets.record_dialog import message_label

STARS = "★"


def run_dialog(dialog: QtWidgets.QDialog) -> bool:
    """Show ``dialog`` modally; True when the clerk confirmed it (tests replace this function)."""
    return dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted


class FormDialog(QtWidgets.QDialog):
    """A small form with a message line and 确定 / 取消; ``submit()`` is what 确定 does."""

    def __init__(self, title: str, parent: QtWidgets.QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QtWidgets.QFormLayout()
        self.form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message = message_label()
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def fit(self, chars: int) -> None:
        """``chars`` characters wide and tall enough for the wrapped notes."""
        width = self.fontMetrics().horizontalAdvance("汉") * chars
        layout = self.layout()
        height = max(self.sizeHint().height(), layout.totalHeightForWidth(width) if layout is not None else 0)
        self.resize(width, height)

    def refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)

    def submit(self) -> None:  # pragma: no cover - overridden
        self.accept()

    def _attempt(self, action: object) -> bool:
        """Run the service call; a refusal is shown in the dialog, which stays open."""
        try:
            action()  # type: ignore[operator]
        except SilverdeskError as exc:
            self.refuse(exc.message)
            return False
        self.accept()
        return True


def star_text(level: int | None) -> str:
    return f"{STARS * level}（{'一二三四五'[level - 1]}星级）" if level and 1 <= level <= 5 else "未评星"


def date_edit(day: dt.date, latest: dt.date | None = None) -> QtWidgets.QDateEdit:
    """A date field with a calendar, shown as 2026-11-20; ``latest`` caps it (no future steps)."""
    edit = QtWidgets.QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(QtCore.QDate(2000, 1, 1))
    if latest is not None:
        edit.setMaximumDate(QtCore.QDate(latest.year, latest.month, latest.day))
    edit.setDate(QtCore.QDate(day.year, day.month, day.day))
    return edit


def date_of(edit: QtWidgets.QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


class OptionalDate(QtWidgets.QWidget):
    """A tick box and a date: ``value()`` is ``None`` while the box is unticked."""

    def __init__(self, text: str, day: dt.date, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QtWidgets.QCheckBox(text)
        self.edit = date_edit(day)
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)

    def value(self) -> dt.date | None:
        return date_of(self.edit) if self.check.isChecked() else None

    def set_value(self, day: dt.date | None) -> None:
        self.check.setChecked(day is not None)
        if day is not None:
            self.edit.setDate(QtCore.QDate(day.year, day.month, day.day))


def category_items(services: Services) -> list[tuple[int, str, str]]:
    """The 资源/需求类别 tree for an :class:`IdCombo`: each 大类, then its 小项 indented."""
    items: list[tuple[int, str, str]] = []
    for major in services.categories.tree():
        items.append((major.id, major.name, "大类（含其下各小项）"))
        items += [(minor.id, INDENT + minor.name, f"{major.name} / {minor.name}") for minor in major.children]
    return items


class PersonField(QtWidgets.QWidget):
    """One person chosen from the roster by typing; ``value()`` is the id or ``None``.

    Signals:
        idChanged(object): the chosen id changed.
    """

    idChanged = QtCore.Signal(object)

    def __init__(self, services: Services, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._id: int | None = None
        self.search = PersonSearch(services.people)
        self.search.setPlaceholderText("输入姓名或拼音首字母")
        hint = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText())
        self.search.setMinimumWidth(
            hint + self.search.fontMetrics().horizontalAdvance("汉") * 3
        )  # and the clear button
        self.chosen = QtWidgets.QLabel("（未选择）")
        self.clear_button = QtWidgets.QPushButton("清除")
        self.clear_button.setToolTip("不指定人员")
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        self.search.personChosen.connect(lambda pid, _name: self.set_value(pid))
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 2)
        layout.addWidget(self.chosen, 1)
        layout.addWidget(self.clear_button)
        self.setFocusProxy(self.search)

    def value(self) -> int | None:
        return self._id

    def set_value(self, person_id: object) -> None:
        self._id = int(person_id) if isinstance(person_id, int) else None
        name = str(self.services.people.detail(self._id)["name"]) if self._id is not None else ""
        self.chosen.setText(name or "（未选择）")
        self.clear_button.setEnabled(self._id is not None)
        self.idChanged.emit(self._id)


CLAIMER_KINDS = ("服务队", "党组织", "个人")


class ClaimerPicker(QtWidgets.QWidget):
    """Who serves an order: a team, a party organisation or a person (or, optionally, nobody yet)."""

    def __init__(
        self, services: Services, allow_none: bool = True, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.kind = QtWidgets.QComboBox()
        if allow_none:
            self.kind.addItem("暂不指定", "")
        for kind in CLAIMER_KINDS:
            self.kind.addItem(kind, kind)
        self.team = IdCombo(blank="（请选择服务队）")
        self.team.set_items(
            [
                (int(t["id"]), str(t["name"]), f"{t['unit']}，{t['members']}人")  # type: ignore[call-overload]
                for t in services.teams.list()
                if t["status"] == "活跃"
            ]
        )
        self.org = IdCombo(blank="（请选择党组织）")
        self.org.set_items([(int(o["id"]), str(o["name"]), "") for o in services.party_orgs.list()])  # type: ignore[call-overload]
        self.person = PersonField(services)
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(QtWidgets.QLabel("以后认领时再指定"))
        for widget in (self.team, self.org, self.person):
            self.stack.addWidget(widget)
        self.stack.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Maximum)
        self.kind.currentIndexChanged.connect(self._switch)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind)
        layout.addWidget(self.stack, 1)
        self._switch()

    def _switch(self) -> None:
        kind = self.kind.currentData()
        self.stack.setCurrentIndex(0 if not kind else CLAIMER_KINDS.index(kind) + 1)

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))

    def set_value(self, team_id: int | None, person_id: int | None, party_org_id: int | None) -> None:
        if team_id is not None:
            self.set_kind("服务队")
            self.team.set_value(team_id)
        elif party_org_id is not None:
            self.set_kind("党组织")
            self.org.set_value(party_org_id)
        elif person_id is not None:
            self.set_kind("个人")
            self.person.set_value(person_id)

    def problem(self) -> str:
        """What the clerk still has to do before the choice is usable ("" when it is)."""
        kind = self.kind.currentData()
        if kind == "服务队" and self.team.value() is None:
            return "请从列表中选择认领的服务队"
        if kind == "党组织" and self.org.value() is None:
            return "请从列表中选择认领的党组织"
        if kind == "个人" and self.person.value() is None:
            return "请输入姓名并从提示中选择认领人"
        return ""

    def value(self) -> tuple[int | None, int | None, int | None]:
        """(team_id, person_id, party_org_id) — at most one is set."""
        kind = self.kind.currentData()
        return (
            self.team.value() if kind == "服务队" else None,
            self.person.value() if kind == "个人" else None,
            self.org.value() if kind == "党组织" else None,
        )


def card_style() -> str:
    return """
    QFrame#card { background: #ffffff; border: 1px solid #c9ced6; border-radius: 6px; }
    QFrame#card:focus { border: 2px solid #2f6fdd; }
    QFrame#card[selected="true"] { background: #eaf2ff; border: 2px solid #2f6fdd; }
    QLabel#badgeDemand { background: #fdecd2; color: #8a4b00; border-radius: 3px; padding: 0 4px; }
    QLabel#badgeResource { background: #dcf1e1; color: #1d6b34; border-radius: 3px; padding: 0 4px; }
    QLabel#urgent { background: #fbe3e1; color: #b3261e; border-radius: 3px; padding: 0 4px; }
    QLabel#overdue { background: #b3261e; color: #ffffff; border-radius: 3px; padding: 0 4px; }
    QLabel#muted { color: #555d66; }
    """
