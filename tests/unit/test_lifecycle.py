"""Closing and finalising over what is missing; reopening a round and a card."""

from decimal import Decimal

import pytest

from domain.completeness import Incomplete
from domain.errors import RuleViolated, StateConflict
from domain.progress import cells, counts, shortfall
from domain.scorecard import CardKey, Scorecard
from tests.factories import LEAVES, cause, open_assessment
from tests.unit.test_board import FULL, board_of, scored

D = Decimal


def test_progress_and_shortfall_follow_every_card_with_recusals_apart() -> None:
    """2 judges × 2 schools, quorum 2: judge 1 submits both, judge 2 saves one and is
    recused (回避) from the other — that school falls below quorum."""
    a, subjects, judges = open_assessment(schools=2, judges=2, quorum=2)
    a.declare_recusal(judges[1], subjects[1], cause("judge", reason="曾在该校任教"))
    events = a.collect_events()
    events += scored(a, subjects[0], judges[0], FULL)
    events += scored(a, subjects[1], judges[0], FULL)
    events += scored(a, subjects[0], judges[1], {"1.1": D(5)}, submit=False)
    state = board_of(events)
    found = cells(state)
    assert [(c.judge_id, c.subject_id, c.state) for c in found] == [
        (judges[0], subjects[0], "submitted"), (judges[0], subjects[1], "submitted"),
        (judges[1], subjects[0], "saved"), (judges[1], subjects[1], "recused")]
    assert counts([c for c in found if c.judge_id == judges[1]]) == {
        "not_started": 0, "saved": 1, "submitted": 0, "recused": 1, "reopened": 0}
    short = shortfall(state)
    assert [(m.judge_id, m.subject_id, m.state) for m in short.missing] == [
        (judges[1], subjects[0], "saved")]
    assert [(b.subject_id, b.submitted, b.quorum) for b in short.below_quorum] == [
        (subjects[0], 1, 2), (subjects[1], 1, 2)]


def test_a_reopened_card_is_owed_again() -> None:
    a, subjects, judges = open_assessment(schools=1, judges=1)
    card = Scorecard(key=CardKey(a.id, subjects[0], "routine", judges[0]), cause=cause("judge"))
    card.record(FULL, LEAVES, D("0.5"), cause("judge"))
    card.submit(LEAVES, cause("judge"))
    card.reopen(cause("admin", reason="第2.1项漏看材料"))
    state = board_of(a.collect_events() + card.collect_events())
    assert [m.state for m in shortfall(state).missing] == ["reopened"]


def test_closing_with_missing_cards_is_refused_with_names_unless_forced_with_a_reason():
    a, _, _ = open_assessment(schools=1, judges=1)
    short = shortfall(board_of(a.collect_events()))
    with pytest.raises(Incomplete) as refused:
        a.advance("closed", cause(), short)
    [line] = refused.value.extra["missing"]
    assert (line["judge_name"], line["subject_name"], line["component_name"], line["state"]) == (
        "评委", "学校0", "常态化工作", "not_started")
    with pytest.raises(RuleViolated):
        a.advance("closed", cause(reason=" "), short, override=True)
    assert a.status == "open"
    a.advance("closed", cause(reason="评委缺席"), short, override=True)
    event = a.collect_events()[-1]
    assert (a.status, event.override, event.missing) == ("closed", "force", short.missing)


def test_only_a_closed_round_reopens_and_only_with_a_reason() -> None:
    a, _, _ = open_assessment()
    with pytest.raises(StateConflict):
        a.reopen(cause(reason="补评"))
    a.advance("closed", cause())
    with pytest.raises(RuleViolated):
        a.reopen(cause())
    a.reopen(cause(reason="补评"))
    assert a.status == "open"
    a.advance("closed", cause())
    a.advance("finalised", cause())
    with pytest.raises(StateConflict):
        a.reopen(cause(reason="补评"))


def test_judges_reopen_cards_only_while_open_the_admin_also_when_closed() -> None:
    a, _, _ = open_assessment()
    a.check_card_reopening("judge")
    a.advance("closed", cause())
    a.check_card_reopening("admin")
    with pytest.raises(StateConflict):
        a.check_card_reopening("judge")
