"""The party organisation form: type, unit, secretary, members, 共建协议."""

from __future__ import annotations

from typing import Any

from PySide6 import QtWidgets

from silverdesk.domain import enums
from silverdesk.domain.dates import DateError, parse_date_value
from silverdesk.errors import SilverdeskError
from silverdesk.ui.context import UiContext
from silverdesk.ui.errors import show_error
from silverdesk.ui.org.group_form import GroupDialog, line
from silverdesk.ui.widgets.form import ERROR_STYLE
from silverdesk.ui.widgets.members import MembersEditor
from silverdesk.ui.widgets.pickers import ChoiceCombo, IdCombo, UnitCombo


class PartyOrgDialog(GroupDialog):
    noun = "党组织"

    def __init__(
        self, ctx: UiContext, org_id: int | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(ctx, ctx.services.party_orgs, org_id, parent)
        services = ctx.services
        f, e = self.form, self.edits
        e["name"] = f.add("name", "党组织名称", line("如 城关街道离退休干部党支部"), required=True)
        e["org_type"] = f.add(
            "org_type", "类型", ChoiceCombo(enums.PARTY_ORG_TYPES, blank=None), required=True
        )
        parent_org = IdCombo(blank="（无）")
        parent_org.set_items(
            [(int(o["id"]), str(o["name"]), "") for o in services.party_orgs.list() if o["id"] != org_id]
        )
        e["parent_id"] = f.add("parent_id", "上级党组织", parent_org)
        unit = UnitCombo(blank="（未选择）")
        unit.set_units(services.units.tree(include_inactive=True))
        e["unit_id"] = f.add("unit_id", "所属单位", unit)
        e["founded_on"] = f.add("founded_on", "成立时间", line("如 2012-07-01"))
        notes = QtWidgets.QPlainTextEdit()
        notes.setTabChangesFocus(True)
        notes.setMaximumHeight(self.fontMetrics().height() * 3 + 16)
        e["notes"] = f.add("notes", "备注", notes)
        self.members = MembersEditor(services.people, enums.PARTY_ORG_ROLES, "党员")
        self.agreements = QtWidgets.QListWidget()
        self.agreements.setMaximumHeight(self.fontMetrics().height() * 4 + 12)
        self.extra.addWidget(QtWidgets.QLabel("共建协议"))
        self.extra.addWidget(self.agreements)
        if org_id is None:
            note = QtWidgets.QLabel("保存后可添加共建协议。")
            self.extra.addWidget(note)
        else:
            row = QtWidgets.QHBoxLayout()
            self.partner = line("共建对象，如 光明社区党委")
            self.signed = line("签订日期")
            self.signed.setMaximumWidth(self.fontMetrics().horizontalAdvance("汉") * 8)
            add = QtWidgets.QPushButton("添加协议")
            add.setToolTip("记录一份共建协议（立即保存）")
            add.clicked.connect(self._add_agreement)
            row.addWidget(self.partner, 1)
            row.addWidget(self.signed)
            row.addWidget(add)
            self.extra.addLayout(row)
            self.agreement_error = QtWidgets.QLabel()
            self.agreement_error.setStyleSheet(ERROR_STYLE)
            self.agreement_error.setVisible(False)
            self.extra.addWidget(self.agreement_error)
        self.finish_layout("党员及职务（职务为“书记”者即为本组织书记）")
        if org_id is not None:
            data = services.party_orgs.detail(org_id)
            self.fill(data)
            self.members.set_members(data["members"])  # type: ignore[arg-type]
            self._show_agreements(data["agreements"])  # type: ignore[arg-type]

    def values(self) -> dict[str, Any]:
        raw = super().values()
        secretaries = [pid for pid, role in raw["members"] if role == "书记"]
        raw["secretary_id"] = secretaries[0] if secretaries else None
        return raw

    def _show_agreements(self, agreements: list[tuple[int, str, Any]]) -> None:
        self.agreements.clear()
        for _aid, partner, signed in agreements:
            self.agreements.addItem(f"{partner}（{signed.isoformat() if signed else '日期未记'}）")

    def _add_agreement(self) -> None:
        assert self.record_id is not None
        try:
            signed = parse_date_value(self.signed.text(), field_label="签订日期")
            self.ctx.services.party_orgs.add_agreement(self.record_id, self.partner.text(), signed)
        except (DateError, SilverdeskError) as exc:
            self.agreement_error.setText(str(exc))
            self.agreement_error.setVisible(True)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.agreement_error.setVisible(False)
        self.partner.clear()
        self.signed.clear()
        self._show_agreements(self.ctx.services.party_orgs.detail(self.record_id)["agreements"])  # type: ignore[arg-type]
        self.ctx.events.changed.emit("party_org")
