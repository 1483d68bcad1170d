"""The rubric editor's tree: the editing steps on the rows as typed, and the comparison of
two versions."""

from __future__ import annotations

from decimal import Decimal

from adapters.web.rubric_diff import compare
from adapters.web.rubric_tree import Row, Tree, posted_tree, tree_of
from domain.rubric import EvidenceRule, Indicator


def small() -> Tree:
    return tree_of((
        Indicator("1", "组织建设", Decimal(10), children=(
            Indicator("1.1", "教研组设置合理", max_points=Decimal(6)),
            Indicator("1.2", "制度健全", max_points=Decimal(4),
                      evidence=EvidenceRule("集体备课", 16)))),
        Indicator("2", "教研活动", max_points=Decimal(5)),
    ))


def codes(tree: Tree) -> list[str]:
    return [row.code for row in tree.all()]


def test_a_stored_tree_becomes_rows_with_their_values_as_text() -> None:
    tree = small()
    assert codes(tree) == ["1", "1.1", "1.2", "2"]
    leaf = tree.all()[2]
    assert (leaf.max_points, leaf.ev_form, leaf.ev_min) == ("4", "集体备课", "16")
    assert tree.all()[0].weight == "10" and tree.all()[0].max_points == ""


def test_a_posted_form_is_read_back_in_its_order_under_its_parents() -> None:
    form = {"a1.parent": "", "a1.code": "1", "a1.title": "组织建设", "b1.parent": "a1",
            "b1.code": "1.1", "b1.title": " 设置 ", "c1.parent": "", "c1.code": "2",
            "c1.guidance": "  留空格  "}
    tree = posted_tree(form)
    assert [(r.key, [c.key for c in r.children]) for r in tree.roots] == [("a1", ["b1"]),
                                                                          ("c1", [])]
    assert tree.all()[1].title == "设置" and tree.all()[2].guidance == "  留空格  "


def test_a_child_added_to_a_leaf_takes_the_next_code_and_the_leaf_loses_its_points() -> None:
    tree = small()
    two = tree.all()[3]
    row = tree.add(two.key)
    assert row.code == "2.1" and two.max_points == "" and two.children == [row]
    assert tree.add("").code == "3"


def test_moves_stay_among_siblings_and_never_under_themselves() -> None:
    tree = small()
    one, first, second, two = tree.all()
    tree.shift(second.key, -1)
    tree.shift(one.key, -1)  # already first: nothing happens
    assert codes(tree) == ["1", "1.2", "1.1", "2"]
    assert not tree.move(one.key, first.key)
    assert tree.move(first.key, two.key)
    assert [r.code for r in two.children] == ["1.1"] and two.max_points == ""
    tree.renumber()
    assert codes(tree) == ["1", "1.1", "2", "2.1"]
    tree.remove(two.key)
    assert codes(tree) == ["1", "1.1"]


def test_the_comparison_names_added_removed_and_changed_indicators() -> None:
    before = (Indicator("1", "组织建设", Decimal(10), children=(
        Indicator("1.1", "设置合理", max_points=Decimal(6)),
        Indicator("1.2", "制度健全", max_points=Decimal(4)))),)
    after = (Indicator("1", "组织建设", Decimal(10), children=(
        Indicator("1.1", "设置科学合理", max_points=Decimal(6), guidance="有规划"),
        Indicator("1.3", "档案齐全", max_points=Decimal(4)))),)
    lines = {line.code: line for line in compare(before, after)}
    assert set(lines) == {"1.1", "1.2", "1.3"}
    assert lines["1.3"].kind == "added" and lines["1.2"].kind == "removed"
    assert [(c.field, c.before, c.after) for c in lines["1.1"].changes] == [
        ("title", "设置合理", "设置科学合理"), ("guidance", "", "有规划")]


def test_an_empty_row_has_no_children() -> None:
    assert Row("n1").is_leaf


def test_a_hand_made_form_cannot_nest_without_end_nor_use_odd_keys() -> None:
    form = {f"n{i}.parent": f"n{i - 1}" for i in range(1, 50)}
    form |= {"x'].parent": "", "n1.title": "甲"}
    tree = posted_tree(form)
    depths = [depth for _, _, depth in tree.rows()]
    assert len(depths) == 49 and max(depths) < 8
    assert all(row.key.startswith("n") for row in tree.all())
