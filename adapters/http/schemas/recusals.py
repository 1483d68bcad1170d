"""Shapes: affiliations and unit members as they change, and the recusals that follow."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from msgspec import Meta, Struct

from adapters.http.schemas.base import MAX_IDS, Ids, In, Text
from adapters.http.schemas.people import AffiliationIn

Reason = Annotated[Text, Meta(description="Why (kept in history with who changed it)")]


class AffiliationsIn(In):
    affiliations: Annotated[list[AffiliationIn], Meta(
        max_length=MAX_IDS,
        description="Every affiliation from now on (school, community or unit); [] for none")]
    reason: Reason


class UnitMembersIn(In):
    reason: Reason
    host_user_id: Annotated[UUID | None, Meta(
        description="The host (坊主); a studio has one")] = None
    member_user_ids: Ids = []


class AffiliationOut(Struct):
    kind: str
    id: UUID
    name: str


class RecusalFollowed(Struct):
    """A recusal recorded (or lifted) because the facts changed."""

    assessment_id: UUID
    assessment: str
    judge_id: UUID
    judge: str
    subject_id: UUID
    subject: str
    lifted: bool
    category: str | None
    reason: str


class AffiliationsWritten(Struct):
    id: UUID
    version: int
    position: int | None
    affiliations: list[AffiliationOut]
    recusals: list[RecusalFollowed]


class MembersWritten(Struct):
    id: UUID
    version: int
    position: int | None
    recusals: list[RecusalFollowed]


class AffiliationChange(Struct):
    version: int
    at: datetime
    actor: dict[str, Any]
    reason: str | None
    affiliations: list[AffiliationOut]


class AffiliationsRead(Struct):
    user_id: UUID
    name: str
    role: str
    affiliations: list[AffiliationOut]
    history: list[AffiliationChange]
