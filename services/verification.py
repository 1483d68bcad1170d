"""Recomputing an assessment's results from its events and comparing, subject by subject."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.assessment import Assessment
from domain.board import BoardState
from domain.results import rows
from services.replay import board_at

FIELDS = ("final", "tier", "rank")


@dataclass(frozen=True)
class Difference:
    subject_id: UUID
    field: str
    source: str  # "board" (the projection) or "published" (the sheet)
    expected: str | None  # recomputed from the events
    found: str | None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def compare(app: Any, assessment: Assessment, projected: BoardState) -> list[Difference]:
    recomputed = {r.subject_id: r for r in rows(board_at(app, assessment.id))}
    found: list[Difference] = []
    board = {r.subject_id: r for r in rows(projected)}
    sheets: list[tuple[str, dict[UUID, Any]]] = [("board", board)]
    if assessment.status == "published":
        sheets.append(("published", {p.subject_id: p for p in assessment.published}))
    for source, sheet in sheets:
        for subject_id in recomputed.keys() | sheet.keys():
            mine, theirs = recomputed.get(subject_id), sheet.get(subject_id)
            for field in FIELDS:
                expected = _text(getattr(mine, field, None)) if mine else "(absent)"
                actual = _text(getattr(theirs, field, None)) if theirs else "(absent)"
                if expected != actual:
                    found.append(Difference(subject_id, field, source, expected, actual))
    return found
