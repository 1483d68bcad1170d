"""考核组 and per-subject components (issue 15): given a round, when a judge scores, then
the card's events — or the refusal. A judge added before sub-panels existed (no groups)
sits on the whole panel."""

from dataclasses import replace

from domain.assessment import Assessment, subject_for
from domain.errors import NotPermitted, RuleViolated
from domain.scorecard import CardKey, Scorecard
from domain.terms import OutsideGroup
from tests.factories import component, setup
from tests.specs.facts import (
    COMPONENT,
    GROUP,
    D,
    admin_cause,
    card_of,
    judge_added,
    judge_cause,
    judge_registered,
    named,
    opened,
    school_registered,
    subject_added,
    subject_of,
)
from tests.specs.spec import fact, given

A, J, S = named("round"), named("judge"), named("school")
CARD = card_of(A, subject_of(A, S), J)
OTHER_GROUP = "yilei"  # the second ranking group of tests.factories.setup()


def sub_panel_judge(*groups: str):
    return fact(Assessment.JudgeAdded, A, judge_id=J, name="评委", groups=groups)


def record(key: CardKey = CARD):
    return lambda app: app.record_scores(key, {"1.1": D(5)}, judge_cause(J))


ROUND = (school_registered(S), judge_registered(J),
         fact(Assessment.Created, A, setup=setup()), subject_added(A, S))


def test_a_judge_of_another_group_is_refused_and_nothing_is_stored() -> None:
    given(*ROUND, sub_panel_judge(OTHER_GROUP), opened(A)) \
        .when(record()) \
        .then_refused(OutsideGroup)
    assert issubclass(OutsideGroup, NotPermitted)  # 403, like a judge off the panel


def test_a_judge_of_the_subjects_group_scores_it() -> None:
    given(*ROUND, sub_panel_judge(OTHER_GROUP, GROUP), opened(A)) \
        .when(record()) \
        .then(fact(Scorecard.Started, CARD.card_id), fact(Scorecard.ScoresRecorded))


def test_a_judge_added_without_groups_sits_on_the_whole_panel() -> None:
    given(*ROUND, judge_added(A, J), opened(A)) \
        .when(record()) \
        .then(fact(Scorecard.Started, CARD.card_id), fact(Scorecard.ScoresRecorded))


def test_adding_a_judge_to_an_unknown_group_is_refused() -> None:
    given(*ROUND) \
        .when(lambda app: app.add_judge(A, J, admin_cause(), groups=("gaozhong",))) \
        .then_refused(RuleViolated, "groups[0]")


def test_a_component_that_is_not_the_subjects_own_is_refused() -> None:
    two = replace(setup(), components=(component(COMPONENT, D(60)), component("project", D(40))))
    own = replace(subject_for(A, "school", S, "学校", GROUP), components=("project",))
    given(school_registered(S), judge_registered(J), fact(Assessment.Created, A, setup=two),
          fact(Assessment.SubjectAdded, A, subject=own), judge_added(A, J), opened(A)) \
        .when(record()) \
        .then_refused(RuleViolated, "component")
