"""Whose is it: the school (or district studio) a person, a unit or a subject belongs to.

One answer for the ownership rules: evidence given by a subject must belong to its school,
and a reporter names on an activity only units of their own school(s) (``scope_of``, listed
with the other access rules in ``services/access.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.activity import Activity
from domain.annual import AnnualReview
from domain.assessment import Assessment, Subject
from domain.cause import Cause
from domain.community import Community
from domain.errors import FieldError, NotFound, RuleViolated
from domain.org import CALENDAR_ID, CHART_ID, Node, OrgChart, Term, TermCalendar
from domain.school import School
from domain.unit import Unit
from domain.user import User
from services.base import BaseApplication, Written


class ScopeRules(BaseApplication):
    def scope_of(self, user: User) -> frozenset[UUID]:
        """填报员's scope: the schools a person belongs to, through any affiliation (a unit's
        school, a community's core school; a studio without a school stands for itself). A
        reporter names on an activity only units these schools own; their uploads belong
        to them."""
        found = set()
        for affiliation in user.affiliations:
            where = self.owner_of_unit(affiliation.id)
            if where is not None:
                found.add(where)
        return frozenset(found)

    def owner_of_unit(self, unit_id: UUID) -> UUID | None:
        """The school a school, research unit or community belongs to (a community: its core
        school; a studio without a school: itself); None if there is no such unit."""
        found = self.unit_named(unit_id)
        return found[0] if found is not None else None

    def unit_named(self, unit_id: UUID) -> tuple[UUID, str] | None:
        """The owner (as ``owner_of_unit``) and the name of a unit; None if there is none."""
        if (unit := self.load_or_none(Unit, unit_id)) is not None:
            return unit.school_id or unit.id, unit.name
        if (school := self.load_or_none(School, unit_id)) is not None:
            return school.id, school.name
        if (community := self.load_or_none(Community, unit_id)) is not None:
            return community.core_school_id, community.name
        chart = self.load_or_none(OrgChart, CHART_ID)  # a 片区/协作区 node (issue 16)
        if chart is not None and unit_id in chart.nodes and chart.nodes[unit_id].level == "zone":
            return unit_id, chart.nodes[unit_id].name
        return None

    def owner_of_subject(self, subject: Subject) -> UUID | None:
        if subject.kind == "community":
            return subject.core_school_id
        return self.owner_of_unit(subject.ref_id)


# -- 组织层级: what an admin scoped to an org node manages (issue 16) ----------------------------

UNSCOPED = object()  # a record no org node owns (rubrics, evidence…): open to every admin


class NodeScopes(ScopeRules):
    """An admin scoped to an org node (a 县 admin) manages only what hangs under it: its
    schools, units, communities, activities, rounds, annual reviews and people. Anything
    else answers 404, as a foreign tenant's record does. An admin without a scope manages
    the whole tenant, as before.

    The guard (``adapters/http/auth.py``) asks ``check_in_scope`` of every id in a route's
    path, whatever the route; handlers ask it of the ids a body names and filter lists with
    ``visible``. Each record's node is decided here alone (``node_of``)."""

    def org_chart(self) -> OrgChart:
        return self.load_or_none(OrgChart, CHART_ID) or OrgChart(
            cause=Cause("system", "system", "org chart"))

    def add_node(self, level: str, name: str, parent_id: UUID | None, scope: UUID | None,
                 cause: Cause) -> tuple[Written, Node]:
        """A new org node; a scoped admin adds nodes only under their own (at any depth)."""
        chart = self.org_chart()
        if scope is not None and (parent_id is None or not chart.within(scope, parent_id)):
            if parent_id is None:
                raise RuleViolated("a scoped admin adds nodes under their own", (FieldError(
                    "parent_id", "required: a node within your scope"),))
            raise NotFound(f"no org node {parent_id}")
        node = chart.add(level, name, parent_id, cause)
        return self.write(chart), node

    def admin_scope(self, user_id: UUID) -> UUID | None:
        """The node an admin is scoped to (None: the whole tenant). A scope is given when the
        admin is registered and never changes, so it is remembered."""
        scopes: dict[UUID, UUID | None] = self.__dict__.setdefault("_admin_scopes", {})
        if user_id not in scopes:
            user = self.load_or_none(User, user_id)
            scopes[user_id] = user.scope if user is not None and user.role == "admin" else None
        return scopes[user_id]

    def node_of(self, record: Any) -> Any:
        """The org node a record hangs under (None: the tenant's own, above every node), or
        ``UNSCOPED`` for records no node owns."""
        if isinstance(record, School | Assessment | AnnualReview):
            return record.node_id
        if isinstance(record, Unit):
            if record.node_id is not None or record.school_id is None:
                return record.node_id
            return self.node_of(self.load_or_none(School, record.school_id))
        if isinstance(record, Community):
            return self.node_of(self.load_or_none(School, record.core_school_id))
        if isinstance(record, Activity):
            if record.unit_kind == "zone":
                return record.unit_id  # the zone is itself a node
            return self.node_of_id(record.unit_id)
        if isinstance(record, User):
            if record.scope is not None or not record.affiliations:
                return record.scope
            return self.node_of_id(record.affiliations[0].id)
        return UNSCOPED

    def node_of_id(self, record_id: UUID) -> Any:
        try:
            record = self.repository.get(record_id)
        except AggregateNotFoundError:
            if record_id in self.org_chart().nodes:
                return record_id  # an org node (a 协作区 holding activities) is its own
            return UNSCOPED  # nothing to hide: the handler answers 404 itself
        return self.node_of(record)

    def in_scope(self, scope: UUID | None, record_id: UUID,
                 chart: OrgChart | None = None) -> bool:
        if scope is None:
            return True
        node = self.node_of_id(record_id)
        return node is UNSCOPED or (chart or self.org_chart()).within(scope, node)

    def check_in_scope(self, scope: UUID | None, ids: Iterable[UUID]) -> None:
        """404 for any record outside the caller's scope, as for another tenant's."""
        if scope is None:
            return
        chart = self.org_chart()
        for record_id in ids:
            if not self.in_scope(scope, record_id, chart):
                raise NotFound(f"no record {record_id}")

    def check_node_in_scope(self, scope: UUID | None, node_id: UUID | None) -> None:
        """A node named in a body (a school's, a new admin's scope) must exist, and lie
        within the caller's scope."""
        if node_id is None:
            return
        chart = self.org_chart()
        if node_id not in chart.nodes or (scope is not None and not chart.within(scope, node_id)):
            raise NotFound(f"no org node {node_id}")

    def visible(self, scope: UUID | None, ids: Iterable[UUID]) -> set[UUID]:
        """Of ``ids``, those the caller may see (all of them, unscoped)."""
        ids = list(ids)
        if scope is None:
            return set(ids)
        chart = self.org_chart()
        return {i for i in ids if self.in_scope(scope, i, chart)}

    # -- 学期: the tenant's school terms ------------------------------------------------------

    def term_calendar(self) -> TermCalendar:
        return self.load_or_none(TermCalendar, CALENDAR_ID) or TermCalendar(
            cause=Cause("system", "system", "term calendar"))

    def set_terms(self, terms: tuple[Term, ...], cause: Cause) -> tuple[Written, TermCalendar]:
        calendar = self.term_calendar()
        calendar.set_terms(terms, cause)
        return self.write(calendar), calendar
