"""Undo of the clerk's last edits: commands that ask the service to put the old values back.

``CrudService.update`` returns ``{field: [old, new]}``; undo writes the olds, redo the news,
through the same validated, audited service call as any edit.  A created activity is undone
by deleting it (activities may be deleted; people never are, so their creation is not undoable).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6 import QtCore, QtGui

from silverdesk.errors import SilverdeskError
from silverdesk.services.activities.log import ActivityService
from silverdesk.services.base import CrudService
from silverdesk.ui.errors import show_error


class DataEvents(QtCore.QObject):
    """Signals:
    changed(str): records of this entity ("person", "activity", "team", "party_org" …) changed.
    """

    changed = QtCore.Signal(str)


class UpdateCommand(QtGui.QUndoCommand):
    """An edit already saved; pushing it does not save again."""

    def __init__(
        self,
        service: CrudService[Any],
        record_id: int,
        changes: Mapping[str, Sequence[object]],
        text: str,
        events: DataEvents,
    ) -> None:
        super().__init__(text)
        keys = {s.key for s in service.specs}
        self.service, self.record_id, self.events = service, record_id, events
        self.old = {k: v[0] for k, v in changes.items() if k in keys}
        self.new = {k: v[1] for k, v in changes.items() if k in keys}
        self._saved = True  # the first redo() (from push) must not write again

    def redo(self) -> None:
        if self._saved:
            self._saved = False
            return
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)

    def _apply(self, values: Mapping[str, object]) -> None:
        try:
            self.service.update(self.record_id, dict(values))
        except SilverdeskError as exc:
            self.setObsolete(True)
            show_error(None, exc)
        self.events.changed.emit(self.service.entity)


class CreateActivityCommand(QtGui.QUndoCommand):
    """A newly recorded activity: undo deletes it, redo records it again (with a new id)."""

    def __init__(
        self,
        service: ActivityService,
        record_id: int,
        raw: Mapping[str, Any],
        text: str,
        events: DataEvents,
        on_recreated: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(text)
        self.service, self.record_id, self.raw, self.events = service, record_id, dict(raw), events
        self.on_recreated = on_recreated
        self._saved = True

    def redo(self) -> None:
        if self._saved:
            self._saved = False
            return
        try:
            self.record_id = self.service.create(self.raw)
        except SilverdeskError as exc:
            self.setObsolete(True)
            show_error(None, exc)
        self.events.changed.emit("activity")

    def undo(self) -> None:
        try:
            self.service.delete(self.record_id, "撤销录入")
        except SilverdeskError as exc:
            self.setObsolete(True)
            show_error(None, exc)
        self.events.changed.emit("activity")


class SavedChangeCommand(QtGui.QUndoCommand):
    """A change already saved through a service (a list entry renamed, a unit retired …): undo calls
    ``undo_fn``, redo calls ``redo_fn`` again; both emit ``entity`` changed.

    It refers to services and the data events only, never to a widget: the undo stack outlives the
    screens (and a widget kept alive by a command would outlive its C++ half)."""

    def __init__(
        self,
        text: str,
        redo_fn: Callable[[], object],
        undo_fn: Callable[[], object],
        events: DataEvents,
        entity: str,
    ) -> None:
        super().__init__(text)
        self.redo_fn, self.undo_fn, self.events, self.entity = redo_fn, undo_fn, events, entity
        self._saved = True  # push() calls redo(): the change is already written

    def redo(self) -> None:
        if self._saved:
            self._saved = False
            return
        self._run(self.redo_fn)

    def undo(self) -> None:
        self._run(self.undo_fn)

    def _run(self, fn: Callable[[], object]) -> None:
        try:
            fn()
        except SilverdeskError as exc:
            self.setObsolete(True)
            show_error(None, exc)
        self.events.changed.emit(self.entity)
