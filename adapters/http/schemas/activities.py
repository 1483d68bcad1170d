"""Shapes: activities, evidence, compliance, certificates."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from msgspec import Meta, Struct

from adapters.http.schemas.base import (
    MULTI_LINE,
    Ids,
    In,
    Name,
    Text,
)
from adapters.http.schemas.values import (
    ActivityStatus,
    ActivityUnitKind,
    Counts,
    Every,
    ParticipantRole,
)


class PlanIn(In):
    theme: Name
    form: Name
    planned_on: date
    periods: Annotated[int, Meta(ge=1, le=40)]
    purpose: Text = ""
    plan: Text = ""


class ActivityIn(PlanIn, kw_only=True):
    unit_kind: ActivityUnitKind
    unit_id: UUID


class OpinionIn(In):
    reviewer: Name
    text: Text


class ReviewIn(In):
    approved: bool
    opinions: list[OpinionIn]


class ConfirmIn(In):
    document: Name | None = None  # 发文确认: the notice's number


class ParticipantIn(In):
    name: Name
    role: ParticipantRole = "participant"
    user_id: UUID | None = None


class HoldIn(In):
    held_on: date
    periods: Annotated[int, Meta(ge=1, le=40)]
    participants: Annotated[list[ParticipantIn], Meta(max_length=2000)] = []
    host_unit_ids: Ids = []
    co_host_unit_ids: Ids = []


class SummaryIn(In):
    highlights: Text
    problems: Text = ""
    improvements: Text = ""
    evidence_ids: Ids = []


class CancelIn(In):
    reason: Annotated[str, Meta(min_length=1, max_length=2000, pattern=MULTI_LINE)]


class ActivityRead(Struct):
    id: UUID
    unit_kind: ActivityUnitKind
    unit_id: UUID
    status: ActivityStatus
    theme: str
    form: str
    planned_on: date
    periods: int
    held_on: date | None
    participants: list[dict[str, Any]]
    certificates: list[dict[str, str]]
    version: int


class FormIn(In):
    name: Name


class RuleIn(In):
    unit_kind: ActivityUnitKind
    every: Every
    min_activities: Annotated[int, Meta(ge=0, le=100)] = 1
    min_periods: Annotated[int, Meta(ge=0, le=400)] = 0
    counts: Counts = "held"
    # Items as plain text: the document cannot carry an item's pattern (litestar drops it), so
    # a form that is not one of the tenant's is refused by the domain (422), not here (400).
    forms: Annotated[list[str], Meta(max_length=50)] = []  # issue 16: only these forms count


class RulesIn(In):
    rules: list[RuleIn]


class EvidenceOut(Struct):
    id: UUID
    sha256: str
    size: int
    content_type: str
    dated: date
    version: int
    position: int | None


class CertificateOut(Struct):
    code: str
    holder: str


class CertificatesIssued(Struct):
    certificates: list[CertificateOut]
    version: int
    position: int | None


class CertificateCheck(Struct):
    holder: str
    theme: str
    date: date
    issuer: str


class UnitCompliance(Struct):
    unit_kind: ActivityUnitKind
    unit_id: UUID
    name: str
    every: Every
    counts: Counts
    required: int
    met: int
    behind: bool
    missed: list[date]
    activities: int
    periods: int
    forms: list[str] = []  # issue 16: the forms the rule counts; [] for all
    missed_terms: list[str] = []  # issue 16: a rule every term: the terms it was behind in
    missed_ends: list[date] = []  # the last day of each missed window, as ``missed``
    missed_years: list[str] = []  # a rule every school_year: the 学年 it was behind in


class Compliance(Struct):
    starts_on: date
    ends_on: date
    units: list[UnitCompliance]
