"""Shapes: audit."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from msgspec import Struct


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
    first_bad_index: int | None = None


class Mismatch(Struct):
    subject_id: UUID
    field: str
    source: str
    expected: str | None
    found: str | None
    name: str | None = None  # the subject's name


class Verification(Struct):
    ok: bool
    mismatches: list[Mismatch]
