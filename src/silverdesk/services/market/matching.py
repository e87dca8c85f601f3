"""银龄超市 matching: who could serve a demand, and which open demands a resource could serve.

How a suggestion is scored and ranked is in :mod:`silverdesk.services.market.match_ranking`; what
is loaded for it, and what is filtered out, in :mod:`silverdesk.services.market.match_snapshot`.
"""

from __future__ import annotations

from collections.abc import Sequence

from silverdesk.db.models import Demand, Resource
from silverdesk.errors import NotFound
from silverdesk.progress import NEVER, CancelToken
from silverdesk.services.base import Context
from silverdesk.services.market.match_ranking import (
    DEFAULT_WEIGHTS,
    KINDS,
    DemandSuggestion,
    Suggestion,
    Weights,
)
from silverdesk.services.market.match_snapshot import Snapshot


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
            snap = Snapshot(
                session, self.ctx.today(), self.weights, kinds, demand_ids=[demand_id], cancel=cancel
            )
        cancel.raise_if_set()
        return snap.suggest(snap.demands[0], limit)

    def match_open_demands(self, limit: int = 5, kinds: Sequence[str] = KINDS) -> dict[int, list[Suggestion]]:
        """Suggestions for every 待对接 demand at once (the bulk path, one snapshot for all)."""
        with self.ctx.db.reader() as session:
            snap = Snapshot(session, self.ctx.today(), self.weights, kinds)
        return {d.id: snap.suggest(d, limit) for d in snap.demands}

    def demands_for_resource(
        self, resource_id: int, limit: int = 10, *, cancel: CancelToken = NEVER
    ) -> list[DemandSuggestion]:
        """The 待对接 demands a resource could serve, best first (``cancel`` as in :meth:`suggest_for_demand`)."""
        with self.ctx.db.reader() as session:
            res = session.get(Resource, resource_id)
            if res is None:
                raise NotFound(f"找不到该资源（编号 {resource_id}），可能已被删除")
            snap = Snapshot(
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
