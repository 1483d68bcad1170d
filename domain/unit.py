"""Research units: 教研组 (research group), 备课组 (prep group), 名师工作室 (studio)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, RuleViolated

KINDS = ("research_group", "prep_group", "studio")


class Unit(KaopingAggregate):
    """A research unit of a school (or a studio with a host and members across schools)."""

    class Registered(KaopingAggregate.Created):
        kind: str
        name: str
        school_id: UUID | None
        subject: str | None
        host_user_id: UUID | None
        member_user_ids: tuple[UUID, ...]

    @classmethod
    def register(
        cls, kind: str, name: str, school_id: UUID | None, subject: str | None,
        host_user_id: UUID | None, member_user_ids: tuple[UUID, ...], cause: Cause,
    ) -> Unit:
        errors = []
        if kind not in KINDS:
            errors.append(FieldError("kind", f"must be one of {', '.join(KINDS)}"))
        if not name.strip():
            errors.append(FieldError("name", "must not be empty"))
        if kind in ("research_group", "prep_group") and school_id is None:
            errors.append(FieldError("school_id", "a 教研组 or 备课组 belongs to a school"))
        if kind == "studio" and host_user_id is None:
            errors.append(FieldError("host_user_id", "a studio has a host (坊主)"))
        if errors:
            raise RuleViolated("the unit is not valid", tuple(errors))
        return cls(kind=kind, name=name, school_id=school_id, subject=subject,
                   host_user_id=host_user_id, member_user_ids=member_user_ids, cause=cause)

    @event(Registered)
    def __init__(
        self, kind: str, name: str, school_id: UUID | None, subject: str | None,
        host_user_id: UUID | None, member_user_ids: tuple[UUID, ...], cause: Cause,
    ) -> None:
        self.kind = kind
        self.name = name
        self.school_id = school_id
        self.subject = subject
        self.host_user_id = host_user_id
        self.member_user_ids = member_user_ids

    def people(self) -> tuple[UUID, ...]:
        return ((self.host_user_id,) if self.host_user_id else ()) + self.member_user_ids
