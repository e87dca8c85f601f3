"""One snapshot of the lists for 银龄超市 matching: demands and candidates loaded in bulk, filtered,
scored by :mod:`silverdesk.services.market.match_ranking`, and each suggestion's reason written.

Hard filters: resources must be 可用 and not expired (``available_to`` before today), and available
before the demand's 期望完成时间 (or within ``horizon_days`` when none); teams must be 活跃 and people
在册 in the talent pool; a candidate already in a live order for the demand is not suggested again.

Speed (issue #6: 5,000 open demands × 20,000 resources in under 2 s): everything is loaded with
a handful of bulk queries, and a demand's suggestions come from merging the index's buckets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import (
    Demand,
    PartyOrg,
    Person,
    PersonTalent,
    Resource,
    ServiceOrder,
    Team,
    TeamCategory,
)
from silverdesk.progress import NEVER, CancelToken
from silverdesk.services.market.match_ranking import (
    AreaKey,
    CatKey,
    DemandSuggestion,
    Hit,
    Index,
    Item,
    Suggestion,
    Tree,
    Weights,
)

OPEN_STATUSES = ("发布", "认领", "签约", "实施")
DONE_STATUSES = ("完成", "评价")
PREFIX_SLACK = 10  # extra candidates remembered per (category, place) query, see Snapshot.suggest


class Snapshot:
    """Everything matching needs, loaded in bulk (a fixed number of queries whatever the size)."""

    def __init__(
        self,
        session: Session,
        today: dt.date,
        weights: Weights,
        kinds: Sequence[str],
        *,
        demand_ids: Sequence[int] | None = None,
        only_resource: int | None = None,
        cancel: CancelToken = NEVER,
    ) -> None:
        self.today, self.w = today, weights
        self.tree = Tree(session)
        self.demands = self._load_demands(session, demand_ids)
        cancel.raise_if_set()
        stats = self._load_order_stats(session)
        cancel.raise_if_set()
        # one demand (a click in the list) needs only the resources and people its categories reach
        keys = self.demands[0].cat_keys if demand_ids is not None and len(self.demands) == 1 else []
        categories = self.tree.related_categories(keys) if keys else None
        talents = {k[1] for k in keys if k[0] == "talent"} if keys else None
        self.resources = (
            self._load_resources(session, only_resource, categories) if "resource" in kinds else []
        )
        items: list[Item] = list(self.resources)
        cancel.raise_if_set()
        if "team" in kinds and only_resource is None:
            items += self._load_teams(session)
        cancel.raise_if_set()
        if "person" in kinds and only_resource is None and talents != set():
            items += self._load_people(session, talents)
        for item in items:
            item.open_orders, item.completed, item.mean_score = stats.get((item.kind, item.id), (0, 0, None))
            item.base = self._base(item)
        self.taken = self._load_taken(session)
        self._items = items
        self._index: Index | None = None
        self._prefixes: dict[tuple[tuple[CatKey, ...], int | None, int], list[tuple[Item, Suggestion]]] = {}

    # loading -------------------------------------------------------------------------------
    def _load_demands(self, session: Session, ids: Sequence[int] | None) -> list[Item]:
        stmt = select(
            Demand.id,
            Demand.title,
            Demand.category_id,
            Demand.requester_unit_id,
            Demand.requester_text,
            Demand.wanted_by,
            Demand.urgency,
        )
        stmt = (
            stmt.where(Demand.id.in_(list(ids))) if ids is not None else stmt.where(Demand.status == "待对接")
        )
        horizon = self.today + dt.timedelta(days=self.w.horizon_days)
        urgency = dict(self.w.urgency)
        out = []
        for r in session.execute(stmt.order_by(Demand.id)):
            need_end = max(r.wanted_by, self.today) if r.wanted_by else horizon
            out.append(
                Item(
                    "demand",
                    r.id,
                    r.title,
                    r.requester_unit_id,
                    self.tree.resource_cat_keys(r.category_id),
                    base=urgency.get(r.urgency, 0),
                    need_end=need_end,
                    extra={
                        "category_id": r.category_id,
                        "urgency": r.urgency,
                        "wanted_by": r.wanted_by,
                        "requester": self.tree.unit_name.get(r.requester_unit_id or -1) or r.requester_text,
                    },
                )
            )
        return out

    def _load_order_stats(self, session: Session) -> dict[tuple[str, int], tuple[int, int, float | None]]:
        since = self.today - dt.timedelta(days=self.w.record_days)
        acc: dict[tuple[str, int], list[Any]] = defaultdict(lambda: [0, 0, 0.0, 0])
        rows = session.execute(
            select(
                ServiceOrder.status,
                ServiceOrder.resource_id,
                ServiceOrder.team_id,
                ServiceOrder.person_id,
                ServiceOrder.completed_on,
                ServiceOrder.score,
            ).where(
                (ServiceOrder.status.in_(OPEN_STATUSES))
                | (ServiceOrder.status.in_(DONE_STATUSES) & (ServiceOrder.completed_on >= since))
            )
        )
        for r in rows:
            for kind, ref in (("resource", r.resource_id), ("team", r.team_id), ("person", r.person_id)):
                if ref is None:
                    continue
                a = acc[(kind, ref)]
                if r.status in OPEN_STATUSES:
                    a[0] += 1
                else:
                    a[1] += 1
                    if r.score is not None:
                        a[2] += r.score
                        a[3] += 1
        return {k: (a[0], a[1], a[2] / a[3] if a[3] else None) for k, a in acc.items()}

    def _load_resources(self, session: Session, only: int | None, categories: set[int] | None) -> list[Item]:
        # providers come from small side tables; joining them into 20,000 rows costs more
        teams = {r.id: (r.name, r.unit_id) for r in session.execute(select(Team.id, Team.name, Team.unit_id))}
        orgs = {
            r.id: (r.name, r.unit_id)
            for r in session.execute(select(PartyOrg.id, PartyOrg.name, PartyOrg.unit_id))
        }
        stmt = (
            select(
                Resource.id,
                Resource.title,
                Resource.category_id,
                Resource.area_unit_id,
                Resource.team_id,
                Resource.person_id,
                Resource.party_org_id,
                Resource.provider_text,
                Resource.available_from,
            )
            .where(Resource.status == "可用")
            .where((Resource.available_to.is_(None)) | (Resource.available_to >= self.today))
        )
        if only is not None:
            stmt = stmt.where(Resource.id == only)
        if categories is not None:
            stmt = stmt.where(Resource.category_id.in_(sorted(categories)))
        rows = session.execute(stmt).all()
        people = {
            r.id: (r.name, r.community_id)
            for r in session.execute(
                select(Person.id, Person.name, Person.community_id).where(
                    Person.id.in_(sorted({r.person_id for r in rows if r.person_id is not None}))
                )
            )
        }
        none: tuple[str, int | None] = ("", None)
        out = []
        cat_keys: dict[int | None, list[CatKey]] = {}
        for r in rows:
            team, person, org = (
                teams.get(r.team_id, none),
                people.get(r.person_id, none),
                orgs.get(r.party_org_id, none),
            )
            provider = team[0] or person[0] or org[0] or r.provider_text
            keys = cat_keys.get(r.category_id)
            if keys is None:
                keys = cat_keys[r.category_id] = self.tree.resource_cat_keys(r.category_id)
            out.append(
                Item(
                    "resource",
                    r.id,
                    f"{r.title}（{provider}）" if provider else r.title,
                    r.area_unit_id or team[1] or person[1] or org[1],
                    keys,
                    available_from=r.available_from,
                    refs=(r.id, r.team_id, r.person_id, r.party_org_id),
                )
            )
        return out

    def _load_teams(self, session: Session) -> list[Item]:
        cats: dict[int, list[CatKey]] = defaultdict(list)
        for team_id, cat in session.execute(select(TeamCategory.team_id, TeamCategory.category_id)):
            cats[team_id].append(("act", cat))
        return [
            Item("team", r.id, r.name, r.unit_id, cats.get(r.id, []), refs=(None, r.id, None, r.party_org_id))
            for r in session.execute(
                select(Team.id, Team.name, Team.unit_id, Team.party_org_id).where(Team.status == "活跃")
            )
        ]

    def _load_people(self, session: Session, talents: set[int] | None) -> list[Item]:
        people: dict[int, Item] = {}
        stmt = (
            select(
                Person.id,
                Person.name,
                Person.community_id,
                Person.unit_id,
                PersonTalent.category_id,
                PersonTalent.specialty,
            )
            .join(PersonTalent, PersonTalent.person_id == Person.id)
            .where(Person.status == "在册")
        )
        if talents is not None:
            stmt = stmt.where(PersonTalent.category_id.in_(sorted(talents)))
        for r in session.execute(stmt):
            item = people.get(r.id)
            if item is None:
                item = people[r.id] = Item(
                    "person",
                    r.id,
                    r.name,
                    r.community_id or r.unit_id,
                    [],
                    refs=(None, None, r.id, None),
                    extra={"specialty": []},
                )
            item.cat_keys.append(("talent", r.category_id))
            if r.specialty and item.extra is not None:
                item.extra["specialty"].append(r.specialty)
        return list(people.values())

    def _load_taken(self, session: Session) -> set[tuple[int, str, int]]:
        """(demand, kind, id) already in a live order, so they are not suggested twice."""
        taken: set[tuple[int, str, int]] = set()
        rows = session.execute(
            select(
                ServiceOrder.demand_id, ServiceOrder.resource_id, ServiceOrder.team_id, ServiceOrder.person_id
            ).where(ServiceOrder.demand_id.is_not(None), ServiceOrder.status != "撤销")
        )
        for r in rows:
            for kind, ref in (("resource", r.resource_id), ("team", r.team_id), ("person", r.person_id)):
                if ref is not None:
                    taken.add((r.demand_id, kind, ref))
        return taken

    # scoring -------------------------------------------------------------------------------
    def _base(self, item: Item) -> float:
        w = self.w
        score = w.offered if item.kind == "resource" else 0.0
        score += w.per_completed * min(item.completed, w.completed_cap)
        if item.mean_score is not None:
            score += w.per_score_point * (item.mean_score - 3)
        score += w.per_open_order * min(item.open_orders, w.open_order_cap)
        return score

    def _cat_weights(self, keys: Sequence[CatKey]) -> list[tuple[CatKey, float]]:
        w = self.w
        tier = {"minor": w.same_minor, "major": w.same_major, "act": w.related, "talent": w.related}
        return [(k, tier[k[0]]) for k in keys] if keys else [(("all", 0), w.uncategorised)]

    def _area_weights(self, unit_id: int | None) -> list[tuple[AreaKey, float]]:
        return self.tree.area_query(unit_id, self.w)

    @property
    def index(self) -> Index:
        if self._index is None:
            self._index = Index(self.tree, self._items)
        return self._index

    def suggest(self, demand: Item, limit: int) -> list[Suggestion]:
        need_end = demand.need_end

        def accept(item: Item) -> bool:
            if (demand.id, item.kind, item.id) in self.taken:
                return False
            return item.available_from is None or need_end is None or item.available_from <= need_end

        # Demands of the same category from the same place run the same merge: remember a prefix of
        # it (unfiltered, with its suggestions) and filter that; only when the filter leaves too
        # few is the merge redone for this demand alone.
        query = (tuple(demand.cat_keys), demand.unit_id, limit)
        cached = self._prefixes.get(query)
        if cached is None:
            hits = self.index.top(
                self._cat_weights(demand.cat_keys),
                self._area_weights(demand.unit_id),
                limit + PREFIX_SLACK,
                lambda _item: True,
            )
            cached = self._prefixes[query] = [(hit[1], self._suggestion(hit, demand)) for hit in hits]
        found = [sug for item, sug in cached if accept(item)][:limit]
        if len(found) < limit and len(cached) == limit + PREFIX_SLACK:
            hits = self.index.top(
                self._cat_weights(demand.cat_keys), self._area_weights(demand.unit_id), limit, accept
            )
            found = [self._suggestion(hit, demand) for hit in hits]
        return found

    def _suggestion(self, hit: Hit, demand: Item) -> Suggestion:
        score, item, ck, ak = hit
        return Suggestion(
            item.kind, item.id, item.name, round(score, 2), self._reason(item, ck, ak, demand), *item.refs
        )

    def demands_for(self, resource: Item, limit: int) -> list[DemandSuggestion]:
        index = Index(self.tree, self.demands)

        def accept(demand: Item) -> bool:
            if (demand.id, "resource", resource.id) in self.taken:
                return False
            return (
                resource.available_from is None
                or demand.need_end is None
                or resource.available_from <= demand.need_end
            )

        found = index.top(
            self._cat_weights(resource.cat_keys), self._area_weights(resource.unit_id), limit, accept
        )
        out = []
        for score, d, ck, ak in found:
            assert d.extra is not None  # a demand's item carries its requester, urgency and date
            out.append(
                DemandSuggestion(
                    d.id,
                    d.name,
                    d.extra["requester"] or "",
                    d.extra["urgency"],
                    d.extra["wanted_by"],
                    round(score, 2),
                    self._demand_reason(d, ck, ak, resource),
                )
            )
        return out

    # reasons ---------------------------------------------------------------------------------
    def _cat_text(self, key: CatKey, kind: str) -> str:
        name = self.tree.lookup_name.get(key[1], "")
        if key[0] == "minor":
            return f"同属‘{name}’小项"
        if key[0] == "major":
            return f"同属‘{name}’大类"
        if key[0] == "act":
            return f"服务领域‘{name}’与需求相关" if kind == "team" else f"同与服务领域‘{name}’相关"
        if key[0] == "talent":
            return f"人才库类别‘{name}’与需求相关"
        return "需求未分类，按区域和服务记录推荐"

    def _area_text(self, key: AreaKey, query_unit: int | None, query_label: str, found_label: str) -> str:
        if key[0] in ("comm", "street"):
            return f"同在{self.tree.unit_name.get(key[1], '')}"
        if key[0] == "county" and query_unit is not None:
            root = (self.tree.unit_path.get(query_unit) or [0])[0]
            return f"同在{self.tree.unit_name.get(root, '本县')}"
        return f"{query_label if key[0] == 'county' else found_label}未登记，未比较区域"

    def _reason(self, item: Item, ck: CatKey, ak: AreaKey, demand: Item) -> str:
        parts = [self._cat_text(ck, item.kind), self._area_text(ak, demand.unit_id, "需求单位", "服务区域")]
        if item.completed:
            record = f"近一年完成订单{item.completed}单"
            if item.mean_score is not None:
                record += f"，平均评价{item.mean_score:.1f}分"
            parts.append(record)
        else:
            parts.append("近一年暂无完成订单")
        if item.open_orders:
            parts.append(f"在办订单{item.open_orders}单")
        if item.kind == "person" and item.extra and item.extra.get("specialty"):
            parts.append("特长：" + "、".join(dict.fromkeys(item.extra["specialty"])))
        return "；".join(parts)

    def _demand_reason(self, demand: Item, ck: CatKey, ak: AreaKey, resource: Item) -> str:
        assert demand.extra is not None
        parts = [
            self._cat_text(ck, "resource") if ck[0] != "all" else "资源未分类，按区域推荐",
            self._area_text(ak, resource.unit_id, "服务区域", "需求单位"),
        ]
        if demand.extra["urgency"] != "一般":
            parts.append(f"需求{demand.extra['urgency']}")
        if demand.extra["wanted_by"]:
            day = demand.extra["wanted_by"]
            parts.append(f"期望{day.year}年{day.month}月{day.day}日前完成")
        return "；".join(parts)
