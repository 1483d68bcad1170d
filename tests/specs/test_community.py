"""教研共同体: given a community, when schools join or leave on a day, then its membership
events — and what an assessment of the community takes from them."""

from datetime import date

from domain.assessment import Assessment
from domain.community import Community
from domain.errors import RuleViolated, StateConflict
from domain.names import NameClaim
from tests.specs.facts import (
    PERIOD,
    admin_cause,
    community_registered,
    in_community,
    judge_added,
    judge_registered,
    member_joined,
    member_left,
    named,
    opened,
    round_created,
    school_registered,
    subject_added,
    subject_of,
)
from tests.specs.spec import ADMIN, fact, given

C, CORE, S, T, J, A = (named(n) for n in ("community", "core", "school", "school 2",
                                           "judge", "round"))
SCHOOLS = (school_registered(CORE, "核心校"), school_registered(S, "成员校"),
           school_registered(T, "新成员校"))
ON = date(2025, 11, 1)


def join(school=T, on=ON):
    return lambda app: app.join_community(C, school, on, admin_cause())


def leave(school=S, on=ON):
    return lambda app: app.leave_community(C, school, on, admin_cause())


def register(core=CORE, *members):
    return lambda app: app.register_community("城东共同体", "integrated", "县域", core,
                                              members, PERIOD.starts_on, ADMIN)


def test_a_community_is_registered_with_its_core_school_and_members() -> None:
    given(*SCHOOLS) \
        .when(register(CORE, S)) \
        .then_includes(fact(Community.Registered, core_school_id=CORE, member_school_ids=(S,)),
                       fact(NameClaim.Made, name="城东共同体"))


def test_the_core_school_is_not_also_a_member() -> None:
    given(*SCHOOLS).when(register(CORE, CORE)).then_refused(RuleViolated, "member_school_ids")


def test_a_member_is_listed_once() -> None:
    given(*SCHOOLS).when(register(CORE, S, S)).then_refused(RuleViolated, "member_school_ids")


def test_a_school_joins_on_a_day() -> None:
    given(*SCHOOLS, community_registered(C, CORE, S)) \
        .when(join()) \
        .then(fact(Community.MemberJoined, C, school_id=T, on=ON))


def test_a_member_does_not_join_again() -> None:
    given(*SCHOOLS, community_registered(C, CORE, S)).when(join(S)) \
        .then_refused(StateConflict)
    given(*SCHOOLS, community_registered(C, CORE, S)).when(join(CORE)) \
        .then_refused(StateConflict)


def test_a_school_that_left_may_join_again() -> None:
    given(*SCHOOLS, community_registered(C, CORE, S), member_left(C, S, date(2025, 10, 1))) \
        .when(join(S)) \
        .then(fact(Community.MemberJoined, C, school_id=S))


def test_a_school_leaves_on_a_day() -> None:
    given(*SCHOOLS, community_registered(C, CORE, S)) \
        .when(leave()) \
        .then(fact(Community.MemberLeft, C, school_id=S, on=ON))


def test_a_school_leaves_after_it_joined() -> None:
    given(*SCHOOLS, community_registered(C, CORE), member_joined(C, S, ON)) \
        .when(leave(S, ON)) \
        .then_refused(RuleViolated, "on")


def test_only_a_member_leaves() -> None:
    given(*SCHOOLS, community_registered(C, CORE, S)).when(leave(T)) \
        .then_refused(StateConflict)


def test_a_community_is_assessed_with_its_members_at_the_end_of_the_period() -> None:
    gone, late = date(2026, 3, 1), date(2026, 7, 15)
    outcome = given(*SCHOOLS, community_registered(C, CORE, S), member_left(C, S, gone),
                    member_joined(C, T, late), round_created(A, PERIOD)) \
        .when(lambda app: app.add_subject(A, "community", C, "yiguanzhi", ADMIN)) \
        .then(fact(Assessment.SubjectAdded, A))
    subject = outcome.events[0].subject
    assert (subject.core_school_id, subject.member_school_ids) == (CORE, ())


def test_a_school_that_joins_recuses_the_communitys_judges_from_it() -> None:
    given(*SCHOOLS, community_registered(C, CORE), judge_registered(J, in_community(C)),
          round_created(A, PERIOD), subject_added(A, T), judge_added(A, J), opened(A)) \
        .when(join(T, date(2026, 1, 5))) \
        .then(fact(Community.MemberJoined, C, school_id=T),
              fact(Assessment.JudgeRecused, A, judge_id=J, subject_id=subject_of(A, T),
                   category="membership"))


def test_a_school_that_joins_after_the_period_recuses_nobody() -> None:
    given(*SCHOOLS, community_registered(C, CORE), judge_registered(J, in_community(C)),
          round_created(A, PERIOD), subject_added(A, T), judge_added(A, J), opened(A)) \
        .when(join(T, date(2026, 9, 1))) \
        .then(fact(Community.MemberJoined, C, school_id=T))
