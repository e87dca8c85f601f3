"""The 银龄超市 planners: 资源清单 and 需求清单 (a category from the resource/demand lists, free text around it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import Demand, Resource
from silverdesk.domain.enums import URGENCIES
from silverdesk.domain.numbers import NumberError, parse_count
from silverdesk.services.importing.plan import REJECTED, UNCHANGED, ImportPlan, RowPlan
from silverdesk.services.importing.planners.base import Planner
from silverdesk.services.importing.resolve import Resolver
from silverdesk.services.importing.rows import NormalizedRow


class ListPlanner(Planner):
    """Shared by 资源清单 and 需求清单: a category from the resource/demand lists, free text around it."""

    model: type = Resource
    length_keys: dict[str, str] = {}  # noqa: RUF012 - read-only per class

    def __init__(self, ctx: Any, session: Session, resolver: Resolver, plan: ImportPlan) -> None:
        super().__init__(ctx, session, resolver, plan)
        self.limits = self.limits_for(self.model, self.length_keys)
        self.seen: dict[tuple[Any, ...], int] = {}
        self.existing = self.load_existing()

    def load_existing(self) -> dict[tuple[Any, ...], int]:  # pragma: no cover - abstract
        raise NotImplementedError

    def category(self, rp: RowPlan, v: dict[str, Any]) -> int | None:
        major, warn = self.resolver.lookup("resource_category", v["category"], self.label("category"))
        if major is None:
            rp.refuse(self.issue("category", v["category"],
                                 f"{self.label('category')}“{v['category']}”不在资源/需求类别列表中；请改为列表中的类别"
                                 "（如“政策理论宣讲”“医疗健康服务”），或先在“设置→列表”中添加"))  # fmt: skip
            return None
        rp.note(warn)
        if v.get("subcategory"):
            minor, warn = self.resolver.lookup(
                "resource_category", v["subcategory"], self.label("subcategory")
            )
            rp.note(warn)
            if minor is not None:
                return minor
        return major

    @staticmethod
    def content(v: dict[str, Any], *extra: str) -> str:
        parts = [v.get("content", ""), *extra]
        if v.get("notes"):
            parts.append(f"备注：{v['notes']}")
        return "\n".join(p for p in parts if p)

    def settle(self, rp: RowPlan, ins: dict[str, Any], key: tuple[Any, ...], what: str) -> RowPlan:
        if rp.fate == REJECTED:
            return rp
        earlier = self.seen.setdefault(key, rp.row_number)
        if earlier != rp.row_number:
            rp.refuse(
                self.issue(
                    "title", ins["title"], f"与第 {earlier} 行是同一条{what}，未重复导入；请删除重复的行"
                )
            )
            return rp
        existing = self.existing.get(key)
        if existing is not None:
            rp.fate, rp.entity_id = UNCHANGED, existing
            rp.note(f"库中已有同一条{what}（编号 {existing}），未重复导入")
            return rp
        rp.insert = ins
        return rp


class ResourcePlanner(ListPlanner):
    entity = "resource"
    model = Resource
    length_keys = {"title": "title", "provider_text": "provider", "available_text": "available"}  # noqa: RUF012

    def load_existing(self) -> dict[tuple[Any, ...], int]:
        rows = self.session.execute(select(Resource.id, Resource.title, Resource.category_id, Resource.person_id,
                                           Resource.team_id, Resource.provider_text))  # fmt: skip
        return {(t, c, p, tm, pt): rid for rid, t, c, p, tm, pt in rows}

    def first(self, n: NormalizedRow) -> RowPlan:
        rp = self.start(n)
        assert rp is not None
        if rp.fate == REJECTED:
            return rp
        v = n.values
        category_id = self.category(rp, v)
        provider = v["provider"]
        team_id = self.resolver.existing_team(provider)
        person_id = None
        if team_id is None:
            person_id, _ = self.resolver.person_by_name(provider, None)
        extra: list[str] = []
        area_id = None
        if v.get("area"):
            area_id = self.resolver.existing_unit(v["area"])
            if area_id is None:
                extra.append(f"服务区域：{v['area']}")
        capacity = 0
        if v.get("capacity"):
            try:
                parsed = parse_count(v["capacity"], field_label=self.label("capacity"))
                capacity = int(parsed.value) if parsed else 0
            except NumberError:
                extra.append(f"服务能力：{v['capacity']}")
                rp.note(f"{self.label('capacity')}“{v['capacity']}”不是人数，已写入资源内容")
        ins = {
            "category_id": category_id, "title": v["title"], "content": self.content(v, *extra),
            "person_id": person_id, "team_id": team_id, "party_org_id": None,
            "provider_text": "" if (person_id or team_id) else provider, "area_unit_id": area_id,
            "available_from": None, "available_to": None, "available_text": v.get("available", ""),
            "capacity": capacity, "contact_phone": v.get("contact_phone", ""), "status": "可用",
            "listed_on": self.today, "import_batch_id": None,
        }  # fmt: skip
        self.check_lengths(rp, ins, self.limits)
        key = (ins["title"], category_id, person_id, team_id, ins["provider_text"])
        return self.settle(rp, ins, key, "资源")


class DemandPlanner(ListPlanner):
    entity = "demand"
    model = Demand
    length_keys = {"title": "title", "requester_text": "requester", "contact_name": "contact_name"}  # noqa: RUF012

    def load_existing(self) -> dict[tuple[Any, ...], int]:
        rows = self.session.execute(
            select(Demand.id, Demand.title, Demand.requester_unit_id, Demand.requester_text)
        )
        return {(t, u, rt): did for did, t, u, rt in rows}

    def first(self, n: NormalizedRow) -> RowPlan:
        rp = self.start(n)
        assert rp is not None
        if rp.fate == REJECTED:
            return rp
        v = n.values
        category_id = self.category(rp, v)
        requester = v["requester"]
        unit_id = self.resolver.existing_unit(requester)
        urgency = v.get("urgency", "一般")
        if urgency not in URGENCIES:
            rp.note(f"{self.label('urgency')}“{urgency}”应为“{'”“'.join(URGENCIES)}”之一，按“一般”计")
            urgency = "一般"
        ins = {
            "category_id": category_id, "title": v["title"], "content": self.content(v),
            "requester_unit_id": unit_id, "requester_text": "" if unit_id else requester,
            "contact_name": v.get("contact_name", ""), "contact_phone": v.get("contact_phone", ""),
            "wanted_by": v.get("wanted_by"), "urgency": urgency, "status": "待对接", "raised_on": self.today,
            "import_batch_id": None,
        }  # fmt: skip
        self.check_lengths(rp, ins, self.limits)
        return self.settle(rp, ins, (ins["title"], unit_id, ins["requester_text"]), "需求")
