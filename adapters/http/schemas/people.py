"""Shapes: people and organisation."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from msgspec import Meta, Struct

from adapters.http.schemas.base import (
    MAX_IDS,
    In,
    Name,
)
from adapters.http.schemas.values import (
    AffiliationKind,
    Stage,
    UserRole,
)


class AffiliationIn(In):
    kind: AffiliationKind
    id: UUID


class UserCreate(In):
    name: Name
    role: UserRole
    affiliations: Annotated[list[AffiliationIn], Meta(max_length=MAX_IDS)] = []
    subject: Name | None = None  # a teacher's subject
    scope: UUID | None = None  # 组织层级: the org node an admin manages (issue 16)


class UserCreated(Struct):
    id: UUID
    token: str
    version: int
    position: int | None


class UserRead(Struct):
    id: UUID
    name: str
    role: UserRole
    affiliations: list[dict[str, Any]]
    subject: str | None
    archived: bool = False


class TokenRead(Struct):
    token: str


class SchoolCreate(In):
    name: Name
    group: Name
    stage: Stage
    zone: Name | None = None
    external: bool = False
    node_id: UUID | None = None  # 组织层级: the org node it hangs under (issue 16)


class SchoolRead(Struct):
    id: UUID
    name: str
    group: str
    stage: Stage
    zone: str | None
    external: bool
    archived: bool = False


class Written(Struct):
    id: UUID
    version: int
    position: int | None
