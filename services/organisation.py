"""People, schools, communities, research units and rubrics of a tenant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.cause import Cause
from domain.community import Community
from domain.rubric import Indicator, Rubric
from domain.school import School
from domain.security import Refusal
from domain.unit import Unit
from domain.user import Affiliation, User
from services.base import Written
from services.names import NameClaims


class OrganisationCommands(NameClaims):
    def register_user(
        self, name: str, role: str, affiliations: tuple[Affiliation, ...], cause: Cause,
        subject: str | None = None,
    ) -> Written:
        kinds = {"school": School, "community": Community, "unit": Unit}
        for affiliation in affiliations:  # affiliations must name real records of the tenant
            if affiliation.kind in kinds:
                self.load(kinds[affiliation.kind], affiliation.id, affiliation.kind)
        return self.write_named(User.register(name, role, affiliations, cause, subject), cause)

    def record_token_issued(self, user_id: UUID, cause: Cause) -> Written:
        user = self.user(user_id)
        user.issue_token(cause)
        return self.write(user)

    def user(self, user_id: UUID) -> User:
        return self.load(User, user_id, "user")  # type: ignore[no-any-return]

    def register_school(
        self, name: str, group: str, stage: str, zone: str | None, external: bool, cause: Cause
    ) -> Written:
        return self.write_named(School.register(name, group, stage, zone, external, cause), cause)

    def school(self, school_id: UUID) -> School:
        return self.load(School, school_id, "school")  # type: ignore[no-any-return]

    def register_community(
        self, name: str, type: str, scope: str, core_school_id: UUID,
        member_school_ids: tuple[UUID, ...], since: date, cause: Cause,
    ) -> Written:
        for school_id in (core_school_id, *member_school_ids):
            self.school(school_id)
        return self.write_named(Community.register(name, type, scope, core_school_id,
                                                   member_school_ids, since, cause), cause)

    def community(self, community_id: UUID) -> Community:
        return self.load(Community, community_id, "community")  # type: ignore[no-any-return]

    def join_community(
        self, community_id: UUID, school_id: UUID, on: date, cause: Cause
    ) -> Written:
        community = self.community(community_id)
        self.school(school_id)
        community.join(school_id, on, cause)
        return self.write(community)

    def leave_community(
        self, community_id: UUID, school_id: UUID, on: date, cause: Cause
    ) -> Written:
        community = self.community(community_id)
        community.leave(school_id, on, cause)
        return self.write(community)

    def register_unit(
        self, kind: str, name: str, school_id: UUID | None, subject: str | None,
        host_user_id: UUID | None, member_user_ids: tuple[UUID, ...], cause: Cause,
        parent_id: UUID | None = None,
    ) -> Written:
        if school_id is not None:
            self.school(school_id)
        for user_id in (*((host_user_id,) if host_user_id else ()), *member_user_ids):
            self.user(user_id)
        parent = self.unit(parent_id) if parent_id else None
        return self.write_named(Unit.register(kind, name, school_id, subject, host_user_id,
                                              member_user_ids, cause, parent), cause)

    def unit(self, unit_id: UUID) -> Unit:
        return self.load(Unit, unit_id, "unit")  # type: ignore[no-any-return]

    def record_refusal(
        self, kind: str, method: str, route: str, detail: str, cause: Cause
    ) -> Written:
        return self.write(Refusal(kind=kind, method=method, route=route, detail=detail,
                                  cause=cause))

    # -- rubrics ---------------------------------------------------------------------------

    def draft_rubric(
        self, name: str, step: Decimal, indicators: tuple[Indicator, ...], cause: Cause,
        total: Decimal | None = None, source: str | None = None,
    ) -> Written:
        return self.write(Rubric.draft(name, step, indicators, cause, total, source))

    def replace_rubric_draft(
        self, rubric_id: UUID, name: str, step: Decimal, indicators: tuple[Indicator, ...],
        cause: Cause, expected_version: int | None = None,
        total: Decimal | None = None, source: str | None = None,
    ) -> Written:
        rubric = self.rubric(rubric_id)
        self.check_version(rubric, expected_version)
        rubric.replace_draft(name, step, indicators, cause, total, source)
        return self.write(rubric)

    def publish_rubric(
        self, rubric_id: UUID, cause: Cause, expected_version: int | None = None
    ) -> tuple[Written, int]:
        rubric = self.rubric(rubric_id)
        self.check_version(rubric, expected_version)
        number = rubric.publish(cause)
        return self.write(rubric), number

    def rubric(self, rubric_id: UUID) -> Rubric:
        return self.load(Rubric, rubric_id, "rubric")  # type: ignore[no-any-return]
