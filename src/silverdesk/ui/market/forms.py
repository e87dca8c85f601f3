"""The resource and demand forms (资源清单 / 需求清单 entries), saved through their services."""

from __future__ import annotations

from PySide6 import QtWidgets

from silverdesk.domain import enums
from silverdesk.ui.context import UiContext
from silverdesk.ui.market.common import PersonField, category_items
from silverdesk.ui.org.group_form import line
from silverdesk.ui.widgets.form import fill_editors
from silverdesk.ui.widgets.pickers import ChoiceCombo, IdCombo, UnitCombo
from silverdesk.ui.widgets.record_dialog import RecordDialog


def _multiline(rows: int = 3) -> QtWidgets.QPlainTextEdit:
    edit = QtWidgets.QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setMaximumHeight(edit.fontMetrics().height() * rows + 16)
    return edit


class MarketRecordDialog(RecordDialog):
    """A resource or demand: one column of fields, opened empty or filled from the service."""

    new_verb = "登记"
    label_key = "title"

    def finish_layout(self) -> None:
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        self.add_buttons(layout)
        char = self.fontMetrics().horizontalAdvance("汉")
        self.resize(char * 46, self.sizeHint().height())
        next(iter(self.edits.values())).setFocus()
        if self.record_id is not None:
            fill_editors(self.edits, self.service.get(self.record_id))


class ResourceDialog(MarketRecordDialog):
    noun = "资源"

    def __init__(
        self, ctx: UiContext, resource_id: int | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(ctx, ctx.services.resources, resource_id, parent)
        services, f, e = ctx.services, self.form, self.edits
        e["title"] = f.add("title", "资源名称", line("如 退休医生健康义诊"), required=True)
        category = IdCombo(blank="（未分类）")
        category.set_items(category_items(services))
        e["category_id"] = f.add(
            "category_id", "资源类别", category, tip="大类或其下小项；匹配时按类别找需求"
        )
        e["content"] = f.add("content", "资源内容", _multiline())
        team = IdCombo(blank="（无）")
        team.set_items([(int(t["id"]), str(t["name"]), "") for t in services.teams.list()])  # type: ignore[call-overload]
        e["team_id"] = f.add("team_id", "提供服务队", team, tip="提供者只填一种：服务队、党组织或个人")
        org = IdCombo(blank="（无）")
        org.set_items([(int(o["id"]), str(o["name"]), "") for o in services.party_orgs.list()])  # type: ignore[call-overload]
        e["party_org_id"] = f.add("party_org_id", "提供党组织", org)
        e["person_id"] = f.add("person_id", "提供人", PersonField(services))
        e["provider_text"] = f.add(
            "provider_text", "其他提供者", line("不在花名册中的提供者，如 县医院退休医生组")
        )
        area = UnitCombo(blank="（不限区域）")
        area.set_units(services.units.tree(include_inactive=True))
        e["area_unit_id"] = f.add("area_unit_id", "服务区域", area)
        e["available_from"] = f.add("available_from", "可服务起始", line("如 2026-01-01，可不填"))
        e["available_to"] = f.add("available_to", "可服务截止", line("如 2026-12-31，可不填"))
        e["available_text"] = f.add("available_text", "服务时间", line("如 每周三上午"))
        e["capacity"] = f.add("capacity", "服务能力（人次）", line("如 50"))
        e["contact_phone"] = f.add("contact_phone", "联系电话", line())
        e["status"] = f.add("status", "状态", ChoiceCombo(enums.RESOURCE_STATUSES, blank=None))
        e["listed_on"] = f.add("listed_on", "登记日期", line("不填为今天"))
        self.finish_layout()


class DemandDialog(MarketRecordDialog):
    noun = "需求"

    def __init__(
        self, ctx: UiContext, demand_id: int | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(ctx, ctx.services.demands, demand_id, parent)
        services, f, e = ctx.services, self.form, self.edits
        e["title"] = f.add("title", "需求名称", line("如 老年人健康义诊"), required=True)
        category = IdCombo(blank="（未分类）")
        category.set_items(category_items(services))
        e["category_id"] = f.add("category_id", "需求类别", category)
        e["content"] = f.add("content", "需求内容", _multiline())
        unit = UnitCombo(blank="（未选择）")
        unit.set_units(services.units.tree(include_inactive=True))
        e["requester_unit_id"] = f.add("requester_unit_id", "需求单位", unit, tip="提出需求的社区、村或单位")
        e["requester_text"] = f.add("requester_text", "其他需求方", line("不在单位列表中的需求方"))
        e["contact_name"] = f.add("contact_name", "联系人", line())
        e["contact_phone"] = f.add("contact_phone", "联系电话", line())
        e["wanted_by"] = f.add("wanted_by", "期望完成时间", line("如 2026-12-31，过期未完成会标为“逾期”"))
        e["urgency"] = f.add("urgency", "紧急程度", ChoiceCombo(enums.URGENCIES, blank=None))
        status = ChoiceCombo(enums.DEMAND_STATUSES, blank=None)
        status.setToolTip("一般随订单自动变化；不再需要时可改为“撤销”")
        e["status"] = f.add("status", "状态", status)
        e["raised_on"] = f.add("raised_on", "提出日期", line("不填为今天"))
        self.finish_layout()
