"""The annual boards kept by the projector: the review's events folded into its view, and
each event's line in the history (the review's id in the history's assessment column)."""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

from domain.annual import AnnualReview
from domain.annual_board import AnnualState, fold
from services.history import HistoryEntry


class AnnualViews(Protocol):
    def load_annual(self, review_id: UUID) -> AnnualState | None: ...
    def save_annual(self, state: AnnualState) -> None: ...


def project_annual(views: AnnualViews, logged: Any) -> HistoryEntry:
    event = logged.event
    state = views.load_annual(event.originator_id) or AnnualState(event.originator_id)
    views.save_annual(fold(state, event, logged.position, logged.at))
    return annual_entry(logged.position, logged.at, event, state.version)


def annual_entry(position: int, at: Any, event: Any, version: int) -> HistoryEntry:
    cause = event.cause
    details: dict[str, Any] = {"version": version}
    if isinstance(event, AnnualReview.Created):
        details |= {"name": event.name, "year": event.year,
                    "parts": [{"key": p.key, "assessment_id": str(p.assessment_id),
                               "source": p.source, "applies_to": p.applies_to,
                               "weight": None if p.weight is None else str(p.weight),
                               "points": None if p.points is None else str(p.points)}
                              for p in event.parts],
                    "sources": [{"assessment_id": str(s.assessment_id), "name": s.name,
                                 "log_position": s.log_position} for s in event.sources]}
    elif isinstance(event, AnnualReview.SourceCorrected):
        details |= {"assessment_id": str(event.source.assessment_id),
                    "name": event.source.name, "log_position": event.source.log_position}
    elif isinstance(event, AnnualReview.ManualPartEntered):
        part = event.part
        details |= {"key": part.key, "school_id": str(part.school_id),
                    "name": part.school_name, "label": part.label, "points": str(part.points),
                    "evidence_ids": [str(e) for e in part.evidence_ids]}
    return HistoryEntry(position, at, event.originator_id, f"Annual{type(event).__name__}",
                        cause.actor_id, cause.actor_role, cause.request_id, cause.reason,
                        details=details)
