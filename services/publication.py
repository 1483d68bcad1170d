"""公示: the published sheet exactly as it was stored, tied to the log and the rubrics.

The sheet is read from the ``ResultsPublished`` event, never recomputed: a sheet published
under an older rule reads exactly as it did. It carries the hash-chain head it follows from
(``position``, ``hash``) and the pinned rubric version of each component, so anyone holding
an export of the log can recompute it (``kaoping audit verify --file … --results …``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.assessment import Assessment
from domain.errors import NotFound, StateConflict


@dataclass(frozen=True)
class SheetLine:
    subject_id: UUID
    name: str
    group: str
    final: Decimal | None
    tier: str | None
    rank: int | None


@dataclass(frozen=True)
class RubricPin:
    """A component and the rubric version it was scored on (pinned at creation)."""

    component: str
    component_name: str
    rubric_id: UUID
    rubric_name: str | None
    version: int


@dataclass(frozen=True)
class Sheet:
    assessment_id: UUID
    lines: tuple[SheetLine, ...]
    log_position: int
    log_head: str
    rubrics: tuple[RubricPin, ...]
    precision: int


def published_event(app: Any, assessment_id: UUID) -> Assessment.ResultsPublished | None:
    """The assessment's last ``ResultsPublished`` event (read newest first: it is recent)."""
    for event in app.repository.event_store.get(assessment_id, desc=True):
        if isinstance(event, Assessment.ResultsPublished):
            return event
    return None


def rubric_pins(app: Any, assessment: Assessment) -> tuple[RubricPin, ...]:
    pins = []
    for c in assessment.setup.components:
        try:
            name: str | None = app.rubric(c.rubric_id).published(c.rubric_version).name
        except NotFound:  # the name is a courtesy; the pin itself is the fact
            name = None
        pins.append(RubricPin(c.key, c.name, c.rubric_id, name, c.rubric_version))
    return tuple(pins)


def published_sheet(app: Any, assessment: Assessment) -> Sheet:
    if assessment.status != "published":
        raise StateConflict("the results are not published yet")
    event = published_event(app, assessment.id)
    assert event is not None, "a published assessment has its ResultsPublished event"
    lines = []
    for result in event.results:
        subject = assessment.subjects.get(result.subject_id)
        lines.append(SheetLine(result.subject_id, subject.name if subject else "",
                               subject.group if subject else "", result.final, result.tier,
                               result.rank))
    return Sheet(assessment.id, tuple(lines), event.log_position, event.log_head,
                 rubric_pins(app, assessment), assessment.setup.precision)
