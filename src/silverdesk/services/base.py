"""What every service shares: the context (database, operator, clock), auditing and generic CRUD."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.schema import ColumnDefault

from silverdesk.db.base import Base
from silverdesk.db.engine import Database
from silverdesk.db.models import AuditLog
from silverdesk.domain.fields import FieldSpec, clean_fields
from silverdesk.domain.names import with_alias
from silverdesk.errors import Conflict, NotFound, reason_of


def default_operator() -> str:
    name = os.environ.get("SILVERDESK_OPERATOR")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account, odd container)
        return "未署名"


@dataclass
class Context:
    """Passed to every service: no globals anywhere."""

    db: Database
    operator: str = field(default_factory=default_operator)
    clock: Callable[[], dt.datetime] = dt.datetime.now

    def today(self) -> dt.date:
        return self.clock().date()


def jsonable(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def snapshot(obj: Base, keys: Sequence[str] | None = None) -> dict[str, object]:
    """Column values of an ORM object (for audit and undo)."""
    mapper = inspect(type(obj))
    names = keys or [c.key for c in mapper.column_attrs if c.key not in ("created_at", "updated_at")]
    return {k: getattr(obj, k) for k in names}


def diff(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list[object]]:
    return {
        k: [jsonable(before.get(k)), jsonable(after.get(k))] for k in after if before.get(k) != after.get(k)
    }


def audit(
    session: Session,
    ctx: Context,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str = "",
    changes: Mapping[str, object] | None = None,
) -> None:
    session.add(
        AuditLog(
            at=ctx.clock(),
            operator=ctx.operator,
            action=action,
            entity=entity,
            entity_id=entity_id,
            summary=summary[:300],
            changes_json=json.dumps(changes or {}, ensure_ascii=False, default=str),
        )
    )


M = TypeVar("M", bound=Base)


class _Keyed(Protocol):
    id: int


def _id(obj: Base) -> int:
    """The primary key of a :class:`CrudService` record: each of their models has an integer ``id``."""
    return cast(_Keyed, obj).id


class CrudService(Generic[M]):
    """Create / update / retire for one record type, validated by field specs, audited.

    Subclasses declare ``model``, ``entity`` (the table name used in the audit log), ``label``
    (Chinese, for messages), ``specs`` and optionally override :meth:`check` for cross-field
    rules and :meth:`describe` for the audit summary.
    """

    model: type[M]  # set on the subclass (a ClassVar cannot hold a type variable)
    entity: ClassVar[str]
    label: ClassVar[str]
    specs: ClassVar[Sequence[FieldSpec]]
    retire_field: ClassVar[tuple[str, object] | None] = None  # e.g. ("status", "撤销")
    derived: ClassVar[tuple[str, ...]] = ()
    """Columns :meth:`clean` computes from others (a person's pinyin keys): stored, never audited."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # hooks ---------------------------------------------------------------------------------
    def check(self, session: Session, values: dict[str, object], current: M | None) -> None:
        """Cross-field and database rules; raise ValidationError/Conflict."""

    def describe(self, obj: M) -> str:
        return str(getattr(obj, "name", None) or getattr(obj, "title", None) or _id(obj))

    def after_save(self, session: Session, obj: M, values: dict[str, object], raw: Mapping[str, Any]) -> None:
        """Write related rows (members, roles …) after the main row has an id."""

    def after_retire(self, session: Session, obj: M, old: object) -> dict[str, list[object]]:
        """Record what retiring dates (a team's 撤销 day, a resource's status history); the changes made."""
        return {}

    # operations ----------------------------------------------------------------------------
    def clean(self, raw: Mapping[str, Any], *, partial: bool = False) -> dict[str, object]:
        return clean_fields(self.specs, raw, partial=partial).values

    def create(self, raw: Mapping[str, Any]) -> int:
        values = self.clean(raw)
        with self.ctx.db.session() as session:
            return self.create_in(session, values, raw)

    def create_in(
        self, session: Session, values: dict[str, object], raw: Mapping[str, Any] | None = None
    ) -> int:
        self.check(session, values, None)
        obj = self.model(**{k: v for k, v in values.items() if v is not None or _nullable(self.model, k)})
        session.add(obj)
        self._flush(session)
        self.after_save(session, obj, values, raw or {})
        audit(
            session,
            self.ctx,
            "新增",
            self.entity,
            _id(obj),
            f"新增{self.label}：{self.describe(obj)}",
            {
                k: [None, jsonable(v)]
                for k, v in values.items()
                if v not in (None, "") and k not in self.derived
            },
        )
        return _id(obj)

    def update(self, obj_id: int, raw: Mapping[str, Any]) -> dict[str, list[object]]:
        values = self.clean(raw, partial=True)
        with self.ctx.db.session() as session:
            obj = self.load(session, obj_id)
            self.check(session, values, obj)
            before = snapshot(obj, list(values))
            for k, v in values.items():
                setattr(obj, k, v if v is not None or _nullable(self.model, k) else _default(self.model, k))
            old_name, aliases = (
                before.get("name") if "name" in values else None,
                getattr(obj, "aliases", None),
            )
            if (
                isinstance(old_name, str)
                and isinstance(aliases, str)
                and old_name not in ("", values["name"])
            ):
                # a renamed unit or team: the files units send still use the old name
                obj.aliases = with_alias(aliases, old_name)  # type: ignore[attr-defined]
            self._flush(session)
            self.after_save(session, obj, values, raw)
            kept = [k for k in values if k not in self.derived]
            changes = diff(before, snapshot(obj, kept))
            if changes:
                audit(
                    session,
                    self.ctx,
                    "修改",
                    self.entity,
                    _id(obj),
                    f"修改{self.label}：{self.describe(obj)}",
                    changes,
                )
            return changes

    def retire(self, obj_id: int, note: str = "") -> None:
        assert self.retire_field is not None
        key, value = self.retire_field
        with self.ctx.db.session() as session:
            obj = self.load(session, obj_id)
            old = getattr(obj, key)
            setattr(obj, key, value)
            dated = self.after_retire(session, obj, old)
            audit(
                session,
                self.ctx,
                "注销",
                self.entity,
                _id(obj),
                f"{self.label}“{self.describe(obj)}”{value}{('：' + note) if note else ''}",
                {key: [old, value], **dated},
            )

    def load(self, session: Session, obj_id: int) -> M:
        obj = session.get(self.model, obj_id)
        if obj is None:
            raise NotFound(f"找不到该{self.label}（编号 {obj_id}），可能已被其他人删除")
        return obj

    def get(self, obj_id: int) -> dict[str, object]:
        with self.ctx.db.reader() as session:
            return snapshot(self.load(session, obj_id))

    def _flush(self, session: Session) -> None:
        try:
            session.flush()
        except IntegrityError as exc:
            raise Conflict(
                f"保存{self.label}失败：{reason_of(exc) or '与已有记录重复或引用了不存在的记录'}"
            ) from exc


def _nullable(model: type[Base], key: str) -> bool:
    col = inspect(model).columns.get(key)
    return col is None or bool(col.nullable)


def _default(model: type[Base], key: str) -> object:
    col = inspect(model).columns[key]
    if isinstance(col.default, ColumnDefault) and not callable(col.default.arg):
        return col.default.arg
    return None


def exists(session: Session, model: type[Base], **where: object) -> int | None:
    stmt = select(model.id).filter_by(**where).limit(1)  # type: ignore[attr-defined]
    found: int | None = session.scalar(stmt)
    return found


def holders(values: Mapping[str, Any], current: object | None) -> list[str]:
    """Which of person/team/party org the record will point to after this change."""
    return [
        k
        for k in ("person_id", "team_id", "party_org_id")
        if values.get(k, getattr(current, k) if current else None) is not None
    ]
