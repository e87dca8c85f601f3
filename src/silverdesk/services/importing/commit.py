"""Write a plan in one transaction: Core bulk inserts, the batch and its rows, one audit entry.

Order inside the transaction: the :class:`ImportBatch` row (its insert also takes SQLite's write
lock, so the ids read next cannot be taken by anyone else), the offered units and teams, the new
records (``session.execute(insert(Model), rows)`` with uniform keys: one ``executemany``), their
link rows, the updates (one ``executemany`` per set of changed columns), an :class:`ImportRow`
per sheet row (``before_json`` keeps what an update replaced and which link rows it added, for
:mod:`silverdesk.services.importing.undo`), the audit summary and the remembered column mapping.  Any
exception rolls all of it back.

On SQLite the new records get explicit ids (``max(id) + 1 …``) so the insert stays a plain
``executemany``; other databases use ``RETURNING`` in parameter order.  On SQLite the statement
is compiled once by SQLAlchemy and its rows go to the driver as tuples (``exec_driver_sql``, in the
same transaction): for 100,000 people SQLAlchemy's per-row parameter processing cost 2.9 s of an
8.6 s commit, more than the driver's own ``executemany``.  Dates are converted here exactly as
SQLAlchemy's SQLite types store them (ISO text), once per distinct value, and the tuples are built
and handed over :data:`INSERT_CHUNK` rows at a time (bounded memory, same speed).
"""

from __future__ import annotations

import json
import logging
import operator
from collections import abc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from functools import partial
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Table, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from silverdesk.db.models import (
    Activity,
    ActivityParticipant,
    ActivityTeam,
    Demand,
    ImportBatch,
    ImportRow,
    MonthlyTheme,
    Person,
    PersonCommunityRole,
    PersonTalent,
    Resource,
    Setting,
    TeamMember,
)
from silverdesk.errors import Conflict
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.base import Context, audit, jsonable
from silverdesk.services.importing.bulk import gc_paused
from silverdesk.services.importing.fields import kind_spec
from silverdesk.services.importing.offers import create_offers, remember_aliases
from silverdesk.services.importing.plan import (
    NEW,
    REJECTED,
    UNCHANGED,
    UPDATED,
    Decision,
    ImportPlan,
    Record,
    RowPlan,
)
from silverdesk.services.importing.safety import refuse_no_rows

log = logging.getLogger(__name__)

MODELS: dict[str, type[Any]] = {
    "person": Person,
    "activity": Activity,
    "resource": Resource,
    "demand": Demand,
    "monthly_theme": MonthlyTheme,
}
LINK_MODELS: dict[str, type[Any]] = {
    "person_community_role": PersonCommunityRole,
    "person_talent": PersonTalent,
    "team_member": TeamMember,
    "activity_team": ActivityTeam,
    "activity_participant": ActivityParticipant,
}
LINK_OWNER = {"person_community_role": "person_id", "person_talent": "person_id", "team_member": "person_id",
              "activity_team": "activity_id", "activity_participant": "activity_id"}  # fmt: skip
LINK_REFS = {
    "person_community_role": ("community_id", "role_id"),
    "person_talent": ("category_id",),
    "team_member": ("team_id",),
    "activity_team": ("team_id",),
}
"""Link columns that may hold an offer's placeholder id (a unit, team or list entry created by this batch)."""
REF_COLUMNS = {"person": ("unit_id", "community_id"), "activity": ("unit_id", "community_id", "category_id"),
               "resource": ("category_id",), "demand": ("requester_unit_id", "category_id"), "monthly_theme": ()}  # fmt: skip
MAPPING_KEY = "import_mapping:{unit}:{signature}"
"""Setting key of a remembered column mapping (unit id 0: no sending unit)."""


def mapping_key(unit_id: int | None, signature: str) -> str:
    return MAPPING_KEY.format(unit=unit_id or 0, signature=signature)


def _backup_before_commit(ctx: Context, cancel: CancelToken) -> Path | None:
    """The one place an import backs up the database before writing (backups are issue #7's:
    ``BackupService.backup_before`` — its folder, naming and rotation; nothing for a server database)."""
    from silverdesk.services.system.backups import BackupService

    taken = BackupService(ctx).backup_before("import", cancel=cancel)
    return taken.path if taken is not None else None


def _sqlite_value(column_type: Any) -> Callable[[Any], Any] | None:
    """The conversion SQLAlchemy's SQLite type would apply before the driver sees a value."""
    if isinstance(column_type, DateTime):
        return lambda v: v if v is None or isinstance(v, str) else v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(column_type, Date):
        return lambda v: v if v is None or isinstance(v, str) else f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
    if isinstance(column_type, Boolean):
        return lambda v: v if v is None else int(bool(v))
    return None


def _executemany(session: Session, table: Table, rows: Sequence[abc.Mapping[str, Any]], *,
                 extra: dict[str, Sequence[Any]] | None = None, refs: dict[int, int] | None = None,
                 ref_columns: Sequence[str] = ()) -> None:  # fmt: skip
    """One INSERT for rows with uniform keys (see the module docstring for the SQLite path).

    ``extra`` adds (or replaces) columns, one value per row (new ids, the batch id); the
    ``ref_columns`` hold placeholders of offers, replaced by ``refs`` (the rows themselves, which
    belong to the plan, are not changed).  ``rows`` may be empty when ``extra`` holds every
    column (rows given column by column).
    """
    extra = extra or {}
    refs = refs or {}
    count = len(rows) if rows else len(next(iter(extra.values()), ()))
    if not count:
        return
    ref_columns = [c for c in ref_columns if refs]
    if session.get_bind().dialect.name != "sqlite":
        session.execute(insert(table), _rows_with(rows or [{}] * count, extra, refs, ref_columns))
        return
    keys = [k for k in (rows[0] if rows else ()) if k not in extra] + list(extra)
    converters = {k: conv for k in keys if (conv := _sqlite_value(table.c[k].type)) is not None}
    # columns taken as they are come first, straight from the rows (one C-level itemgetter per row);
    # the rest (given columns, placeholders, conversions) are built column by column and appended
    plain = [k for k in keys if k not in extra and k not in ref_columns and k not in converters]
    others = [k for k in keys if k not in plain]
    names = ", ".join('"' + table.c[k].name + '"' for k in plain + others)
    marks = ", ".join("?" for _ in keys)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
    source, at = _value_rows(rows)
    take = itemgetter(*map(at, plain)) if len(plain) > 1 else None
    connection = session.connection()
    big = count >= BIG_INSERT
    with _page_cache(connection, BIG_CACHE_KIB) if big else nullcontext(), \
            _indexes_rebuilt(connection, table.name, count) if big else nullcontext():  # fmt: skip
        for start in range(0, count, INSERT_CHUNK):
            part = source[start : start + INSERT_CHUNK]
            head: list[tuple[Any, ...]] = (list(map(take, part)) if take is not None
                                           else [(row[at(plain[0])],) for row in part] if plain else [])  # fmt: skip
            columns_of = []
            for k in others:
                column = (
                    list(extra[k][start : start + INSERT_CHUNK])
                    if k in extra
                    else list(map(itemgetter(at(k)), part))
                )
                if k in ref_columns:
                    column = _convert_column(column, partial(_ref, refs=refs))
                if k in converters:
                    column = _convert_column(column, converters[k])
                columns_of.append(column)
            tail = list(zip(*columns_of, strict=True))
            del columns_of
            if head and tail:
                if len(head) != len(tail):
                    raise ValueError("columns of different lengths")
                params = list(map(tuple.__add__, head, tail))
            else:
                params = head or tail
            del head, tail
            connection.exec_driver_sql(sql, params)


def _value_rows(rows: Sequence[abc.Mapping[str, Any]]) -> tuple[Sequence[Any], Callable[[str], Any]]:
    """``rows`` as the insert reads them, and where a column is in one: :class:`Record` rows sharing
    one column order are read as their value tuples (by position), anything else by key."""
    if not rows or not isinstance(rows[0], Record):
        return rows, _same
    columns = rows[0].columns
    data = []
    for row in rows:
        if not isinstance(row, Record) or row.columns is not columns:
            return rows, _same
        data.append(row.data)
    return data, columns.position.__getitem__


def _same(key: str) -> str:
    return key


def _rows_with(rows: Sequence[abc.Mapping[str, Any]], extra: dict[str, Sequence[Any]], refs: dict[int, int],
               ref_columns: Sequence[str]) -> list[dict[str, Any]]:  # fmt: skip
    """New row dicts with ``extra`` and resolved placeholders (the server-database path)."""
    if not extra and not ref_columns:
        return [row if type(row) is dict else dict(row) for row in rows]
    out = []
    for i, row in enumerate(rows):
        new = {**row, **{k: values[i] for k, values in extra.items()}}
        for c in ref_columns:
            new[c] = _ref(new[c], refs)
        out.append(new)
    return out


BIG_INSERT = 20_000
"""Rows from which an insert runs with SQLite's page cache raised to :data:`BIG_CACHE_KIB`."""
BIG_CACHE_KIB = 16_384


@contextmanager
def _page_cache(connection: Any, kib: int) -> Iterator[None]:
    """SQLite's page cache at ``kib`` KiB for one big insert, then back to what it was.

    Inserting 100,000 people updates seven B-trees in random key order (name, pinyin, phone, ID
    number …); with the default 2 MiB cache their pages keep being evicted and re-read: 16 MiB
    took the ``person`` insert from 3.4–4.1 s to 2.6–2.8 s of CPU (32 MiB gained nothing more).
    Memory only — the journal, ``synchronous`` and durability are untouched.
    """
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


@contextmanager
def _indexes_rebuilt(connection: Any, table: str, inserting: int) -> Iterator[None]:
    """The table's plain (non-unique) indexes dropped for one big insert and recreated after it.

    Only when the table holds no more rows than are being inserted: building an index once from
    sorted keys is cheaper than updating it row by row in random key order, but not when most
    of it is already there.  Everything happens inside the import's one transaction (SQLite's
    DDL is transactional: a failure or a crash leaves the indexes as they were), and the indexes
    come back from their own ``CREATE INDEX`` text in ``sqlite_master``, so the schema after
    the import is byte for byte the one before.  Unique indexes and constraints stay in place
    (they are what refuses a duplicate), as do the rows of ``sqlite_stat1`` (``DROP INDEX``
    deletes an index's statistics; they are put back as they were).
    """
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
        "AND upper(substr(ltrim(sql), 1, 13)) = 'CREATE INDEX '", (table,)).all()  # fmt: skip
    if not indexes or connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar() > inserting:
        yield
        return
    stats: list[Any] = []
    if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        stats = connection.exec_driver_sql(
            "SELECT tbl, idx, stat FROM sqlite_stat1 WHERE tbl = ?", (table,)
        ).all()
    for name, _ in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    try:
        yield
    except BaseException:
        with suppress(Exception):  # the transaction is rolled back anyway; best effort if it were not
            _recreate(connection, table, indexes, stats)
        raise
    _recreate(connection, table, indexes, stats)


def _recreate(connection: Any, table: str, indexes: Sequence[Any], stats: Sequence[Any]) -> None:
    for _, sql in indexes:
        connection.exec_driver_sql(sql)
    names = {name for name, _ in indexes}
    kept = [tuple(r) for r in stats if r[1] in names]
    if kept:
        connection.exec_driver_sql(f"DELETE FROM sqlite_stat1 WHERE tbl = ? AND idx IN ({', '.join('?' * len(names))})",
                                   (table, *names))  # fmt: skip
        connection.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", kept)


def _convert_column(values: list[Any], conv: Callable[[Any], Any]) -> list[Any]:
    """``conv`` over a column, once per distinct value (dates and flags repeat a lot)."""
    try:
        once = {v: conv(v) for v in set(values)}
    except TypeError:  # an unhashable value: convert each
        return [conv(v) for v in values]
    return [once[v] for v in values]


INSERT_CHUNK = 20_000
"""Rows handed to the driver per ``executemany`` (the parameter tuples of one chunk at a time)."""


def bulk_insert(session: Session, model: type[Any], rows: Sequence[abc.Mapping[str, Any]], *, want_ids: bool = True,
                extra: dict[str, Sequence[Any]] | None = None, refs: dict[int, int] | None = None,
                ref_columns: Sequence[str] = ()) -> list[int]:  # fmt: skip
    """Insert ``rows`` (uniform keys) as one executemany; their new ids in order when ``want_ids``.

    ``extra``, ``refs`` and ``ref_columns``: see :func:`_executemany`.
    """
    if not rows and not (extra and not want_ids):
        return []
    table = model.__table__
    extra = dict(extra or {})
    if not want_ids:
        _executemany(session, table, rows, extra=extra, refs=refs, ref_columns=ref_columns)
        return []
    if session.get_bind().dialect.name == "sqlite":
        start = (session.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = range(start, start + len(rows))
        extra["id"] = ids
        _executemany(session, table, rows, extra=extra, refs=refs, ref_columns=ref_columns)
        return list(ids)
    stmt = insert(model.__table__).returning(model.__table__.c.id, sort_by_parameter_order=True)
    return list(session.scalars(stmt, _rows_with(rows, extra, refs or {}, [c for c in ref_columns if refs])))


@gc_paused()
def commit_plan(ctx: Context, plan: ImportPlan, *, progress: Progress = null_progress,
                cancel: CancelToken = NEVER) -> int:  # fmt: skip
    """Write ``plan`` in one transaction and return the new batch id (see the module docstring)."""
    if not plan.rows:  # a header-only table (file or paste): no backup, no empty batch
        raise refuse_no_rows(plan.sheet)
    cancel.raise_if_set()
    progress(0, 100, "正在备份数据库")
    _backup_before_commit(ctx, cancel)
    cancel.raise_if_set()
    try:
        with ctx.db.session() as session:
            return _write(session, ctx, plan, progress, cancel)
    except IntegrityError as exc:
        log.warning("import commit refused by the database: %s", exc)
        raise Conflict(
            "写入时与数据库中的记录冲突（可能在预览之后有人修改了数据）；没有写入任何内容，请重新预览后再导入"
        ) from exc


def _write(session: Session, ctx: Context, plan: ImportPlan, progress: Progress, cancel: CancelToken) -> int:
    counts = plan.counts
    stored = plan.decisions(include_held=False)  # each call reads every row: once for the batch and the audit
    batch = ImportBatch(kind=plan.kind, file_name=plan.file_name[:255], file_sha256=plan.file_sha256,
                        sheet=plan.sheet[:100], operator=ctx.operator[:50], imported_at=ctx.clock(),
                        rows_read=plan.rows_read, imported=counts[NEW], updated=counts[UPDATED],
                        unchanged=counts[UNCHANGED], rejected=counts[REJECTED],
                        mapping_json=json.dumps({"signature": plan.mapping.signature, "columns": plan.remember},
                                                ensure_ascii=False),
                        decisions_json=_decisions_json(plan, stored))  # fmt: skip
    session.add(batch)
    session.flush()
    batch_id = batch.id
    refs = create_offers(session, plan, batch_id)
    unit_id = _ref(plan.unit_ref, refs)
    batch.unit_id = unit_id
    progress(10, 100, "正在写入新增记录")
    cancel.raise_if_set()
    entity = plan.entity
    new_rows = [rp for rp in plan.rows if rp.fate == NEW]
    new_ids = _insert_new(session, plan, new_rows, refs, batch_id)
    progress(50, 100, "正在写入关联")
    cancel.raise_if_set()
    added = _insert_links(session, entity, [(rp, i) for rp, i in zip(new_rows, new_ids, strict=True)], refs,
                          record=("team_member",))  # fmt: skip
    updated_rows = [rp for rp in plan.rows if rp.fate == UPDATED]
    changes = _apply_updates(session, entity, updated_rows, refs)
    added.update(_insert_links(session, entity, [(rp, rp.entity_id) for rp in updated_rows], refs,
                               record=tuple(LINK_MODELS)))  # fmt: skip
    progress(75, 100, "正在记录导入明细")
    cancel.raise_if_set()
    id_of = {rp.row_number: i for rp, i in zip(new_rows, new_ids, strict=True)}
    _insert_import_rows(session, plan, batch_id, id_of, changes, added, refs)
    learned = remember_aliases(session, ctx, plan, batch_id)
    created = [o.label for o in plan.offers]
    audit(session, ctx, "导入", "import_batch", batch_id,
          f"导入{kind_spec(plan.kind).label}“{plan.file_name}”（第 {batch_id} 批）：新增 {counts[NEW]}，"
          f"更新 {counts[UPDATED]}，未变 {counts[UNCHANGED]}，拒绝 {counts[REJECTED]}"
          + (f"；新建{'、'.join(created[:5])}{'等' if len(created) > 5 else ''}" if created else "")
          + (f"；记住别名{'、'.join(learned[:5])}{'等' if len(learned) > 5 else ''}" if learned else ""),
          {"rows_read": plan.rows_read, **counts, "created": created, "aliases": learned, "normalised": [c.as_dict() for c in plan.normalised()],
           "decisions": [d.as_dict() for d in stored]})  # fmt: skip
    _remember_mapping(session, plan, unit_id)
    session.flush()
    cancel.raise_if_set()  # the last safe point: nothing is committed yet, the whole batch rolls back
    progress(100, 100, "导入完成")
    return batch_id


def _ref(value: Any, refs: dict[int, int]) -> Any:
    return refs[value] if isinstance(value, int) and value < 0 else value


def _insert_new(
    session: Session, plan: ImportPlan, rows: list[RowPlan], refs: dict[int, int], batch_id: int
) -> list[int]:
    inserts: list[abc.Mapping[str, Any]] = []
    for rp in rows:
        assert rp.insert is not None
        inserts.append(rp.insert)  # the plan keeps its placeholders: they are resolved on the way in
    model = MODELS[plan.entity]
    batch: dict[str, Sequence[Any]] = (
        {"import_batch_id": [batch_id] * len(inserts)} if "import_batch_id" in model.__table__.columns else {}
    )
    return bulk_insert(session, model, inserts, extra=batch, refs=refs, ref_columns=REF_COLUMNS[plan.entity])


def _insert_links(session: Session, entity: str, owners: Sequence[tuple[RowPlan, int | None]], refs: dict[int, int],
                  *, record: tuple[str, ...]) -> dict[int, dict[str, list[int]]]:  # fmt: skip
    """Insert every owner's link rows; returns row number → {table: new link ids} for ``record`` tables.

    The plan's link dicts go in as they are: the owner id is added and the offers' placeholders
    resolved column-wise on the way in (see :func:`_executemany`).
    """
    per_table: dict[str, tuple[list[int], list[int | None], list[dict[str, Any]]]] = {}
    for rp, owner_id in owners:
        if not rp.links:
            continue
        number = rp.row_number
        for table, links in rp.links.items():
            if not links:
                continue
            entry = per_table.get(table)
            if entry is None:
                entry = per_table[table] = ([], [], [])
            numbers, owner_ids, rows = entry
            numbers.extend([number] * len(links))
            owner_ids.extend([owner_id] * len(links))
            rows.extend(links)
    recorded: dict[int, dict[str, list[int]]] = {}
    for table, (numbers, owner_ids, rows) in per_table.items():
        model = LINK_MODELS[table]
        has_id = "id" in model.__table__.columns
        ref_columns = LINK_REFS.get(table, ())
        missing = [c for c in ref_columns if not all(map(operator.contains, rows, repeat(c)))]
        if missing:  # a placeholder column some rows leave out: fill it in (as None) on copies
            rows = [{**{c: None for c in missing}, **row} for row in rows]
        ids = bulk_insert(session, model, rows, want_ids=has_id and table in record,
                          extra={LINK_OWNER[table]: owner_ids}, refs=refs, ref_columns=ref_columns)  # fmt: skip
        for row_number, new_id in zip(numbers, ids, strict=False):
            recorded.setdefault(row_number, {}).setdefault(table, []).append(new_id)
    return recorded


def _apply_updates(
    session: Session, entity: str, rows: list[RowPlan], refs: dict[int, int]
) -> dict[int, tuple[dict[str, Any], dict[str, Any]]]:
    """Fill blank fields (and the conflicts the clerk settled for the file); row → (before, after)."""
    model = MODELS[entity]
    table = model.__table__
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    changes: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    for rp in rows:
        after = {k: _ref(v, refs) for k, v in (rp.fills or {}).items()}
        before = dict(rp.before or {})
        for c in rp.conflicts or ():
            if c.use_file:
                after[c.field] = _ref(c.incoming, refs)
                before[c.field] = c.stored
        if "name" in after and entity == "person":
            from silverdesk.domain.pinyin import name_columns

            after.update(name_columns(after["name"]))
        if not after:
            continue
        changes[rp.row_number] = (before, after)
        keys = tuple(sorted(after))
        groups.setdefault(keys, []).append({"_pk": rp.entity_id, **{f"v_{k}": after[k] for k in keys}})
    for keys, params in groups.items():
        stmt = (
            update(table).where(table.c.id == bindparam("_pk")).values({k: bindparam(f"v_{k}") for k in keys})
        )
        session.execute(stmt, params)
    return changes


def _insert_import_rows(session: Session, plan: ImportPlan, batch_id: int, id_of: dict[int, int],
                        changes: dict[int, tuple[dict[str, Any], dict[str, Any]]],
                        added: dict[int, dict[str, list[int]]], refs: dict[int, int]) -> None:  # fmt: skip
    """One :class:`ImportRow` per offer (row 0) and per sheet row, handed over column by column."""
    entity = plan.entity
    numbers: list[int] = []
    fates: list[str] = []
    entities: list[str] = []
    entity_ids: list[int | None] = []
    reasons: list[str] = []
    details: list[str] = []
    for offer in plan.offers:
        numbers.append(0)
        fates.append(NEW)
        entities.append(offer.entity)
        entity_ids.append(refs[offer.ref])
        reasons.append(f"导入时新建{offer.label}")
        details.append("")
    rows = plan.rows  # the sheet rows, a column at a time (list comprehensions: no call per value)
    numbers += [rp.row_number for rp in rows]
    fates += [rp.fate for rp in rows]
    entities += ["" if rp.fate == REJECTED else entity for rp in rows]
    id_get = id_of.get
    entity_ids += [id_get(rp.row_number, rp.entity_id) for rp in rows]
    reasons += [rp.reason for rp in rows]
    if changes or added:
        details += [_row_detail(changes.get(rp.row_number), added.get(rp.row_number)) for rp in rows]
    else:
        details += [""] * len(rows)
    bulk_insert(session, ImportRow, [], want_ids=False,
                extra={"batch_id": [batch_id] * len(numbers), "row_number": numbers, "fate": fates,
                       "entity": entities, "entity_id": entity_ids, "reason": reasons, "before_json": details})  # fmt: skip


def _row_detail(
    change: tuple[dict[str, Any], dict[str, Any]] | None, added: dict[str, list[int]] | None
) -> str:
    """A row's ``import_row.before_json``: what an update replaced and the link rows it added (``""``: none)."""
    if change is None and added is None:
        return ""
    detail: dict[str, Any] = {}
    if change is not None:
        before, after = change
        detail["before"] = {k: jsonable(v) for k, v in before.items()}
        detail["after"] = {k: jsonable(v) for k, v in after.items()}
    if added is not None:
        detail["added"] = added
    return json.dumps(detail, ensure_ascii=False)


def _remember_mapping(session: Session, plan: ImportPlan, unit_id: int | None) -> None:
    if not plan.remember:
        return
    key = mapping_key(unit_id, plan.mapping.signature)
    value = json.dumps({"kind": plan.kind, "columns": plan.remember}, ensure_ascii=False)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def _decisions_json(plan: ImportPlan, stored: list[Decision]) -> str:
    """What the import worked out for the clerk, as stored (``stored``: the decisions without held figures)."""
    counts = {kind: n for kind, n in plan.decision_counts(stored).items() if n}
    return json.dumps({"counts": counts, "decisions": [d.as_dict() for d in stored]}, ensure_ascii=False)
