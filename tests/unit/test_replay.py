"""Replay on the library's in-memory storage, which has no log index: it reads the whole log
and gives the board the indexed PostgreSQL replay gives (tests/integration/test_log_index.py)."""

from __future__ import annotations

from decimal import Decimal

from domain.scorecard import CardKey
from services.replay import board_at, board_from_whole_log
from tests.memory import ADMIN, judge_cause, world

D = Decimal


def test_without_an_index_the_board_is_folded_from_the_whole_log() -> None:
    w = world()
    for i in (0, 1):
        w.add_subject("school", w.schools[i], i)
        w.app.add_judge(w.assessments[i], w.judges[0], ADMIN)
        w.app.advance(w.assessments[i], "open", ADMIN)
    for points in (D(4), D(6)):
        for i in (0, 1):  # the two assessments' cards, interleaved
            subject = next(iter(w.assessment(i).subjects))
            key = CardKey(w.assessments[i], subject, "routine", w.judges[0])
            w.app.record_scores(key, {"1.1": points - i}, judge_cause(w.judges[0]))
    head = w.app.position()
    for i in (0, 1):
        for upto in (head - 3, head - 1, None):
            assert board_at(w.app, w.assessments[i], upto) == board_from_whole_log(
                w.app, w.assessments[i], upto)
        card = next(iter(board_at(w.app, w.assessments[i]).cards.values()))
        assert card.scores == {"1.1": D(6) - i}
