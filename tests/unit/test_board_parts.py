"""The board kept a part at a time (a header and one part per subject) equals the whole fold."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.postgres.mapper import encode
from domain.board import BoardState, SubjectPart, parts
from domain.results import rows
from services.projection import project
from tests.board_events import batches, folded, logged, op


class PartViews:
    """The board views in memory, stored encoded (as PostgreSQL would), nothing shared."""

    def __init__(self) -> None:
        self.heads: dict[UUID, bytes] = {}
        self.parts: dict[tuple[UUID, UUID], bytes] = {}
        self.written: list[set[UUID]] = []

    def load_board(self, assessment_id: UUID,
                   subjects: Collection[UUID] | None = None) -> BoardState | None:
        if assessment_id not in self.heads:
            return None
        state = msgspec.json.decode(self.heads[assessment_id], type=BoardState)
        for (a, subject), part in self.parts.items():
            if a == assessment_id and (subjects is None or subject in subjects):
                found = msgspec.json.decode(part, type=SubjectPart)
                for name in SubjectPart.__dataclass_fields__:
                    getattr(state, name).update(getattr(found, name))
        return state

    def save_board(self, state: BoardState, subjects: dict[UUID, SubjectPart],
                   header: bool = True) -> None:
        old = (msgspec.json.decode(self.heads[state.assessment_id], type=BoardState)
               if state.assessment_id in self.heads else None)
        head = BoardState(state.assessment_id, state.setup, state.status, panel=state.panel,
                          position=state.position)
        if old is not None and not header:
            assert encode(BoardState(old.assessment_id, old.setup, old.status, panel=old.panel,
                                     position=state.position)) == encode(head), \
                "the header changed but was not written"
        self.heads[state.assessment_id] = encode(head)
        for subject, part in subjects.items():
            self.parts[(state.assessment_id, subject)] = encode(part)
        self.written.append(set(subjects))

    def add_history(self, entries: list[Any]) -> None:
        pass


@settings(max_examples=300, deadline=None)
@given(st.lists(op, max_size=40), st.lists(st.integers(1, 8), max_size=40))
def test_a_board_projected_in_batches_equals_the_whole_fold(steps, sizes) -> None:
    assessment_id, events = logged(steps)
    views = PartViews()
    for batch in batches(events, sizes):
        project(views, batch)  # type: ignore[arg-type]
    whole = folded(assessment_id, events)
    assert views.load_board(assessment_id) == whole
    assert rows(views.load_board(assessment_id)) == rows(whole)


@settings(max_examples=100, deadline=None)
@given(st.lists(op, max_size=40))
def test_the_parts_of_every_subject_put_together_are_the_board(steps) -> None:
    assessment_id, events = logged(steps)
    whole = folded(assessment_id, events)
    subjects = {c.subject_id for c in whole.cards.values()} | {
        UUID(k) for k in whole.subjects} | {UUID(k.split("/")[1]) for k in whole.recusal_reasons
                                            } | {UUID(k.split("/")[0]) for k in whole.self_scores}
    again = BoardState(assessment_id, whole.setup, whole.status, panel=whole.panel,
                       position=whole.position)
    for part in parts(whole, subjects).values():
        for name in SubjectPart.__dataclass_fields__:
            getattr(again, name).update(getattr(part, name))
    assert again == whole


def test_a_card_event_writes_only_its_subjects_part() -> None:
    steps = [("add", s, "yilei") for s in range(4)] + [("judge", 0)]
    _, events = logged([*steps, ("score", 0, 2, "routine", {"1.1": None})])
    views = PartViews()
    project(views, events[:-2])  # type: ignore[arg-type]
    project(views, events[-2:])  # type: ignore[arg-type]  # the card's start and its scores
    assert views.written[-1] == {events[-1].event.key.subject_id}
