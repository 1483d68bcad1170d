"""Research units: 教研组 (research group), 备课组 (prep group), 名师工作室 (studio)."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, RuleViolated
from domain.records import EditableRecord, FieldChange, not_empty

KINDS = ("research_group", "prep_group", "studio")
MIN_GROUP_TEACHERS = 3  # a subject with fewer teachers merges with a related subject


class Unit(EditableRecord, KaopingAggregate):
    """A research unit of a school (or a studio with a host and members across schools)."""

    class Registered(KaopingAggregate.Created):
        kind: str
        name: str
        school_id: UUID | None
        subject: str | None
        host_user_id: UUID | None
        member_user_ids: tuple[UUID, ...]
        parent_id: UUID | None = None  # a 备课组's 教研组
        node_id: UUID | None = None  # the org node it hangs under (since issue 16)

    class Edited(KaopingAggregate.Event):
        changes: tuple[FieldChange, ...]

    class Archived(KaopingAggregate.Event):
        pass

    class Placed(KaopingAggregate.Event):
        """The unit hangs under another org node from now on (since issue 16)."""

        node_id: UUID | None = None

    class MembersChanged(KaopingAggregate.Event):
        """The unit's host and members from now on (the cause says who and why)."""

        host_user_id: UUID | None
        member_user_ids: tuple[UUID, ...]

    @classmethod
    def register(
        cls, kind: str, name: str, school_id: UUID | None, subject: str | None,
        host_user_id: UUID | None, member_user_ids: tuple[UUID, ...], cause: Cause,
        parent: Unit | None = None, node_id: UUID | None = None,
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
        if kind == "prep_group" and (parent is None or parent.kind != "research_group"):
            errors.append(FieldError("parent_id", "a 备课组 belongs to a 教研组"))
        elif parent is not None and kind != "prep_group":
            errors.append(FieldError("parent_id", "only a 备课组 has a parent 教研组"))
        elif parent is not None and parent.school_id != school_id:
            errors.append(FieldError("parent_id", "the 教研组 is of another school"))
        if errors:
            raise RuleViolated("the unit is not valid", tuple(errors))
        return cls(kind=kind, name=name, school_id=school_id, subject=subject,
                   host_user_id=host_user_id, member_user_ids=member_user_ids, cause=cause,
                   parent_id=parent.id if parent else None, node_id=node_id)

    @event(Registered)
    def __init__(
        self, kind: str, name: str, school_id: UUID | None, subject: str | None,
        host_user_id: UUID | None, member_user_ids: tuple[UUID, ...], cause: Cause,
        parent_id: UUID | None = None, node_id: UUID | None = None,
    ) -> None:
        self.node_id = node_id
        self.parent_id = parent_id
        self.kind = kind
        self.name = name
        self.school_id = school_id
        self.subject = subject
        self.host_user_id = host_user_id
        self.member_user_ids = member_user_ids
        self.archived = False

    invalid = "the unit is not valid"

    def edit_errors(self, values: Mapping[str, str | None]) -> list[FieldError]:
        """An edit may change the name or subject (学科), with a reason."""
        errors = not_empty(values, "name")
        return errors

    @event(Edited)
    def _edit(self, changes: tuple[FieldChange, ...], cause: Cause) -> None:
        for change in changes:
            setattr(self, change.field, change.new)

    @event(Archived)
    def _archive(self, cause: Cause) -> None:
        self.archived = True

    @event(Placed)
    def place(self, node_id: UUID | None, cause: Cause) -> None:
        self.node_id = node_id

    def change_members(
        self, host_user_id: UUID | None, member_user_ids: tuple[UUID, ...], cause: Cause
    ) -> bool:
        """Replace the host and members, with a reason; False (nothing recorded) if unchanged."""
        errors = []
        if self.kind == "studio" and host_user_id is None:
            errors.append(FieldError("host_user_id", "a studio has a host (坊主)"))
        if len(set(member_user_ids)) != len(member_user_ids):
            errors.append(FieldError("member_user_ids", "a person is listed twice"))
        if not (cause.reason or "").strip():
            errors.append(FieldError("reason", "say why the members change"))
        if errors:
            raise RuleViolated("the members are not valid", tuple(errors))
        if (host_user_id, set(member_user_ids)) == (self.host_user_id, set(self.member_user_ids)):
            return False
        self._change_members(host_user_id=host_user_id, member_user_ids=member_user_ids,
                             cause=cause)
        return True

    @event(MembersChanged)
    def _change_members(
        self, host_user_id: UUID | None, member_user_ids: tuple[UUID, ...], cause: Cause
    ) -> None:
        self.host_user_id = host_user_id
        self.member_user_ids = member_user_ids

    def people(self) -> tuple[UUID, ...]:
        return ((self.host_user_id,) if self.host_user_id else ()) + self.member_user_ids


def group_warnings(kind: str, subject: str | None, teachers: int) -> tuple[str, ...]:
    """Advice, not a refusal: a subject with fewer than three teachers should merge."""
    if kind == "research_group" and subject and teachers < MIN_GROUP_TEACHERS:
        return (f"{subject}只有{teachers}名教师，不足{MIN_GROUP_TEACHERS}人，"
                "宜与相近学科合并成立教研组",)
    return ()


def unit_label(name: str, school_name: str | None) -> str:
    """How people name a unit: 语文教研组（南钢学校）; a studio without a school keeps its name."""
    return f"{name}（{school_name}）" if school_name else name
