"""银龄超市 matching: who could serve a demand, and which open demands a resource could serve.

How a suggestion is scored (all weights in :class:`Weights`, the one place to tune them):

score = category + area + offered + record + load, where

- **category** — how the candidate's categories meet the demand's 资源/需求类别:
  same 小项 (``same_minor``) > same 大类 (``same_major``) > related (``related``: a team's 服务领域 or
  a talent-pool person's 人才库类别 that the 大类 is linked to, see ``category_link``; resources of
  another 大类 linked to the same 服务领域 count too).  A candidate with no category in common is
  not suggested, unless the demand itself has no category (then area and record alone decide).
- **area** — the demand's requester unit against the candidate's area (a resource's 服务区域, else its
  team's unit or its provider's 居住社区; a team's unit; a person's 居住社区): same community
  (level 2 of the unit tree) > same 街道/乡镇/部门 (level 1) > same county.  A candidate whose area
  covers a whole street counts as "same street" for every community in it.
- **offered** — resources get a bonus: somebody has offered exactly this, teams and people are only
  inferred from their categories.
- **record** — orders completed in the last 365 days (``per_completed`` each, capped) and their mean
  评价 score (``per_score_point`` per point above or below 3).
- **load** — orders still open (发布 … 实施) for the candidate cost ``per_open_order`` each, capped.

Hard filters: resources must be 可用 and not expired (``available_to`` before today), and available
before the demand's 期望完成时间 (or within ``horizon_days`` when none); teams must be 活跃 and people
在册 in the talent pool; a candidate already in a live order for the demand is not suggested again.

Speed (issue #6: 5,000 open demands × 20,000 resources in under 2 s): everything is loaded with
a handful of bulk queries.  Category and area scores are tiers, and the rest of the score
(offered + record + load) does not depend on the demand, so candidates are put into buckets by
(category key, area key), each sorted once by that demand-independent part.  A demand's top *k*
is then a k-way merge of its ~20 buckets, each shifted by its tier weights — no pair is scored
that cannot reach the top.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.db.models import (
    CategoryLink,
    Demand,
    Lookup,
    PartyOrg,
    Person,
    PersonTalent,
    Resource,
    ServiceOrder,
    Team,
    TeamCategory,
    Unit,
)
from silverdesk.errors import NotFound
from silverdesk.progress import NEVER, CancelToken
from silverdesk.services.base import Context

OPEN_STATUSES = ("发布", "认领", "签约", "实施")
DONE_STATUSES = ("完成", "评价")
KINDS = ("resource", "team", "person")
PREFIX_SLACK = 10  # extra candidates remembered per (category, place) query, see _Snapshot.suggest
KIND_LABELS = {"resource": "资源", "team": "服务队", "person": "人才"}

CatKey = tuple[str, int]  # ("minor" | "major" | "act" | "talent", lookup id) or ("all", 0)
AreaKey = tuple[str, int]  # ("comm" | "street", unit id), ("county", 0) or ("unknown", 0)


@dataclass(frozen=True)
class Weights:
    """Every number that decides a ranking.  Documented in the module docstring."""

    same_minor: float = 40
    same_major: float = 25
    related: float = 15
    uncategorised: float = 0  # the demand has no category: every candidate qualifies on this
    same_community: float = 25
    same_street: float = 15
    same_county: float = 5
    unknown_area: float = 0
    offered: float = 5
    per_completed: float = 2
    completed_cap: int = 5
    per_score_point: float = 5
    per_open_order: float = -4
    open_order_cap: int = 5
    urgency: tuple[tuple[str, float], ...] = (("紧急", 10), ("较急", 5))  # ranks demands for a resource
    horizon_days: int = 90  # a demand without 期望完成时间 wants help within this many days
    record_days: int = 365


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Suggestion:
    """One candidate for a demand, best first; ``reason`` is shown to the clerk as it is."""

    kind: str  # "resource" | "team" | "person"
    id: int
    name: str
    score: float
    reason: str
    resource_id: int | None = None
    team_id: int | None = None
    person_id: int | None = None
    party_org_id: int | None = None


@dataclass(frozen=True)
class DemandSuggestion:
    """An open demand a resource could serve."""

    demand_id: int
    title: str
    requester: str
    urgency: str
    wanted_by: dt.date | None
    score: float
    reason: str


@dataclass(slots=True)
class _Item:
    kind: str
    id: int
    name: str
    unit_id: int | None
    cat_keys: list[CatKey]
    base: float = 0.0
    rank: int = 0
    available_from: dt.date | None = None
    need_end: dt.date | None = None  # demands: the last day help is wanted
    open_orders: int = 0
    completed: int = 0
    mean_score: float | None = None
    areas: tuple[AreaKey, ...] = ()  # filled by _Index
    refs: tuple[int | None, int | None, int | None, int | None] = (None, None, None, None)  # resource, team,
    # person, party org: who an order made from this suggestion is for
    extra: dict[str, Any] | None = None


_Hit = tuple[float, _Item, CatKey, AreaKey]


class _Tree:
    """Units and categories, loaded once: area keys, category keys and names."""

    def __init__(self, session: Session) -> None:
        units = session.execute(select(Unit.id, Unit.parent_id, Unit.name)).all()
        self.unit_name = {u.id: u.name for u in units}
        parent = {u.id: u.parent_id for u in units}
        self.unit_path: dict[int, list[int]] = {}
        for uid in parent:
            path, seen, cur = [], set(), uid
            while cur is not None and cur not in seen:
                seen.add(cur)
                path.append(cur)
                cur = parent.get(cur)
            self.unit_path[uid] = path[::-1]  # root first
        lookups = session.execute(select(Lookup.id, Lookup.kind, Lookup.name, Lookup.parent_id)).all()
        self.lookup_name = {r.id: r.name for r in lookups}
        self.lookup_kind = {r.id: r.kind for r in lookups}
        self.major_of = {r.id: (r.parent_id or r.id) for r in lookups if r.kind == "resource_category"}
        self.related: dict[int, list[int]] = defaultdict(list)
        for cat, rel in session.execute(select(CategoryLink.category_id, CategoryLink.related_id)):
            self.related[cat].append(rel)

    def area_keys(self, unit_id: int | None) -> list[AreaKey]:
        """The buckets a candidate at ``unit_id`` is filed under: its community, street and county.

        A candidate whose area is unknown is filed under ``("unknown", 0)`` only.
        """
        path = self.unit_path.get(unit_id, []) if unit_id is not None else []
        if not path:
            return [("unknown", 0)]
        keys: list[AreaKey] = [("county", 0)]
        if len(path) > 1:
            keys.insert(0, ("street", path[1]))
        if len(path) > 2:
            keys.insert(0, ("comm", path[2]))
        return keys

    def area_query(self, unit_id: int | None, w: Weights) -> list[tuple[AreaKey, float]]:
        """The buckets to search for a demand (or resource) at ``unit_id``, with the weight of each."""
        keys = self.area_keys(unit_id)
        if keys == [("unknown", 0)]:
            return [(("county", 0), w.unknown_area), (("unknown", 0), w.unknown_area)]
        tier = {"comm": w.same_community, "street": w.same_street, "county": w.same_county}
        return [(k, tier[k[0]]) for k in keys] + [(("unknown", 0), w.unknown_area)]

    def related_categories(self, keys: Sequence[CatKey]) -> set[int]:
        """The 资源/需求类别 whose keys meet ``keys`` (to load only the resources that can match)."""
        wanted = set(keys)
        return {c for c in self.major_of if wanted.intersection(self.resource_cat_keys(c))}

    def resource_cat_keys(self, category_id: int | None) -> list[CatKey]:
        """Keys of a 资源/需求类别: itself as 小项, its 大类, and the 服务领域/人才库类别 linked to either."""
        if category_id is None or category_id not in self.major_of:
            return []
        major = self.major_of[category_id]
        keys: list[CatKey] = [("major", major)]
        if major != category_id:
            keys.insert(0, ("minor", category_id))
        for rel in dict.fromkeys([*self.related.get(category_id, []), *self.related.get(major, [])]):
            keys.append(("act" if self.lookup_kind.get(rel) == "activity_category" else "talent", rel))
        return keys


class _Index:
    """Items in buckets by (category key, area key), each sorted by the demand-independent score."""

    def __init__(self, tree: _Tree, items: Iterable[_Item]) -> None:
        self.tree = tree
        self.ordered = sorted(
            items, key=lambda it: (-it.base, KINDS.index(it.kind) if it.kind in KINDS else 0, it.id)
        )
        buckets: dict[tuple[CatKey, AreaKey], list[_Item]] = defaultdict(list)
        for rank, item in enumerate(self.ordered):
            item.rank = rank
            item.areas = areas = tuple(tree.area_keys(item.unit_id))
            for ck in item.cat_keys:
                for ak in areas:
                    buckets[(ck, ak)].append(item)  # appended in rank order: already sorted
        self.buckets = dict(buckets)
        self._all_built = False

    def bucket(self, ck: CatKey, ak: AreaKey) -> list[_Item] | None:
        found = self.buckets.get((ck, ak))
        if found is None and ck[0] == "all" and not self._all_built:  # uncategorised queries are rare
            for item in self.ordered:  # build every ("all", area) bucket on first use, in one pass
                for area in item.areas:
                    self.buckets.setdefault((ck, area), []).append(item)
            self._all_built = True
            found = self.buckets.get((ck, ak))
        return found

    def top(
        self,
        cat_keys: Sequence[tuple[CatKey, float]],
        area_keys: Sequence[tuple[AreaKey, float]],
        limit: int,
        accept: Callable[[_Item], bool],
    ) -> list[_Hit]:
        """The best ``limit`` accepted items: a k-way merge of the buckets, each shifted by its weights."""
        heap: list[tuple[float, int, int, int, list[_Item], CatKey, AreaKey, float]] = []
        counter = itertools.count()
        for ck, cw in cat_keys:
            for ak, aw in area_keys:
                bucket = self.bucket(ck, ak)
                if bucket:
                    shift = cw + aw
                    heap.append(
                        (-(shift + bucket[0].base), bucket[0].rank, next(counter), 0, bucket, ck, ak, shift)
                    )
        heapq.heapify(heap)
        seen: set[tuple[str, int]] = set()
        out: list[_Hit] = []
        while heap and len(out) < limit:
            neg, _rank, _n, pos, bucket, ck, ak, shift = heapq.heappop(heap)
            item = bucket[pos]
            if pos + 1 < len(bucket):
                nxt = bucket[pos + 1]
                heapq.heappush(
                    heap, (-(shift + nxt.base), nxt.rank, next(counter), pos + 1, bucket, ck, ak, shift)
                )
            key = (item.kind, item.id)
            if key in seen:
                continue
            seen.add(key)
            if accept(item):
                out.append((-neg, item, ck, ak))
        return out


class MatchingService:
    """Suggestions for the 银龄超市.  Each call reads a fresh snapshot of the lists."""

    def __init__(self, ctx: Context, weights: Weights = DEFAULT_WEIGHTS) -> None:
        self.ctx = ctx
        self.weights = weights

    # --- public ------------------------------------------------------------------------------
    def suggest_for_demand(
        self, demand_id: int, limit: int = 10, kinds: Sequence[str] = KINDS, *, cancel: CancelToken = NEVER
    ) -> list[Suggestion]:
        """Resources, teams and talent-pool people for one demand, best first, each with its reason.

        ``cancel`` is checked between the lists loaded (nothing is written either way)."""
        with self.ctx.db.reader() as session:
            if session.get(Demand, demand_id) is None:
                raise NotFound(f"找不到该需求（编号 {demand_id}），可能已被删除")
            snap = _Snapshot(
                session, self.ctx.today(), self.weights, kinds, demand_ids=[demand_id], cancel=cancel
            )
        cancel.raise_if_set()
        return snap.suggest(snap.demands[0], limit)

    def match_open_demands(self, limit: int = 5, kinds: Sequence[str] = KINDS) -> dict[int, list[Suggestion]]:
        """Suggestions for every 待对接 demand at once (the bulk path, one snapshot for all)."""
        with self.ctx.db.reader() as session:
            snap = _Snapshot(session, self.ctx.today(), self.weights, kinds)
        return {d.id: snap.suggest(d, limit) for d in snap.demands}

    def demands_for_resource(
        self, resource_id: int, limit: int = 10, *, cancel: CancelToken = NEVER
    ) -> list[DemandSuggestion]:
        """The 待对接 demands a resource could serve, best first (``cancel`` as in :meth:`suggest_for_demand`)."""
        with self.ctx.db.reader() as session:
            res = session.get(Resource, resource_id)
            if res is None:
                raise NotFound(f"找不到该资源（编号 {resource_id}），可能已被删除")
            snap = _Snapshot(
                session,
                self.ctx.today(),
                self.weights,
                ("resource",),
                only_resource=resource_id,
                cancel=cancel,
            )
        cancel.raise_if_set()
        if not snap.resources:
            return []  # not 可用, or its availability has ended
        return snap.demands_for(snap.resources[0], limit)


class _Snapshot:
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
        self.tree = _Tree(session)
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
        items: list[_Item] = list(self.resources)
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
        self._index: _Index | None = None
        self._prefixes: dict[tuple[tuple[CatKey, ...], int | None, int], list[tuple[_Item, Suggestion]]] = {}

    # loading -------------------------------------------------------------------------------
    def _load_demands(self, session: Session, ids: Sequence[int] | None) -> list[_Item]:
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
                _Item(
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

    def _load_resources(self, session: Session, only: int | None, categories: set[int] | None) -> list[_Item]:
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
                _Item(
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

    def _load_teams(self, session: Session) -> list[_Item]:
        cats: dict[int, list[CatKey]] = defaultdict(list)
        for team_id, cat in session.execute(select(TeamCategory.team_id, TeamCategory.category_id)):
            cats[team_id].append(("act", cat))
        return [
            _Item(
                "team", r.id, r.name, r.unit_id, cats.get(r.id, []), refs=(None, r.id, None, r.party_org_id)
            )
            for r in session.execute(
                select(Team.id, Team.name, Team.unit_id, Team.party_org_id).where(Team.status == "活跃")
            )
        ]

    def _load_people(self, session: Session, talents: set[int] | None) -> list[_Item]:
        people: dict[int, _Item] = {}
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
                item = people[r.id] = _Item(
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
    def _base(self, item: _Item) -> float:
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
    def index(self) -> _Index:
        if self._index is None:
            self._index = _Index(self.tree, self._items)
        return self._index

    def suggest(self, demand: _Item, limit: int) -> list[Suggestion]:
        need_end = demand.need_end

        def accept(item: _Item) -> bool:
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

    def _suggestion(self, hit: _Hit, demand: _Item) -> Suggestion:
        score, item, ck, ak = hit
        return Suggestion(
            item.kind, item.id, item.name, round(score, 2), self._reason(item, ck, ak, demand), *item.refs
        )

    def demands_for(self, resource: _Item, limit: int) -> list[DemandSuggestion]:
        index = _Index(self.tree, self.demands)

        def accept(demand: _Item) -> bool:
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
        return [
            DemandSuggestion(
                d.id,
                d.name,
                d.extra["requester"] or "",
                d.extra["urgency"],  # type: ignore[index]
                d.extra["wanted_by"],  # type: ignore[index]
                round(score, 2),
                self._demand_reason(d, ck, ak, resource),
            )
            for score, d, ck, ak in found
        ]

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

    def _reason(self, item: _Item, ck: CatKey, ak: AreaKey, demand: _Item) -> str:
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

    def _demand_reason(self, demand: _Item, ck: CatKey, ak: AreaKey, resource: _Item) -> str:
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
