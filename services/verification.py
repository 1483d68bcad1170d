"""Recomputing an assessment's results from its events and comparing, subject by subject."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.assessment import Assessment
from domain.board import BoardState
from domain.results import Row, rows
from domain.rounding import shown
from services.replay import board_at

FIELDS = ("final", "tier", "rank")


@dataclass(frozen=True)
class Difference:
    subject_id: UUID
    field: str
    source: str  # "board" (the projection), "published" (the stored sheet) or "sheet" (a file)
    expected: str | None  # recomputed from the events
    found: str | None
    name: str | None = None  # the subject's name, for people reading the report


def _text(field: str, value: Any, places: int) -> str | None:
    """Finals compare as shown (四舍五入 to the round's precision): a sheet stored with the
    exact final before the rounding rule still matches the figure it showed."""
    if value is None:
        return None
    return str(shown(value, places)) if field == "final" else str(value)


def differences(
    recomputed: Mapping[UUID, Row], sheet: Mapping[UUID, Any], source: str, places: int,
    fields: tuple[str, ...] = FIELDS,
) -> list[Difference]:
    """Every field of every subject where ``sheet`` differs from the recomputed board."""
    found: list[Difference] = []
    for subject_id in sorted(recomputed.keys() | sheet.keys(), key=str):
        mine, theirs = recomputed.get(subject_id), sheet.get(subject_id)
        name = getattr(mine, "name", None) or getattr(theirs, "name", None)
        for field in fields:
            expected = _text(field, getattr(mine, field, None), places) if mine else "(absent)"
            actual = _text(field, getattr(theirs, field, None), places) if theirs else "(absent)"
            if expected != actual:
                found.append(Difference(subject_id, field, source, expected, actual, name))
    return found


def compare(app: Any, assessment: Assessment, projected: BoardState) -> list[Difference]:
    recomputed = {r.subject_id: r for r in rows(board_at(app, assessment.id))}
    places = assessment.setup.precision
    found = differences(recomputed, {r.subject_id: r for r in rows(projected)}, "board", places)
    if assessment.status == "published":
        found += differences(recomputed, {p.subject_id: p for p in assessment.published},
                             "published", places)
    return found
