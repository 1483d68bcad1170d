"""Checkpoints of the as-of replay (docs/adr/0023), on the encoding level: a board encoded at
any point of the fold, decoded and folded on, is the board folded straight through — equal,
and every dict in the same order (ties and judge lists follow that order)."""

from __future__ import annotations

import hashlib
import inspect
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.postgres.checkpoints import decode_board, digest, encode_board, found_board
from domain import board, rubric, setup
from domain.board import BoardState, fold
from domain.results import rows
from tests.board_events import folded, logged, op


def orders(state: BoardState) -> Any:
    """Every dict's keys, in order, down to each card's scores."""
    return ([list(getattr(state, name)) for name in
             ("subjects", "panel", "cards", "recusals", "recusal_reasons", "self_scores")],
            [list(card.scores) for card in state.cards.values()],
            [list(scores) for scores in state.self_scores.values()])


@settings(max_examples=300, deadline=None)
@given(st.lists(op, max_size=60), st.lists(st.integers(0, 60), max_size=4))
def test_a_checkpoint_decoded_and_folded_on_is_the_fold_straight_through(steps, cuts) -> None:
    assessment_id, events = logged(steps)
    straight = folded(assessment_id, events)
    state = BoardState(assessment_id)
    for i, event in enumerate(events):
        if i in cuts:  # a checkpoint here: the fold goes on from its decoded copy
            data = encode_board(state)
            state = decode_board(data)
            assert encode_board(state) == data
        fold(state, event.event, event.position)
    assert state == straight
    assert orders(state) == orders(straight)
    assert rows(state) == rows(straight)
    again = decode_board(encode_board(straight))
    assert again == straight and orders(again) == orders(straight)


def test_a_damaged_checkpoint_is_not_used() -> None:
    assessment_id, events = logged([("add", 0, "yilei"), ("judge", 1),
                                    ("score", 1, 0, "routine", {"1.1": 3})])
    state = folded(assessment_id, events)
    data = encode_board(state)
    assert found_board((state.position, digest(data), data), assessment_id) == state
    flipped = data.replace(b"1.1", b"1.2")  # a leaf code changed: still decodes
    assert decode_board(flipped) != state
    assert found_board((state.position, digest(data), flipped), assessment_id) is None
    garbage = data[:-7]
    assert found_board((state.position, digest(garbage), garbage), assessment_id) is None
    other = BoardState(events[0].event.originator_id.__class__(int=1), position=state.position)
    assert found_board((state.position, digest(encode_board(other)), encode_board(other)),
                       assessment_id) is None  # another assessment's board
    assert found_board((state.position + 1, digest(data), data), assessment_id) is None


# The fold's source and the shapes of what it keeps, as FOLD_VERSION stands for them. If this
# test fails, one of them changed: if old checkpoints could decode to another board than the
# new fold gives (a field renamed or retyped, another rule), bump domain.board.FOLD_VERSION
# (checkpoints of the old fold are then left unread and made again); either way, record the
# new digest here.
FOLD_SOURCE = (2, "982c2dfbaf2911ef")  # 2: sub-panels, per-subject components, windows (issue 15)


def test_the_fold_version_is_bumped_when_the_fold_changes() -> None:
    source = "".join(inspect.getsource(part) for part in (
        board.CardState, board.BoardState, board.fold, board._fold_assessment,
        board._fold_card, setup.Setup, setup.Subject, setup.Component, setup.Aggregation,
        setup.Tier, setup.RankingGroup, setup.Period, setup.CommunityWeight, setup.Quota,
        rubric.Leaf, rubric.EvidenceRule))
    found = (board.FOLD_VERSION, hashlib.sha256(source.encode()).hexdigest()[:16])
    assert found == FOLD_SOURCE, f"the fold changed: see the note above ({found})"
