"""Shapes: corrections to a draft round, and the 出场顺序 (presentation order)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from adapters.http.schemas.assessments import (
    AggregationIn,
    CommunityWeightIn,
    ComponentIn,
    ComponentRuleIn,
    GroupIn,
    NoticeOut,
    OrderGroupOut,
    PeriodIn,
    PublicationIn,
    TiersIn,
)
from adapters.http.schemas.base import In, Key, Name, Text

Quorum = Annotated[int, Meta(ge=1, le=1000)]


class SubjectMoveIn(In):
    group: Key
    reason: Text | None = None


class SubjectChanged(Struct):
    """A subject removed from a draft (``group`` null) or moved to another group."""

    subject_id: UUID
    name: str
    group: str | None
    group_name: str | None
    version: int
    position: int | None
    warnings: list[NoticeOut]


class AssessmentPatch(In):
    """Change a draft: only the fields given change, each as at creation."""

    name: Name | UnsetType = UNSET
    components: list[ComponentIn] | UnsetType = UNSET
    groups: list[GroupIn] | UnsetType = UNSET
    aggregation: AggregationIn | UnsetType = UNSET
    quorum: Quorum | UnsetType = UNSET
    tiers: TiersIn | UnsetType = UNSET
    publication: PublicationIn | UnsetType = UNSET
    period: PeriodIn | UnsetType | None = UNSET  # null removes the period
    community_weights: dict[Key, dict[Key, CommunityWeightIn]] | UnsetType | None = UNSET
    component_rules: Annotated[list[ComponentRuleIn], Meta(max_length=20)] | UnsetType = UNSET
    full_marks: Decimal | UnsetType | None = UNSET  # null: no renormalising
    reason: Text | None = None


class SetupWritten(Struct):
    id: UUID
    version: int
    position: int | None
    changed: list[str]  # the set-up fields that changed (none: nothing was written)
    warnings: list[NoticeOut]


class OrderIn(In):
    """出场顺序 entered by hand: {group key: [subject_id, … in presentation order]}."""

    order: dict[Key, Annotated[list[UUID], Meta(max_length=2000)]]
    reason: Text | None = None


class OrderOut(Struct):
    assessment_id: UUID
    version: int
    groups: list[OrderGroupOut]


class OrderWritten(Struct):
    assessment_id: UUID
    version: int
    position: int | None
    groups: list[OrderGroupOut]
