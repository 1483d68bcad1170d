"""Shapes: assessments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import Meta, Struct

from adapters.http.schemas.base import (
    MULTI_LINE,
    ONE_LINE,
    Ids,
    In,
    Key,
    LeafCode,
    Name,
    Score,
    Text,
    exact_scores,
)
from adapters.http.schemas.values import (
    AssessmentStatus,
    CommunityScope,
    CommunityType,
    ComponentKind,
    Method,
    Normalise,
    RuleSelector,
    SubjectKind,
    UnitKind,
)


class ComponentIn(In):
    key: Key
    name: Name
    rubric_id: UUID
    rubric_version: Annotated[int, Meta(ge=1)]
    weight: Decimal
    kind: ComponentKind | None = None  # for communities' bundled scores


class AggregationIn(In):
    method: Method = "mean"
    trim: Annotated[int, Meta(ge=0, le=100)] = 1
    normalise: Normalise = "none"


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
    opinions: bool = False  # 综合评价意见 and 评语 on the results


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
    # Since issue 15: which components apply to whom (none: all to all), and 满分.
    component_rules: Annotated[list[ComponentRuleIn], Meta(max_length=20)] = []
    full_marks: Decimal | None = None


# Keys of components or groups. The items are plain text (litestar leaves an item's own
# constraints out of the document); the domain refuses an unknown key with a 422 naming it.
KeyList = Annotated[list[str], Meta(max_length=50)]


class ComponentRuleIn(In):
    """The components that apply to a kind of subject, a role or a community type."""

    applies_to: RuleSelector
    components: KeyList


class SubjectIn(In):
    kind: SubjectKind
    ref_id: UUID
    group: Key
    components: KeyList = []  # its own (none: the rules)


class NoticeOut(Struct):
    """A warning beside a successful answer (the change was made)."""

    field: str
    message: str


class SubjectAdded(Struct):
    subject_id: UUID
    version: int
    position: int | None
    warnings: list[NoticeOut] = []  # e.g. a school placed outside its registered 分组


class PanelIn(In):
    judge_id: UUID
    groups: KeyList = []  # 考核组 (none: the whole panel)
    chair: bool = False  # 组长: writes the 综合评价意见 (a judge on the panel already: appointed)


class RecusalOut(Struct):
    subject_id: UUID
    category: str
    reason: str
    subject_name: str | None = None


class RecusalIn(In):
    subject_id: UUID
    reason: Annotated[str, Meta(min_length=1, max_length=2000, pattern=MULTI_LINE)]


class SelfAssessmentIn(In):
    scores: dict[LeafCode, Score]
    evidence_ids: Ids = []
    evidence: Annotated[dict[Annotated[str, Meta(max_length=64, pattern=ONE_LINE)], Ids],
                        Meta(max_length=500)] = {}

    def __post_init__(self) -> None:
        self.scores = exact_scores(self.scores)  # type: ignore[assignment,arg-type]


class SelfAssessmentRead(Struct):
    subject_id: UUID
    component: str
    scores: dict[str, float | None]
    total: float | None
    evidence_ids: list[UUID]
    evidence: dict[str, list[UUID]]
    late: str | None = None  # the window its last write missed (accepted and flagged)


class CommunityCreate(In):
    name: Name
    type: CommunityType
    scope: CommunityScope
    core_school_id: UUID
    member_school_ids: Ids = []
    since: date | None = None


class MemberIn(In):
    school_id: UUID
    on: date | None = None


class UnitCreate(In):
    kind: UnitKind
    name: Name
    school_id: UUID | None = None
    subject: Name | None = None
    host_user_id: UUID | None = None
    member_user_ids: Ids = []
    parent_id: UUID | None = None
    node_id: UUID | None = None  # 组织层级: the org node it hangs under (issue 16)


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
    archived: bool = False


class CommentOut(Struct):
    """A judge's 评语 on their card, as published: the judge is not named."""

    component: str
    text: str


class ResultRow(Struct, omit_defaults=True):
    subject_id: UUID
    name: str
    group: str
    tier: str | None
    final: float | None = None
    rank: int | None = None
    opinion: str | None = None  # 综合评价意见, when the round publishes opinions
    comments: list[CommentOut] = []


class ChainOut(Struct):
    """The hash-chain head the sheet follows from: recompute it from an export up to here."""

    position: int
    hash: str


class RubricPinOut(Struct):
    """A component and the published rubric version it was scored on."""

    component: str
    component_name: str
    rubric_id: UUID
    rubric_name: str | None
    version: int


class Results(Struct):
    assessment_id: UUID
    status: str
    ranks_published: bool
    rows: list[ResultRow]
    chain: ChainOut | None = None
    rubrics: list[RubricPinOut] = []
    precision: int = 2  # decimals of every figure, rounded half up (四舍五入)
    opinions_published: bool = False


class RoundingIn(In):
    precision: Annotated[int, Meta(description="decimals of shown figures (0, 1 or 2), for "
                                               "rounds created from now on")]
    reason: Text | None = None


class RoundingOut(Struct):
    precision: int
    rule: str  # "half_up": 四舍五入, tiers and ranks decided on the rounded final
    version: int | None = None
    position: int | None = None


class ConflictOut(Struct):
    subject_id: UUID
    category: str
    reason: str
    subject_name: str | None = None


class PanelAdded(Struct):
    judge_id: UUID
    recusals: list[RecusalOut]
    version: int
    position: int | None
    name: str | None = None


class DrawIn(In):
    seed: Annotated[str, Meta(min_length=1, max_length=200, pattern=ONE_LINE)] | None = None
    reason: Text | None = None  # required once an order exists


class PlacedOut(Struct):
    subject_id: UUID
    name: str
    position: int | None  # null: added after the order was drawn or entered


class OrderGroupOut(Struct):
    key: str
    name: str
    time_limit_minutes: int | None
    schedule: dict[str, Any] | None  # date, start and venue, once given
    subjects: list[PlacedOut]


class DrawOut(Struct):
    seed: str
    order: dict[str, list[UUID]]
    version: int
    position: int | None
    groups: list[OrderGroupOut] = []  # the order with names and time limits


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
    group_name: str | None = None
    warning: str | None = None  # a school placed outside its registered 分组
    components: list[str] = []  # the components that apply to it (issue 15)
    role: str | None = None  # a school's role in its community: core or member


class AssessmentRead(Struct):
    id: UUID
    name: str
    status: AssessmentStatus
    version: int
    components: list[ComponentOut]
    groups: list[dict[str, Any]]
    aggregation: dict[str, Any]
    quorum: int
    subjects: list[SubjectOut]
    panel: list[dict[str, Any]]
    order: dict[str, list[UUID]]
    precision: int = 2  # decimals of shown figures, pinned at creation (四舍五入)


class AssessmentSummary(Struct):
    id: UUID
    name: str
    status: AssessmentStatus


class ScoresIn(In):
    scores: dict[LeafCode, Score]
    reason: Text | None = None
    comment: Text | None = None

    def __post_init__(self) -> None:
        self.scores = exact_scores(self.scores)  # type: ignore[assignment,arg-type]


class ReasonIn(In):
    reason: Text | None = None


class ReopenIn(In):
    """A judge reopens their own card (no judge_id); the admin names the judge."""

    reason: Text
    judge_id: UUID | None = None


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
    comment: str = ""


class Assignment(Struct):
    subject_id: UUID
    name: str
    group: str
    component: str
    state: str  # not_started | draft | submitted
    total: float | None
    group_name: str | None = None
    component_name: str | None = None


class JudgeRef(Struct):
    judge_id: UUID
    name: str | None


class VoidCardOut(Struct):
    """A card left out because its judge is recused from the subject (回避), and why."""

    judge_id: UUID
    name: str
    category: str
    reason: str


class ComponentScore(Struct, omit_defaults=True):
    score: float | None
    converted: float | None
    judges: int
    dropped: list[UUID]
    self_score: float | None
    gap: float | None
    dropped_judges: list[JudgeRef] = []
    void: list[VoidCardOut] = []


class BoardRow(Struct):
    subject_id: UUID
    name: str
    group: str
    components: dict[str, ComponentScore]
    final: float | None
    tier: str | None
    rank: int | None
    flags: list[str]
    group_name: str | None = None


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
    subject_name: str | None = None
    judge_name: str | None = None
    component_name: str | None = None


class HistoryPage(Struct):
    events: list[HistoryEvent]
    next: int | None
