"""回避 property: for any order of the operations that change what conflicts read, the
recusals equal find_conflicts over the current facts, plus the declared ones."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.assessment import Assessment
from domain.conflicts import DECLARED, AffiliationFacts, SubjectFacts, find_conflicts
from domain.errors import DomainError
from domain.user import Affiliation
from tests.factories import cause
from tests.memory import ADMIN, PERIOD, World, judge_cause, world

KINDS = ("school", "community", "unit")
SUBJECT_KINDS = (*KINDS, "teacher")  # a person: the studio's host, or a judge (名师)
operations = st.lists(st.one_of(
    st.tuples(st.just("subject"), st.sampled_from(SUBJECT_KINDS), st.integers(0, 3),
              st.integers(0, 1)),
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
    assert w.teacher is not None
    return {"school": w.schools, "community": w.communities, "unit": w.units,
            "teacher": [w.teacher, *w.judges]}[kind]


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
        elif s.kind == "teacher":  # their schools and units, as the records say now
            person = app.user(s.ref_id)
            units = [u for u in w.units if Affiliation("unit", u) in person.affiliations
                     or person.id in app.unit(u).people()]
            schools = [a.id for a in person.affiliations if a.kind == "school"] + [
                school for u in units if (school := app.unit(u).school_id) is not None]
            subjects.append(SubjectFacts(s.id, s.kind, s.ref_id, tuple(dict.fromkeys(schools)),
                                         (person.id,), tuple(units)))
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
# People as subjects: the judge themself; a colleague whose school the person joins later;
# a judge who joins the person's studio.
@example([("subject", "teacher", 1, 0), ("judge", 0, 0)])
@example([("subject", "teacher", 2, 0), ("judge", 0, 0), ("affiliations", 1, [("school", 0)])])
@example([("subject", "teacher", 0, 0), ("judge", 2, 0), ("unit", 1, [2])])
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
