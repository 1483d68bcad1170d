"""Shapes: a round's windows and 出场安排, who is late, and the panel's 综合评价意见."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta, Struct

from adapters.http.schemas.base import ONE_LINE, In, Key, Name, Text

# A date (that day in the tenant's time: from its start, until its end) or a date and time,
# with or without an offset (without: the tenant's time).
Moment = Annotated[str, Meta(min_length=10, max_length=40, pattern=ONE_LINE,
                             examples=["2026-11-10", "2026-11-10T17:00:00+08:00"])]
Clock = Annotated[str, Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["08:30"])]
LateRule = Literal["refuse", "flag"]


class WindowIn(In):
    closes: Moment
    opens: Moment | None = None


class ComponentWindowIn(In):
    self_assessment: WindowIn


class SessionIn(In):
    date: date
    start: Clock | None = None
    venue: Name | None = None


class WindowsIn(In):
    """The round's timetable, whole: what is left out is no longer set."""

    self_assessment: WindowIn | None = None
    components: dict[Key, ComponentWindowIn] = {}
    materials_due_days_before: Annotated[int, Meta(ge=0, le=365)] | None = None
    late: LateRule = "refuse"
    schedule: dict[Key, SessionIn] = {}
    reason: Text | None = None


class WindowOut(Struct):
    closes: datetime
    opens: datetime | None = None


class ComponentWindowOut(Struct):
    self_assessment: WindowOut


class SessionOut(Struct):
    date: date
    start: str | None
    venue: str | None
    group_name: str | None = None


class WindowsOut(Struct):
    assessment_id: UUID
    self_assessment: WindowOut | None
    components: dict[str, ComponentWindowOut]
    materials_due_days_before: int | None
    late: LateRule
    schedule: dict[str, SessionOut]
    time_zone: str
    version: int
    position: int | None = None


class BehindOut(Struct):
    subject_id: UUID
    name: str
    group: str
    state: Literal["missing", "late"]
    filed_at: datetime | None = None


class DeadlineOut(Struct):
    window: Literal["self_assessment", "materials"]
    closes: datetime
    passed: bool
    subjects: list[BehindOut]
    opens: datetime | None = None
    component: str | None = None
    component_name: str | None = None
    group: str | None = None
    group_name: str | None = None


class DeadlinesOut(Struct):
    assessment_id: UUID
    at: datetime
    late: LateRule
    windows: list[DeadlineOut]


class SummaryOpinionIn(In):
    text: Annotated[str, Meta(min_length=1, max_length=4000)]


class OpinionWrittenOut(Struct):
    assessment_id: UUID
    subject_id: UUID
    text: str
    version: int
    position: int | None


__all__ = [
    "BehindOut",
    "ComponentWindowIn",
    "ComponentWindowOut",
    "DeadlineOut",
    "DeadlinesOut",
    "OpinionWrittenOut",
    "SessionIn",
    "SessionOut",
    "SummaryOpinionIn",
    "WindowIn",
    "WindowOut",
    "WindowsIn",
    "WindowsOut",
]
