"""Records edited with a reason and archived, and rubrics with a full mark: domain specs."""

from decimal import Decimal

import pytest

from domain.errors import RuleViolated, StateConflict
from domain.records import FieldChange, check_active
from domain.rubric import Indicator, Rubric
from domain.school import School
from tests.factories import cause, small_indicators


def school() -> School:
    s = School.register("南钢学校", "一贯制学校组", "初中", None, False, cause())
    s.collect_events()
    return s


def test_an_edit_records_only_the_fields_that_change_from_and_to() -> None:
    s = school()
    changes = s.edit({"name": "南钢中学", "group": "一贯制学校组", "zone": "京东片区"},
                     cause(reason="更名"))
    assert changes == (FieldChange("name", "南钢学校", "南钢中学"),
                       FieldChange("zone", None, "京东片区"))
    [edited] = s.collect_events()
    assert isinstance(edited, School.Edited) and edited.cause.reason == "更名"
    assert (s.name, s.zone) == ("南钢中学", "京东片区")


@pytest.mark.parametrize("values", [{"name": "新名"}, {"name": "南钢学校"}, {"stage": "大学"},
                                    {"name": " "}])
def test_an_edit_without_reason_effect_or_valid_value_is_refused(values) -> None:
    s = school()
    reason = None if values == {"name": "新名"} else "理由"
    with pytest.raises(RuleViolated):
        s.edit(values, cause(reason=reason))
    assert s.collect_events() == []


def test_an_archived_record_is_archived_once_and_takes_no_new_part() -> None:
    s = school()
    with pytest.raises(RuleViolated):
        s.archive(cause())  # no reason
    s.archive(cause(reason="撤并"))
    with pytest.raises(StateConflict):
        s.archive(cause(reason="again"))
    with pytest.raises(RuleViolated, match="南钢学校 is archived"):
        check_active(s, "ref_id")


def test_a_declared_full_mark_is_checked_when_publishing_naming_the_sum() -> None:
    rubric = Rubric.draft("细则", Decimal("0.5"), small_indicators(), cause(), Decimal(100))
    with pytest.raises(RuleViolated, match="add up to 20, not the full mark 100"):
        rubric.publish(cause())
    rubric.replace_draft("细则", Decimal("0.5"), (*small_indicators(), Indicator(
        "3", "特色", max_points=Decimal(80))), cause(), Decimal(100))
    assert rubric.publish(cause()) == 1
    assert rubric.published(1).total == Decimal(100)


def test_a_rubric_without_a_full_mark_publishes_as_before() -> None:
    rubric = Rubric.draft("细则", Decimal("0.5"), small_indicators(), cause())
    assert rubric.publish(cause()) == 1
