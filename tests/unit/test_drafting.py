"""Corrections to a draft and the 出场顺序: the aggregate's rules and the board's fold."""

from dataclasses import replace
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.assessment import Assessment, RankingGroup, subject_for
from domain.board import BoardState, fold
from domain.drafting import group_warning, presentation
from domain.errors import RuleViolated, StateConflict
from domain.results import rows
from tests.factories import cause, setup
from tests.unit.test_board import scored

D = Decimal


def draft(*names: str, group: str = "yiguanzhi") -> tuple[Assessment, list]:
    a = Assessment.create(setup(), cause())
    return a, [a.add_subject(subject_for(a.id, "school", uuid4(), name, group), cause())
               for name in names]


def board_of(events) -> BoardState:
    state = BoardState(events[0].originator_id)
    for position, event in enumerate(events, start=1):
        fold(state, event, position)
    return state


def test_the_board_drops_a_removed_subject_and_ranks_a_moved_one_in_its_new_group() -> None:
    a, (nangang, jingdong, xincai) = draft("南钢学校", "京东学校", "新才学校")
    judge = uuid4()
    a.add_judge(judge, "评委", (), cause())
    a.declare_recusal(judge, xincai, cause("judge", reason="本人系该校校友"))
    a.remove_subject(xincai, cause(reason="重复报名"))
    a.move_subject(jingdong, "yilei", cause())
    a.advance("open", cause())
    events = a.collect_events()
    events += scored(a, nangang, judge, {"1.1": D(6), "1.2": D(4), "2.1": D(8)})
    events += scored(a, jingdong, judge, {"1.1": D(6), "1.2": D(4), "2.1": D(10)})
    state = board_of(events)
    board = {(r.name, r.group): r.rank for r in rows(state)}
    assert board == {("南钢学校", "yiguanzhi"): 1, ("京东学校", "yilei"): 1}
    assert state.recusals == {} and a.recusals == {}  # the removed subject's 回避 went with it
    assert state.subjects == {str(k): v for k, v in a.subjects.items()}


def test_a_changed_set_up_is_what_the_board_ranks_by() -> None:
    a, (nangang,) = draft("南钢学校")
    judge = uuid4()
    a.add_judge(judge, "评委", (), cause())
    changed = a.change_setup(replace(a.setup, tiers=()), cause())
    assert changed == ("tiers",)
    assert a.change_setup(a.setup, cause()) == ()  # nothing changed, nothing recorded
    a.advance("open", cause())
    events = a.collect_events()
    assert [type(e).__name__ for e in events].count("SetupChanged") == 1
    events += scored(a, nangang, judge, {"1.1": D(6), "1.2": D(4), "2.1": D(10)})
    [row] = rows(board_of(events))
    assert row.final == D(100) and row.tier is None


def test_corrections_are_for_drafts_only() -> None:
    a, (nangang,) = draft("南钢学校")
    a.advance("open", cause())
    for correct in (lambda: a.remove_subject(nangang, cause()),
                    lambda: a.move_subject(nangang, "yilei", cause()),
                    lambda: a.change_setup(replace(a.setup, name="x"), cause())):
        with pytest.raises(StateConflict):
            correct()


def test_a_group_that_still_has_subjects_cannot_be_removed() -> None:
    a, _ = draft("南钢学校", "京东学校", group="yilei")
    with pytest.raises(RuleViolated) as refused:
        a.change_setup(replace(a.setup, groups=a.setup.groups[:1]), cause())
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("groups", "group yilei still has subjects: 京东学校, 南钢学校; move or remove them")]


def test_an_order_voided_by_a_move_leaves_the_other_groups_ordered() -> None:
    a, (nangang, jingdong, tielu) = draft("南钢学校", "京东学校", "铁路二小")
    a.move_subject(tielu, "yilei", cause())
    a.enter_order({"yiguanzhi": (jingdong, nangang), "yilei": (tielu,)}, cause())
    with pytest.raises(RuleViolated):  # replacing an order needs a reason
        a.enter_order({"yilei": (tielu,)}, cause())
    a.move_subject(jingdong, "yilei", cause())
    assert a.order == ()  # both groups it touched
    a.enter_order({"yiguanzhi": (nangang,)}, cause())
    placed = {g.key: [(p.subject.name, p.position) for p in ps]
              for g, ps in presentation(a.setup, a.subjects, a.order)}
    assert placed == {"yiguanzhi": [("南钢学校", 1)],
                      "yilei": [("京东学校", None), ("铁路二小", None)]}


def test_a_school_is_warned_only_when_its_registered_group_is_another() -> None:
    group = RankingGroup("yilei", "一类小学组")
    assert group_warning("华安学校", "一类小学组 ", group) is None
    assert group_warning("华安学校", "yilei", group) is None
    assert group_warning("华安学校", "一贯制学校组", group).message == (
        "华安学校 登记在「一贯制学校组」，放入了「一类小学组」")
