"""述职计时 — the presentation timer of one ranking group in a round.

Each group with a time limit presents in its drawn order (出场顺序); the timekeeper starts a
presenter, moves to the next, or stops. The timer is its own record beside the assessment
(one per assessment and group, its id derived from both), so keeping time never changes the
assessment's version that score writes check. The instant each presentation started is on
its event: any worker, and any browser, computes the same countdown from it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import StateConflict


def presentation_id(assessment_id: UUID, group: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"kaoping:assessment/{assessment_id}/presentations/{group}")


class Presentation(KaopingAggregate):
    """The timer of one group: who presents now, since when, for how long."""

    class Opened(KaopingAggregate.Created):
        assessment_id: UUID
        group: str

    class Started(KaopingAggregate.Event):
        """A presenter begins; ``limit_seconds`` is the group's limit as it stood then."""

        subject_id: UUID
        name: str
        started_at: datetime
        limit_seconds: int

    class Ended(KaopingAggregate.Event):
        subject_id: UUID
        ended_at: datetime

    @staticmethod
    def create_id(assessment_id: UUID, group: str, cause: Cause) -> UUID:
        return presentation_id(assessment_id, group)

    @event(Opened)
    def __init__(self, assessment_id: UUID, group: str, cause: Cause) -> None:
        self.assessment_id = assessment_id
        self.group = group
        self.subject_id: UUID | None = None
        self.name = ""
        self.started_at: datetime | None = None
        self.limit_seconds = 0
        self.ended_at: datetime | None = None
        self.presented: tuple[UUID, ...] = ()

    @property
    def running(self) -> bool:
        return self.subject_id is not None and self.ended_at is None

    @property
    def deadline(self) -> datetime | None:
        if self.started_at is None:
            return None
        return self.started_at + timedelta(seconds=self.limit_seconds)

    def start(self, subject_id: UUID, name: str, at: datetime, limit_seconds: int,
              cause: Cause) -> None:
        """Start a presenter; one still presenting ends first, at the same instant."""
        if self.running and self.subject_id == subject_id:
            raise StateConflict("this presenter is presenting already")
        if self.running:
            self.stop(at, cause)
        self._start(subject_id=subject_id, name=name, started_at=at,
                    limit_seconds=limit_seconds, cause=cause)

    @event(Started)
    def _start(self, subject_id: UUID, name: str, started_at: datetime, limit_seconds: int,
               cause: Cause) -> None:
        self.subject_id, self.name = subject_id, name
        self.started_at, self.limit_seconds, self.ended_at = started_at, limit_seconds, None
        if subject_id not in self.presented:
            self.presented = (*self.presented, subject_id)

    def next_of(self, order: tuple[UUID, ...]) -> UUID:
        """Who comes after the current presenter in ``order`` (the first if none has
        presented yet)."""
        if self.subject_id is None or self.subject_id not in order:
            return order[0]
        at = order.index(self.subject_id)
        if at + 1 >= len(order):
            raise StateConflict("the last presenter of the group has presented already")
        return order[at + 1]

    def stop(self, at: datetime, cause: Cause) -> None:
        if not self.running:
            raise StateConflict("no presentation is running")
        assert self.subject_id is not None
        self._end(subject_id=self.subject_id, ended_at=at, cause=cause)

    @event(Ended)
    def _end(self, subject_id: UUID, ended_at: datetime, cause: Cause) -> None:
        self.ended_at = ended_at
