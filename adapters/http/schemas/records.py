"""Shapes: editing, archiving and the history of schools, users, units and communities."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from adapters.http.schemas.base import ONE_LINE, In, Key, Name

Reason = Annotated[str, Meta(min_length=1, max_length=2000, pattern=ONE_LINE,
                             description="why (required): kept with the change")]


class SchoolEdit(In):
    reason: Reason
    name: Name | UnsetType = UNSET
    group: Name | UnsetType = UNSET
    stage: Key | UnsetType = UNSET
    zone: Name | UnsetType | None = UNSET  # null clears the zone
    node_id: UUID | UnsetType = UNSET  # 划转: the org node it hangs under from now on (#16)


class UserEdit(In):
    """Affiliations change through ``PUT /users/{id}/affiliations`` (回避 is re-derived)."""

    reason: Reason
    name: Name | UnsetType = UNSET
    subject: Name | UnsetType | None = UNSET  # a teacher's subject (学科)


class UnitEdit(In):
    reason: Reason
    name: Name | UnsetType = UNSET
    subject: Name | UnsetType | None = UNSET
    node_id: UUID | UnsetType = UNSET  # the org node it hangs under from now on (issue 16)


class CommunityEdit(In):
    reason: Reason
    name: Name | UnsetType = UNSET
    type: Key | UnsetType = UNSET
    scope: Name | UnsetType = UNSET


class ArchiveIn(In):
    reason: Reason


class SchoolOut(Struct):
    id: UUID
    name: str
    group: str
    stage: str
    zone: str | None
    external: bool
    archived: bool
    version: int
    node_id: UUID | None = None  # 组织层级 (issue 16)


class UserOut(Struct):
    id: UUID
    name: str
    role: str
    affiliations: list[dict[str, Any]]
    subject: str | None
    archived: bool
    version: int


class UnitOut(Struct):
    id: UUID
    kind: str
    name: str
    school_id: UUID | None
    school_name: str | None
    subject: str | None
    host_user_id: UUID | None
    member_user_ids: list[UUID]
    parent_id: UUID | None
    archived: bool
    version: int
    node_id: UUID | None = None  # 组织层级 (issue 16): its own node, if it has one


class FieldChangeOut(Struct, rename={"old": "from", "new": "to"}):
    field: str
    old: str | None
    new: str | None


class RecordEventOut(Struct):
    version: int
    at: datetime
    type: str
    actor: dict[str, str | None]  # {id, role, name}
    reason: str | None
    changes: list[FieldChangeOut]


class RecordHistory(Struct):
    id: UUID
    kind: str
    name: str
    archived: bool
    events: list[RecordEventOut]


class AdminTokenIn(In):
    """Both optional: by default the tenant's first admin gets the new token."""

    reason: Annotated[str, Meta(max_length=2000, pattern=ONE_LINE)] | None = None
    user_id: UUID | None = None


class AdminTokenIssued(Struct):
    token: str
    user_id: UUID
    name: str
