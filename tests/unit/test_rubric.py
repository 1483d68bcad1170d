from decimal import Decimal

import pytest

from domain.errors import NotFound, RuleViolated, StateConflict
from domain.rubric import Indicator, Rubric, check_indicators
from tenants.templates import rubric_template
from tests.factories import cause, small_indicators

D = Decimal


def fields(error: RuleViolated) -> set[str]:
    return {e.field for e in error.errors}


def test_a_valid_tree_passes() -> None:
    check_indicators(small_indicators(), D("0.5"))


def test_duplicate_codes_are_named() -> None:
    tree = (Indicator("1", "甲", max_points=D(2)), Indicator("1", "乙", max_points=D(3)))
    with pytest.raises(RuleViolated) as raised:
        check_indicators(tree, D("0.5"))
    assert "indicators[1]" in fields(raised.value)
    assert any("more than once" in e.message for e in raised.value.errors)


def test_a_leaf_needs_positive_points_on_the_step() -> None:
    tree = (Indicator("1", "甲", max_points=D(0)), Indicator("2", "乙", max_points=D("1.3")))
    with pytest.raises(RuleViolated) as raised:
        check_indicators(tree, D("0.5"))
    assert fields(raised.value) == {"indicators[1]", "indicators[2]"}


def test_a_parent_weight_must_equal_its_leaves() -> None:
    tree = (Indicator("1", "组织建设", weight=D(10), children=(
        Indicator("1.1", "甲", max_points=D(4)),)),)
    with pytest.raises(RuleViolated) as raised:
        check_indicators(tree, D("0.5"))
    assert "indicators[1]" in fields(raised.value)


def test_publishing_freezes_a_version_and_later_edits_make_a_new_draft() -> None:
    rubric = Rubric.draft("细则", D("0.5"), small_indicators(), cause())
    assert rubric.publish(cause()) == 1
    changed = (*small_indicators(), Indicator("3", "特色", weight=D(5), children=(
        Indicator("3.1", "特色项目", max_points=D(5)),)))
    rubric.replace_draft("细则", D("0.5"), changed, cause())
    assert rubric.publish(cause()) == 2
    assert rubric.published(1).max_points == D(20)
    assert rubric.published(2).max_points == D(25)


def test_publishing_an_unchanged_draft_again_is_refused() -> None:
    rubric = Rubric.draft("细则", D("0.5"), small_indicators(), cause())
    rubric.publish(cause())
    with pytest.raises(StateConflict):
        rubric.publish(cause())


def test_an_unpublished_version_is_not_found() -> None:
    rubric = Rubric.draft("细则", D("0.5"), small_indicators(), cause())
    with pytest.raises(NotFound):
        rubric.published(1)


def test_the_zhuhui_template_has_nine_weighted_indicators_summing_to_100() -> None:
    name, step, indicators = rubric_template()
    check_indicators(indicators, step)
    assert "珠晖区" in name
    assert [i.weight for i in indicators] == [D(w) for w in (10, 10, 15, 15, 10, 5, 5, 20, 10)]
    rubric = Rubric.draft(name, step, indicators, cause())
    rubric.publish(cause())
    assert rubric.published(1).max_points == D(100)
