"""The access rules of ``services/access.py``, each on its own: whose card, 盲评, who replays
the board, and whom a reporter speaks for. No database: pure rules, or the in-memory
application where a rule reads the tenant's records."""

from uuid import UUID

import pytest

from domain.errors import NotFound, NotPermitted, RuleViolated
from domain.user import Affiliation
from services.access import (
    card_holder,
    check_board_open_to,
    check_may_replay,
    speaks_for,
    subjects_seen_by,
)
from tests.specs.facts import (
    at_school,
    community_registered,
    in_community,
    in_unit,
    judge_added,
    named,
    opened,
    recused,
    reporter_registered,
    round_created,
    school_registered,
    status_changed,
    subject_added,
    subject_of,
    unit_registered,
)
from tests.specs.spec import given

A, J, K, S, T, C, U = (named(n) for n in ("round", "judge", "judge 2", "school", "school 2",
                                           "community", "unit"))
R = named("reporter")


# -- 评分表: whose card ------------------------------------------------------------------------

def test_a_judges_card_is_their_own() -> None:
    assert card_holder("judge", J, None) == J
    assert card_holder("judge", J, J) == J


def test_a_judge_may_not_name_another_judges_card() -> None:
    with pytest.raises(NotPermitted):
        card_holder("judge", J, K)


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_admins_and_auditors_name_the_judge(role: str) -> None:
    assert card_holder(role, None, K) == K
    with pytest.raises(RuleViolated):
        card_holder(role, None, None)


# -- 盲评 ----------------------------------------------------------------------------------

ROUND = (school_registered(S), school_registered(T), round_created(A), subject_added(A, S),
         subject_added(A, T, name="学校乙"), judge_added(A, J), judge_added(A, K),
         recused(A, K, subject_of(A, S), "employment"))


def seen(app, role: str, user: UUID | None) -> set[UUID]:
    return {s.id for s in subjects_seen_by(app.assessment(A), role, user)}


def test_a_judge_sees_only_the_subjects_they_score() -> None:
    app = given(*ROUND).app
    assert seen(app, "judge", J) == {subject_of(A, S), subject_of(A, T)}
    assert seen(app, "judge", K) == {subject_of(A, T)}  # recused from the first
    assert seen(app, "judge", named("outsider")) == set()


@pytest.mark.parametrize("role", ["admin", "auditor", "reporter"])
def test_everyone_else_sees_every_subject(role: str) -> None:
    assert seen(given(*ROUND).app, role, None) == {subject_of(A, S), subject_of(A, T)}


def test_a_round_is_unseen_by_a_judge_off_its_panel() -> None:
    app = given(*ROUND).app
    assert app.assessment_seen_by(A, "judge", J).id == A
    assert app.assessment_seen_by(A, "auditor", None).id == A
    with pytest.raises(NotFound):
        app.assessment_seen_by(A, "judge", named("outsider"))


def test_a_subject_is_unseen_by_a_judge_recused_from_it() -> None:
    app = given(*ROUND).app
    round_ = app.assessment(A)
    assert app.subject_seen_by(round_, subject_of(A, S), "judge", J).ref_id == S
    assert app.subject_seen_by(round_, subject_of(A, S), "admin", None).ref_id == S
    with pytest.raises(NotFound):
        app.subject_seen_by(round_, subject_of(A, S), "judge", K)


@pytest.mark.parametrize(("status", "opens"), [("draft", False), ("open", False),
                                               ("closed", True), ("finalised", True)])
def test_the_board_opens_to_judges_when_the_round_closes(status: str, opens: bool) -> None:
    steps = {"draft": (), "open": ("open",), "closed": ("open", "closed"),
             "finalised": ("open", "closed", "finalised")}[status]
    app = given(*ROUND, *(status_changed(A, s) for s in steps)).app
    check_board_open_to(app.assessment(A), "admin")
    if opens:
        check_board_open_to(app.assessment(A), "judge")
    else:
        with pytest.raises(NotPermitted):
            check_board_open_to(app.assessment(A), "judge")


@pytest.mark.parametrize(("role", "may"), [("admin", True), ("auditor", True),
                                           ("judge", False), ("reporter", False)])
def test_only_admins_and_auditors_replay_the_board(role: str, may: bool) -> None:
    if may:
        check_may_replay(role)
    else:
        with pytest.raises(NotPermitted):
            check_may_replay(role)


# -- 填报员: whom a reporter speaks for ----------------------------------------------------------

def test_a_reporter_speaks_for_what_they_belong_to_and_what_their_school_owns() -> None:
    mine = (Affiliation("school", S), Affiliation("unit", U))
    assert speaks_for(mine, "school", S, S)
    assert speaks_for(mine, "unit", U, None)  # their own unit, of whatever school
    assert speaks_for(mine, "unit", named("another unit"), S)  # a unit of their school
    assert speaks_for(mine, "community", C, S)  # a community their school leads
    assert not speaks_for(mine, "school", T, T)
    assert not speaks_for(mine, "unit", named("another unit"), T)
    assert not speaks_for(mine, "community", C, T)
    assert not speaks_for((), "school", S, S)


COMMUNITY_ROUND = (school_registered(S), school_registered(T), unit_registered(U, T),
                   community_registered(C, S, T), round_created(A), subject_added(A, S),
                   subject_added(A, T), subject_added(A, U, kind="unit"),
                   subject_added(A, C, kind="community", core=S, members=(T,)))


def reports_for(app, reporter: UUID, ref: UUID, kind: str = "school") -> bool:
    return app.reports_for(app.user(reporter), app.assessment(A).subject(
        subject_of(A, ref, kind)))


def test_a_schools_reporter_reports_for_it_its_units_and_the_communities_it_leads() -> None:
    app = given(*COMMUNITY_ROUND, reporter_registered(R, at_school(T))).app
    assert reports_for(app, R, T)
    assert reports_for(app, R, U, "unit")
    assert not reports_for(app, R, S)
    assert not reports_for(app, R, C, "community")  # T is a member, not the core school
    lead = named("lead reporter")
    app = given(*COMMUNITY_ROUND, reporter_registered(lead, at_school(S))).app
    assert reports_for(app, lead, C, "community")


def test_a_units_reporter_reports_for_the_unit_only() -> None:
    app = given(*COMMUNITY_ROUND, reporter_registered(R, in_unit(U))).app
    assert reports_for(app, R, U, "unit")
    assert not reports_for(app, R, T)


def test_a_communitys_reporter_reports_for_the_community_only() -> None:
    app = given(*COMMUNITY_ROUND, reporter_registered(R, in_community(C))).app
    assert reports_for(app, R, C, "community")
    assert not reports_for(app, R, S)


def test_a_reporter_reads_only_their_own_schools_self_assessment() -> None:
    app = given(*COMMUNITY_ROUND, reporter_registered(R, at_school(T)), opened(A)).app
    round_ = app.assessment(A)
    app.check_reads_self_assessment(round_.subject(subject_of(A, T)), "reporter", R)
    app.check_reads_self_assessment(round_.subject(subject_of(A, S)), "judge", J)
    with pytest.raises(NotPermitted):
        app.check_reads_self_assessment(round_.subject(subject_of(A, S)), "reporter", R)


def test_a_reporters_scope_is_the_schools_of_their_affiliations() -> None:
    studio = named("studio")
    app = given(*COMMUNITY_ROUND, unit_registered(studio, None, kind="studio", host=J),
                reporter_registered(R, in_unit(U), in_community(C), in_unit(studio))).app
    assert app.scope_of(app.user(R)) == {T, S, studio}  # U's school, C's core, the studio
