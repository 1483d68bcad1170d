"""Given a card / when a judge scores / then these events (or this refusal)."""

from dataclasses import astuple
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.errors import RuleViolated, StateConflict
from domain.scorecard import CardKey, Change, Scorecard
from tests.factories import LEAVES, cause

D = Decimal
STEP = D("0.5")


def new_card() -> Scorecard:
    return Scorecard(key=CardKey(uuid4(), uuid4(), "routine", uuid4()), cause=cause("judge"))


def test_recording_scores_records_each_change_from_old_to_new() -> None:
    card = new_card()
    card.record({"1.1": D(5)}, LEAVES, STEP, cause("judge"))
    card.record({"1.1": D("5.5"), "1.2": D(4)}, LEAVES, STEP, cause("judge"))
    events = card.collect_events()
    assert isinstance(events[-1], Scorecard.ScoresRecorded)
    assert events[-1].changes == (Change("1.1", D(5), D("5.5")), Change("1.2", None, D(4)))
    assert card.total == D("9.5")


def test_recording_the_same_points_again_records_nothing() -> None:
    card = new_card()
    card.record({"1.1": D(5)}, LEAVES, STEP, cause("judge"))
    card.collect_events()
    card.record({"1.1": D(5)}, LEAVES, STEP, cause("judge"))
    assert card.collect_events() == []


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({"1.1": D(7)}, "scores.1.1"),
        ({"1.1": D(-1)}, "scores.1.1"),
        ({"1.1": D("2.3")}, "scores.1.1"),
        ({"9.9": D(1)}, "scores.9.9"),
        ({"2.1": D("NaN")}, "scores.2.1"),
        ({"2.1": D("Infinity")}, "scores.2.1"),
    ],
)
def test_points_outside_the_rubric_are_refused_naming_the_code(scores, field) -> None:
    card = new_card()
    with pytest.raises(RuleViolated) as raised:
        card.record(scores, LEAVES, STEP, cause("judge"))
    assert [e.field for e in raised.value.errors] == [field]
    assert card.total == 0


def test_submitting_needs_every_leaf() -> None:
    card = new_card()
    card.record({"1.1": D(5)}, LEAVES, STEP, cause("judge"))
    with pytest.raises(RuleViolated) as raised:
        card.submit(LEAVES, cause("judge"))
    assert {e.field for e in raised.value.errors} == {"scores.1.2", "scores.2.1"}


def test_a_submitted_card_is_locked_until_reopened_with_a_reason() -> None:
    card = new_card()
    card.record({"1.1": D(5), "1.2": D(4), "2.1": D(9)}, LEAVES, STEP, cause("judge"))
    card.submit(LEAVES, cause("judge"))
    for reason in (None, "复核材料后加分"):
        with pytest.raises(StateConflict):
            card.record({"2.1": D(10)}, LEAVES, STEP, cause("judge", reason=reason))
    card.reopen(cause("judge", reason="复核材料后加分"))
    assert card.reopened and not card.submitted
    card.record({"2.1": D(10)}, LEAVES, STEP, cause("judge"))
    card.submit(LEAVES, cause("judge"))
    assert card.total == D(19) and card.submitted and not card.reopened


def test_submitting_twice_is_a_conflict_and_reopening_needs_a_reason() -> None:
    card = new_card()
    card.record({"1.1": D(5), "1.2": D(4), "2.1": D(9)}, LEAVES, STEP, cause("judge"))
    card.submit(LEAVES, cause("judge"))
    with pytest.raises(StateConflict):
        card.submit(LEAVES, cause("judge"))
    with pytest.raises(RuleViolated):
        card.reopen(cause("admin"))
    card.reopen(cause("admin", reason="评委申请更正"))
    assert not card.submitted


def test_the_card_id_is_derived_from_its_key() -> None:
    key = CardKey(uuid4(), uuid4(), "routine", uuid4())
    same_key = CardKey(*astuple(key))
    assert Scorecard(key=key, cause=cause()).id == key.card_id == same_key.card_id
