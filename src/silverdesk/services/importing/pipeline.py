"""From normalised rows to a plan: every row's fate (新增 / 更新 / 未变 / 拒绝) before anything is written.

The import of one sheet goes::

    plan = plan_table(ctx, table, mapping, kind="roster", unit_name="龙山镇", ...)  # reads the DB only
    plan.choose(row_number, "phone", use_file=True)                   # the clerk settles a conflict
    batch_id = commit_plan(ctx, plan)                                  # commit.py: one transaction

:class:`~silverdesk.services.importing.plan.ImportPlan` (plan.py) holds everything the commit needs
(insert rows with placeholder ids for units and teams still to be created, the values an update
replaces, link rows) and everything the preview shows (reasons, warnings, conflicts, offers).
Planning the rows of each kind lives in :mod:`silverdesk.services.importing.planners`; duplicate rules
in :mod:`silverdesk.services.importing.dedupe`.
"""

from __future__ import annotations

from typing import Any

from silverdesk.domain.codes import code_table, has_code_table
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.importing import planners
from silverdesk.services.importing.bulk import gc_paused
from silverdesk.services.importing.fields import kind_spec
from silverdesk.services.importing.layout import Table, unfill_merged
from silverdesk.services.importing.mapping import Mapping
from silverdesk.services.importing.plan import NORMALISED, ImportPlan, PlanOptions, check_unit_given
from silverdesk.services.importing.rows import normalize_rows


@gc_paused()
def plan_table(
    ctx: Any,
    table: Table,
    mapping: Mapping,
    *,
    kind: str,
    unit_name: str | None,
    file_name: str,
    file_sha256: str,
    options: PlanOptions | None = None,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
) -> ImportPlan:
    """Normalise ``table`` with ``mapping`` and decide every row's fate (reads the DB, writes nothing).

    Args:
        ctx: the service :class:`~silverdesk.services.base.Context`.
        unit_name: the sending unit (``--unit``); unknown names become an offer under the county root.
            Required for rosters and activities unless a column gives each row's unit (:class:`UnitRequired`).
        options: the clerk's choices; planning again with changed options gives the plan the commit
            writes (``fill_merged``: the merged data cells filled or left empty; ``chosen``: what to
            store instead of a decision's value, applied where the decision is made — the normaliser
            for 规范写法, the resolver for 近似匹配, the planners' derivations for 推导).
    """
    check_unit_given(kind, unit_name, mapping, table)  # refuses unknown kinds early too
    options = options or PlanOptions()
    if not options.fill_merged:
        table = unfill_merged(table)
    plan = ImportPlan(
        kind=kind,
        file_name=file_name,
        file_sha256=file_sha256,
        sheet=table.sheet_name,
        unit_name=(unit_name or "").strip(),
        unit_ref=None,
        columns=list(table.columns),
        mapping=mapping,
        remember=mapping.to_remember(table.columns),
        rows_read=len(table.rows),
        warnings=list(table.warnings),
        skipped=list(table.skipped),
        created=ctx.clock(),
        merged_filled=dict(table.merged_filled),
    )
    raw_by_row = {r.row_number: r.values for r in table.rows}
    normalized = normalize_rows(table, mapping, kind, today=ctx.today(), progress=progress, cancel=cancel,
                                confirm_over_limit=options.confirm_over_limit,
                                chosen=options.chosen_for(NORMALISED))  # fmt: skip
    planners.plan_rows(ctx, plan, normalized, raw_by_row, options, cancel, table=table)
    offer_normal_forms(plan)
    return plan


def offer_normal_forms(plan: ImportPlan) -> None:
    """What else the clerk may store for each 规范写法 decision: the other normal forms of its code table."""
    spec = kind_spec(plan.kind)
    for change in plan.normalised():
        field = spec.field(change.field)
        table_key = "yes_no" if field.type == "yes_no" else field.key
        if has_code_table(table_key):
            alternatives = code_table(table_key).alternatives(change.before, change.after)
            plan.choice_options[(NORMALISED, change.field, change.before)] = alternatives
