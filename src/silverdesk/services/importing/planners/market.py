"""The 银龄超市 planners: 资源清单 and 需求清单 (a category from the resource/demand lists, free text around it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import Demand, Person, Resource
from silverdesk.domain.enums import URGENCIES
from silverdesk.domain.numbers import NumberError, parse_count
from silverdesk.services.importing.plan import DERIVED, REJECTED, UNCHANGED, ImportPlan, RowPlan, UnitRequired
from silverdesk.services.importing.planners.base import Planner, _max_lengths
from silverdesk.services.importing.planners.derive import Derivations
from silverdesk.services.importing.resolve import Resolver
from silverdesk.services.importing.rows import NormalizedRow


class ListPlanner(Planner):
    """Shared by 资源清单 and 需求清单: a category from the resource/demand lists, free text around it.

    A row may leave its title, 大类 and (需求清单) requester to the file: :class:`Derivations`
    fills them (推导); one still empty refuses the row.  A row with a derived title is known by its
    content instead of its title (two requests with the same first clause are two; a title the
    clerk edited does not hide the row next time), so importing the same file twice finds every row
    again (未变).
    """

    model: type = Resource
    length_keys: dict[str, str] = {}  # noqa: RUF012 - read-only per class
    derived_lengths: dict[str, str] = {"title": "title"}  # noqa: RUF012 - column → field key when derived

    def __init__(self, ctx: Any, session: Session, resolver: Resolver, plan: ImportPlan, *given: Any) -> None:
        super().__init__(ctx, session, resolver, plan, *given)
        self.limits = self.limits_for(self.model, self.length_keys)
        lengths, checked = _max_lengths(self.model), {column for column, _key, _n in self.limits}
        self.limits += [(column, key, lengths[column]) for column, key in self.derived_lengths.items()
                        if column not in checked]  # fmt: skip
        self.derive = Derivations(plan, self.table, self.options)
        self.seen: dict[tuple[Any, ...], int] = {}
        self.existing = self.load_existing()

    def load_existing(self) -> dict[tuple[Any, ...], int]:  # pragma: no cover - abstract
        raise NotImplementedError

    def finish(self) -> None:
        self.plan.warnings.extend(self.derive.notes())

    def lacking(self, rp: RowPlan, key: str, hint: str, ask: str = "") -> None:
        """Refuse a row whose required ``key`` neither its cell nor the file gives (``hint``: what else was looked at)."""
        label = self.label(key)
        if any(d[0] == DERIVED and d[1] == key and not d[3] for d in rp.decided or ()):
            reason = f"{label}是必填项，推导出的值已按您的选择清空；请填写{label}，或保留推导的值"
        elif key in self.plan.mapping.assigned.values():
            reason = f"“{label}”未填写，{hint}；请{ask or '补填'}后重新导入"
        else:
            reason = f"表中没有“{label}”列，{hint}；请{ask or '在表中补上这一列'}后重新导入"
        rp.refuse(self.issue(key, None, reason))

    def title(self, rp: RowPlan, v: dict[str, Any]) -> bool:
        """The row's title, derived from its content when it has none; whether it was derived."""
        derived = self.derive.title(rp, v)
        if not v.get("title"):
            content, title = self.label("content"), self.label("title")
            self.lacking(rp, "title", f"{content}也未填写，无法推导{title}", f"填写{title}或{content}")
        return derived

    def category(self, rp: RowPlan, v: dict[str, Any]) -> int | None:
        """The row's 资源/需求类别: 大类 and 小项 (one cell "大类(小项)" fills both, a section row gives the 大类
        of the rows below it); an unknown one is created."""
        self.derive.category(rp, v)
        if not v.get("category"):
            self.lacking(rp, "category", "这一行上方也没有分类标题行（如“一、助老服务类”）",
                         f"填写{self.label('category')}")  # fmt: skip
            return None
        found, warnings = self.resolver.category(
            v["category"], v.get("subcategory", ""), self.label("category"), self.label("subcategory")
        )
        if found is None:  # a switched-off entry, a sentence, or the clerk chose none: it is required
            why = "；".join(warnings) or (
                f"{self.label('category')}“{v['category']}”未对应资源/需求类别列表中的类别；请在预览中选择一个类别"
                "（或新建），或改为列表中的类别（如“政策理论宣讲”“医疗健康服务”）"
            )
            rp.refuse(self.issue("category", v["category"], why))
            return None
        for warning in warnings:
            rp.note(warning)
        return found

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

    @staticmethod
    def identity(ins: dict[str, Any], *key: Any, derived: bool) -> tuple[Any, ...]:
        """The row's identity for duplicates (within the file and on record); ``key`` starts with the title.

        A row whose title was derived is known by its content instead (the clerk may have edited the
        title the first time, and two requests may share a first clause).
        """
        return (DERIVED, *key[1:], ins["content"]) if derived else key


class ResourcePlanner(ListPlanner):
    entity = "resource"
    model = Resource
    length_keys = {"title": "title", "provider_text": "provider", "available_text": "available"}  # noqa: RUF012

    def __init__(self, ctx: Any, session: Session, resolver: Resolver, plan: ImportPlan, *given: Any) -> None:
        super().__init__(ctx, session, resolver, plan, *given)
        self._people: dict[str, list[int]] = {}

    def load_existing(self) -> dict[tuple[Any, ...], int]:
        rows = self.session.execute(select(Resource.id, Resource.title, Resource.category_id, Resource.person_id,
                                           Resource.team_id, Resource.provider_text, Resource.content))  # fmt: skip
        out: dict[tuple[Any, ...], int] = {}
        for rid, t, c, p, tm, pt, content in rows:
            out.setdefault((t, c, p, tm, pt), rid)
            out.setdefault((DERIVED, c, p, tm, pt, content), rid)
        return out

    def people_named(self, name: str) -> list[int]:
        """The people on the roster (在册) with exactly this name."""
        found = self._people.get(name)
        if found is None:
            query = select(Person.id).where(Person.name == name, Person.status == "在册").order_by(Person.id)
            found = self._people[name] = list(self.session.scalars(query))
        return found

    def provider(self, rp: RowPlan, name: str) -> tuple[int | None, int | None]:
        """(person id, team id) of the provider: a 服务队 or a person on the roster, never a guess.

        A name that fits more than one (namesakes on the roster, a team and a person) links to
        none: the name is kept as written and the row says so.
        """
        team_id = self.resolver.existing_team(name)
        people = self.people_named(name)
        if (
            team_id is None and not people
        ):  # 夕阳红 for 夕阳红志愿服务队: a 近似匹配 of the row, as team columns
            team_id = self.resolver.existing_team(name, key="provider")
        label = self.label("provider")
        if team_id is not None and not people:
            return None, team_id
        if team_id is None and len(people) == 1:
            return people[0], None
        if team_id is not None:
            rp.note(f"{label}“{name}”既是志愿服务队的名称，又是花名册中人员的姓名，无法确定是哪一个，"
                    "未关联，按原文保存；请在资源清单中核对后指定提供者")  # fmt: skip
        elif people:
            rp.note(f"{label}“{name}”在花名册中有 {len(people)} 人同名，无法确定是谁，未关联，按原文保存；"
                    "请在资源清单中核对后指定提供者")  # fmt: skip
        return None, None

    def first(self, n: NormalizedRow) -> RowPlan:
        rp = self.start(n)
        assert rp is not None
        if rp.fate == REJECTED:
            return rp
        v = n.values
        derived = self.title(rp, v)
        category_id = self.category(rp, v)
        provider = v["provider"]
        person_id, team_id = self.provider(rp, provider)
        extra: list[str] = []
        area_id = None
        if v.get("area"):
            area_id = self.resolver.existing_unit(v["area"], key="area")
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
            "category_id": category_id, "title": v.get("title", ""), "content": self.content(v, *extra),
            "person_id": person_id, "team_id": team_id, "party_org_id": None,
            "provider_text": "" if (person_id or team_id) else provider, "area_unit_id": area_id,
            "available_from": None, "available_to": None, "available_text": v.get("available", ""),
            "capacity": capacity, "contact_phone": v.get("contact_phone", ""), "status": "可用",
            "listed_on": self.today, "import_batch_id": None,
        }  # fmt: skip
        self.check_lengths(rp, ins, self.limits)
        key = self.identity(ins, ins["title"], category_id, person_id, team_id, ins["provider_text"],
                            derived=derived)  # fmt: skip
        return self.settle(rp, ins, key, "资源")


class DemandPlanner(ListPlanner):
    entity = "demand"
    model = Demand
    length_keys = {"title": "title", "requester_text": "requester", "contact_name": "contact_name"}  # noqa: RUF012
    derived_lengths = {"title": "title", "requester_text": "requester"}  # noqa: RUF012

    def __init__(self, ctx: Any, session: Session, resolver: Resolver, plan: ImportPlan, *given: Any) -> None:
        super().__init__(ctx, session, resolver, plan, *given)
        if "requester" not in plan.mapping.assigned.values() and not self.derive.requester_default:
            raise UnitRequired(self.spec.label, self.spec.field("requester").label)

    def load_existing(self) -> dict[tuple[Any, ...], int]:
        rows = self.session.execute(
            select(Demand.id, Demand.title, Demand.requester_unit_id, Demand.requester_text, Demand.content)
        )
        out: dict[tuple[Any, ...], int] = {}
        for did, t, u, rt, content in rows:
            out.setdefault((t, u, rt), did)
            out.setdefault((DERIVED, u, rt, content), did)
        return out

    def requester_unit(self, name: str) -> int | None:
        """The requesting unit by name, alias or 近似匹配; the sending unit is the one chosen (also when it is still to be created)."""
        if name == self.plan.unit_name and self.plan.unit_ref is not None:
            return self.plan.unit_ref
        return self.resolver.existing_unit(name, key="requester")

    def first(self, n: NormalizedRow) -> RowPlan:
        rp = self.start(n)
        assert rp is not None
        if rp.fate == REJECTED:
            return rp
        v = n.values
        derived = self.title(rp, v)
        category_id = self.category(rp, v)
        self.derive.requester(rp, v)
        requester = v.get("requester", "")
        if not requester:
            self.lacking(rp, "requester", "表头上方没有“填报单位”，导入时也没有选择报送单位",
                         f"填写{self.label('requester')}，或在导入时选择报送单位")  # fmt: skip
        unit_id = self.requester_unit(requester) if requester else None
        urgency = v.get("urgency", "一般")
        if urgency not in URGENCIES:
            rp.note(f"{self.label('urgency')}“{urgency}”应为“{'”“'.join(URGENCIES)}”之一，按“一般”计")
            urgency = "一般"
        ins = {
            "category_id": category_id, "title": v.get("title", ""), "content": self.content(v),
            "requester_unit_id": unit_id, "requester_text": "" if unit_id else requester,
            "contact_name": v.get("contact_name", ""), "contact_phone": v.get("contact_phone", ""),
            "wanted_by": v.get("wanted_by"), "urgency": urgency, "status": "待对接", "raised_on": self.today,
            "import_batch_id": None,
        }  # fmt: skip
        self.check_lengths(rp, ins, self.limits)
        key = self.identity(ins, ins["title"], unit_id, ins["requester_text"], derived=derived)
        return self.settle(rp, ins, key, "需求")
