"""Properties of assessments shaped per subject (issue 15): quorum is counted per 考核组, and a
subject's final is its own components renormalised to the round's full marks."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.assessment import subject_for
from domain.board import BoardState, CardState
from domain.results import rows
from domain.rounding import shown
from domain.setup import RankingGroup
from domain.shaping import components_of, judges_for
from tests.factories import component, setup

D = Decimal
A = UUID(int=1)
GROUPS = ("g0", "g1", "g2")
KEYS = ("c0", "c1", "c2")

panels = st.lists(st.lists(st.sampled_from(GROUPS), unique=True, max_size=2), min_size=1,
                  max_size=5)  # each judge's 考核组 (none: the whole panel)
subjects = st.lists(st.sampled_from(GROUPS), min_size=1, max_size=5)


def judge(j: int) -> UUID:
    return UUID(int=1000 + j)


@settings(max_examples=150, deadline=None)
@given(panels, subjects, st.integers(1, 3),
       st.sets(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=6))
def test_quorum_counts_only_the_judges_sitting_for_the_subjects_group(
        groups: list[list[str]], placed: list[str], quorum: int,
        recused: set[tuple[int, int]]) -> None:
    the_setup = replace(setup(quorum=quorum),
                        groups=tuple(RankingGroup(g, g) for g in GROUPS))
    state = BoardState(A, setup=the_setup, status="open")
    state.panel = {str(judge(j)): f"评委{j}" for j in range(len(groups))}
    state.panel_groups = {str(judge(j)): tuple(g) for j, g in enumerate(groups) if g}
    for n, group in enumerate(placed):
        subject = subject_for(A, "school", UUID(int=n + 1), f"学校{n}", group)
        state.subjects[str(subject.id)] = subject
    for j, n in recused:
        if j < len(groups) and n < len(placed):
            state.recusals[f"{judge(j)}/{subject_for(A, 'school', UUID(int=n + 1), '', '').id}"] \
                = "declared"
    mapping = {judge(j): tuple(g) for j, g in enumerate(groups)}
    for row in rows(state):
        subject = state.subjects[str(row.subject_id)]
        sitting = [j for j in judges_for(mapping, mapping, subject)
                   if not state.is_recused(j, subject.id)]
        # By hand: a judge counts if they have no groups or the subject's group is theirs.
        by_hand = sum(1 for j, g in enumerate(groups) if (not g or subject.group in g)
                      and not state.is_recused(judge(j), subject.id))
        assert len(sitting) == by_hand
        assert ("below_quorum" in row.flags) == (by_hand < quorum)


weights = st.lists(st.integers(1, 60).map(D), min_size=3, max_size=3)
own = st.sets(st.sampled_from(KEYS), min_size=1)
fractions = st.lists(st.integers(0, 40).map(lambda n: D(n) / 2), min_size=3, max_size=3)


@settings(max_examples=150, deadline=None)
@given(weights, own, fractions, st.sampled_from([None, D(100), D(150)]))
def test_a_subjects_final_is_its_own_components_renormalised_to_full_marks(
        w: list[Decimal], keys: set[str], totals: list[Decimal],
        full_marks: Decimal | None) -> None:
    """Each component is out of 20 points; the subject is scored on ``keys`` alone."""
    the_setup = replace(setup(), components=tuple(
        component(k, weight) for k, weight in zip(KEYS, w, strict=True)),
        full_marks=full_marks)
    subject = replace(subject_for(A, "school", UUID(int=5), "学校", "yiguanzhi"),
                      components=tuple(sorted(keys)))
    state = BoardState(A, setup=the_setup, status="open")
    state.panel = {str(judge(0)): "评委"}
    state.subjects[str(subject.id)] = subject
    for key, total in zip(KEYS, totals, strict=True):
        if key in keys:
            state.cards[key] = CardState(subject.id, key, judge(0), {"x": total}, True)
    [row] = rows(state)
    assert set(row.components) == keys  # its own components, no others
    mine = components_of(the_setup, subject)
    own_weight = sum(c.weight for c in mine)
    exact = sum(t / 20 * c.weight for c, t in zip(
        the_setup.components, totals, strict=True) if c.key in keys)
    expected = exact if full_marks is None else exact * full_marks / own_weight
    assert row.final == shown(expected)
    if full_marks is not None and all(t == 20 for c, t in zip(
            the_setup.components, totals, strict=True) if c.key in keys):
        assert row.final == full_marks  # full points on its own components: full marks
