"""组织层级 and 学期 (issue 16): org nodes, and the tenant's school terms."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta, Struct

from adapters.http.schemas.base import In, Name

Level = Literal["city", "county", "zone", "community", "school", "group"]

__all__ = ["Level", "NodeIn", "NodeOut", "TermIn", "TermsIn", "TermsOut"]


class NodeIn(In):
    level: Level
    name: Name
    parent_id: UUID | None = None


class NodeOut(Struct):
    id: UUID
    level: Level
    name: str
    parent_id: UUID | None
    path: list[str]
    version: int | None = None
    position: int | None = None


class TermIn(In):
    name: Name
    starts_on: date
    ends_on: date


class TermsIn(In):
    terms: Annotated[list[TermIn], Meta(max_length=100)]


class TermsOut(Struct):
    terms: list[TermIn]
    version: int | None = None
    position: int | None = None
