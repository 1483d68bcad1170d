"""Whose is it: the school (or district studio) a person, a unit or a subject belongs to.

One answer for the ownership rules: evidence given by a subject must belong to its school,
and a reporter names on an activity only units of their own school(s) (``scope_of``, listed
with the other access rules in ``services/access.py``).
"""

from __future__ import annotations

from uuid import UUID

from domain.assessment import Subject
from domain.community import Community
from domain.school import School
from domain.unit import Unit
from domain.user import User
from services.base import BaseApplication


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
        return None

    def owner_of_subject(self, subject: Subject) -> UUID | None:
        if subject.kind == "community":
            return subject.core_school_id
        return self.owner_of_unit(subject.ref_id)
