"""The spec helper itself fails a spec whose expectation is wrong."""

import pytest

from domain.assessment import Assessment
from domain.errors import RuleViolated, StateConflict
from tests.specs.facts import named, round_created, school_registered, subject_added
from tests.specs.spec import ADMIN, fact, given

A, S = named("round"), named("school")
ROUND = (school_registered(S), round_created(A), subject_added(A, S))


def open_round(app):
    return app.advance(A, "open", ADMIN)


def test_the_given_events_are_the_records_state() -> None:
    assert given(*ROUND).app.assessment(A).status == "draft"
    assert given(*ROUND).app.assessment(A).version == 2


def test_another_field_value_fails_the_spec() -> None:
    with pytest.raises(AssertionError):
        given(*ROUND).when(open_round).then(fact(Assessment.StatusChanged, A, status="closed"))


def test_an_event_left_unexpected_fails_the_spec() -> None:
    with pytest.raises(AssertionError):
        given(*ROUND).when(open_round).then()


def test_an_event_of_another_record_fails_the_spec() -> None:
    with pytest.raises(AssertionError):
        given(*ROUND).when(open_round).then(fact(Assessment.StatusChanged, S))


def test_an_accepted_command_fails_a_refusal_spec() -> None:
    with pytest.raises(AssertionError):
        given(*ROUND).when(open_round).then_refused(StateConflict)


def test_a_refusal_of_another_kind_or_field_fails_the_spec() -> None:
    refused = given(round_created(A)).when(open_round)
    refused.then_refused(StateConflict)
    with pytest.raises(AssertionError):
        refused.then_refused(RuleViolated)
    with pytest.raises(AssertionError):
        refused.then(fact(Assessment.StatusChanged, A))
