"""The board as a fold of events: given events / then the board."""

from decimal import Decimal
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.board import BoardState, fold
from domain.results import rank_values, rows
from domain.scorecard import CardKey, Scorecard
from tests.factories import LEAVES, cause, open_assessment

D = Decimal
STEP = D("0.5")


def scored(assessment, subject: UUID, judge: UUID, points: dict[str, Decimal], submit=True):
    card = Scorecard(key=CardKey(assessment.id, subject, "routine", judge), cause=cause("judge"))
    card.record(points, LEAVES, STEP, cause("judge"))
    if submit:
        card.submit(LEAVES, cause("judge"))
    return card.collect_events()


def board_of(events) -> BoardState:
    state = BoardState(events[0].originator_id)
    for position, event in enumerate(events, start=1):
        fold(state, event, position)
    return state


FULL = {"1.1": D(6), "1.2": D(4), "2.1": D(10)}  # 20 of 20


def test_the_board_shows_the_mean_of_submitted_cards_only() -> None:
    a, subjects, judges = open_assessment(schools=1)
    events = a.collect_events()
    events += scored(a, subjects[0], judges[0], FULL)
    events += scored(a, subjects[0], judges[1], {"1.1": D(4), "1.2": D(2), "2.1": D(8)})
    events += scored(a, subjects[0], judges[2], {"1.1": D(1)}, submit=False)
    [row] = rows(board_of(events))
    assert row.components["routine"].score == D(17)
    assert row.components["routine"].judges == 2
    assert row.final == D(85)  # 17 / 20 × weight 100
    assert row.tier == "合格"
    assert row.rank == 1


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    a, subjects, judges = open_assessment(schools=4, judges=1)
    events = a.collect_events()
    for subject, points in zip(subjects, (D(10), D(9), D(9), D(5)), strict=True):
        events += scored(a, subject, judges[0], {"1.1": D(0), "1.2": D(0), "2.1": points})
    board = rows(board_of(events))
    assert [r.rank for r in board] == [1, 2, 2, 4]


def test_a_subject_below_quorum_is_flagged_and_unranked() -> None:
    a, subjects, judges = open_assessment(schools=2, judges=2, quorum=2)
    events = a.collect_events()
    events += scored(a, subjects[0], judges[0], FULL)
    events += scored(a, subjects[0], judges[1], FULL)
    events += scored(a, subjects[1], judges[0], FULL)
    by_subject = {r.subject_id: r for r in rows(board_of(events))}
    assert by_subject[subjects[0]].rank == 1
    assert by_subject[subjects[1]].rank is None and by_subject[subjects[1]].tier is None
    assert "missing_cards:routine" in by_subject[subjects[1]].flags


def test_reopening_a_card_takes_it_off_the_board() -> None:
    a, subjects, judges = open_assessment(schools=1, judges=1)
    events = a.collect_events()
    card = Scorecard(key=CardKey(a.id, subjects[0], "routine", judges[0]), cause=cause("judge"))
    card.record(FULL, LEAVES, STEP, cause("judge"))
    card.submit(LEAVES, cause("judge"))
    card.reopen(cause("admin", reason="更正"))
    events += card.collect_events()
    [row] = rows(board_of(events))
    assert row.final is None and row.components["routine"].judges == 0


@settings(max_examples=50)
@given(st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=12))
def test_ranks_are_competition_ranks(finals) -> None:
    ranks = rank_values([D(f) for f in finals])
    for f, r in zip(finals, ranks, strict=True):
        assert r == 1 + sum(1 for other in finals if other > f)
    # ties share a rank, and the next rank skips by the size of the tie
    for r in set(ranks):
        assert r + ranks.count(r) in set(ranks) | {len(finals) + 1}


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_folding_in_one_go_or_batch_by_batch_gives_the_same_board(data) -> None:
    a, subjects, judges = open_assessment(schools=3, judges=3)
    events = a.collect_events()
    for subject in subjects:
        for judge in judges:
            points = {code: D(data.draw(st.integers(0, int(m * 2)))) / 2
                      for code, m in (("1.1", 6), ("1.2", 4), ("2.1", 10))}
            events += scored(a, subject, judge, points, submit=data.draw(st.booleans()))
    whole = board_of(events)
    cut = data.draw(st.integers(min_value=1, max_value=len(events) - 1))
    first = board_of(events[:cut])
    for position, event in enumerate(events[cut:], start=cut + 1):
        fold(first, event, position)
    assert rows(first) == rows(whole)
