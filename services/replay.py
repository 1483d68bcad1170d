"""Replaying the log: the board as it stood at any position, with the projector's own fold."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from domain.board import BoardState, assessment_of, fold

PAGE = 1000


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


def board_at(app: Any, assessment_id: UUID, upto: int | None = None) -> BoardState:
    """The board state folded from the log alone, up to position ``upto`` (None: all)."""
    state = BoardState(assessment_id)
    for position, event in read_log(app, upto):
        if assessment_of(event) == assessment_id:
            fold(state, event, position)
    return state
