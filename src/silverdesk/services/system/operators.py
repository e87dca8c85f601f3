"""Who is working: the operator name written to the audit log (issue #7).

The app asks for a name once per session (pre-filled with the last one used on this database)
and remembers it in the ``last_operator`` setting.  Remembering is not itself audited: it
changes no data, and one row per start would bury the real entries.
"""

from __future__ import annotations

from sqlalchemy import select

from silverdesk.db.models import Setting
from silverdesk.domain.text import clean
from silverdesk.errors import UserError
from silverdesk.services.base import Context

LAST_OPERATOR = "last_operator"
MAX_LENGTH = 50  # audit_log.operator is String(50)


def clean_operator(name: object) -> str:
    """A trimmed operator name, or :class:`UserError` saying what to type."""
    text = clean(name)
    if not text:
        raise UserError("请填写操作人姓名，它会记入操作日志")
    if len(text) > MAX_LENGTH:
        raise UserError(f"操作人姓名太长（最多 {MAX_LENGTH} 个字）")
    return text


class OperatorService:
    """Remembering and switching the session's operator."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def last(self) -> str:
        """The name used last on this database ("" when none yet)."""
        with self.ctx.db.reader() as session:
            return session.scalar(select(Setting.value).where(Setting.key == LAST_OPERATOR)) or ""

    def remember(self, name: str) -> str:
        """Use ``name`` for this session's audit entries and remember it for the next start.

        Returns:
            The cleaned name.
        """
        value = clean_operator(name)
        with self.ctx.db.session() as session:
            row = session.get(Setting, LAST_OPERATOR)
            if row is None:
                session.add(Setting(key=LAST_OPERATOR, value=value))
            else:
                row.value = value
        self.ctx.operator = value
        return value
