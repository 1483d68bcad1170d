"""自查自评: given a round, when a school's reporter scores their own school, then its
self-assessment's events — or the refusal (another school's, a round not open)."""

from domain.cause import Cause
from domain.errors import NotFound, NotPermitted, RuleViolated, StateConflict
from domain.scorecard import CardKey, Change
from domain.self_assessment import SelfAssessment
from tests.specs.facts import (
    D,
    at_school,
    card_of,
    named,
    opened,
    reporter_registered,
    round_created,
    school_registered,
    status_changed,
    subject_added,
    subject_of,
)
from tests.specs.spec import fact, given

A, S, T, R = (named(n) for n in ("round", "school", "school 2", "reporter"))
ROUND = (school_registered(S), school_registered(T), round_created(A), subject_added(A, S),
         subject_added(A, T, name="学校乙"), reporter_registered(R, at_school(S)))
REPORTER = Cause(str(R), "reporter", "spec")


def self_assess(school=S, **points: str):
    key = card_of(A, subject_of(A, school), R)
    return lambda app: app.record_self_assessment(
        key, {c: D(p) for c, p in points.items()}, (), app.user(R), REPORTER)


def test_a_reporter_scores_their_own_school() -> None:
    given(*ROUND, opened(A)) \
        .when(self_assess(**{"1.1": "6"})) \
        .then(fact(SelfAssessment.Started),
              fact(SelfAssessment.SelfScored, changes=(Change("1.1", None, D(6)),),
                   evidence_ids=()))


def test_a_reporter_does_not_score_another_school() -> None:
    given(*ROUND, opened(A)).when(self_assess(T, **{"1.1": "6"})).then_refused(NotPermitted)


def test_self_assessment_keeps_to_the_rubric() -> None:
    given(*ROUND, opened(A)).when(self_assess(**{"1.1": "7"})) \
        .then_refused(RuleViolated, "scores.1.1")


def test_self_assessment_is_made_while_the_round_is_open() -> None:
    given(*ROUND).when(self_assess(**{"1.1": "6"})).then_refused(StateConflict)
    given(*ROUND, opened(A), status_changed(A, "closed")).when(self_assess(**{"1.1": "6"})) \
        .then_refused(StateConflict)


def test_a_component_outside_the_round_is_not_found() -> None:
    key = CardKey(A, subject_of(A, S), "no-such-component", R)
    given(*ROUND, opened(A)) \
        .when(lambda app: app.record_self_assessment(key, {}, (), app.user(R), REPORTER)) \
        .then_refused(NotFound)
