"""Replaying the log: the board as it stood at any position, with the projector's own fold.

The log is indexed by assessment (``event_log.assessment_id``, written with each event), so
a replay reads the assessment's own events, not the whole tenant's log.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from domain.board import BoardState, assessment_of, fold

PAGE = 1000


@runtime_checkable
class AssessmentIndex(Protocol):
    """A recorder that can select an assessment's events (the PostgreSQL one can; the
    library's in-memory one cannot, and is read whole)."""

    def select_assessment_events(self, assessment_id: UUID, upto: int | None = None
                                 ) -> Iterable[Any]: ...


def read_log(app: Any, upto: int | None = None, after: int = 0) -> Iterator[tuple[int, Any]]:
    """(position, event) for every event after ``after`` up to ``upto`` (inclusive)."""
    start = after + 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=PAGE, stop=upto)
        for notification in page:
            yield notification.id, app.mapper.to_domain_event(notification)
        if len(page) < PAGE:
            return
        start = page[-1].id + 1


def read_assessment(app: Any, assessment_id: UUID, upto: int | None = None
                    ) -> Iterable[tuple[int, Any]]:
    """(position, event) for the assessment's events up to ``upto``, in log order — and
    perhaps others' (events not indexed yet): callers keep those ``assessment_of`` gives it."""
    if not isinstance(app.recorder, AssessmentIndex):
        return read_log(app, upto)
    events = app.recorder.select_assessment_events(assessment_id, upto)
    if (decode := getattr(app.mapper, "decode", None)) is not None:  # the columns as they are
        return ((n.id, decode(n.topic, n.originator_id, n.originator_version, n.state))
                for n in events)
    to_domain = app.mapper.to_domain_event
    return ((n.id, to_domain(n)) for n in events)


def board_at(app: Any, assessment_id: UUID, upto: int | None = None) -> BoardState:
    """The board state folded from the log alone, up to position ``upto`` (None: all)."""
    state = BoardState(assessment_id)
    target = assessment_id.int  # ints compare in C, UUIDs in Python
    for position, event in read_assessment(app, assessment_id, upto):
        if (found := assessment_of(event)) is not None and found.int == target:
            fold(state, event, position)
    return state


def board_from_whole_log(app: Any, assessment_id: UUID, upto: int | None = None) -> BoardState:
    """The same board folded from every event of the tenant's log (no index): what
    ``board_at`` did before the index, kept as the reference it is checked against."""
    state = BoardState(assessment_id)
    for position, event in read_log(app, upto):
        if assessment_of(event) == assessment_id:
            fold(state, event, position)
    return state
