"""Who belongs where, as it changes (任职变更, 成员变更) — and the 回避 that follows."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, put
from litestar.params import HeaderParameter

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.ifmatch import expected_version
from adapters.http.org_levels import check_in_scope
from adapters.http.schemas import (
    AffiliationChange,
    AffiliationOut,
    AffiliationsIn,
    AffiliationsRead,
    AffiliationsWritten,
    MembersWritten,
    RecusalFollowed,
    UnitMembersIn,
)
from domain.community import Community
from domain.school import School
from domain.unit import Unit
from domain.user import Affiliation, User
from services.recusals import Rederived

TENANT = "/api/v1/tenants/{tenant:str}"
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]
KINDS: dict[str, Any] = {"school": School, "community": Community, "unit": Unit}


class AffiliationController(Controller):
    path = TENANT
    tags = ["people and organisation"]

    @put("/users/{user_id:uuid}/affiliations", opt=allow("admin"), sync_to_thread=True,
         summary="Change a person's affiliations, with a reason; 回避 is re-derived on every "
                 "assessment whose cards can still change (draft, open, closed)")
    def change_affiliations(
        self, tenant: str, user_id: UUID, data: AffiliationsIn, container: Container,
        ctx: RequestContext, if_match: IfMatch = None,
    ) -> AffiliationsWritten:
        app = container.app(tenant)
        affiliations = tuple(Affiliation(a.kind, a.id) for a in data.affiliations)
        check_in_scope(container, tenant, ctx, *(a.id for a in affiliations))
        w, report = app.change_affiliations(user_id, affiliations, ctx.cause(data.reason),
                                            expected_version(if_match))
        return AffiliationsWritten(w.id, w.version, w.position,
                                   named(app, app.user(user_id).affiliations), followed(report))

    @get("/users/{user_id:uuid}/affiliations", opt=allow("admin", "auditor"),
         sync_to_thread=True,
         summary="A person's affiliations now, and every change with who made it and why")
    def affiliations(self, tenant: str, user_id: UUID, container: Container) -> AffiliationsRead:
        app = container.app(tenant)
        user = app.user(user_id)
        changes = [
            AffiliationChange(e.originator_version, e.timestamp,
                              {"id": e.cause.actor_id, "role": e.cause.actor_role},
                              e.cause.reason, named(app, e.affiliations))
            for e in app.repository.event_store.get(user_id)
            if isinstance(e, User.Registered | User.AffiliationsChanged)
        ]
        return AffiliationsRead(user.id, user.name, user.role, named(app, user.affiliations),
                                changes)

    @put("/units/{unit_id:uuid}/members", opt=allow("admin"), sync_to_thread=True,
         summary="Change a unit's host and members, with a reason; 回避 is re-derived")
    def change_members(
        self, tenant: str, unit_id: UUID, data: UnitMembersIn, container: Container,
        ctx: RequestContext, if_match: IfMatch = None,
    ) -> MembersWritten:
        w, report = container.app(tenant).change_unit_members(
            unit_id, data.host_user_id, tuple(data.member_user_ids), ctx.cause(data.reason),
            expected_version(if_match))
        return MembersWritten(w.id, w.version, w.position, followed(report))


def named(app: Any, affiliations: tuple[Affiliation, ...]) -> list[AffiliationOut]:
    out = []
    for a in affiliations:
        record = app.load_or_none(KINDS[a.kind], a.id) if a.kind in KINDS else None
        out.append(AffiliationOut(a.kind, a.id, record.name if record else ""))
    return out


def followed(report: tuple[Rederived, ...]) -> list[RecusalFollowed]:
    return [
        RecusalFollowed(r.assessment_id, r.name, c.judge_id, r.judges.get(c.judge_id, ""),
                        c.subject_id, r.subjects.get(c.subject_id, ""), c.category is None,
                        c.category, c.reason)
        for r in report for c in r.changes
    ]
