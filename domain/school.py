"""学校 — a school of the district (or an external partner school of a community)."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, RuleViolated
from domain.records import EditableRecord, FieldChange, not_empty

STAGES = ("高中", "初中", "小学", "学前")
EDITABLE = ("name", "group", "stage", "zone")


class School(EditableRecord, KaopingAggregate):
    """A school with its ranking group (分组), stage and zone (片区/协作区)."""

    class Registered(KaopingAggregate.Created):
        name: str
        group: str
        stage: str
        zone: str | None
        external: bool
        node_id: UUID | None = None  # the org node it hangs under (since issue 16)

    class Edited(KaopingAggregate.Event):
        changes: tuple[FieldChange, ...]

    class Archived(KaopingAggregate.Event):
        pass

    class Placed(KaopingAggregate.Event):
        """划转: the school hangs under another org node from now on (since issue 16)."""

        node_id: UUID | None = None

    @classmethod
    def register(
        cls, name: str, group: str, stage: str, zone: str | None, external: bool, cause: Cause,
        node_id: UUID | None = None,
    ) -> School:
        errors = []
        if not name.strip():
            errors.append(FieldError("name", "must not be empty"))
        if not group.strip():
            errors.append(FieldError("group", "must not be empty"))
        if stage not in STAGES:
            errors.append(FieldError("stage", f"must be one of {', '.join(STAGES)}"))
        if errors:
            raise RuleViolated("the school is not valid", tuple(errors))
        return cls(name=name, group=group, stage=stage, zone=zone, external=external,
                   cause=cause, node_id=node_id)

    @event(Registered)
    def __init__(
        self, name: str, group: str, stage: str, zone: str | None, external: bool, cause: Cause,
        node_id: UUID | None = None,
    ) -> None:
        self.node_id = node_id
        self.name = name
        self.group = group
        self.stage = stage
        self.zone = zone
        self.external = external
        self.archived = False

    invalid = "the school is not valid"

    def edit_errors(self, values: Mapping[str, str | None]) -> list[FieldError]:
        """An edit may change any of name, group (分组), stage and zone, with a reason."""
        errors = not_empty(values, "name", "group")
        if "stage" in values and values["stage"] not in STAGES:
            errors.append(FieldError("stage", f"must be one of {', '.join(STAGES)}"))
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
