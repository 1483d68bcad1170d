"""佐证材料 — a piece of evidence: its content is stored by hash; the event keeps the hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.setup import Period


@dataclass(frozen=True)
class Citation:
    """Where the evidence is given: a subject's self-assessment of one component."""

    assessment_id: UUID
    subject_id: UUID
    component: str


class Evidence(KaopingAggregate):
    """Who may open it follows from where it is cited (``services.evidence``); the citations
    are kept here, in the log, so that answer never waits for a view."""

    class Uploaded(KaopingAggregate.Created):
        sha256: str
        size: int
        content_type: str
        filename: str
        dated: date  # the day the material is from (材料须在考核期内)
        # The schools it belongs to: its uploader's when uploaded (none before this was kept,
        # and for an admin's upload).
        owners: tuple[UUID, ...] = ()

    class Cited(KaopingAggregate.Event):
        citation: Citation

    @event(Uploaded)
    def __init__(self, sha256: str, size: int, content_type: str, filename: str, dated: date,
                 cause: Cause, owners: tuple[UUID, ...] = ()) -> None:
        self.sha256 = sha256
        self.size = size
        self.content_type = content_type
        self.filename = filename
        self.dated = dated
        self.uploaded_by = cause.actor_id  # its reporter, who may always open it
        self.citations: tuple[Citation, ...] = ()
        self.owners = tuple(owners)

    def cite(self, citation: Citation, cause: Cause) -> None:
        """A self-assessment gives this evidence (once per place: citing again changes
        nothing)."""
        if citation not in self.citations:
            self._cite(citation=citation, cause=cause)

    @event(Cited)
    def _cite(self, citation: Citation, cause: Cause) -> None:
        self.citations = (*self.citations, citation)

    def within(self, period: Period | None) -> bool:
        return period is None or period.starts_on <= self.dated <= period.ends_on
