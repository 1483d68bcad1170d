"""述职计时: given a round with its order, when the admin starts, advances or stops a group's
timer, then its events — or the refusal (a judge, no order, the last presenter)."""

from datetime import timedelta

from domain.assessment import Assessment, GroupOrder
from domain.errors import NotFound, NotPermitted, StateConflict
from domain.presentation import Presentation, presentation_id
from tests.specs.facts import GROUP, admin_cause, named, round_created, subject_added, subject_of
from tests.specs.spec import WHEN, fact, given

A, S, T = named("round"), named("school"), named("school 2")
FIRST, SECOND = subject_of(A, T), subject_of(A, S)
P = presentation_id(A, GROUP)
ROUND = (round_created(A), subject_added(A, S, name="南钢学校"),
         subject_added(A, T, name="京东学校"))
ORDERED = (*ROUND, fact(Assessment.OrderEntered, A, order=(GroupOrder(GROUP, (FIRST, SECOND)),)))
OPENED = fact(Presentation.Opened, P, assessment_id=A, group=GROUP)


def started(subject, at=WHEN):
    return fact(Presentation.Started, P, subject_id=subject, name="京东学校", started_at=at,
                limit_seconds=480)


def next_one(role="admin", later=0):
    return lambda app: app.start_presentation(A, GROUP, None, role, admin_cause(),
                                              now=WHEN + timedelta(seconds=later))


def test_next_starts_the_first_of_the_order_with_the_groups_limit() -> None:
    given(*ORDERED).when(next_one()).then(
        fact(Presentation.Opened, P, assessment_id=A, group=GROUP),
        fact(Presentation.Started, P, subject_id=FIRST, name="京东学校", started_at=WHEN,
             limit_seconds=8 * 60))


def test_next_ends_the_current_presenter_and_starts_the_following_one_at_that_instant() -> None:
    given(*ORDERED, OPENED, started(FIRST)).when(next_one(later=400)).then(
        fact(Presentation.Ended, P, subject_id=FIRST, ended_at=WHEN + timedelta(seconds=400)),
        fact(Presentation.Started, P, subject_id=SECOND, name="南钢学校",
             started_at=WHEN + timedelta(seconds=400)))


def test_after_the_last_presenter_next_is_refused() -> None:
    given(*ORDERED, OPENED, started(SECOND)).when(next_one()).then_refused(StateConflict)


def test_a_judge_does_not_keep_time() -> None:
    given(*ORDERED).when(next_one(role="judge")).then_refused(NotPermitted)


def test_without_an_order_there_is_no_one_to_start() -> None:
    given(*ROUND).when(next_one()).then_refused(StateConflict)


def test_a_chosen_presenter_must_be_in_the_groups_order() -> None:
    given(*ORDERED).when(lambda app: app.start_presentation(
        A, GROUP, named("elsewhere"), "admin", admin_cause(), now=WHEN)).then_refused(NotFound)


def test_stop_ends_the_running_presentation_and_only_a_running_one() -> None:
    given(*ORDERED, OPENED, started(FIRST)).when(
        lambda app: app.stop_presentation(A, GROUP, "admin", admin_cause(), now=WHEN)).then(
        fact(Presentation.Ended, P, subject_id=FIRST, ended_at=WHEN))
    given(*ORDERED, OPENED, started(FIRST),
          fact(Presentation.Ended, P, subject_id=FIRST, ended_at=WHEN)).when(
        lambda app: app.stop_presentation(A, GROUP, "admin", admin_cause(), now=WHEN)
    ).then_refused(StateConflict)
