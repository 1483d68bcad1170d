"""Replaying the log: the board as it stood at any position, with the projector's own fold.

The log is indexed by assessment (``event_log.assessment_id``, written with each event), so
a replay reads the assessment's own events, not the whole tenant's log.

``board_at`` folds from position 0 and trusts nothing but the log: ``verify`` and
``publish`` use it. ``board_as_of`` (the as-of board people read) resumes from the latest
checkpoint of that same fold, saved every ``CHECKPOINT_EVERY`` events of the assessment, and
gives exactly what ``board_at`` gives (docs/adr/0023).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from domain.board import BoardState, assessment_of, fold

PAGE = 1000
# A checkpoint every this many events of an assessment: an as-of read folds at most this
# many events past its checkpoint (tests set it small).
CHECKPOINT_EVERY = 5000
PACE_EVERY = 200  # events between two calls of ``board_as_of``'s ``pace`` (≈ 2 ms of work)


@runtime_checkable
class AssessmentIndex(Protocol):
    """A recorder that can select an assessment's events (the PostgreSQL one can; the
    library's in-memory one cannot, and is read whole)."""

    def select_assessment_events(self, assessment_id: UUID, upto: int | None = None,
                                 after: int = 0) -> Iterable[Any]: ...


@runtime_checkable
class Checkpointing(Protocol):
    """A recorder that keeps checkpoints of the replay's fold (the PostgreSQL one)."""

    def latest_checkpoint(self, assessment_id: UUID, upto: int | None = None
                          ) -> BoardState | None: ...

    def freeze_checkpoint(self, state: BoardState) -> Any: ...

    def save_checkpoints(self, assessment_id: UUID, frozen: list[Any]) -> None: ...

    def stored_checkpoints(self, assessment_id: UUID) -> list[tuple[int, Any]]:
        """Every checkpoint of the assessment and this fold, in position order, as
        ``freeze_checkpoint`` would give it (None: damaged, or not of this log)."""
        ...


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


def read_assessment(app: Any, assessment_id: UUID, upto: int | None = None, after: int = 0
                    ) -> Iterable[tuple[int, Any]]:
    """(position, event) for the assessment's events after ``after`` up to ``upto``, in log
    order — and perhaps others' (events not indexed yet): callers keep those
    ``assessment_of`` gives it."""
    if not isinstance(app.recorder, AssessmentIndex):
        return read_log(app, upto, after)
    events = app.recorder.select_assessment_events(assessment_id, upto, after)
    if (decode := getattr(app.mapper, "decode", None)) is not None:  # the columns as they are
        return ((n.id, decode(n.topic, n.originator_id, n.originator_version, n.state))
                for n in events)
    to_domain = app.mapper.to_domain_event
    return ((n.id, to_domain(n)) for n in events)


def board_at(app: Any, assessment_id: UUID, upto: int | None = None) -> BoardState:
    """The board state folded from the log alone, from position 0 up to position ``upto``
    (None: all). No checkpoint is read: what verifies and publishes trusts only the log."""
    return _fold_from(app, BoardState(assessment_id), upto)


def board_as_of(app: Any, assessment_id: UUID, upto: int | None = None, *,
                every: int | None = None, save: bool = True,
                pace: Callable[[], None] | None = None) -> BoardState:
    """The same board as ``board_at`` (equal, every dict in the same order), resumed from the
    latest checkpoint at or before ``upto``. Folding on, it saves a checkpoint each ``every``
    events of the assessment past the latest one (``save``), so the next read starts there.
    ``pace`` is called every ``PACE_EVERY`` events read (the background checkpointer waits
    there while the projector works)."""
    recorder = app.recorder
    if not isinstance(recorder, Checkpointing):
        return board_at(app, assessment_id, upto)
    every = CHECKPOINT_EVERY if every is None else every
    state = recorder.latest_checkpoint(assessment_id, upto) or BoardState(assessment_id)
    frozen: list[Any] = []
    freeze = (lambda s: frozen.append(recorder.freeze_checkpoint(s))) if save else None
    state = _fold_from(app, state, upto, every, freeze, pace)
    if frozen:
        recorder.save_checkpoints(assessment_id, frozen)
    return state


def check_checkpoints(app: Any, assessment_id: UUID) -> list[int]:
    """The positions of the assessment's checkpoints that are not what the fold from position
    0 gives there (encoded, so every dict's order counts too): none, for a sound store."""
    recorder = app.recorder
    if not isinstance(recorder, Checkpointing):
        return []
    stored = recorder.stored_checkpoints(assessment_id)
    bad: list[int] = []
    state = BoardState(assessment_id)
    target = assessment_id.int

    def compare_upto(position: int | None) -> None:
        while stored and (position is None or stored[0][0] < position):
            at, frozen = stored.pop(0)
            if frozen is None or recorder.freeze_checkpoint(state) != frozen:
                bad.append(at)

    for position, event in read_assessment(app, assessment_id):
        if (found := assessment_of(event)) is not None and found.int == target:
            compare_upto(position)
            fold(state, event, position)
    compare_upto(None)
    return bad


def _paced(events: Iterable[tuple[int, Any]], pace: Callable[[], None]
           ) -> Iterator[tuple[int, Any]]:
    for n, item in enumerate(events, start=1):
        if n % PACE_EVERY == 0:
            pace()
        yield item


def _fold_from(app: Any, state: BoardState, upto: int | None, every: int = 0,
               freeze: Callable[[BoardState], None] | None = None,
               pace: Callable[[], None] | None = None) -> BoardState:
    """Fold the assessment's events after ``state.position`` up to ``upto`` into ``state``;
    with ``freeze``, hand it the state after every ``every`` events folded."""
    target = state.assessment_id.int  # ints compare in C, UUIDs in Python
    since = 0
    events = read_assessment(app, state.assessment_id, upto, state.position)
    if pace is not None:
        events = _paced(events, pace)
    for position, event in events:
        if (found := assessment_of(event)) is not None and found.int == target:
            fold(state, event, position)
            since += 1
            if freeze is not None and since >= every:
                freeze(state)
                since = 0
    return state


def board_from_whole_log(app: Any, assessment_id: UUID, upto: int | None = None) -> BoardState:
    """The same board folded from every event of the tenant's log (no index): what
    ``board_at`` did before the index, kept as the reference it is checked against."""
    state = BoardState(assessment_id)
    for position, event in read_log(app, upto):
        if assessment_of(event) == assessment_id:
            fold(state, event, position)
    return state
