"""回避 follows the facts: specs on the in-memory tenant application."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.assessment import Assessment
from domain.conflicts import DECLARED
from domain.errors import DomainError
from domain.results import rows
from domain.scorecard import CardKey
from domain.user import Affiliation
from services.replay import board_at
from tests.factories import cause
from tests.memory import ADMIN, history, judge_cause, recusal, world

D = Decimal


def test_a_judge_added_before_their_school_is_still_recused() -> None:
    w = world()
    judge = w.judges[0]
    w.app.change_affiliations(judge, (Affiliation("school", w.schools[2]),),
                              cause(reason="录入任职"))
    w.app.add_judge(w.assessments[0], judge, ADMIN)
    subject = w.add_subject("school", w.schools[2])
    a = w.assessment()
    assert recusal(a, judge, subject) == "employment"
    recused = [e for e in history(w.app, a.id) if isinstance(e, Assessment.JudgeRecused)][-1]
    assert recused.cause.reason == "评委任职于被评学校（新增被评对象：学校2）"
    w.app.advance(a.id, "open", ADMIN)
    with pytest.raises(DomainError):
        w.app.record_scores(CardKey(a.id, subject, "routine", judge), {"1.1": D(5)},
                            judge_cause(judge))


def test_a_judge_of_a_community_is_recused_from_its_schools_and_their_units() -> None:
    w = world()
    judge = w.judges[0]
    w.app.change_affiliations(judge, (Affiliation("community", w.communities[0]),),
                              cause(reason="共同体教研员"))
    core = w.add_subject("school", w.schools[0])
    member = w.add_subject("school", w.schools[1])
    other = w.add_subject("school", w.schools[2])
    community = w.add_subject("community", w.communities[0])
    w.app.add_judge(w.assessments[0], judge, ADMIN)
    a = w.assessment()
    assert recusal(a, judge, core) == recusal(a, judge, member) == "membership"
    assert recusal(a, judge, community) == "membership"
    assert recusal(a, judge, other) is None
    # The 教研组 of 学校3 is recused too once 学校3 joins the community.
    group = w.add_subject("unit", w.units[0])
    assert recusal(w.assessment(), judge, group) is None
    w.app.join_community(w.communities[0], w.schools[3], date(2020, 1, 1), ADMIN)
    assert recusal(w.assessment(), judge, group) == "membership"


def test_a_member_of_a_schools_research_group_is_recused_from_the_school() -> None:
    w = world()
    judge, listed = w.judges[1:]
    subject = w.add_subject("school", w.schools[3])
    for j in (judge, listed):
        w.app.add_judge(w.assessments[0], j, ADMIN)
    w.app.change_affiliations(judge, (Affiliation("unit", w.units[0]),), cause(reason="兼任"))
    assert recusal(w.assessment(), judge, subject) == "employment"
    # Named on the 教研组's own list is the same tie as an affiliation with it.
    w.app.change_unit_members(w.units[0], None, (listed,), cause(reason="组员"))
    assert recusal(w.assessment(), listed, subject) == "employment"
    group = w.add_subject("unit", w.units[0])
    assert recusal(w.assessment(), listed, group) == "membership"


def test_a_changed_affiliation_recuses_lifts_and_leaves_declared_recusals_alone() -> None:
    w = world()
    judge = w.judges[0]
    first, second = (w.add_subject("school", s) for s in w.schools[:2])
    w.app.add_judge(w.assessments[0], judge, ADMIN)
    w.app.declare_recusal(w.assessments[0], judge, second, judge_cause(judge).because("校友"))
    _, report = w.app.change_affiliations(
        judge, (Affiliation("school", w.schools[0]),), cause(reason="调入学校0"))
    assert report[0].changes[0].subject_id == first
    assert recusal(w.assessment(), judge, first) == "employment"
    w.app.change_affiliations(judge, (Affiliation("school", w.schools[1]),),
                              cause(reason="录入有误，应为学校1"))
    a = w.assessment()
    assert recusal(a, judge, first) is None
    assert recusal(a, judge, second) == DECLARED
    lifted = [e for e in history(w.app, a.id) if isinstance(e, Assessment.RecusalLifted)]
    assert [e.subject_id for e in lifted] == [first]
    assert "录入有误" in (lifted[0].cause.reason or "")
    changed = [e for e in history(w.app, judge) if type(e).__name__ == "AffiliationsChanged"]
    assert [e.cause.reason for e in changed] == ["调入学校0", "录入有误，应为学校1"]


def test_an_affiliation_change_needs_a_reason_and_real_records() -> None:
    w = world()
    with pytest.raises(DomainError):
        w.app.change_affiliations(w.judges[0], (Affiliation("school", w.schools[0]),), ADMIN)
    with pytest.raises(DomainError):
        w.app.change_affiliations(w.judges[0], (Affiliation("school", w.judges[1]),),
                                  cause(reason="x"))
    assert w.app.user(w.judges[0]).version == 1


def test_a_school_leaving_the_community_lifts_where_no_period_holds_it() -> None:
    w = world()
    judge = w.judges[2]
    w.app.change_affiliations(judge, (Affiliation("community", w.communities[1]),),
                              cause(reason="共同体"))
    held = w.add_subject("school", w.schools[3], 0)  # assessed over 2019-09-01..2020-06-30
    lifted = w.add_subject("school", w.schools[3], 1)  # no period: current membership
    for i in (0, 1):
        w.app.add_judge(w.assessments[i], judge, ADMIN)
    w.app.join_community(w.communities[1], w.schools[3], date(2020, 1, 1), ADMIN)
    assert recusal(w.assessment(0), judge, held) == recusal(w.assessment(1), judge, lifted)
    w.app.leave_community(w.communities[1], w.schools[3], date(2020, 5, 1), ADMIN)
    assert recusal(w.assessment(0), judge, held) == "membership"  # it was in it then
    assert recusal(w.assessment(1), judge, lifted) is None


def test_a_judge_made_a_studio_member_is_recused_from_the_studio() -> None:
    w = world()
    judge = w.judges[0]
    studio = w.add_subject("unit", w.units[1])
    w.app.add_judge(w.assessments[0], judge, ADMIN)
    w.app.change_unit_members(w.units[1], w.teacher, (judge,), cause(reason="加入工作室"))
    assert recusal(w.assessment(), judge, studio) == "membership"
    w.app.change_unit_members(w.units[1], judge, (), cause(reason="接任坊主"))
    assert recusal(w.assessment(), judge, studio) == "membership"
    w.app.change_unit_members(w.units[1], w.teacher, (), cause(reason="退出"))
    assert recusal(w.assessment(), judge, studio) is None


def test_a_recusal_after_scoring_voids_the_cards_and_says_why() -> None:
    w = world()
    judge, other = w.judges[:2]
    subject = w.add_subject("school", w.schools[0])
    for j in (judge, other):
        w.app.add_judge(w.assessments[0], j, ADMIN)
    w.app.advance(w.assessments[0], "open", ADMIN)
    for j, points in ((judge, D(10)), (other, D(6))):
        key = CardKey(w.assessments[0], subject, "routine", j)
        w.app.record_scores(key, {"1.1": D(6), "1.2": D(4), "2.1": points}, judge_cause(j))
        w.app.submit_card(key, judge_cause(j))
    w.app.advance(w.assessments[0], "closed", ADMIN)  # cards can still change: it follows
    w.app.change_affiliations(judge, (Affiliation("school", w.schools[0]),),
                              cause(reason="补录任职"))
    routine = rows(board_at(w.app, w.assessments[0]))[0].components["routine"]
    assert routine.score == D(16) and routine.judges == 1
    assert [(v.judge_id, v.category) for v in routine.void] == [(judge, "employment")]
    assert routine.void[0].reason == "评委任职于被评学校（评委评委0任职变更：补录任职）"


def test_a_judge_added_from_affiliations_read_just_before_they_changed_is_settled(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world()
    judge = w.judges[0]
    subject = w.add_subject("school", w.schools[0])
    stale = w.app.user(judge)  # add_judge read this, then the affiliation change committed
    w.app.change_affiliations(judge, (Affiliation("school", w.schools[0]),), cause(reason="x"))
    monkeypatch.setattr(w.app, "judge", lambda judge_id: stale)
    w.app.add_judge(w.assessments[0], judge, ADMIN)
    assert recusal(w.assessment(), judge, subject) == "employment"


def test_an_affiliation_change_that_read_before_a_judge_was_added_is_settled(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world()
    judge = w.judges[0]
    subject = w.add_subject("school", w.schools[0])
    scan = w.app.assessments_following_facts
    calls = []

    def read_then_race() -> list[Assessment]:
        found = scan()
        if not calls:  # the judge is added after the scan read the panel, before the save
            w.app.add_judge(w.assessments[0], judge, ADMIN)
        calls.append(1)
        return found

    monkeypatch.setattr(w.app, "assessments_following_facts", read_then_race)
    w.app.change_affiliations(judge, (Affiliation("school", w.schools[0]),), cause(reason="x"))
    assert len(calls) == 2
    assert recusal(w.assessment(), judge, subject) == "employment"


def test_a_finalised_assessment_is_not_touched() -> None:
    w = world()
    judge = w.judges[0]
    subject = w.add_subject("school", w.schools[0])
    w.app.add_judge(w.assessments[0], judge, ADMIN)
    for status in ("open", "closed", "finalised"):  # no card was scored: the admin overrides
        w.app.advance(w.assessments[0], status, cause(reason="结束"), override=True)
    w.app.change_affiliations(judge, (Affiliation("school", w.schools[0]),), cause(reason="x"))
    assert recusal(w.assessment(), judge, subject) is None
