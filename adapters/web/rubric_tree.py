"""The rubric editor's tree as the form carries it: every indicator a row of text fields,
kept exactly as typed, and the editing steps (添加、上移、下移、删除、移动、重新编号) done on it.

The whole tree is one form. Each row posts ``{key}.parent`` (the key of the row above it in
the tree, empty for a 一级指标) and its fields; rows come in document order, so siblings keep
their order. Keys (``n1``, ``n2``…) live only as long as the form: codes are what the rubric
stores. Nothing here is a rule of the rubric: those are the domain's, checked on saving."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from domain.rubric import Indicator

FIELDS = ("code", "title", "weight", "max_points", "guidance", "ev_form", "ev_min")
KEY = re.compile(r"^[a-z][0-9]{1,6}$")  # the keys the form itself hands out
MAX_DEPTH = 8  # 一级/二级/具体要求 is 3; a deeper row posted by hand joins the top level


def one(value: Any) -> str:
    """A form value: the last one when a name was posted more than once."""
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value)


def text_of(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


@dataclass
class Row:
    """One indicator as typed (every value text)."""

    key: str
    code: str = ""
    title: str = ""
    weight: str = ""
    max_points: str = ""
    guidance: str = ""
    ev_form: str = ""
    ev_min: str = ""
    children: list[Row] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass
class Tree:
    """The indicator rows under the rubric (the top level is ``roots``)."""

    roots: list[Row] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[Row, Row | None, int]]:
        """Every row in document order, with its parent and depth (0 for a 一级指标)."""
        def visit(rows: list[Row], parent: Row | None, depth: int) -> Iterator[Any]:
            for row in rows:
                yield row, parent, depth
                yield from visit(row.children, row, depth + 1)
        yield from visit(self.roots, None, 0)

    def find(self, key: str) -> tuple[Row, list[Row]] | None:
        """A row and the sibling list holding it."""
        for row, parent, _ in self.rows():
            if row.key == key:
                return row, (parent.children if parent else self.roots)
        return None

    def next_key(self) -> str:
        numbers = [int(r.key[1:]) for r, _, _ in self.rows() if r.key[1:].isdigit()]
        return f"n{max(numbers, default=0) + 1}"

    # -- editing steps ------------------------------------------------------------------

    def add(self, parent_key: str) -> Row:
        """A new empty indicator at the end of ``parent_key``'s children (of the top level
        when empty), with a code that follows its siblings'."""
        found = self.find(parent_key) if parent_key else None
        siblings = found[0].children if found else self.roots
        if found and not siblings:  # a leaf becomes a parent: its points are its leaves' now
            found[0].max_points = found[0].ev_form = found[0].ev_min = ""
        prefix = f"{found[0].code}." if found and found[0].code else ""
        used = {r.code for r, _, _ in self.rows()}
        number = len(siblings) + 1
        while f"{prefix}{number}" in used:
            number += 1
        row = Row(self.next_key(), code=f"{prefix}{number}")
        siblings.append(row)
        return row

    def shift(self, key: str, by: int) -> None:
        found = self.find(key)
        if found is None:
            return
        row, siblings = found
        at = siblings.index(row)
        to = at + by
        if 0 <= to < len(siblings):
            siblings[at], siblings[to] = siblings[to], siblings[at]

    def remove(self, key: str) -> None:
        found = self.find(key)
        if found is not None:
            found[1].remove(found[0])

    def move(self, key: str, parent_key: str) -> bool:
        """Move a row (with what is under it) to the end of another parent's children; False
        when that parent is the row itself or under it."""
        found = self.find(key)
        target = self.find(parent_key) if parent_key else None
        if found is None or (parent_key and target is None):
            return False
        row = found[0]
        if target is not None and any(r is target[0] for r in Tree([row]).all()):
            return False
        found[1].remove(row)
        if target is not None and not target[0].children:
            target[0].max_points = target[0].ev_form = target[0].ev_min = ""
        (target[0].children if target else self.roots).append(row)
        return True

    def renumber(self) -> None:
        """Codes by position: 1, 1.1, 1.1.1…"""
        def number(rows: list[Row], prefix: str) -> None:
            for i, row in enumerate(rows, 1):
                row.code = f"{prefix}{i}"
                number(row.children, f"{row.code}.")
        number(self.roots, "")

    def all(self) -> list[Row]:
        return [row for row, _, _ in self.rows()]


def posted_tree(form: Mapping[str, Any]) -> Tree:
    """The tree a form posted: rows in the order their ``.parent`` fields came."""
    tree = Tree()
    rows: dict[str, Row] = {}
    depth: dict[str, int] = {}
    for name, value in form.items():
        if not name.endswith(".parent"):
            continue
        key = name[: -len(".parent")]
        if key in rows or not KEY.match(key):
            continue
        row = Row(key, **{f: one(form.get(f"{key}.{f}", "")).strip() if f != "guidance"
                          else one(form.get(f"{key}.{f}", "")) for f in FIELDS})
        rows[key] = row
        parent = rows.get(one(value))
        if parent is not None and depth[parent.key] + 1 < MAX_DEPTH:
            parent.children.append(row)
            depth[key] = depth[parent.key] + 1
        else:
            tree.roots.append(row)
            depth[key] = 0
    return tree


def tree_of(indicators: tuple[Indicator, ...]) -> Tree:
    """The rows of a stored tree."""
    tree = Tree()
    counter = iter(range(1, 1_000_000))

    def row_of(node: Indicator) -> Row:
        return Row(f"n{next(counter)}", node.code, node.title, text_of(node.weight),
                   text_of(node.max_points) if node.is_leaf else "", node.guidance or "",
                   node.evidence.form if node.evidence else "",
                   str(node.evidence.min_count) if node.evidence else "",
                   [row_of(child) for child in node.children])

    tree.roots = [row_of(node) for node in indicators]
    return tree
