"""Editing and archiving the tenant's records (学校、用户、组织、共同体): never deleting them.

A record's fields change only through an edit that names who and why; an archived record
stays readable (and its history with it) but takes no new part in assessments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.cause import Cause
from domain.errors import FieldError, RuleViolated, StateConflict


@dataclass(frozen=True)
class FieldChange:
    """One field of a record, from its old value to its new one."""

    field: str
    old: str | None
    new: str | None


def require_reason(cause: Cause) -> None:
    if not (cause.reason or "").strip():
        raise RuleViolated("a reason is required",
                           (FieldError("reason", "say why this record changes"),))


def changes_of(record: Any, values: Mapping[str, str | None],
               cause: Cause) -> tuple[FieldChange, ...]:
    """The fields an edit really changes; refuse an edit without a reason or without effect."""
    require_reason(cause)
    changes = tuple(FieldChange(field, getattr(record, field), new)
                    for field, new in values.items() if getattr(record, field) != new)
    if not changes:
        raise RuleViolated("the edit changes nothing",
                           (FieldError("body", "give at least one new value"),))
    return changes


def check_archivable(record: Any, cause: Cause) -> None:
    require_reason(cause)
    if record.archived:
        raise StateConflict(f"{record.name} is already archived")


def check_active(record: Any, field: str) -> None:
    """An archived record takes no new part: it cannot become a subject or a judge."""
    if getattr(record, "archived", False):
        raise RuleViolated(f"{record.name} is archived",
                           (FieldError(field, f"{record.name} is archived"),))


def not_empty(values: Mapping[str, str | None], *fields: str) -> list[FieldError]:
    return [FieldError(f, "must not be empty") for f in fields
            if f in values and not (values[f] or "").strip()]


class EditableRecord:
    """The edit and archive commands a record shares. Each aggregate keeps its own ``Edited``
    and ``Archived`` events, with the ``_edit`` / ``_archive`` methods that record them (their
    topics are stored), says what makes an edit invalid (``edit_errors``) and how it says so
    (``invalid``)."""

    invalid = "the record is not valid"

    def edit_errors(self, values: Mapping[str, str | None]) -> list[FieldError]:
        return not_empty(values, "name")

    def edit(self, values: dict[str, str | None], cause: Cause) -> tuple[FieldChange, ...]:
        """Change fields, with a reason; an edit that changes nothing is refused."""
        errors = self.edit_errors(values)
        if errors:
            raise RuleViolated(self.invalid, tuple(errors))
        changes = changes_of(self, values, cause)
        self._edit(changes=changes, cause=cause)  # type: ignore[attr-defined]
        return changes

    def archive(self, cause: Cause) -> None:
        """Archive, with a reason: kept and readable, never deleted."""
        check_archivable(self, cause)
        self._archive(cause=cause)  # type: ignore[attr-defined]
