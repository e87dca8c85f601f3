"""The person form (离退休干部信息): new or edit, with messages beside each field."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtWidgets

from silverdesk.domain import enums
from silverdesk.domain.idcard import IdNumberError, parse_id_number
from silverdesk.domain.text import clean_digits
from silverdesk.errors import Conflict, FieldError, SilverdeskError, ValidationError
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.undo import UpdateCommand
from silverdesk.ui.widgets.form import ERROR_STYLE, FieldForm, editor_values, fill_editors
from silverdesk.ui.widgets.pickers import ChoiceCombo, UnitCombo

DATE_TIP = "可填 1956-03-01、1956.3.1、19560301 或 1956年3月1日"
TEXT_FIELDS = (
    "name",
    "id_number",
    "birth_date",
    "ethnicity",
    "education",
    "retired_on",
    "former_employer",
    "former_post",
    "phone",
    "address",
    "registered_on",
    "health",
    "community_roles",
    "talents",
)


def _line(placeholder: str = "") -> QtWidgets.QLineEdit:
    edit = QtWidgets.QLineEdit()
    edit.setPlaceholderText(placeholder)
    return edit


def _editable(choices: list[str]) -> QtWidgets.QComboBox:
    combo = QtWidgets.QComboBox()
    combo.setEditable(True)
    combo.addItems(["", *choices])
    combo.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
    return combo


class PersonDialog(QtWidgets.QDialog):
    """New person when ``person_id`` is ``None``, else edit that person.

    Signals:
        saved(int): the person's id after a successful save.
    """

    saved = QtCore.Signal(int)

    def __init__(
        self, ctx: UiContext, person_id: int | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.setWindowTitle("新增人员" if person_id is None else "修改人员信息")
        self.setSizeGripEnabled(True)
        self._build()
        if person_id is not None:
            self._load(person_id)
        self.edits["name"].setFocus()

    # --- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        people_units = self.ctx.services.units.tree(include_inactive=True)
        lookups = self.ctx.services.lookups
        self.left, self.right = FieldForm(), FieldForm()
        e: dict[str, QtWidgets.QWidget] = {}
        e["name"] = self.left.add(
            "name", "姓名", _line(), required=True, tip="填写全名；生僻字可用输入法的“生僻字”功能输入"
        )
        e["id_number"] = self.left.add(
            "id_number", "身份证号", _line("18位，末位可为X"), tip="填好18位后自动带出出生日期和性别"
        )
        e["gender"] = self.left.add("gender", "性别", ChoiceCombo(enums.GENDERS))
        e["birth_date"] = self.left.add("birth_date", "出生日期", _line("如 1956-03-01"), tip=DATE_TIP)
        e["ethnicity"] = self.left.add("ethnicity", "民族", _editable(list(enums.ETHNICITIES_COMMON)))
        e["political_status"] = self.left.add(
            "political_status", "政治面貌", _editable(list(enums.POLITICAL_STATUSES))
        )
        e["education"] = self.left.add(
            "education", "文化程度", _editable(list(enums.EDUCATION_LEVELS)), tip="如 大学本科、大专、高中"
        )
        e["phone"] = self.left.add(
            "phone", "联系电话", _line("手机或座机"), tip="手机11位；座机可带区号，如 0632-1234567"
        )
        e["address"] = self.left.add("address", "家庭住址", _line())
        e["health"] = self.left.add("health", "健康状况", _editable(["良好", "一般", "较差"]))
        e["retirement_type"] = self.right.add(
            "retirement_type", "离休/退休", ChoiceCombo(enums.RETIREMENT_TYPES)
        )
        e["retired_on"] = self.right.add("retired_on", "离退休时间", _line("如 2016-03"), tip=DATE_TIP)
        e["former_employer"] = self.right.add("former_employer", "原工作单位", _line())
        e["former_post"] = self.right.add("former_post", "原职务", _line())
        e["rank"] = self.right.add("rank", "职级", _editable(lookups.names("rank")))
        unit = UnitCombo(blank="（未选择）")
        unit.set_units(people_units)
        e["unit_id"] = self.right.add(
            "unit_id", "所属单位", unit, tip="负责报送此人信息的单位；可输入名称中的字查找"
        )
        community = UnitCombo(blank="（未选择）")
        community.set_units(people_units, ("社区", "村"))
        e["community_id"] = self.right.add(
            "community_id",
            "居住社区",
            community,
            tip="迁往其他社区时，原社区的报到记为截止，自当天起在新社区报到（另填报到时间的按所填）",
        )
        e["registered_on"] = self.right.add(
            "registered_on",
            "社区报到时间",
            _line("未报到可不填"),
            tip=f"{DATE_TIP}；清空即记为今天起不再报到，以往各期报表照旧计入",
        )
        roles = "、".join(lookups.names("community_role"))
        e["community_roles"] = self.right.add(
            "community_roles",
            "社区任职",
            _line("现任职务，多项用顿号分隔"),
            tip=f"可选：{roles}。新填的自今天起任职；删去的记为今天卸任，以往各期报表照旧计入",
        )
        talents = "、".join(lookups.names("talent_category"))
        e["talents"] = self.right.add(
            "talents", "人才库类别", _line("多项用顿号分隔"), tip=f"可选：{talents}"
        )
        notes = QtWidgets.QPlainTextEdit()
        notes.setTabChangesFocus(True)
        notes.setFixedHeight(self.fontMetrics().height() * 3 + 16)
        self.edits = e
        self.notes = notes

        columns = QtWidgets.QHBoxLayout()
        columns.addWidget(self.left, 1)
        columns.addSpacing(16)
        columns.addWidget(self.right, 1)
        self.message = QtWidgets.QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.status_note = QtWidgets.QLabel()
        self.status_note.setVisible(False)
        buttons = QtWidgets.QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setToolTip("保存（Ctrl+S）")
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setDefault(True)
        buttons.addButton("取消", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        if self.person_id is not None:
            self.profile_button = buttons.addButton(
                "一人一档…", QtWidgets.QDialogButtonBox.ButtonRole.ActionRole
            )
            self.profile_button.setToolTip("打印此人的一人一档：身份、任职、活动、荣誉与积分（Ctrl+Shift+P）")
            self.profile_button.setShortcut("Ctrl+Shift+P")
            self.profile_button.clicked.connect(self._print_profile)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.status_note)
        layout.addLayout(columns)
        layout.addWidget(QtWidgets.QLabel("备注"))
        layout.addWidget(notes)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        id_edit = e["id_number"]
        assert isinstance(id_edit, QtWidgets.QLineEdit)
        id_edit.textEdited.connect(self._id_typed)
        for key, editor in e.items():
            if isinstance(editor, QtWidgets.QLineEdit) and key != "id_number":  # _id_typed clears its own
                editor.textEdited.connect(lambda _t, key=key: self._clear(key))
        self.resize(self.fontMetrics().horizontalAdvance("汉") * 64, self.sizeHint().height())

    def _print_profile(self) -> None:
        from silverdesk.ui.people.profile import open_profile

        assert self.person_id is not None
        open_profile(self.ctx, self.person_id, self)

    # --- values --------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """What the clerk typed, as raw text for the service to clean."""
        raw: dict[str, Any] = editor_values(self.edits)
        raw["notes"] = self.notes.toPlainText()
        return raw

    def _load(self, person_id: int) -> None:
        data = self.ctx.services.people.detail(person_id)
        fill_editors(self.edits, data)
        self.notes.setPlainText(str(data.get("notes") or ""))
        if data.get("status") != "在册":
            self.status_note.setText(
                f"状态：{data.get('status')}（{data.get('status_changed_on') or '日期未记'}）"
            )
            self.status_note.setVisible(True)

    # --- behaviour -------------------------------------------------------------------------------
    def _id_typed(self, text: str) -> None:
        """Fill birth date and sex from a complete ID number; say at once if it cannot be right."""
        digits = clean_digits(text)
        self._clear("id_number")
        if len(digits) < 18:
            return
        try:
            info = parse_id_number(digits)
        except IdNumberError as exc:
            self.left.set_error("id_number", str(exc))
            return
        birth = self.edits["birth_date"]
        gender = self.edits["gender"]
        assert isinstance(birth, QtWidgets.QLineEdit) and isinstance(gender, ChoiceCombo)
        birth.setText(info.birth_date.isoformat())
        gender.set_value(info.gender)
        self._clear("birth_date")
        self._clear("gender")

    def _clear(self, key: str) -> None:
        self.left.clear_errors(key)
        self.right.clear_errors(key)

    def _show(self, errors: list[FieldError]) -> None:
        left = [e for e in errors if e.field in self.left.errors]
        right = [e for e in errors if e.field in self.right.errors]
        self.left.show_errors(left)
        self.right.show_errors(right)
        if right and not left:
            self.right.editors[right[0].field].setFocus()
        elsewhere = [e.message for e in errors if e not in left and e not in right]
        self.message.setText("\n".join(elsewhere))
        self.message.setVisible(bool(elsewhere))

    def save(self) -> None:
        """Validate and save; on refusal every message goes beside its field and nothing typed is lost."""
        raw = self.values()
        for key in ("unit_id", "community_id"):
            combo = self.edits[key]
            if isinstance(combo, UnitCombo) and combo.has_unknown_text():
                self._show(
                    [FieldError(key, f"没有名为“{combo.currentText().strip()}”的单位，请从列表中选择")]
                )
                return
        people = self.ctx.services.people
        try:
            if self.person_id is None:
                self.person_id = people.create(raw)
                self.ctx.notify(self.parentWidget(), f"已新增人员：{raw['name'].strip()}")
            else:
                changes = people.update(self.person_id, raw)
                if changes:
                    self.ctx.undo.push(
                        UpdateCommand(
                            people,
                            self.person_id,
                            changes,
                            f"修改人员 {raw['name'].strip()}",
                            self.ctx.events,
                        )
                    )
                    self.ctx.notify(self.parentWidget(), f"已保存：{raw['name'].strip()}（Ctrl+Z 可撤销）")
        except ValidationError as exc:
            self._show(exc.errors)
            return
        except Conflict as exc:
            self._show([FieldError("id_number" if "身份证号" in exc.message else "", exc.message)])
            return
        except SilverdeskError as exc:
            self._show([FieldError("", exc.message)])
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.ctx.events.changed.emit("person")
        self.saved.emit(self.person_id)
        self.accept()
