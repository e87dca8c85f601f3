"""Pick a person from the roster by typing a name, pinyin initials, or digits of an ID or phone."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from silverdesk.services.people.roster import PeopleService, PersonRow
from silverdesk.ui.widgets.completion import fit_popup

DEBOUNCE_MS = 150
LIMIT = 20
PersonIdRole = QtCore.Qt.ItemDataRole.UserRole + 2


def describe(row: PersonRow) -> str:
    year = f" {row.birth_date.year}年生" if row.birth_date else ""
    return f"{row.name}（{row.gender or '—'}{year}，{row.unit or '未定单位'}）"


class PersonSearch(QtWidgets.QLineEdit):
    """A line edit with a completer fed by ``PeopleService.search`` as the clerk types.

    Enter chooses the suggestion picked with the arrow keys, or else the first (best) match; a
    click on a suggestion chooses it too.  The field is cleared after a choice so the next one can be typed.

    Signals:
        personChosen(int, str): id and name of the chosen person.
        emptyEnter(): Enter was pressed with nothing typed (a form may take it as "save").
    """

    personChosen = QtCore.Signal(int, str)
    emptyEnter = QtCore.Signal()

    def __init__(self, people: PeopleService, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.people = people
        self.setPlaceholderText("输入姓名、拼音首字母或身份证/电话号码的几位")
        self.setClearButtonEnabled(True)
        self.model = QtGui.QStandardItemModel(self)
        self.completer_ = QtWidgets.QCompleter(self.model, self)
        self.completer_.setCompletionMode(QtWidgets.QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setWidget(self)
        self.completer_.activated[QtCore.QModelIndex].connect(self._chosen_index)
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self.textEdited.connect(lambda _t: self._timer.start())
        self.returnPressed.connect(self._enter)  # reached only with nothing typed (see keyPressEvent)

    def refresh(self) -> None:
        """Run the search now (the debounce timer calls this)."""
        self._timer.stop()
        query = self.text().strip()
        self.model.clear()
        if not query:
            self.completer_.popup().hide()
            return
        texts = []
        for row in self.people.search(query, limit=LIMIT):
            texts.append(describe(row))
            item = QtGui.QStandardItem(texts[-1])
            item.setData(row.id, PersonIdRole)
            item.setData(row.name, QtCore.Qt.ItemDataRole.UserRole)
            self.model.appendRow(item)
        fit_popup(self.completer_, texts)  # the unit tells two people of the same name apart: show it whole
        if self.model.rowCount() and self.hasFocus():
            self.completer_.complete()

    def pending(self) -> bool:
        """True when text is typed that has not yet become a chosen person."""
        return bool(self.text().strip())

    def _enter(self) -> None:
        if not self.text().strip():
            self.emptyEnter.emit()
            return
        if self._timer.isActive() or not self.model.rowCount():
            self.refresh()
        popup = self.completer_.popup()
        if popup.isVisible() and popup.currentIndex().isValid():
            self._chosen_index(popup.currentIndex())  # the suggestion picked with the arrow keys
        elif self.model.rowCount():
            self._chosen_index(self.model.index(0, 0))  # the best match

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        """Enter with text typed picks a person and stops there: a dialog's default button must not fire."""
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter) and self.pending():
            self._enter()
            event.accept()
            return
        super().keyPressEvent(event)

    def _chosen_index(self, index: QtCore.QModelIndex) -> None:
        person_id = index.data(PersonIdRole)
        if person_id is None:
            return
        name = index.data(QtCore.Qt.ItemDataRole.UserRole)
        self.completer_.popup().hide()
        self.clear()
        self.model.clear()
        self.personChosen.emit(int(person_id), str(name))
