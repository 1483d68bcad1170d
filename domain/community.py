"""教研共同体 — a community: a core school (牵头学校/核心校) and member schools, over time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, RuleViolated, StateConflict
from domain.records import EditableRecord, FieldChange, not_empty

TYPES = ("integrated", "co_built", "collaborative")  # 融合型 / 共建型 / 协作型
SCOPES = ("市域", "县域", "同城", "都市圈")


@dataclass(frozen=True)
class Membership:
    """A school's time in the community: from ``joined`` until ``left`` (exclusive), if it left."""

    school_id: UUID
    joined: date
    left: date | None = None

    def on(self, day: date) -> bool:
        return self.joined <= day and (self.left is None or day < self.left)


class Community(EditableRecord, KaopingAggregate):
    """Membership has effective dates: who belonged when is answerable for any day."""

    class Registered(KaopingAggregate.Created):
        name: str
        type: str
        scope: str
        core_school_id: UUID
        member_school_ids: tuple[UUID, ...]
        since: date

    class MemberJoined(KaopingAggregate.Event):
        school_id: UUID
        on: date

    class MemberLeft(KaopingAggregate.Event):
        school_id: UUID
        on: date

    class Edited(KaopingAggregate.Event):
        changes: tuple[FieldChange, ...]

    class Archived(KaopingAggregate.Event):
        pass

    @classmethod
    def register(
        cls, name: str, type: str, scope: str, core_school_id: UUID,
        member_school_ids: tuple[UUID, ...], since: date, cause: Cause,
    ) -> Community:
        errors = []
        if not name.strip():
            errors.append(FieldError("name", "must not be empty"))
        if type not in TYPES:
            errors.append(FieldError("type", f"must be one of {', '.join(TYPES)}"))
        if scope not in SCOPES:
            errors.append(FieldError("scope", f"must be one of {', '.join(SCOPES)}"))
        if core_school_id in member_school_ids:
            errors.append(FieldError("member_school_ids", "the core school is not also a member"))
        if len(set(member_school_ids)) != len(member_school_ids):
            errors.append(FieldError("member_school_ids", "a school is listed twice"))
        if errors:
            raise RuleViolated("the community is not valid", tuple(errors))
        return cls(name=name, type=type, scope=scope, core_school_id=core_school_id,
                   member_school_ids=member_school_ids, since=since, cause=cause)

    @event(Registered)
    def __init__(
        self, name: str, type: str, scope: str, core_school_id: UUID,
        member_school_ids: tuple[UUID, ...], since: date, cause: Cause,
    ) -> None:
        self.name = name
        self.type = type
        self.scope = scope
        self.core_school_id = core_school_id
        self.memberships: list[Membership] = [Membership(s, since) for s in member_school_ids]
        self.archived = False

    invalid = "the community is not valid"

    def edit_errors(self, values: Mapping[str, str | None]) -> list[FieldError]:
        """An edit may change the name, type or scope (members join and leave on dates)."""
        errors = not_empty(values, "name")
        if "type" in values and values["type"] not in TYPES:
            errors.append(FieldError("type", f"must be one of {', '.join(TYPES)}"))
        if "scope" in values and values["scope"] not in SCOPES:
            errors.append(FieldError("scope", f"must be one of {', '.join(SCOPES)}"))
        return errors

    @event(Edited)
    def _edit(self, changes: tuple[FieldChange, ...], cause: Cause) -> None:
        for change in changes:
            setattr(self, change.field, change.new)

    @event(Archived)
    def _archive(self, cause: Cause) -> None:
        self.archived = True

    def join(self, school_id: UUID, on: date, cause: Cause) -> None:
        if school_id == self.core_school_id or self._current(school_id, on) is not None:
            raise StateConflict("the school already belongs to this community")
        self._join(school_id=school_id, on=on, cause=cause)

    @event(MemberJoined)
    def _join(self, school_id: UUID, on: date, cause: Cause) -> None:
        self.memberships.append(Membership(school_id, on))

    def leave(self, school_id: UUID, on: date, cause: Cause) -> None:
        current = self._current(school_id, on)
        if current is None:
            raise StateConflict("the school is not a member on that day")
        if on <= current.joined:
            raise RuleViolated("a school leaves after it joined", (FieldError("on", "too early"),))
        self._leave(school_id=school_id, on=on, cause=cause)

    @event(MemberLeft)
    def _leave(self, school_id: UUID, on: date, cause: Cause) -> None:
        for i, membership in enumerate(self.memberships):
            if membership.school_id == school_id and membership.left is None:
                self.memberships[i] = Membership(school_id, membership.joined, on)

    def _current(self, school_id: UUID, on: date) -> Membership | None:
        for membership in self.memberships:
            ongoing = membership.left is None or on < membership.left
            if membership.school_id == school_id and ongoing:
                return membership
        return None

    def members_on(self, day: date) -> tuple[UUID, ...]:
        """The member schools (not the core school) on ``day``."""
        return tuple(m.school_id for m in self.memberships if m.on(day))

    def schools_on(self, day: date) -> tuple[UUID, ...]:
        return (self.core_school_id, *self.members_on(day))

    def schools_during(self, starts_on: date | None, ends_on: date | None) -> tuple[UUID, ...]:
        """The core school and every member that belonged at some time in the period; with no
        period, those whose membership has not ended. What 回避 reads: a school that was in
        the community during the assessed period is the community's, for a judge of it."""
        if starts_on is None or ends_on is None:
            members = [m.school_id for m in self.memberships if m.left is None]
        else:
            members = [m.school_id for m in self.memberships if m.joined <= ends_on
                       and (m.left is None or starts_on < m.left)]
        return (self.core_school_id, *dict.fromkeys(members))
