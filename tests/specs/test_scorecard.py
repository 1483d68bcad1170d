"""评分表: given a round and a judge's card, when the judge scores, submits or reopens, then
the card's events — or the refusal."""

from domain.assessment import JudgeIsRecused
from domain.errors import NotFound, NotPermitted, RuleViolated, StateConflict
from domain.scorecard import Change, Scorecard
from tests.specs.facts import (
    FULL,
    D,
    admin_cause,
    card_of,
    card_started,
    judge_added,
    judge_cause,
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
)
from tests.specs.spec import fact, given

A, J, S = named("round"), named("judge"), named("school")
SUBJECT = subject_of(A, S)
CARD = card_of(A, SUBJECT, J)
ROUND = (school_registered(S), round_created(A), subject_added(A, S), judge_added(A, J))
OPEN = (*ROUND, opened(A))


def record(**points: str):
    return lambda app: app.record_scores(CARD, {c: D(p) for c, p in points.items()},
                                         judge_cause(J))


def submit(app):
    return app.submit_card(CARD, judge_cause(J))


def test_the_first_scores_start_the_card_and_record_each_leaf() -> None:
    given(*OPEN) \
        .when(record(**{"1.1": "5", "2.1": "7.5"})) \
        .then(fact(Scorecard.Started, CARD.card_id, key=CARD),
              fact(Scorecard.ScoresRecorded, CARD.card_id,
                   changes=(Change("1.1", None, D(5)), Change("2.1", None, D("7.5")))))


def test_a_change_records_the_old_points_beside_the_new() -> None:
    given(*OPEN, card_started(CARD), scored(CARD, **{"1.1": "5"})) \
        .when(record(**{"1.1": "5.5", "1.2": "4"})) \
        .then(fact(Scorecard.ScoresRecorded,
                   changes=(Change("1.1", D(5), D("5.5")), Change("1.2", None, D(4)))))


def test_the_same_points_again_record_nothing() -> None:
    given(*OPEN, card_started(CARD), scored(CARD, **{"1.1": "5"})) \
        .when(record(**{"1.1": "5"})) \
        .then_nothing()


def test_points_over_the_leafs_maximum_are_refused_naming_the_leaf() -> None:
    given(*OPEN).when(record(**{"1.1": "6.5"})).then_refused(RuleViolated, "scores.1.1")


def test_points_off_the_rubrics_step_are_refused() -> None:
    given(*OPEN).when(record(**{"2.1": "2.3"})).then_refused(RuleViolated, "scores.2.1")


def test_a_code_that_is_no_leaf_is_refused() -> None:
    given(*OPEN).when(record(**{"9.9": "1"})).then_refused(RuleViolated, "scores.9.9")


def test_a_judge_off_the_panel_may_not_score() -> None:
    given(school_registered(S), round_created(A), subject_added(A, S), opened(A)) \
        .when(record(**{"1.1": "5"})) \
        .then_refused(NotPermitted)


def test_a_recused_judge_may_not_score_the_subject() -> None:
    given(*ROUND, recused(A, J, SUBJECT, "employment"), opened(A)) \
        .when(record(**{"1.1": "5"})) \
        .then_refused(JudgeIsRecused)


def test_nobody_scores_before_the_round_opens() -> None:
    given(*ROUND).when(record(**{"1.1": "5"})).then_refused(StateConflict)


def test_nobody_scores_once_the_round_has_closed() -> None:
    given(*OPEN, status_changed(A, "closed")) \
        .when(record(**{"1.1": "5"})) \
        .then_refused(StateConflict)


def test_a_subject_outside_the_round_is_not_found() -> None:
    given(*OPEN) \
        .when(lambda app: app.record_scores(card_of(A, named("elsewhere"), J), {"1.1": D(5)},
                                            judge_cause(J))) \
        .then_refused(NotFound)


def test_a_complete_card_is_submitted_with_its_total() -> None:
    given(*OPEN, card_started(CARD), scored(CARD, **FULL)) \
        .when(submit) \
        .then(fact(Scorecard.Submitted, CARD.card_id, total=D(20)))


def test_submitting_needs_every_leaf_and_names_the_missing_ones() -> None:
    given(*OPEN, card_started(CARD), scored(CARD, **{"1.1": "6"})) \
        .when(submit) \
        .then_refused(RuleViolated, "scores.1.2", "scores.2.1")


def test_a_submitted_card_is_locked() -> None:
    given(*OPEN, card_started(CARD), scored(CARD, **FULL), submitted(CARD, "20")) \
        .when(record(**{"1.1": "5"})) \
        .then_refused(StateConflict)


def test_a_card_is_submitted_once() -> None:
    given(*OPEN, card_started(CARD), scored(CARD, **FULL), submitted(CARD, "20")) \
        .when(submit) \
        .then_refused(StateConflict)


def test_a_judge_reopens_their_submitted_card_with_a_reason() -> None:
    given(*OPEN, card_started(CARD), scored(CARD, **FULL), submitted(CARD, "20")) \
        .when(lambda app: app.reopen_card(CARD, judge_cause(J, "误填"))) \
        .then(fact(Scorecard.Reopened, CARD.card_id, key=CARD))


def test_reopening_needs_a_reason() -> None:
    given(*OPEN, card_started(CARD), scored(CARD, **FULL), submitted(CARD, "20")) \
        .when(lambda app: app.reopen_card(CARD, judge_cause(J))) \
        .then_refused(RuleViolated, "reason")


def test_a_card_not_submitted_cannot_be_reopened() -> None:
    given(*OPEN, card_started(CARD), scored(CARD, **FULL)) \
        .when(lambda app: app.reopen_card(CARD, judge_cause(J, "误填"))) \
        .then_refused(StateConflict)


def test_once_the_round_has_closed_only_the_admin_reopens_a_card() -> None:
    closed = (*OPEN, card_started(CARD), scored(CARD, **FULL), submitted(CARD, "20"),
              status_changed(A, "closed"))
    given(*closed) \
        .when(lambda app: app.reopen_card(CARD, judge_cause(J, "误填"))) \
        .then_refused(StateConflict)
    given(*closed) \
        .when(lambda app: app.reopen_card(CARD, admin_cause("评委误填"))) \
        .then(fact(Scorecard.Reopened, CARD.card_id))


def test_a_reopened_card_takes_new_scores_and_is_submitted_again() -> None:
    reopened = fact(Scorecard.Reopened, CARD.card_id, key=CARD,
                    cause=judge_cause(J, "误填"))
    given(*OPEN, card_started(CARD), scored(CARD, **FULL), submitted(CARD, "20"), reopened) \
        .when(record(**{"2.1": "9"})) \
        .then(fact(Scorecard.ScoresRecorded, changes=(Change("2.1", D(10), D(9)),)))




def comment(text: str, **points: str):
    return lambda app: app.record_scores(CARD, {c: D(p) for c, p in points.items()},
                                         judge_cause(J), text)


def test_a_comment_alone_is_recorded_on_the_card() -> None:
    given(*OPEN, card_started(CARD), scored(CARD, **{"1.1": "5"})) \
        .when(comment("  集体备课扎实。 ")) \
        .then(fact(Scorecard.ScoresRecorded, changes=(), comment="集体备课扎实。"))


def test_the_same_comment_again_records_nothing() -> None:
    given(*OPEN, card_started(CARD),
          fact(Scorecard.ScoresRecorded, CARD.card_id, key=CARD, changes=(),
               comment="集体备课扎实。", cause=judge_cause(J))) \
        .when(comment("集体备课扎实。")) \
        .then_nothing()


def test_a_comment_longer_than_allowed_is_refused() -> None:
    given(*OPEN).when(comment("好" * 2001)).then_refused(RuleViolated, "comment")


def test_a_card_written_before_comments_existed_reads_with_no_comment() -> None:
    app = given(*OPEN, card_started(CARD), scored(CARD, **{"1.1": "5"})).app
    assert app.card(CARD).comment == ""
