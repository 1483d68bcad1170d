"""组织层级: the levels a district draws (吴忠, 篇1) — 市 → 县（区）→ 片区/协作区 → 共同体 → 学校 →
教研组 — and the tenant's school terms (学期), both one small record per tenant.

A node hangs under a node of a higher level (a level may be skipped: a district without
片区 hangs its 共同体 straight under the 县). Schools, units and rounds hang under nodes; an
admin scoped to a node manages only what hangs under it (``services/scope.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import event

from domain.base import KaopingAggregate
from domain.cause import Cause
from domain.errors import FieldError, NotFound, RuleViolated

LEVELS = ("city", "county", "zone", "community", "school", "group")
LEVEL_NAMES = {"city": "市", "county": "县（区）", "zone": "片区/协作区", "community": "共同体",
               "school": "学校", "group": "教研组"}
CHART_ID = uuid5(NAMESPACE_URL, "kaoping:org-chart")
CALENDAR_ID = uuid5(NAMESPACE_URL, "kaoping:term-calendar")


@dataclass(frozen=True)
class Node:
    id: UUID
    level: str
    name: str
    parent_id: UUID | None = None


class OrgChart(KaopingAggregate):
    """The tenant's org nodes (a few dozen to a few hundred: one stream)."""

    class Started(KaopingAggregate.Created):
        pass

    class NodeAdded(KaopingAggregate.Event):
        node: Node

    @staticmethod
    def create_id(cause: Cause) -> UUID:
        return CHART_ID

    @event(Started)
    def __init__(self, cause: Cause) -> None:
        self.nodes: dict[UUID, Node] = {}

    def add(self, level: str, name: str, parent_id: UUID | None, cause: Cause) -> Node:
        errors = []
        if level not in LEVELS:
            errors.append(FieldError("level", f"must be one of {', '.join(LEVELS)}"))
        if not name.strip() or len(name) > 200:
            errors.append(FieldError("name", "required, at most 200 characters"))
        parent = self.nodes.get(parent_id) if parent_id is not None else None
        if parent_id is not None and parent is None:
            raise NotFound(f"no org node {parent_id}")
        if parent is not None and level in LEVELS and \
                LEVELS.index(level) <= LEVELS.index(parent.level):
            errors.append(FieldError("level", f"a {level} cannot hang under a {parent.level}"))
        if any(n.name == name.strip() and n.parent_id == parent_id for n in self.nodes.values()):
            errors.append(FieldError("name", "a node of that name hangs there already"))
        if errors:
            raise RuleViolated("the org node is not valid", tuple(errors))
        node = Node(uuid4(), level, name.strip(), parent_id)
        self._add(node=node, cause=cause)
        return node

    @event(NodeAdded)
    def _add(self, node: Node, cause: Cause) -> None:
        self.nodes[node.id] = node

    def lineage(self, node_id: UUID | None) -> tuple[UUID, ...]:
        """The node and every node above it, nearest first (none for an unknown node)."""
        out: list[UUID] = []
        while node_id is not None and node_id in self.nodes and node_id not in out:
            out.append(node_id)
            node_id = self.nodes[node_id].parent_id
        return tuple(out)

    def within(self, scope: UUID, node_id: UUID | None) -> bool:
        """Whether ``node_id`` is ``scope`` or hangs (at any depth) under it."""
        return scope in self.lineage(node_id)


@dataclass(frozen=True)
class Term:
    """学期: e.g. 2024-2025学年第一学期, 2024-09-01 … 2025-01-17."""

    name: str
    starts_on: date
    ends_on: date


class TermCalendar(KaopingAggregate):
    """The tenant's school terms: compliance per term follows them (not calendar months)."""

    class Started(KaopingAggregate.Created):
        pass

    class TermsSet(KaopingAggregate.Event):
        terms: tuple[Term, ...]

    @staticmethod
    def create_id(cause: Cause) -> UUID:
        return CALENDAR_ID

    @event(Started)
    def __init__(self, cause: Cause) -> None:
        self.terms: tuple[Term, ...] = ()

    def set_terms(self, terms: tuple[Term, ...], cause: Cause) -> None:
        errors = []
        for i, term in enumerate(terms):
            if not term.name.strip():
                errors.append(FieldError(f"terms[{i}].name", "must not be empty"))
            if term.ends_on < term.starts_on:
                errors.append(FieldError(f"terms[{i}].ends_on", "ends before it starts"))
            if term.name in (t.name for t in terms[:i]):
                errors.append(FieldError(f"terms[{i}].name", "listed twice"))
        ordered = sorted(terms, key=lambda t: t.starts_on)
        for before, after in pairwise(ordered):
            if after.starts_on <= before.ends_on:
                errors.append(FieldError("terms", f"{before.name} and {after.name} overlap"))
        if errors:
            raise RuleViolated("the terms are not valid", tuple(errors))
        self._set(terms=tuple(ordered), cause=cause)

    @event(TermsSet)
    def _set(self, terms: tuple[Term, ...], cause: Cause) -> None:
        self.terms = terms

    def overlapping(self, start: date, end: date) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.starts_on <= end and t.ends_on >= start)
