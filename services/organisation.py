"""People, schools, communities, research units and rubrics of a tenant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.assessment import Assessment
from domain.cause import Cause
from domain.community import Community
from domain.rubric import Indicator, Rubric
from domain.school import School
from domain.security import Refusal
from domain.unit import Unit
from domain.user import Affiliation, User
from services.base import Written
from services.names import NameClaims
from services.recusals import RecusalCommands, Rederived, events_of
from services.signing_in import SignInRecords

SUBJECT_ADDED = get_topic(Assessment.SubjectAdded)


class OrganisationCommands(NameClaims, RecusalCommands, SignInRecords):
    def register_user(
        self, name: str, role: str, affiliations: tuple[Affiliation, ...], cause: Cause,
        subject: str | None = None, scope: UUID | None = None,
    ) -> Written:
        self.check_affiliations(affiliations)
        return self.write_named(User.register(name, role, affiliations, cause, subject, scope),
                                cause)

    def check_affiliations(self, affiliations: tuple[Affiliation, ...]) -> None:
        """Affiliations must name real records of the tenant."""
        kinds = {"school": School, "community": Community, "unit": Unit}
        for affiliation in affiliations:
            if affiliation.kind in kinds:
                self.load(kinds[affiliation.kind], affiliation.id, affiliation.kind)

    def change_affiliations(
        self, user_id: UUID, affiliations: tuple[Affiliation, ...], cause: Cause,
        expected_version: int | None = None,
    ) -> tuple[Written, tuple[Rederived, ...]]:
        """任职变更, with a reason; the judge's recusals follow on every assessment whose
        cards can still change, saved with the user in one transaction."""
        user = self.user(user_id)
        self.check_version(user, expected_version)
        self.check_affiliations(affiliations)
        if not user.change_affiliations(affiliations, cause):
            return Written(user.id, user.version, self.position()), ()
        why = cause.because(f"评委{user.name}任职变更：{cause.reason}")
        # A person assessed somewhere (kind teacher) ties every judge of that round to
        # their new affiliations, not only themself.
        assessed = any(e.subject.kind == "teacher" and e.subject.ref_id == user.id
                       for e in events_of(self, [SUBJECT_ADDED]))
        return self.rederive_everywhere(user, why, judges=None if assessed else {user.id})

    def record_token_issued(self, user_id: UUID, cause: Cause) -> Written:
        user = self.user(user_id)
        user.issue_token(cause)
        return self.write(user)

    def user(self, user_id: UUID) -> User:
        return self.load(User, user_id, "user")  # type: ignore[no-any-return]

    def register_school(
        self, name: str, group: str, stage: str, zone: str | None, external: bool, cause: Cause,
        node_id: UUID | None = None,
    ) -> Written:
        return self.write_named(School.register(name, group, stage, zone, external, cause,
                                                node_id), cause)

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
        school = self.school(school_id)
        community.join(school_id, on, cause)
        why = cause.because(_with(f"{school.name}加入{community.name}", cause.reason))
        return self.rederive_everywhere(community, why)[0]

    def leave_community(
        self, community_id: UUID, school_id: UUID, on: date, cause: Cause
    ) -> Written:
        community = self.community(community_id)
        community.leave(school_id, on, cause)
        school = self.school(school_id)
        why = cause.because(_with(f"{school.name}退出{community.name}", cause.reason))
        return self.rederive_everywhere(community, why)[0]

    def register_unit(
        self, kind: str, name: str, school_id: UUID | None, subject: str | None,
        host_user_id: UUID | None, member_user_ids: tuple[UUID, ...], cause: Cause,
        parent_id: UUID | None = None, node_id: UUID | None = None,
    ) -> Written:
        if school_id is not None:
            self.school(school_id)
        for user_id in (*((host_user_id,) if host_user_id else ()), *member_user_ids):
            self.user(user_id)
        parent = self.unit(parent_id) if parent_id else None
        return self.write_named(Unit.register(kind, name, school_id, subject, host_user_id,
                                              member_user_ids, cause, parent, node_id), cause)

    def unit(self, unit_id: UUID) -> Unit:
        return self.load(Unit, unit_id, "unit")  # type: ignore[no-any-return]

    def change_unit_members(
        self, unit_id: UUID, host_user_id: UUID | None, member_user_ids: tuple[UUID, ...],
        cause: Cause, expected_version: int | None = None,
    ) -> tuple[Written, tuple[Rederived, ...]]:
        """A unit's host and members change, with a reason; recusals follow."""
        unit = self.unit(unit_id)
        self.check_version(unit, expected_version)
        for user_id in (*((host_user_id,) if host_user_id else ()), *member_user_ids):
            self.user(user_id)
        if not unit.change_members(host_user_id, member_user_ids, cause):
            return Written(unit.id, unit.version, self.position()), ()
        why = cause.because(f"{unit.name}成员变更：{cause.reason}")
        return self.rederive_everywhere(unit, why)

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


def _with(what: str, reason: str | None) -> str:
    return f"{what}：{reason}" if reason else what
