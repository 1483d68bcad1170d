"""年度考核 folded by hand against the fold: conversion, the share rule, rounding once, and
what a correction moves (no I/O)."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.annual import (
    AnnualReview,
    Part,
    SchoolRef,
    Source,
    SourceComponent,
    SourceLine,
    SourceScore,
)
from domain.annual_board import AnnualState, changes, fold, lines
from domain.cause import Cause
from domain.errors import RuleViolated
from domain.rounding import shown

CAUSE = Cause("admin", "admin", "r", "test")
ROUND = UUID(int=1)
SCHOOLS = [SchoolRef(UUID(int=100 + i), f"学校{i}") for i in range(6)]

finals = st.decimals(min_value=0, max_value=100, places=2)
weights = st.decimals(min_value=Decimal("0.01"), max_value=2, places=2)


def sheet(school_finals: list[Decimal], community_final: Decimal, project: Decimal) -> Source:
    """Schools 0..n-1 are school subjects; schools 3, 4, 5 form one community."""
    school_lines = tuple(
        SourceLine(UUID(int=200 + i), "school", SCHOOLS[i].name, final,
                   (SourceScore("project", project),), (SCHOOLS[i],))
        for i, final in enumerate(school_finals))
    community = SourceLine(UUID(int=300), "community", "玉城共同体", community_final,
                           (SourceScore("project", project),), tuple(SCHOOLS[3:6]))
    return Source(ROUND, "共同体考核", 10, "ab", Decimal(100),
                  (SourceComponent("project", "项目评估", Decimal(20)),),
                  (*school_lines, community))


def folded(parts: tuple[Part, ...], source: Source,
           then: Source | None = None) -> AnnualState:
    """The review created over ``source`` (and corrected to ``then``), its events folded."""
    review = AnnualReview.create("2022-2023", "年度考核", parts, (source,), 2, CAUSE)
    if then is not None:
        review.correct_source(then, CAUSE)
    state = AnnualState(review.id)
    for position, event in enumerate(review.collect_events(), start=1):
        fold(state, event, position)
    return state


@settings(max_examples=60, deadline=None)
@given(st.lists(finals, min_size=1, max_size=3), finals,
       st.decimals(min_value=0, max_value=20, places=1), weights, weights,
       st.decimals(min_value=1, max_value=50, places=1))
def test_each_total_is_its_parts_converted_and_summed_then_rounded_once(
        school_finals, community_final, project, own_weight, share, points) -> None:
    parts = (Part("p1", ROUND, "final", "subject", weight=own_weight),
             Part("p2", ROUND, "final", "community_members", weight=share),
             Part("p3", ROUND, "project", "community_members", points=points))
    state = folded(parts, sheet(school_finals, community_final, project))
    by_id = {line.school_id: line for line in lines(state)}
    shared = community_final * share + project / Decimal(20) * points
    for i, final in enumerate(school_finals):
        expected = final * own_weight + (shared if i >= 3 else 0)
        assert by_id[SCHOOLS[i].id].total == shown(expected)
    for school in SCHOOLS[3:]:  # the share rule: every school of the community, the same
        line = by_id[school.id]
        converted = {p.key: p.converted for p in line.parts if p.via == "玉城共同体"}
        assert converted == {"p2": community_final * share,
                             "p3": project / Decimal(20) * points}
    assert set(by_id) == {s.id for s in SCHOOLS[:len(school_finals)]} | {
        s.id for s in SCHOOLS[3:]}


@settings(max_examples=60, deadline=None)
@given(st.lists(finals, min_size=3, max_size=3), st.lists(finals, min_size=3, max_size=3),
       st.decimals(min_value=1, max_value=40, places=0))
def test_a_correction_is_a_new_version_whose_differences_are_exactly_what_moved(
        before, after, points) -> None:
    parts = (Part("p1", ROUND, "final", "subject", points=points),)
    first = sheet(before, Decimal(0), Decimal(0))
    v1 = {line.school_id: line.total for line in lines(folded(parts, first))}
    state = folded(parts, first, sheet(after, Decimal(0), Decimal(0)))
    v2 = {line.school_id: line.total for line in lines(state)}
    assert state.version == 2 and [v.what for v in state.versions] == ["created",
                                                                       "source_corrected"]
    moved = {c.school_id: c for c in changes(state)}
    for school_id, total in v1.items():
        if total == v2[school_id] and school_id not in moved:
            continue
        change = moved[school_id]
        assert (change.before, change.after) == (total, v2[school_id])
        assert change.difference == v2[school_id] - total
    assert all(c.parts == ("p1",) for c in moved.values())
    assert set(moved) == {s for s in v1 if before[s.int - 100] != after[s.int - 100]}


def test_points_conversion_gives_full_points_at_full_marks_and_weight_is_a_product() -> None:
    """青山湖: 100 of 100 → 20 points; 85.00 → 17.00; a weight of 0.3 makes 85 → 25.50."""
    for final, points, total in ((Decimal(100), 20, "20.00"), (Decimal(85), 20, "17.00")):
        state = folded((Part("p1", ROUND, "final", "subject", points=Decimal(points)),),
                       sheet([final], Decimal(0), Decimal(0)))
        assert str(lines(state)[0].total) == total
    state = folded((Part("p1", ROUND, "final", "subject", weight=Decimal("0.3")),),
                   sheet([Decimal(85)], Decimal(0), Decimal(0)))
    assert str(lines(state)[0].total) == "25.50"


def test_a_part_must_name_a_published_source_a_figure_it_has_and_one_conversion() -> None:
    source = sheet([Decimal(1)], Decimal(0), Decimal(0))
    with pytest.raises(RuleViolated) as refused:
        AnnualReview.create("2022-2023", "x", (
            Part("p1", uuid4(), "final", "subject", weight=Decimal(1)),
            Part("p2", ROUND, "nope", "subject", weight=Decimal(1)),
            Part("p3", ROUND, "final", "everyone", weight=Decimal(1), points=Decimal(2)),
        ), (source,), 2, CAUSE)
    assert {e.field for e in refused.value.errors} == {
        "parts[0].assessment_id", "parts[1].source", "parts[2].applies_to", "parts[2]"}
