"""Shapes: rubrics."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from msgspec import Meta, Struct

from adapters.http.schemas.base import (
    ONE_LINE,
    In,
    Key,
    Name,
    Text,
)


class EvidenceRuleIn(In):
    form: Name
    min_count: Annotated[int, Meta(ge=1, le=1000)]


class IndicatorIn(In):
    code: Key
    title: Annotated[str, Meta(min_length=1, max_length=2000, pattern=ONE_LINE)]
    weight: Decimal | None = None
    max_points: Decimal | None = None
    guidance: Text | None = None
    children: list[IndicatorIn] = []
    evidence: EvidenceRuleIn | None = None  # which activity records count for this leaf


class RubricIn(In):
    name: Name
    indicators: list[IndicatorIn]
    step: Decimal = Decimal("0.5")
    total: Decimal | None = None  # 满分: publish refuses top-level points that differ from it
    source: Text | None = None  # the document the rubric comes from (文件名、文号)


class IndicatorOut(Struct, omit_defaults=True):
    code: str
    title: str
    weight: float | None = None
    max_points: float | None = None
    guidance: str | None = None
    children: list[IndicatorOut] = []
    evidence: dict[str, Any] | None = None


class RubricDraftOut(Struct):
    name: str
    step: float | None
    max_points: float | None
    indicators: list[IndicatorOut]
    total: float | None = None
    source: str | None = None


class RubricWritten(Struct):
    id: UUID
    version: int
    position: int | None
    draft: RubricDraftOut


class RubricRead(Struct):
    id: UUID
    aggregate_version: int
    draft: RubricDraftOut
    published_versions: list[int]


class RubricVersionRead(Struct):
    id: UUID
    version: int
    name: str
    step: float | None
    max_points: float | None
    indicators: list[IndicatorOut]
    total: float | None = None


class RubricVersionSummary(Struct):
    number: int
    name: str
    max_points: float | None
    total: float | None
    published_at: str


class RubricDraftSummary(Struct):
    name: str
    max_points: float | None
    total: float | None
    unpublished: bool  # the draft has changes no published version has


class RubricListed(Struct):
    id: UUID
    name: str
    draft: RubricDraftSummary
    versions: list[RubricVersionSummary]


class RubricPublished(Struct):
    id: UUID
    version: int
    aggregate_version: int
    position: int | None
