"""年度考核: annual reviews, their parts, manual parts, the board and its check."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta, Struct

from adapters.http.schemas.base import ONE_LINE, Ids, In, Key, Name, Text

__all__ = ["AnnualBoard", "AnnualChangeOut", "AnnualLineOut", "AnnualMismatch",
           "AnnualPartIn", "AnnualPartOut", "AnnualPartRead", "AnnualReviewCreate",
           "AnnualReviewRead", "AnnualReviewSummary", "AnnualSchoolLine", "AnnualSourceOut",
           "AnnualVerification", "AnnualVersionOut",
           "ManualPartIn", "ManualPartWritten"]

Year = Annotated[str, Meta(min_length=1, max_length=20, pattern=ONE_LINE,
                           description="The school year, e.g. 2019-2020", examples=["2019-2020"])]
AppliesTo = Literal["subject", "community_members"]


class AnnualPartIn(In):
    """A part read from a published assessment: its final or one component's score,
    converted by ``weight`` (value × weight) or ``points`` (value ÷ full marks × points)."""

    assessment_id: UUID
    source: Key = "final"
    weight: Decimal | None = None
    points: Decimal | None = None
    applies_to: AppliesTo = "subject"
    label: Name | None = None


class AnnualReviewCreate(In):
    year: Year
    name: Name
    parts: Annotated[list[AnnualPartIn], Meta(max_length=50)] = []


class ManualPartIn(In):
    """A part entered by hand (e.g. 加分 for a provincial award), with evidence and a reason."""

    school_id: UUID
    label: Name
    points: Decimal
    reason: Text
    evidence_ids: Ids = []


class ManualPartWritten(Struct):
    id: UUID
    key: str
    version: int
    position: int | None


class AnnualSourceOut(Struct):
    assessment_id: UUID
    name: str
    log_position: int
    log_head: str


class AnnualPartRead(Struct):
    key: str
    assessment_id: UUID
    assessment_name: str | None
    source: str
    applies_to: str
    weight: float | None
    points: float | None
    label: str


class AnnualReviewRead(Struct):
    id: UUID
    year: str
    name: str
    version: int
    parts: list[AnnualPartRead]
    published: bool = False  # 公布 to the schools: their reporters read their own lines


class AnnualReviewSummary(Struct):
    id: UUID
    year: str
    name: str
    version: int
    published: bool = False


class AnnualPartOut(Struct):
    key: str
    label: str
    source: str  # final, a component key, or manual
    assessment_id: UUID | None
    assessment_name: str
    via: str | None  # the community read, under the share rule
    value: float | None
    converted: float | None
    source_name: str = ""  # 总分, the component's name, or 手工录入


class AnnualLineOut(Struct):
    school_id: UUID
    name: str
    parts: list[AnnualPartOut]
    total: float
    missing: list[str]


class AnnualChangeOut(Struct):
    school_id: UUID
    name: str
    before: float | None
    after: float | None
    difference: float
    parts: list[str]


class AnnualVersionOut(Struct):
    version: int
    position: int
    what: str  # created | source_corrected | manual
    at: datetime | None
    assessment_id: UUID | None
    assessment_name: str | None
    reason: str | None


class AnnualBoard(Struct):
    id: UUID
    year: str
    name: str
    version: int
    as_of: datetime | None
    position: int
    caught_up: bool
    lines: list[AnnualLineOut]
    changes: list[AnnualChangeOut]  # what this version moved, against the one before
    versions: list[AnnualVersionOut]
    sources: list[AnnualSourceOut]
    precision: int
    published: bool = False  # 公布 to the schools
    published_at: datetime | None = None


class AnnualSchoolLine(Struct):
    """One school's annual line (年度考核): each part with its source (the round, its final
    or component, or a manual part), the figure as published and its converted value, and
    the total; the review's version and when it was published to the schools."""

    review_id: UUID
    year: str
    name: str
    version: int
    updated_at: datetime | None  # when the current version was made
    published: bool
    published_at: datetime | None
    school_id: UUID
    school_name: str
    parts: list[AnnualPartOut]
    total: float
    missing: list[str]  # parts whose source has no figure for this school
    precision: int
    caught_up: bool


class AnnualMismatch(Struct):
    school_id: UUID
    name: str
    field: str
    expected: str | None
    found: str | None


class AnnualVerification(Struct):
    ok: bool
    version: int
    mismatches: list[AnnualMismatch]
