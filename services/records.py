"""Editing, archiving and the history of schools, users, units and communities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.community import Community
from domain.errors import FieldError, RuleViolated
from domain.records import FieldChange, require_reason
from domain.school import School
from domain.unit import Unit
from domain.user import User
from services.base import Written
from services.names import NameClaims

KINDS: dict[str, type[KaopingAggregate]] = {
    "school": School, "user": User, "unit": Unit, "community": Community}
# What each kind's registration shows as its first change, from nothing to its value.
REGISTERED_FIELDS = {
    "school": ("name", "group", "stage", "zone"),
    "user": ("name", "role", "subject"),
    "unit": ("kind", "name", "subject"),
    "community": ("name", "type", "scope"),
}


@dataclass(frozen=True)
class RecordEvent:
    """One change of a record as a person reads it: when, who (and their name), why, what."""

    version: int
    at: datetime
    type: str
    actor_id: str
    actor_role: str
    actor_name: str | None
    reason: str | None
    changes: tuple[FieldChange, ...]


class RecordCommands(NameClaims):
    def record(self, kind: str, record_id: UUID) -> Any:
        return self.load(KINDS[kind], record_id, kind)

    def edit_record(self, kind: str, record_id: UUID, values: dict[str, str | None],
                    cause: Cause, expected_version: int | None = None,
                    node: tuple[UUID | None] | None = None) -> Written:
        """PATCH: the record's own fields, with a reason; a rename claims the new name.
        ``node``: (the org node a school or unit hangs under from now on,) — 划转."""
        record = self.record(kind, record_id)
        self.check_version(record, expected_version)
        old_name = record.name
        if node is not None:
            if not hasattr(record, "place"):
                raise RuleViolated(f"a {kind} does not hang under an org node",
                                   (FieldError("node_id", "only schools and units"),))
            require_reason(cause)
            if record.node_id != node[0]:
                record.place(node[0], cause)
            elif not values:
                raise RuleViolated("the edit changes nothing",
                                   (FieldError("body", "give at least one new value"),))
            if not values:
                return self.write(record)
        changes = record.edit(values, cause)
        if any(change.field == "name" for change in changes):
            return self.write_named(record, cause, old_name)
        return self.write(record)

    def archive_record(self, kind: str, record_id: UUID, cause: Cause,
                       expected_version: int | None = None) -> Written:
        """Archived, never deleted: still readable, its history kept, its name still held."""
        record = self.record(kind, record_id)
        self.check_version(record, expected_version)
        record.archive(cause)
        return self.write(record)

    def record_history(self, kind: str, record_id: UUID) -> tuple[RecordEvent, ...]:
        """Read from the record's own events (the log), so it is never behind."""
        self.record(kind, record_id)
        names: dict[str, str | None] = {}
        out = []
        for event in self.repository.event_store.get(record_id):
            cause: Cause = event.cause
            if cause.actor_id not in names:
                names[cause.actor_id] = self._actor_name(cause.actor_id)
            if isinstance(event, _EDITS):
                changes = tuple(event.changes)
            elif isinstance(event, School.Placed | Unit.Placed):  # 划转 (issue 16)
                changes = (FieldChange("node_id", None, _text(event.node_id)),)
            elif event.originator_version == 1:
                changes = tuple(FieldChange(f, None, _text(getattr(event, f, None)))
                                for f in REGISTERED_FIELDS[kind]
                                if getattr(event, f, None) is not None)
            else:
                changes = ()
            out.append(RecordEvent(event.originator_version, event.timestamp,
                                   type(event).__name__, cause.actor_id, cause.actor_role,
                                   names[cause.actor_id], cause.reason, changes))
        return tuple(out)

    def _actor_name(self, actor_id: str) -> str | None:
        try:
            user = self.load_or_none(User, UUID(actor_id))
        except ValueError:  # the operator, or the system
            return None
        return user.name if user is not None else None


_EDITS = (School.Edited, User.Edited, Unit.Edited, Community.Edited)


def _text(value: Any) -> str:
    return str(value)
