"""How 银龄超市 matching ranks: the weights, what a suggestion is, and the index that finds the best.

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

Category and area scores are tiers, and the rest of the score (offered + record + load) does not
depend on the demand, so candidates are put into buckets by (category key, area key), each sorted
once by that demand-independent part (:class:`Index`).  A demand's top *k* is then a k-way merge of
its ~20 buckets, each shifted by its tier weights — no pair is scored that cannot reach the top.
The candidates themselves are loaded, filtered and scored in
:mod:`silverdesk.services.market.match_snapshot`.
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

from silverdesk.db.models import CategoryLink, Lookup, Unit

KINDS = ("resource", "team", "person")
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
class Item:
    """A candidate (resource, team or talent-pool person) or a demand, as the index files it."""

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
    areas: tuple[AreaKey, ...] = ()  # filled by Index
    refs: tuple[int | None, int | None, int | None, int | None] = (None, None, None, None)  # resource, team,
    # person, party org: who an order made from this suggestion is for
    extra: dict[str, Any] | None = None


Hit = tuple[float, Item, CatKey, AreaKey]


class Tree:
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


class Index:
    """Items in buckets by (category key, area key), each sorted by the demand-independent score."""

    def __init__(self, tree: Tree, items: Iterable[Item]) -> None:
        self.tree = tree
        self.ordered = sorted(
            items, key=lambda it: (-it.base, KINDS.index(it.kind) if it.kind in KINDS else 0, it.id)
        )
        buckets: dict[tuple[CatKey, AreaKey], list[Item]] = defaultdict(list)
        for rank, item in enumerate(self.ordered):
            item.rank = rank
            item.areas = areas = tuple(tree.area_keys(item.unit_id))
            for ck in item.cat_keys:
                for ak in areas:
                    buckets[(ck, ak)].append(item)  # appended in rank order: already sorted
        self.buckets = dict(buckets)
        self._all_built = False

    def bucket(self, ck: CatKey, ak: AreaKey) -> list[Item] | None:
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
        accept: Callable[[Item], bool],
    ) -> list[Hit]:
        """The best ``limit`` accepted items: a k-way merge of the buckets, each shifted by its weights."""
        heap: list[tuple[float, int, int, int, list[Item], CatKey, AreaKey, float]] = []
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
        out: list[Hit] = []
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
