"""回避 follows the facts: specs and a property, on the in-memory tenant application."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.assessment import Aggregation, Assessment, Period, RankingGroup
from domain.cause import Cause
from domain.conflicts import DECLARED, AffiliationFacts, SubjectFacts, find_conflicts
from domain.errors import DomainError
from domain.results import rows
from domain.scorecard import CardKey
from domain.user import Affiliation
from services.application import TenantApplication
from services.replay import board_at
from services.setup import ComponentSpec, SetupSpec
from tests.factories import cause, small_indicators
from tests.memory import in_memory

D = Decimal
PERIOD = Period(date(2019, 9, 1), date(2020, 6, 30))
ADMIN = cause()


@dataclass
class World:
    """A small district: four schools, two communities, a 教研组, a studio, three judges."""

    app: TenantApplication
    schools: list[UUID] = field(default_factory=list)
    communities: list[UUID] = field(default_factory=list)
    units: list[UUID] = field(default_factory=list)
    judges: list[UUID] = field(default_factory=list)
    teacher: UUID | None = None
    assessments: list[UUID] = field(default_factory=list)

    def assessment(self, i: int = 0) -> Assessment:
        return self.app.assessment(self.assessments[i])

    def add_subject(self, kind: str, ref: UUID, i: int = 0) -> UUID:
        return self.app.add_subject(self.assessments[i], kind, ref, "g", ADMIN)[1]


def world(affiliated: bool = False) -> World:
    app = in_memory()
    w = World(app)
    w.schools = [app.register_school(f"学校{i}", "g", "初中", None, False, ADMIN).id
                 for i in range(4)]
    w.communities = [
        app.register_community("城东共同体", "integrated", "县域", w.schools[0],
                               (w.schools[1],), PERIOD.starts_on, ADMIN).id,
        app.register_community("城西共同体", "co_built", "县域", w.schools[2], (),
                               PERIOD.starts_on, ADMIN).id,
    ]
    w.teacher = app.register_user("教师", "teacher", (), ADMIN).id
    w.judges = [app.register_user(f"评委{i}", "judge", (), ADMIN).id for i in range(3)]
    w.units = [
        app.register_unit("research_group", "语文教研组", w.schools[3], "语文", None, (),
                          ADMIN).id,
        app.register_unit("studio", "名师工作室", None, "数学", w.teacher, (), ADMIN).id,
    ]
    if affiliated:  # the property starts from judges tied to a school, a community, a unit
        for judge, tie in zip(w.judges, (Affiliation("school", w.schools[0]),
                                         Affiliation("community", w.communities[0]),
                                         Affiliation("unit", w.units[0])), strict=True):
            app.change_affiliations(judge, (tie,), cause(reason="录入任职"))
    rubric = app.draft_rubric("细则", D("0.5"), small_indicators(), ADMIN)
    app.publish_rubric(rubric.id, ADMIN)
    for period in (PERIOD, None):  # communities are assessed over a period; schools need none
        spec = SetupSpec("考核", (ComponentSpec("routine", "常态化", rubric.id, 1, D(100)),),
                         Aggregation("mean"), 1, (), (RankingGroup("g", "一贯制学校组"),),
                         period=period)
        w.assessments.append(app.create_assessment(spec, ADMIN).id)
    return w


def judge_cause(judge_id: UUID) -> Cause:
    return Cause(str(judge_id), "judge", "req-j")


def recusal(a: Assessment, judge: UUID, subject: UUID) -> str | None:
    return a.recusals.get(f"{judge}/{subject}")


def history(app: TenantApplication, aggregate_id: UUID) -> list:
    return list(app.repository.event_store.get(aggregate_id))


# -- specs ---------------------------------------------------------------------------------


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
    for status in ("open", "closed", "finalised"):
        w.app.advance(w.assessments[0], status, ADMIN)
    w.app.change_affiliations(judge, (Affiliation("school", w.schools[0]),), cause(reason="x"))
    assert recusal(w.assessment(), judge, subject) is None


# -- the property --------------------------------------------------------------------------

KINDS = ("school", "community", "unit")
operations = st.lists(st.one_of(
    st.tuples(st.just("subject"), st.sampled_from(KINDS), st.integers(0, 3), st.integers(0, 1)),
    st.tuples(st.just("judge"), st.integers(0, 2), st.integers(0, 1)),
    st.tuples(st.just("affiliations"), st.integers(0, 2),
              st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 3)), max_size=3)),
    st.tuples(st.just("join"), st.integers(0, 1), st.integers(0, 3)),
    st.tuples(st.just("leave"), st.integers(0, 1), st.integers(0, 3)),
    st.tuples(st.just("unit"), st.integers(0, 1), st.lists(st.integers(0, 2), max_size=2)),
    st.tuples(st.just("declare"), st.integers(0, 2), st.integers(0, 3), st.integers(0, 1)),
    st.tuples(st.just("open"), st.integers(0, 1)),
), max_size=30)


def refs(w: World, kind: str) -> list[UUID]:
    return {"school": w.schools, "community": w.communities, "unit": w.units}[kind]


def apply(w: World, op: tuple, day: date) -> None:
    app = w.app
    match op:
        case ("subject", kind, i, a):
            pool = refs(w, kind)
            app.add_subject(w.assessments[a], kind, pool[i % len(pool)], "g", ADMIN)
        case ("judge", j, a):
            app.add_judge(w.assessments[a], w.judges[j], ADMIN)
        case ("affiliations", j, chosen):
            affiliations = tuple(dict.fromkeys(
                Affiliation(kind, refs(w, kind)[i % len(refs(w, kind))]) for kind, i in chosen))
            app.change_affiliations(w.judges[j], affiliations, cause(reason="任职变更"))
        case ("join", c, s):
            app.join_community(w.communities[c], w.schools[s], day, ADMIN)
        case ("leave", c, s):
            app.leave_community(w.communities[c], w.schools[s], day, ADMIN)
        case ("unit", u, people):
            host = w.teacher if u == 1 else None
            app.change_unit_members(w.units[u], host, tuple(dict.fromkeys(
                w.judges[p] for p in people)), cause(reason="成员变更"))
        case ("declare", j, s, a):
            subjects = list(w.assessment(a).subjects)
            if subjects:
                app.declare_recusal(w.assessments[a], w.judges[j], subjects[s % len(subjects)],
                                    judge_cause(w.judges[j]).because("主动回避"))
        case ("open", a):
            app.advance(w.assessments[a], "open", ADMIN)


def expected(w: World, a: Assessment, declared: set[str]) -> dict[str, str]:
    """find_conflicts over the final facts, read here from the records, plus the declared."""
    app, period = w.app, a.setup.period
    span = (period.starts_on, period.ends_on) if period else (None, None)
    subjects = []
    for s in a.subjects.values():
        if s.kind == "school":
            subjects.append(SubjectFacts(s.id, s.kind, s.ref_id, (s.ref_id,)))
        elif s.kind == "community":
            subjects.append(SubjectFacts(s.id, s.kind, s.ref_id,
                                         app.community(s.ref_id).schools_during(*span)))
        else:
            unit = app.unit(s.ref_id)
            subjects.append(SubjectFacts(s.id, s.kind, s.ref_id,
                                         (unit.school_id,) if unit.school_id else (),
                                         unit.people()))
    communities = {c: app.community(c).schools_during(*span) for c in w.communities}
    want = dict.fromkeys(declared, DECLARED)
    for judge_id in a.panel:
        affiliations = app.user(judge_id).affiliations
        units = {u: app.unit(u).school_id for u in w.units
                 if Affiliation("unit", u) in affiliations or judge_id in app.unit(u).people()}
        found = find_conflicts(judge_id, affiliations, tuple(subjects),
                               AffiliationFacts(units, communities))
        for c in found:
            want.setdefault(f"{judge_id}/{c.subject_id}", c.category)
    return want


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
@example([("judge", 0, 0), ("subject", "school", 0, 0)])  # the probe of issue 9
@example([("subject", "school", 2, 0), ("judge", 1, 0), ("join", 0, 2)])
@example([("subject", "school", 1, 1), ("judge", 1, 1), ("leave", 0, 1)])
@example([("subject", "unit", 1, 0), ("judge", 0, 0), ("unit", 1, [0])])
@example([("subject", "school", 0, 0), ("judge", 2, 0), ("affiliations", 2, [("school", 0)]),
          ("declare", 2, 0, 0), ("affiliations", 2, [])])
def test_recusals_always_equal_the_conflicts_over_the_current_facts_plus_the_declared(
    ops: list[tuple]
) -> None:
    w = world(affiliated=True)
    declared: dict[int, set[str]] = {0: set(), 1: set()}
    for n, op in enumerate(ops):
        before = {i: dict(w.assessment(i).recusals) for i in (0, 1)}
        try:
            apply(w, op, PERIOD.starts_on + timedelta(days=10 * (n + 1)))
        except DomainError:
            assert {i: w.assessment(i).recusals for i in (0, 1)} == before  # nothing written
            continue
        if op[0] == "declare":
            declared[op[3]] |= set(w.assessment(op[3]).recusals) - set(before[op[3]])
        for i in (0, 1):  # always, not only at the end: after every operation
            a = w.assessment(i)
            assert a.recusals == expected(w, a, declared[i]), op
