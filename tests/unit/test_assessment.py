from uuid import uuid4

import pytest

from domain.assessment import Assessment, PublishedResult, draw_order, subject_for
from domain.errors import NotFound, NotPermitted, RuleViolated, StateConflict
from tests.factories import cause, open_assessment, setup


def test_the_lifecycle_runs_draft_open_closed_finalised_published() -> None:
    a, subjects, _ = open_assessment()
    for status in ("closed", "finalised"):
        a.advance(status, cause())
        assert a.status == status
    with pytest.raises(StateConflict):
        a.advance("published", cause())  # publication carries the results
    sheet = (PublishedResult(subjects[0], None, None, None),)
    a.publish(sheet, 42, "ab" * 32, cause())
    assert a.status == "published" and a.published == sheet
    with pytest.raises(StateConflict):
        a.publish(sheet, 43, "cd" * 32, cause())


@pytest.mark.parametrize("to", ["closed", "finalised", "published", "draft"])
def test_skipping_a_step_is_a_conflict(to: str) -> None:
    a = Assessment.create(setup(), cause())
    a.add_subject(subject_for(a.id, "school", uuid4(), "学校", "yiguanzhi"), cause())
    with pytest.raises(StateConflict):
        a.advance(to, cause())


def test_an_assessment_without_subjects_cannot_open() -> None:
    with pytest.raises(StateConflict):
        Assessment.create(setup(), cause()).advance("open", cause())


def test_the_same_school_cannot_be_added_twice_and_groups_must_exist() -> None:
    a = Assessment.create(setup(), cause())
    school = uuid4()
    a.add_subject(subject_for(a.id, "school", school, "学校", "yiguanzhi"), cause())
    with pytest.raises(StateConflict):
        a.add_subject(subject_for(a.id, "school", school, "学校", "yiguanzhi"), cause())
    with pytest.raises(RuleViolated):
        a.add_subject(subject_for(a.id, "school", uuid4(), "学校", "no_such_group"), cause())


def test_scoring_terms_need_the_panel_an_open_round_and_a_known_component() -> None:
    a, subjects, judges = open_assessment()
    assert a.scoring_terms(judges[0], subjects[0], "routine").key == "routine"
    with pytest.raises(NotPermitted):
        a.scoring_terms(uuid4(), subjects[0], "routine")
    with pytest.raises(NotFound):
        a.scoring_terms(judges[0], subjects[0], "no_such_component")
    with pytest.raises(NotFound):
        a.scoring_terms(judges[0], uuid4(), "routine")
    a.advance("closed", cause())
    with pytest.raises(StateConflict):
        a.scoring_terms(judges[0], subjects[0], "routine")


def test_the_draw_is_reproducible_from_its_seed_and_is_a_permutation() -> None:
    a, subjects, _ = open_assessment(schools=8)
    first = a.draw("2020-06-21", cause())
    again = draw_order("2020-06-21", a.setup.groups, tuple(a.subjects.values()))
    assert first == again
    assert sorted(first[0].subject_ids, key=str) == sorted(subjects, key=str)
    other = draw_order("another seed", a.setup.groups, tuple(a.subjects.values()))
    assert other != first  # 8! orders: two seeds agreeing would be a 1 in 40320 chance


def test_an_invalid_setup_names_every_field() -> None:
    bad = setup(method="average", quorum=0)
    with pytest.raises(RuleViolated) as raised:
        Assessment.create(bad, cause())
    assert {"aggregation.method", "quorum"} <= {e.field for e in raised.value.errors}
