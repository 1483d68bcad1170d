"""回避 follows the facts: given a district and a round, when a fact changes, then recusals.

The rule is ``domain/conflicts.find_conflicts``; ``services/recusals.py`` re-derives it on
every round whose cards can still change."""

from datetime import date

from domain.assessment import Assessment
from domain.errors import NotPermitted, RuleViolated, StateConflict
from domain.user import User
from tests.specs.facts import (
    PERIOD,
    admin_cause,
    at_school,
    community_registered,
    in_community,
    in_unit,
    judge_added,
    judge_cause,
    judge_registered,
    member_left,
    named,
    opened,
    recused,
    round_created,
    school_registered,
    status_changed,
    subject_added,
    subject_of,
    unit_registered,
)
from tests.specs.spec import ADMIN, fact, given

A, J, S, T, C, U = (named(n) for n in ("round", "judge", "school", "other", "community",
                                        "unit"))
SUBJECT = subject_of(A, S)


def add_school(school=S, group="yiguanzhi"):
    return lambda app: app.add_subject(A, "school", school, group, ADMIN)


def test_a_judge_added_before_their_school_is_still_recused() -> None:
    given(school_registered(S), judge_registered(J, at_school(S)), round_created(A),
          judge_added(A, J)) \
        .when(add_school()) \
        .then(fact(Assessment.SubjectAdded, A),
              fact(Assessment.JudgeRecused, A, judge_id=J, subject_id=SUBJECT,
                   category="employment"))


def test_a_judge_is_recused_from_their_school_when_added_to_the_panel() -> None:
    given(school_registered(S), judge_registered(J, at_school(S)), round_created(A),
          subject_added(A, S)) \
        .when(lambda app: app.add_judge(A, J, ADMIN)) \
        .then(fact(Assessment.JudgeAdded, A, judge_id=J),
              fact(Assessment.JudgeRecused, A, judge_id=J, subject_id=SUBJECT,
                   category="employment"))


def test_a_judge_of_another_school_scores_it() -> None:
    given(school_registered(S), school_registered(T), judge_registered(J, at_school(T)),
          round_created(A), judge_added(A, J)) \
        .when(add_school()) \
        .then(fact(Assessment.SubjectAdded, A))


def test_a_member_of_a_schools_research_group_works_at_that_school() -> None:
    given(school_registered(S), unit_registered(U, S), judge_registered(J, in_unit(U)),
          round_created(A), judge_added(A, J)) \
        .when(add_school()) \
        .then(fact(Assessment.SubjectAdded, A),
              fact(Assessment.JudgeRecused, A, subject_id=SUBJECT, category="employment"))


def test_a_judge_named_on_a_units_own_list_is_recused_from_its_school() -> None:
    given(school_registered(S), judge_registered(J), unit_registered(U, S, members=(J,)),
          round_created(A), judge_added(A, J)) \
        .when(add_school()) \
        .then(fact(Assessment.SubjectAdded, A),
              fact(Assessment.JudgeRecused, A, subject_id=SUBJECT, category="employment"))


def test_a_studios_host_is_recused_from_the_studio() -> None:
    given(judge_registered(J), unit_registered(U, None, kind="studio", host=J),
          round_created(A), judge_added(A, J)) \
        .when(lambda app: app.add_subject(A, "unit", U, "yiguanzhi", ADMIN)) \
        .then(fact(Assessment.SubjectAdded, A),
              fact(Assessment.JudgeRecused, A, subject_id=subject_of(A, U, "unit"),
                   category="membership"))


def test_a_community_judge_is_recused_from_its_member_schools() -> None:
    given(school_registered(S), school_registered(T), community_registered(C, T, S),
          judge_registered(J, in_community(C)), round_created(A, PERIOD), judge_added(A, J)) \
        .when(add_school()) \
        .then(fact(Assessment.SubjectAdded, A),
              fact(Assessment.JudgeRecused, A, subject_id=SUBJECT, category="membership"))


def test_a_school_that_left_the_community_before_the_period_is_not_the_communitys() -> None:
    given(school_registered(S), school_registered(T),
          community_registered(C, T, S, since=date(2024, 9, 1)),
          member_left(C, S, date(2025, 3, 1)),
          judge_registered(J, in_community(C)), round_created(A, PERIOD), judge_added(A, J)) \
        .when(add_school()) \
        .then(fact(Assessment.SubjectAdded, A))


def test_a_judge_of_a_member_school_is_recused_from_the_community() -> None:
    given(school_registered(S), school_registered(T), community_registered(C, T, S),
          judge_registered(J, at_school(S)), round_created(A, PERIOD), judge_added(A, J)) \
        .when(lambda app: app.add_subject(A, "community", C, "yiguanzhi", ADMIN)) \
        .then(fact(Assessment.SubjectAdded, A),
              fact(Assessment.JudgeRecused, A, subject_id=subject_of(A, C, "community"),
                   category="employment"))


def test_a_judge_who_takes_a_post_at_a_subject_is_recused_from_it() -> None:
    given(school_registered(S), judge_registered(J), round_created(A), subject_added(A, S),
          judge_added(A, J), opened(A)) \
        .when(lambda app: app.change_affiliations(J, (at_school(S),), admin_cause("调任"))) \
        .then(fact(User.AffiliationsChanged, J),
              fact(Assessment.JudgeRecused, A, judge_id=J, subject_id=SUBJECT,
                   category="employment"))


def test_a_judge_who_leaves_the_school_is_no_longer_recused() -> None:
    given(school_registered(S), judge_registered(J, at_school(S)), round_created(A),
          subject_added(A, S), judge_added(A, J), recused(A, J, SUBJECT, "employment"),
          opened(A)) \
        .when(lambda app: app.change_affiliations(J, (), admin_cause("调离"))) \
        .then(fact(User.AffiliationsChanged, J),
              fact(Assessment.RecusalLifted, A, judge_id=J, subject_id=SUBJECT))


def test_a_declared_recusal_stays_when_the_facts_change() -> None:
    given(school_registered(S), judge_registered(J, at_school(S)), round_created(A),
          subject_added(A, S), judge_added(A, J), recused(A, J, SUBJECT, "declared"),
          opened(A)) \
        .when(lambda app: app.change_affiliations(J, (), admin_cause("调离"))) \
        .then(fact(User.AffiliationsChanged, J))


def test_recusals_are_fixed_once_the_results_are_finalised() -> None:
    given(school_registered(S), judge_registered(J), round_created(A), subject_added(A, S),
          judge_added(A, J), opened(A), status_changed(A, "closed"),
          status_changed(A, "finalised")) \
        .when(lambda app: app.change_affiliations(J, (at_school(S),), admin_cause("调任"))) \
        .then(fact(User.AffiliationsChanged, J))


def test_a_judge_declares_a_recusal_with_a_reason() -> None:
    given(school_registered(S), round_created(A), subject_added(A, S), judge_added(A, J),
          opened(A)) \
        .when(lambda app: app.declare_recusal(A, J, SUBJECT, judge_cause(J, "曾任该校教师"))) \
        .then(fact(Assessment.JudgeRecused, A, judge_id=J, subject_id=SUBJECT,
                   category="declared"))


def test_a_recusal_without_a_reason_is_refused() -> None:
    given(school_registered(S), round_created(A), subject_added(A, S), judge_added(A, J),
          opened(A)) \
        .when(lambda app: app.declare_recusal(A, J, SUBJECT, judge_cause(J, " "))) \
        .then_refused(RuleViolated, "reason")


def test_only_a_judge_of_the_panel_declares_a_recusal() -> None:
    given(school_registered(S), round_created(A), subject_added(A, S), opened(A)) \
        .when(lambda app: app.declare_recusal(A, J, SUBJECT, judge_cause(J, "回避"))) \
        .then_refused(NotPermitted)


def test_a_judge_recused_already_cannot_declare_again() -> None:
    given(school_registered(S), round_created(A), subject_added(A, S), judge_added(A, J),
          recused(A, J, SUBJECT, "employment"), opened(A)) \
        .when(lambda app: app.declare_recusal(A, J, SUBJECT, judge_cause(J, "回避"))) \
        .then_refused(StateConflict)
