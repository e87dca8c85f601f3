"""The full activity form: teams, category, theme, participants or a head-count, attachments.

Like the quick entry it asks 每人时长 (one participant's hours) and shows the 服务时长 it makes with
the head-count; an activity opened and saved with neither changed keeps its stored 服务时长 (which
need not divide evenly: 30 hours among 7 shows as 4.29 each).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtWidgets

from silverdesk.errors import FieldError, SilverdeskError, ValidationError
from silverdesk.services.activities.log import (
    HOURS_EACH,
    HOURS_EACH_LABEL,
    HOURS_EACH_TIP,
    hours_summary,
)
from silverdesk.ui.activities.choosers import PlaceCombo, ThemeCombo, read_day
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.undo import CreateActivityCommand, UpdateCommand
from silverdesk.ui.widgets.form import ERROR_STYLE, FieldForm, editor_values, fill_editors
from silverdesk.ui.widgets.person_search import PersonSearch
from silverdesk.ui.widgets.pickers import LookupCombo, UnitCombo

ATTACH_FILTER = (
    "图片和文件 (*.jpg *.jpeg *.png *.gif *.bmp *.pdf *.doc *.docx *.xls *.xlsx *.wps *.et);;所有文件 (*)"
)


def _line(text: str = "", placeholder: str = "") -> QtWidgets.QLineEdit:
    edit = QtWidgets.QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    return edit


class ActivityDialog(QtWidgets.QDialog):
    """New activity when ``activity_id`` is ``None``, else edit (or delete) it.

    Signals:
        saved(int): the activity's id after a save.
    """

    saved = QtCore.Signal(int)

    def __init__(
        self, ctx: UiContext, activity_id: int | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.activity_id = ctx, activity_id
        self.pending_files: list[Path] = []
        self._stored_hours: tuple[tuple[Any, ...], float] | None = (
            None  # (每人时长 and head-count as shown, 服务时长)
        )
        self.setWindowTitle("登记活动" if activity_id is None else "修改活动")
        self.setSizeGripEnabled(True)
        self._build()
        if activity_id is not None:
            self._load(activity_id)
        self.edits["title"].setFocus()

    def _build(self) -> None:
        services = self.ctx.services
        units = services.units.tree(include_inactive=True)
        form, side = FieldForm(), FieldForm()
        e: dict[str, QtWidgets.QWidget] = {}
        e["occurred_on"] = form.add(
            "occurred_on",
            "活动日期",
            _line(services.ctx.today().isoformat()),
            required=True,
            tip="可填 2026-11-03、2026.11.3 或 20261103",
        )
        e["title"] = form.add("title", "活动名称", _line(), required=True)
        unit = UnitCombo(blank="（未选择）")
        unit.set_units(units)
        e["unit_id"] = form.add("unit_id", "组织单位", unit, tip="不填时按第一个服务队的所属单位")
        category = LookupCombo(blank="（未选择）")
        category.set_lookups(services.lookups.items("activity_category"))
        e["category_id"] = form.add("category_id", "服务领域", category)
        self.place = PlaceCombo(services)
        form.add("place_id", "阵地", self.place, tip="活动所在的阵地；输入名称或所属单位中的几个字筛选")
        e["place_text"] = form.add("place_text", "活动地点", _line(), tip="不在阵地时填写，如 幸福社区广场")
        community = UnitCombo(blank="（未选择）")
        community.set_units(units, ("社区", "村"))
        e["community_id"] = form.add("community_id", "服务社区", community)
        e["sessions"] = form.add("sessions", "场次", _line("1"), tip="默认 1 场")
        e["participants"] = form.add(
            "participants", "参与人次", _line(), tip="选了参与人员且不填时，按人数计"
        )
        e[HOURS_EACH.key] = form.add(HOURS_EACH.key, HOURS_EACH_LABEL, _line(), tip=HOURS_EACH_TIP)
        self.total = QtWidgets.QLabel()
        self.total.setWordWrap(True)
        self.total.setToolTip("报表中的服务时长是全体参与人员的合计（人·小时）")
        form.add("hours", "服务时长合计", self.total)
        e["beneficiaries"] = form.add("beneficiaries", "受益人次", _line(), tip="“约200”“200余人”也可以")
        self.theme = ThemeCombo(services)
        form.add("theme_id", "月度主题", self.theme, tip="默认为活动日期所在月份的主题（设置 › 月度主题）")
        self.theme.follow(read_day(e["occurred_on"].text()))  # type: ignore[attr-defined]
        e["occurred_on"].textChanged.connect(lambda text: self.theme.follow(read_day(text)))  # type: ignore[attr-defined]
        self.teams = QtWidgets.QListWidget()
        for t in services.teams.list():
            item = QtWidgets.QListWidgetItem(str(t["name"]))
            item.setData(QtCore.Qt.ItemDataRole.UserRole, t["id"])
            item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.CheckState.Unchecked)
            self.teams.addItem(item)
        self.teams.setToolTip("勾选参加的服务队（空格键勾选）")
        self.teams.setMaximumHeight(self.fontMetrics().height() * 9 + 12)
        side.add("team_ids", "服务队", self.teams)
        self.person = PersonSearch(services.people)
        self.people = QtWidgets.QListWidget()
        self.people.setToolTip("选中后按 Delete 删除")
        self.people.setMaximumHeight(self.fontMetrics().height() * 6 + 12)
        people_box = QtWidgets.QWidget()
        box = QtWidgets.QVBoxLayout(people_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.person)
        box.addWidget(self.people)
        side.add("participant_ids", "参与人员", people_box, tip="知道姓名时逐个加入；不知道时只填参与人次")
        self.person.personChosen.connect(self._add_person)
        for signal in (e["participants"].textChanged, e[HOURS_EACH.key].textChanged):  # type: ignore[attr-defined]
            signal.connect(lambda _t: self._show_total())
        self.people.model().rowsInserted.connect(lambda *_a: self._show_total())
        self.people.model().rowsRemoved.connect(lambda *_a: self._show_total())
        self.files = QtWidgets.QListWidget()
        self.files.setMaximumHeight(self.fontMetrics().height() * 4 + 12)
        attach = QtWidgets.QPushButton("添加附件…")
        attach.setToolTip("照片、签到表等，单个不超过 20 MB；保存在数据库里，随备份一起保存")
        attach.clicked.connect(self._choose_files)
        files_box = QtWidgets.QWidget()
        fbox = QtWidgets.QVBoxLayout(files_box)
        fbox.setContentsMargins(0, 0, 0, 0)
        fbox.addWidget(self.files)
        fbox.addWidget(attach, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        side.add("attachments", "附件", files_box)
        self.description = QtWidgets.QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().height() * 4 + 16)
        self.edits, self.form, self.side = e, form, side
        columns = QtWidgets.QHBoxLayout()
        columns.addWidget(form, 1)
        columns.addSpacing(16)
        columns.addWidget(side, 1)
        self.message = QtWidgets.QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        buttons = QtWidgets.QDialogButtonBox()
        save = buttons.addButton("保存", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        save.setShortcut("Ctrl+S")
        save.setToolTip("保存（Ctrl+S）")
        if self.activity_id is not None:
            delete = buttons.addButton("删除此活动", QtWidgets.QDialogButtonBox.ButtonRole.DestructiveRole)
            delete.setToolTip("录错时删除；操作日志会保留原来的全部内容")
            delete.clicked.connect(self._delete)
        buttons.addButton("取消", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(QtWidgets.QLabel("活动内容"))
        layout.addWidget(self.description)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().horizontalAdvance("汉") * 60, self.sizeHint().height())

    # --- data ----------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        raw: dict[str, Any] = editor_values(self.edits)
        raw["description"] = self.description.toPlainText()
        raw["theme_id"] = self.theme.value()
        raw["place_id"] = self.place.value()
        raw["team_ids"] = [
            self.teams.item(i).data(QtCore.Qt.ItemDataRole.UserRole)
            for i in range(self.teams.count())
            if self.teams.item(i).checkState() == QtCore.Qt.CheckState.Checked
        ]
        raw["participant_ids"] = [
            self.people.item(i).data(QtCore.Qt.ItemDataRole.UserRole) for i in range(self.people.count())
        ]
        self._keep_stored_hours(raw)
        if raw["unit_id"] is None and raw["team_ids"]:
            raw["unit_id"] = self.ctx.services.teams.get(raw["team_ids"][0])["unit_id"]
        return raw

    def _load(self, activity_id: int) -> None:
        data = self.ctx.services.activities.detail(activity_id)
        hours, count = float(data.get("hours") or 0), int(data.get("participants") or 0)  # type: ignore[call-overload]
        data[HOURS_EACH.key] = round(hours / count, 2) if hours and count else None
        self.place.refresh(keep=data.get("place_id"))  # type: ignore[arg-type]
        self.theme.load(data.get("occurred_on"), data.get("theme_id"))  # type: ignore[arg-type]
        fill_editors(self.edits, data)
        self.description.setPlainText(str(data.get("description") or ""))
        chosen = list(data.get("team_ids") or [])  # type: ignore[call-overload]
        for i in range(self.teams.count() - 1, -1, -1):  # the chosen teams move to the top, in view
            if self.teams.item(i).data(QtCore.Qt.ItemDataRole.UserRole) in chosen:
                item = self.teams.takeItem(i)
                item.setCheckState(QtCore.Qt.CheckState.Checked)
                self.teams.insertItem(0, item)
        for row in self.ctx.services.people.rows_by_ids(list(data.get("participant_ids") or [])):  # type: ignore[call-overload]
            self._add_person(row.id, row.name)
        self._stored_hours = (self._hours_shown(), hours)
        self._show_total()
        for _aid, name, size in data.get("attachments") or []:  # type: ignore[attr-defined]
            self.files.addItem(f"{name}（{max(1, size // 1024)} KB）")

    # --- actions -------------------------------------------------------------------------------
    def save(self) -> None:
        raw = self.values()
        acts = self.ctx.services.activities
        try:
            if self.activity_id is None:
                self.activity_id = acts.create(raw)
                self.ctx.undo.push(
                    CreateActivityCommand(
                        acts, self.activity_id, raw, f"登记活动 {raw['title'].strip()}", self.ctx.events
                    )
                )
            else:
                changes = acts.update(self.activity_id, raw)
                if changes:
                    self.ctx.undo.push(
                        UpdateCommand(
                            acts,
                            self.activity_id,
                            changes,
                            f"修改活动 {raw['title'].strip()}",
                            self.ctx.events,
                        )
                    )
            for path in self.pending_files:
                acts.attach(self.activity_id, path)
                self.pending_files = self.pending_files[1:]
        except ValidationError as exc:
            self._show(exc.errors)
            return
        except SilverdeskError as exc:
            self._show([FieldError("", exc.message)])
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.ctx.events.changed.emit("activity")
        self.ctx.notify(self.parentWidget(), f"已保存活动：{raw['title'].strip()}（Ctrl+Z 可撤销）")
        self.saved.emit(self.activity_id)
        self.accept()

    def _hours_shown(self) -> tuple[Any, ...]:
        """What the 服务时长 follows from: 每人时长, 参与人次 and the participants, as on the form now."""
        return (
            self.edits[HOURS_EACH.key].text().strip(),
            self.edits["participants"].text().strip(),  # type: ignore[attr-defined]
            tuple(
                self.people.item(i).data(QtCore.Qt.ItemDataRole.UserRole) for i in range(self.people.count())
            ),
        )

    def _keep_stored_hours(self, raw: dict[str, Any]) -> None:
        """An activity whose 每人时长 and head-count were left as loaded keeps its stored 服务时长;
        emptied 每人时长 empties it; otherwise the service computes it from 每人时长 × 参与人次."""
        if self._stored_hours is None:
            return
        shown, stored = self._stored_hours
        if self._hours_shown() == shown:
            raw.pop(HOURS_EACH.key, None)
            raw["hours"] = stored
        elif not str(raw.get(HOURS_EACH.key) or "").strip():
            raw["hours"] = ""

    def _show_total(self) -> None:
        raw: dict[str, Any] = {
            "participants": self.edits["participants"].text(),  # type: ignore[attr-defined]
            HOURS_EACH.key: self.edits[HOURS_EACH.key].text(),  # type: ignore[attr-defined]
            "participant_ids": self._hours_shown()[2],
        }
        self._keep_stored_hours(raw)
        self.total.setText(hours_summary(raw) or "（填写每人时长后自动计算）")

    def _show(self, errors: list[FieldError]) -> None:
        main = [e for e in errors if e.field in self.form.errors]
        side = [e for e in errors if e.field in self.side.errors]
        self.form.show_errors(main)
        self.side.show_errors(side)
        rest = [e.message for e in errors if e not in main and e not in side]
        self.message.setText("\n".join(rest))
        self.message.setVisible(bool(rest))

    def _add_person(self, person_id: int, name: str) -> None:
        for i in range(self.people.count()):
            if self.people.item(i).data(QtCore.Qt.ItemDataRole.UserRole) == person_id:
                return
        item = QtWidgets.QListWidgetItem(name)
        item.setData(QtCore.Qt.ItemDataRole.UserRole, person_id)
        self.people.addItem(item)

    def _choose_files(self) -> None:
        paths = self.ctx.ask_open_paths(self, "选择附件", self.ctx.state.last_folder(), ATTACH_FILTER)
        for p in paths:
            path = Path(p)
            self.pending_files.append(path)
            self.files.addItem(f"{path.name}（保存时添加）")
            self.ctx.state.set_last_folder(str(path.parent))

    def _delete(self) -> None:
        if self.activity_id is None:
            return
        title = self.values()["title"].strip()
        if not self.ctx.confirm(self, "删除活动", f"确定删除活动“{title}”吗？\n操作日志会保留原内容。"):
            return
        try:
            self.ctx.services.activities.delete(self.activity_id, "在表单中删除")
        except SilverdeskError as exc:
            show_error(self, exc)
            return
        self.ctx.events.changed.emit("activity")
        self.ctx.notify(self.parentWidget(), f"已删除活动：{title}")
        self.accept()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == QtCore.Qt.Key.Key_Delete and self.people.hasFocus():
            for item in self.people.selectedItems():
                self.people.takeItem(self.people.row(item))
            return
        super().keyPressEvent(event)
