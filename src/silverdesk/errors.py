"""Errors the layers below ``ui`` raise.

Messages are Chinese sentences a clerk can act on; the GUI shows ``str(exc)`` and the CLI
prints it.  ``code`` is stable for tests and for callers that want to branch on the kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class SilverdeskError(Exception):
    """Base of every error silverdesk raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class UserError(SilverdeskError):
    """Expected and fixable by the user: bad input, a file in the wrong shape, a refused step."""

    code = "user_error"


class NotFound(UserError):
    code = "not_found"


class Conflict(UserError):
    """The change clashes with what is stored (duplicate ID number, name already used …)."""

    code = "conflict"


@dataclass(frozen=True)
class FieldError:
    field: str  # the input field's key, e.g. "id_number"
    message: str  # Chinese, says what is wrong and how to fix it


class ValidationError(UserError):
    """One or more fields are invalid.  ``errors`` lists them for display beside each field."""

    code = "validation"

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("；".join(e.message for e in self.errors) or "输入有误")

    def for_field(self, name: str) -> list[str]:
        return [e.message for e in self.errors if e.field == name]


class StorageError(SilverdeskError):
    code = "storage"


class DatabaseTooNew(StorageError):
    code = "db_too_new"


class DatabaseLocked(StorageError):
    code = "db_locked"


class DatabaseCorrupt(StorageError):
    code = "db_corrupt"


class Cancelled(SilverdeskError):
    code = "cancelled"

    def __init__(self, message: str = "操作已取消") -> None:
        super().__init__(message)


@dataclass
class Warnings:
    """Non-fatal remarks collected while normalising input (shown, never blocking)."""

    items: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, message: str) -> None:
        self.items.append(FieldError(field_name, message))
