"""考核: given a round, when the admin shapes it or moves it through its lifecycle (draft →
open → closed → finalised → published), then its events — or the refusal."""

from domain.assessment import Assessment
from domain.completeness import MissingCard
from domain.errors import RuleViolated, StateConflict
from tests.specs.facts import (
    FULL,
    admin_cause,
    card_of,
    card_started,
    community_registered,
    judge_added,
    judge_registered,
    named,
    opened,
    recused,
    round_created,
    school_registered,
    scored,
    status_changed,
    subject_added,
    subject_of,
    submitted,
    user_registered,
)
from tests.specs.spec import ADMIN, fact, given

A, J, K, S, T = (named(n) for n in ("round", "judge", "judge 2", "school", "school 2"))
SUBJECT = subject_of(A, S)
ROUND = (school_registered(S), round_created(A), subject_added(A, S), judge_added(A, J))
CARD = card_of(A, SUBJECT, J)
IN = (card_started(CARD), scored(CARD, **FULL), submitted(CARD, "20"))


def advance(to: str, reason: str | None = None, override: bool = False):
    return lambda app: app.advance(A, to, admin_cause(reason), override=override)


# -- subjects and panel ---------------------------------------------------------------------

def test_a_school_becomes_a_subject_under_its_own_name() -> None:
    outcome = given(school_registered(S, "珠晖实验学校"), round_created(A)) \
        .when(lambda app: app.add_subject(A, "school", S, "yiguanzhi", ADMIN)) \
        .then(fact(Assessment.SubjectAdded, A))
    assert outcome.events[0].subject.name == "珠晖实验学校"


def test_a_school_is_a_subject_once() -> None:
    given(*ROUND) \
        .when(lambda app: app.add_subject(A, "school", S, "yiguanzhi", ADMIN)) \
        .then_refused(StateConflict)


def test_a_subject_goes_into_one_of_the_rounds_groups() -> None:
    given(school_registered(S), round_created(A)) \
        .when(lambda app: app.add_subject(A, "school", S, "no-such-group", ADMIN)) \
        .then_refused(RuleViolated, "group")


def test_a_community_is_assessed_only_over_a_period() -> None:
    C = named("community")
    given(school_registered(S), community_registered(C, S), round_created(A)) \
        .when(lambda app: app.add_subject(A, "community", C, "yiguanzhi", ADMIN)) \
        .then_refused(RuleViolated, "period")


def test_no_subject_joins_a_closed_round() -> None:
    given(*ROUND, opened(A), status_changed(A, "closed"), school_registered(T)) \
        .when(lambda app: app.add_subject(A, "school", T, "yiguanzhi", ADMIN)) \
        .then_refused(StateConflict)


def test_a_judge_sits_on_the_panel_once() -> None:
    given(*ROUND, judge_registered(J)) \
        .when(lambda app: app.add_judge(A, J, ADMIN)) \
        .then_refused(StateConflict)


def test_only_a_judge_joins_the_panel() -> None:
    given(school_registered(S), round_created(A), user_registered(K, "auditor")) \
        .when(lambda app: app.add_judge(A, K, ADMIN)) \
        .then_refused(RuleViolated, "judge_id")


def test_a_subject_leaves_only_a_draft_and_takes_its_recusals_with_it() -> None:
    given(*ROUND, recused(A, J, SUBJECT, "employment")) \
        .when(lambda app: app.remove_subject(A, SUBJECT, admin_cause("重复录入"))) \
        .then(fact(Assessment.SubjectRemoved, A, subject_id=SUBJECT))
    given(*ROUND, opened(A)) \
        .when(lambda app: app.remove_subject(A, SUBJECT, admin_cause("重复录入"))) \
        .then_refused(StateConflict)


# -- the draw -------------------------------------------------------------------------------

def test_the_same_seed_draws_the_same_order() -> None:
    two = (*ROUND, school_registered(T), subject_added(A, T, name="学校乙"))
    first = given(*two).when(lambda app: app.draw(A, "2025", ADMIN)).events[0].order
    again = given(*two).when(lambda app: app.draw(A, "2025", ADMIN)).events[0].order
    assert first == again


def test_drawing_again_needs_a_reason() -> None:
    drawn = given(*ROUND).when(lambda app: app.draw(A, "2025", ADMIN)).events[0]
    redraw = fact(Assessment.OrderDrawn, A, seed="2025", order=drawn.order)
    given(*ROUND, redraw) \
        .when(lambda app: app.draw(A, "2026", ADMIN)) \
        .then_refused(RuleViolated)
    given(*ROUND, redraw) \
        .when(lambda app: app.draw(A, "2026", admin_cause("抽签时有学校缺席"))) \
        .then(fact(Assessment.OrderDrawn, A, seed="2026"))


# -- the lifecycle --------------------------------------------------------------------------

def test_a_round_opens_with_its_subjects() -> None:
    given(*ROUND).when(advance("open")).then(fact(Assessment.StatusChanged, A, status="open"))


def test_a_round_without_subjects_does_not_open() -> None:
    given(round_created(A)).when(advance("open")).then_refused(StateConflict)


def test_a_round_takes_its_steps_in_order() -> None:
    given(*ROUND).when(advance("closed")).then_refused(StateConflict)
    given(*ROUND, opened(A)).when(advance("finalised")).then_refused(StateConflict)


def test_a_round_closes_when_every_card_is_in() -> None:
    given(*ROUND, opened(A), *IN) \
        .when(advance("closed")) \
        .then(fact(Assessment.StatusChanged, A, status="closed", override=None))


def test_closing_with_a_card_missing_is_refused() -> None:
    given(*ROUND, opened(A)).when(advance("closed")).then_refused(StateConflict)


def test_forcing_the_close_needs_a_reason_and_records_what_was_missing() -> None:
    given(*ROUND, opened(A)).when(advance("closed", override=True)) \
        .then_refused(RuleViolated, "force")
    given(*ROUND, opened(A)) \
        .when(advance("closed", "评委缺席", override=True)) \
        .then(fact(Assessment.StatusChanged, A, status="closed", override="force",
                   missing=(MissingCard(J, SUBJECT, "routine", "not_started"),)))


def test_a_recused_judge_owes_no_card() -> None:
    given(*ROUND, recused(A, J, SUBJECT, "employment"), judge_added(A, K), opened(A),
          card_started(card_of(A, SUBJECT, K)), scored(card_of(A, SUBJECT, K), **FULL),
          submitted(card_of(A, SUBJECT, K), "20")) \
        .when(advance("closed")) \
        .then(fact(Assessment.StatusChanged, A, status="closed"))


def test_finalising_needs_every_subject_at_quorum() -> None:
    # quorum 1: a subject whose only judge is recused has no card at all
    given(*ROUND, recused(A, J, SUBJECT, "declared"), opened(A), status_changed(A, "closed")) \
        .when(advance("finalised")) \
        .then_refused(StateConflict)
    given(*ROUND, opened(A), *IN, status_changed(A, "closed")) \
        .when(advance("finalised")) \
        .then(fact(Assessment.StatusChanged, A, status="finalised"))


def test_a_closed_round_reopens_with_a_reason() -> None:
    closed = (*ROUND, opened(A), *IN, status_changed(A, "closed"))
    given(*closed).when(lambda app: app.reopen_round(A, admin_cause())) \
        .then_refused(RuleViolated, "reason")
    given(*closed).when(lambda app: app.reopen_round(A, admin_cause("补评"))) \
        .then(fact(Assessment.StatusChanged, A, status="open"))


def test_only_a_closed_round_reopens() -> None:
    given(*ROUND, opened(A)) \
        .when(lambda app: app.reopen_round(A, admin_cause("补评"))) \
        .then_refused(StateConflict)


def test_results_are_published_only_once_finalised() -> None:
    given(*ROUND, opened(A), *IN, status_changed(A, "closed")) \
        .when(lambda app: app.publish(A, app.position(), "head", ADMIN)) \
        .then_refused(StateConflict)


def test_published_results_follow_from_the_events_alone() -> None:
    outcome = given(*ROUND, opened(A), *IN, status_changed(A, "closed"),
                    status_changed(A, "finalised")) \
        .when(lambda app: app.publish(A, app.position(), "head", ADMIN)) \
        .then(fact(Assessment.ResultsPublished, A, log_head="head"))
    [line] = outcome.events[0].results
    assert (line.subject_id, line.final) == (SUBJECT, 100)  # 20 of 20 points, weight 100




def test_a_published_round_reopens_to_be_corrected_with_a_reason() -> None:
    """After an appeal: the sheet stays in the log; the round is open again (ADR 0026)."""
    published = (*ROUND, opened(A), *IN, status_changed(A, "closed"),
                 status_changed(A, "finalised"),
                 fact(Assessment.ResultsPublished, A, results=(), log_position=1, log_head="h"))
    given(*published).when(lambda app: app.reopen_round(A, admin_cause())) \
        .then_refused(RuleViolated, "reason")
    given(*published).when(lambda app: app.reopen_round(A, admin_cause("申诉复核"))) \
        .then(fact(Assessment.StatusChanged, A, status="open"))
