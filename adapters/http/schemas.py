"""Request and response shapes. Domain events are never the API schema."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import Meta, Struct

# No control characters in one-line text; multi-line text may keep tabs and line breaks.
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Name = Annotated[str, Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
Key = Annotated[str, Meta(min_length=1, max_length=64, pattern=ONE_LINE)]
Text = Annotated[str, Meta(max_length=10_000, pattern=MULTI_LINE)]
Role = Annotated[str, Meta(max_length=32, pattern=ONE_LINE)]


class In(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of request bodies: unknown fields are refused."""


def points(value: Decimal | None) -> float | None:
    """Points go out as JSON numbers with at most two decimals (exact inside)."""
    if value is None:
        return None
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# -- platform ------------------------------------------------------------------------------


class TenantCreate(In):
    slug: Annotated[str, Meta(max_length=64, pattern=ONE_LINE)]
    name: Name


class TenantCreated(Struct):
    slug: str
    name: str
    status: str
    admin_token: str


class TenantRead(Struct):
    slug: str
    name: str
    status: str
    created_at: datetime


class TenantStatus(Struct):
    slug: str
    status: str


# -- people and organisation ---------------------------------------------------------------


class AffiliationIn(In):
    kind: Key
    id: UUID


class UserCreate(In):
    name: Name
    role: Role
    affiliations: list[AffiliationIn] = []
    subject: Name | None = None  # a teacher's subject


class UserCreated(Struct):
    id: UUID
    token: str
    version: int
    position: int | None


class UserRead(Struct):
    id: UUID
    name: str
    role: str
    affiliations: list[dict[str, Any]]
    subject: str | None


class TokenRead(Struct):
    token: str


class SchoolCreate(In):
    name: Name
    group: Name
    stage: Key
    zone: Name | None = None
    external: bool = False


class SchoolRead(Struct):
    id: UUID
    name: str
    group: str
    stage: str
    zone: str | None
    external: bool


class Written(Struct):
    id: UUID
    version: int
    position: int | None


# -- rubrics -------------------------------------------------------------------------------


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


class RubricPublished(Struct):
    id: UUID
    version: int
    aggregate_version: int
    position: int | None


# -- assessments ---------------------------------------------------------------------------


class ComponentIn(In):
    key: Key
    name: Name
    rubric_id: UUID
    rubric_version: Annotated[int, Meta(ge=1)]
    weight: Decimal
    kind: Key | None = None  # routine | project | distinctive (for communities' bundled scores)


class AggregationIn(In):
    method: Key = "mean"
    trim: Annotated[int, Meta(ge=0, le=100)] = 1
    normalise: Key = "none"


class ThresholdIn(In):
    name: Name
    min: Decimal


class TiersIn(In):
    thresholds: list[ThresholdIn] = []
    quota: dict[str, Decimal] | None = None


class GroupIn(In):
    key: Key
    name: Name
    time_limit_minutes: Annotated[int, Meta(ge=1, le=600)] | None = None


class PublicationIn(In):
    ranks: bool = True


class PeriodIn(In):
    starts_on: date
    ends_on: date


class CommunityWeightIn(In):
    core: Decimal
    members: Decimal


class AssessmentCreate(In):
    name: Name
    components: list[ComponentIn]
    groups: list[GroupIn]
    aggregation: AggregationIn = msgspec.field(default_factory=AggregationIn)
    quorum: Annotated[int, Meta(ge=1, le=1000)] = 1
    tiers: TiersIn = msgspec.field(default_factory=TiersIn)
    publication: PublicationIn = msgspec.field(default_factory=PublicationIn)
    period: PeriodIn | None = None
    # {community type: {component key: {core, members}}}, over 玉环's defaults
    community_weights: dict[Key, dict[Key, CommunityWeightIn]] | None = None


class SubjectIn(In):
    kind: Key
    ref_id: UUID
    group: Key


class SubjectAdded(Struct):
    subject_id: UUID
    version: int
    position: int | None


class PanelIn(In):
    judge_id: UUID


class RecusalOut(Struct):
    subject_id: UUID
    category: str
    reason: str


class RecusalIn(In):
    subject_id: UUID
    reason: Annotated[str, Meta(min_length=1, max_length=2000, pattern=MULTI_LINE)]


class SelfAssessmentIn(In):
    scores: dict[Annotated[str, Meta(max_length=64, pattern=ONE_LINE)], Decimal]
    evidence_ids: list[UUID] = []
    evidence: dict[Annotated[str, Meta(max_length=64, pattern=ONE_LINE)], list[UUID]] = {}


class SelfAssessmentRead(Struct):
    subject_id: UUID
    component: str
    scores: dict[str, float | None]
    total: float | None
    evidence_ids: list[UUID]
    evidence: dict[str, list[UUID]]


class CommunityCreate(In):
    name: Name
    type: Key
    scope: Name
    core_school_id: UUID
    member_school_ids: list[UUID] = []
    since: date | None = None


class MemberIn(In):
    school_id: UUID
    on: date | None = None


class UnitCreate(In):
    kind: Key
    name: Name
    school_id: UUID | None = None
    subject: Name | None = None
    host_user_id: UUID | None = None
    member_user_ids: list[UUID] = []
    parent_id: UUID | None = None


class UnitWritten(Struct):
    id: UUID
    version: int
    position: int | None
    warnings: list[str]


class CommunityOn(Struct):
    id: UUID
    name: str
    type: str
    scope: str
    on: date
    core_school_id: UUID
    member_school_ids: list[UUID]


class ResultRow(Struct, omit_defaults=True):
    subject_id: UUID
    name: str
    group: str
    tier: str | None
    final: float | None = None
    rank: int | None = None


class Results(Struct):
    assessment_id: UUID
    status: str
    ranks_published: bool
    rows: list[ResultRow]


class ConflictOut(Struct):
    subject_id: UUID
    category: str
    reason: str


class PanelAdded(Struct):
    judge_id: UUID
    recusals: list[RecusalOut]
    version: int
    position: int | None


class DrawIn(In):
    seed: Annotated[str, Meta(min_length=1, max_length=200, pattern=ONE_LINE)] | None = None


class DrawOut(Struct):
    seed: str
    order: dict[str, list[UUID]]
    version: int
    position: int | None


class StatusOut(Struct):
    id: UUID
    status: str
    version: int
    position: int | None


class ComponentOut(Struct):
    key: str
    name: str
    rubric_id: UUID
    rubric_version: int
    weight: float | None
    max_points: float | None


class SubjectOut(Struct):
    subject_id: UUID
    kind: str
    ref_id: UUID
    name: str
    group: str


class AssessmentRead(Struct):
    id: UUID
    name: str
    status: str
    version: int
    components: list[ComponentOut]
    groups: list[dict[str, Any]]
    aggregation: dict[str, Any]
    quorum: int
    subjects: list[SubjectOut]
    panel: list[dict[str, Any]]
    order: dict[str, list[UUID]]


class AssessmentSummary(Struct):
    id: UUID
    name: str
    status: str


class ScoresIn(In):
    scores: dict[Annotated[str, Meta(max_length=64, pattern=ONE_LINE)], Decimal]
    reason: Text | None = None


class ReasonIn(In):
    reason: Text | None = None


class ReopenIn(In):
    judge_id: UUID
    reason: Text


class CardOut(Struct):
    version: int
    position: int | None
    total: float | None
    complete: bool
    submitted: bool


class CardRead(Struct):
    subject_id: UUID
    component: str
    judge_id: UUID
    version: int
    scores: dict[str, float | None]
    total: float | None
    submitted: bool


class Assignment(Struct):
    subject_id: UUID
    name: str
    group: str
    component: str
    state: str  # not_started | draft | submitted
    total: float | None


class ComponentScore(Struct):
    score: float | None
    converted: float | None
    judges: int
    dropped: list[UUID]
    self_score: float | None
    gap: float | None


class BoardRow(Struct):
    subject_id: UUID
    name: str
    group: str
    components: dict[str, ComponentScore]
    final: float | None
    tier: str | None
    rank: int | None
    flags: list[str]


class Scoreboard(Struct):
    as_of: datetime | None
    position: int
    caught_up: bool
    rows: list[BoardRow]


class ChangeOut(Struct, rename={"old": "from", "new": "to"}, omit_defaults=True):
    code: str
    old: float | None
    new: float | None
    suggested: float | None = None


class HistoryEvent(Struct):
    position: int
    at: datetime
    actor: dict[str, str]
    type: str
    subject_id: UUID | None
    judge_id: UUID | None
    component: str | None
    changes: list[ChangeOut]
    reason: str | None
    request_id: str
    details: dict[str, Any]


class HistoryPage(Struct):
    events: list[HistoryEvent]
    next: int | None


# -- audit ---------------------------------------------------------------------------------


class LoggedEvent(Struct):
    position: int
    recorded_at: datetime
    originator_id: UUID
    originator_version: int
    topic: str
    state: dict[str, Any]
    hash: str


class LogPage(Struct):
    events: list[LoggedEvent]
    next: int | None


class AuditReport(Struct):
    ok: bool
    length: int
    head: str
    first_bad_position: int | None


class Mismatch(Struct):
    subject_id: UUID
    field: str
    source: str
    expected: str | None
    found: str | None


class Verification(Struct):
    ok: bool
    mismatches: list[Mismatch]


# -- activities, evidence, compliance, certificates ------------------------------------------


class PlanIn(In):
    theme: Name
    form: Name
    planned_on: date
    periods: Annotated[int, Meta(ge=1, le=40)]
    purpose: Text = ""
    plan: Text = ""


class ActivityIn(PlanIn, kw_only=True):
    unit_kind: Key
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
    role: Key = "participant"
    user_id: UUID | None = None


class HoldIn(In):
    held_on: date
    periods: Annotated[int, Meta(ge=1, le=40)]
    participants: list[ParticipantIn] = []
    host_unit_ids: list[UUID] = []
    co_host_unit_ids: list[UUID] = []


class SummaryIn(In):
    highlights: Text
    problems: Text = ""
    improvements: Text = ""
    evidence_ids: list[UUID] = []


class CancelIn(In):
    reason: Annotated[str, Meta(min_length=1, max_length=2000, pattern=MULTI_LINE)]


class ActivityRead(Struct):
    id: UUID
    unit_kind: str
    unit_id: UUID
    status: str
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
    unit_kind: Key
    every: Key
    min_activities: Annotated[int, Meta(ge=0, le=100)] = 1
    min_periods: Annotated[int, Meta(ge=0, le=400)] = 0
    counts: Key = "held"


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
    unit_kind: str
    unit_id: UUID
    name: str
    every: str
    counts: str
    required: int
    met: int
    behind: bool
    missed: list[date]
    activities: int
    periods: int


class Compliance(Struct):
    starts_on: date
    ends_on: date
    units: list[UnitCompliance]
