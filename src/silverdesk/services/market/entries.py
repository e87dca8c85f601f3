"""资源清单 and 需求清单 entries: create, correct and delete one, with their checks (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import Demand, Lookup, Resource, ResourceEvent, Unit
from silverdesk.domain import enums
from silverdesk.domain import fields as f
from silverdesk.errors import FieldError, ValidationError
from silverdesk.services.base import CrudService, holders
from silverdesk.services.market.lists import DemandQueries, ResourceQueries


def _market_refs(session: Session, values: Mapping[str, Any], category_label: str, unit_key: str) -> None:
    """A category must come from the 资源/需求类别 tree and a unit from the unit tree."""
    errors = []
    category = values.get("category_id")
    if (
        category is not None
        and session.scalar(select(Lookup.kind).where(Lookup.id == category)) != "resource_category"
    ):
        errors.append(FieldError("category_id", f"{category_label}不存在，请从资源/需求类别中重新选择"))
    unit = values.get(unit_key)
    if unit is not None and session.get(Unit, unit) is None:
        errors.append(FieldError(unit_key, "所选单位不存在，请重新选择"))
    if errors:
        raise ValidationError(errors)


class ResourceService(ResourceQueries, CrudService[Resource]):
    model = Resource
    entity = "resource"
    label = "资源"
    retire_field = ("status", "撤销")
    specs = (
        f.FieldSpec("category_id", "资源类别", f.passthrough),
        f.FieldSpec("title", "资源名称", f.text, required=True, max_length=200),
        f.FieldSpec("content", "资源内容", f.multiline, max_length=5000),
        f.FieldSpec("person_id", "提供人", f.passthrough),
        f.FieldSpec("team_id", "提供服务队", f.passthrough),
        f.FieldSpec("party_org_id", "提供党组织", f.passthrough),
        f.FieldSpec("provider_text", "提供者", f.text, max_length=200),
        f.FieldSpec("area_unit_id", "服务区域", f.passthrough),
        f.FieldSpec("available_from", "可服务起始", f.date),
        f.FieldSpec("available_to", "可服务截止", f.date),
        f.FieldSpec("available_text", "服务时间", f.text, max_length=200),
        f.FieldSpec("capacity", "服务能力（人次）", f.count),
        f.FieldSpec("contact_phone", "联系电话", f.phone),
        f.FieldSpec("status", "状态", f.choice, choices=enums.RESOURCE_STATUSES),
        f.FieldSpec("listed_on", "登记日期", f.date),
    )

    def check(self, session: Session, values: dict[str, object], current: Resource | None) -> None:
        if len(holders(values, current)) > 1:
            raise ValidationError([FieldError("person_id", "资源只能由一个提供者提供：人员、服务队或党组织")])
        _market_refs(session, values, "资源类别", "area_unit_id")
        start = values.get("available_from", current.available_from if current else None)
        end = values.get("available_to", current.available_to if current else None)
        if start and end and end < start:  # type: ignore[operator]
            raise ValidationError([FieldError("available_to", "可服务截止日期早于起始日期，请核对")])
        if current is None and values.get("listed_on") is None:
            values["listed_on"] = self.ctx.today()
        if current is not None and values.get("status") not in (None, current.status):
            self._record_status(session, current, current.status, str(values["status"]))

    def after_retire(self, session: Session, obj: Resource, old: object) -> dict[str, list[object]]:
        if old != obj.status:
            self._record_status(session, obj, str(old), obj.status)
        return {}

    def _record_status(self, session: Session, resource: Resource, old: str, new: str) -> None:
        """A dated status change (资源 可用 ⇄ 暂停, 撤销): 表4 of a past period reads the status it had then."""
        session.add(
            ResourceEvent(
                resource_id=resource.id,
                from_status=old,
                to_status=new,
                happened_on=self.ctx.today(),
                operator=self.ctx.operator,
            )
        )


class DemandService(DemandQueries, CrudService[Demand]):
    model = Demand
    entity = "demand"
    label = "需求"
    retire_field = ("status", "撤销")
    specs = (
        f.FieldSpec("category_id", "需求类别", f.passthrough),
        f.FieldSpec("title", "需求名称", f.text, required=True, max_length=200),
        f.FieldSpec("content", "需求内容", f.multiline, max_length=5000),
        f.FieldSpec("requester_unit_id", "需求单位", f.passthrough),
        f.FieldSpec("requester_text", "需求方", f.text, max_length=200),
        f.FieldSpec("contact_name", "联系人", f.name, max_length=50),
        f.FieldSpec("contact_phone", "联系电话", f.phone),
        f.FieldSpec("wanted_by", "期望完成时间", f.date),
        f.FieldSpec("urgency", "紧急程度", f.choice, choices=enums.URGENCIES),
        f.FieldSpec("status", "状态", f.choice, choices=enums.DEMAND_STATUSES),
        f.FieldSpec("raised_on", "提出日期", f.date),
    )

    def check(self, session: Session, values: dict[str, object], current: Demand | None) -> None:
        _market_refs(session, values, "需求类别", "requester_unit_id")
        if current is None and values.get("raised_on") is None:
            values["raised_on"] = self.ctx.today()
