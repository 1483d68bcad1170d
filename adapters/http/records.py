"""One school, user, unit or community: read (archived ones too), edited with a reason,
archived (never deleted)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, get, patch, post
from litestar.params import HeaderParameter

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.ifmatch import expected_version
from adapters.http.org_levels import check_node
from adapters.http.organisation import today
from adapters.http.schemas import (
    ArchiveIn,
    CommunityEdit,
    CommunityOn,
    SchoolEdit,
    SchoolOut,
    UnitEdit,
    UnitOut,
    UserEdit,
    UserOut,
    Written,
)
from domain.school import School
from domain.unit import Unit

TENANT = "/api/v1/tenants/{tenant:str}"
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]
ADMIN = allow("admin")
READERS = allow("admin", "auditor", "judge", "reporter")
AUDIT = allow("admin", "auditor")


def values_of(data: Any) -> dict[str, Any]:
    """The fields the request gives (null included), without the reason."""
    given = {f: getattr(data, f) for f in data.__struct_fields__}
    return {f: v for f, v in given.items()
            if v is not msgspec.UNSET and f not in ("reason", "node_id")}


class RecordController(Controller):
    path = TENANT
    tags = ["people and organisation"]

    def _edit(self, kind: str, tenant: str, record_id: UUID, data: Any, container: Container,
              ctx: RequestContext, if_match: str | None) -> Written:
        node = getattr(data, "node_id", msgspec.UNSET)  # 划转 (issue 16)
        if node is not msgspec.UNSET:
            check_node(container, tenant, ctx, node)
        w = container.app(tenant).edit_record(kind, record_id, values_of(data),
                                              ctx.cause(data.reason), expected_version(if_match),
                                              None if node is msgspec.UNSET else (node,))
        return Written(w.id, w.version, w.position)

    def _archive(self, kind: str, tenant: str, record_id: UUID, data: ArchiveIn,
                 container: Container, ctx: RequestContext, if_match: str | None) -> Written:
        w = container.app(tenant).archive_record(kind, record_id, ctx.cause(data.reason),
                                                 expected_version(if_match))
        return Written(w.id, w.version, w.position)

    @get("/schools/{record_id:uuid}", opt=READERS, sync_to_thread=True,
         summary="A school as it stands (archived ones too)")
    def school(self, tenant: str, record_id: UUID, container: Container) -> SchoolOut:
        s: School = container.app(tenant).record("school", record_id)
        return SchoolOut(s.id, s.name, s.group, s.stage, s.zone, s.external, s.archived,
                         s.version, s.node_id)

    @get("/users/{record_id:uuid}", opt=AUDIT, sync_to_thread=True,
         summary="A user as they stand (archived ones too)")
    def user(self, tenant: str, record_id: UUID, container: Container) -> UserOut:
        u = container.app(tenant).user(record_id)
        return UserOut(u.id, u.name, u.role,
                       [{"kind": a.kind, "id": str(a.id)} for a in u.affiliations],
                       u.subject, u.archived, u.version)

    @get("/units/{record_id:uuid}", opt=READERS, sync_to_thread=True,
         summary="A research unit as it stands (archived ones too), with its school's name")
    def unit(self, tenant: str, record_id: UUID, container: Container) -> UnitOut:
        app = container.app(tenant)
        u: Unit = app.record("unit", record_id)
        school = app.school(u.school_id).name if u.school_id else None
        return UnitOut(u.id, u.kind, u.name, u.school_id, school, u.subject, u.host_user_id,
                       list(u.member_user_ids), u.parent_id, u.archived, u.version,
                       u.node_id)

    @get("/communities/{record_id:uuid}", opt=READERS, sync_to_thread=True,
         summary="A community as it stood on a day (?on=, today by default): who belonged")
    def community_on(
        self, tenant: str, record_id: UUID, container: Container, ctx: RequestContext,
        on: date | None = None,
    ) -> CommunityOn:
        community = container.app(tenant).community(record_id)
        day = on or today(ctx)
        return CommunityOn(community.id, community.name, community.type, community.scope, day,
                           community.core_school_id, list(community.members_on(day)),
                           community.archived)

    @patch("/schools/{record_id:uuid}", opt=ADMIN, sync_to_thread=True,
           summary="Edit a school's name, group, stage or zone, with a reason")
    def edit_school(self, tenant: str, record_id: UUID, data: SchoolEdit, container: Container,
                    ctx: RequestContext, if_match: IfMatch = None) -> Written:
        return self._edit("school", tenant, record_id, data, container, ctx, if_match)

    @patch("/users/{record_id:uuid}", opt=ADMIN, sync_to_thread=True,
           summary="Edit a user's name (or a teacher's subject), with a reason")
    def edit_user(self, tenant: str, record_id: UUID, data: UserEdit, container: Container,
                  ctx: RequestContext, if_match: IfMatch = None) -> Written:
        return self._edit("user", tenant, record_id, data, container, ctx, if_match)

    @patch("/units/{record_id:uuid}", opt=ADMIN, sync_to_thread=True,
           summary="Edit a unit's name or subject, with a reason")
    def edit_unit(self, tenant: str, record_id: UUID, data: UnitEdit, container: Container,
                  ctx: RequestContext, if_match: IfMatch = None) -> Written:
        return self._edit("unit", tenant, record_id, data, container, ctx, if_match)

    @patch("/communities/{record_id:uuid}", opt=ADMIN, sync_to_thread=True,
           summary="Edit a community's name, type or scope, with a reason")
    def edit_community(self, tenant: str, record_id: UUID, data: CommunityEdit,
                       container: Container, ctx: RequestContext,
                       if_match: IfMatch = None) -> Written:
        return self._edit("community", tenant, record_id, data, container, ctx, if_match)

    @post("/schools/{record_id:uuid}/archive", opt=ADMIN, status_code=200, sync_to_thread=True,
          summary="Archive a school: kept and readable, hidden from lists, no new assessments")
    def archive_school(self, tenant: str, record_id: UUID, data: ArchiveIn,
                       container: Container, ctx: RequestContext,
                       if_match: IfMatch = None) -> Written:
        return self._archive("school", tenant, record_id, data, container, ctx, if_match)

    @post("/users/{record_id:uuid}/archive", opt=ADMIN, status_code=200, sync_to_thread=True,
          summary="Archive a user: their tokens stop working; never the last admin's")
    def archive_user(self, tenant: str, record_id: UUID, data: ArchiveIn,
                     container: Container, ctx: RequestContext,
                     if_match: IfMatch = None) -> Written:
        w = container.platform.archive_user(tenant, record_id, ctx.cause(data.reason),
                                            expected_version(if_match))
        return Written(w.id, w.version, w.position)

    @post("/units/{record_id:uuid}/archive", opt=ADMIN, status_code=200, sync_to_thread=True,
          summary="Archive a research unit")
    def archive_unit(self, tenant: str, record_id: UUID, data: ArchiveIn,
                     container: Container, ctx: RequestContext,
                     if_match: IfMatch = None) -> Written:
        return self._archive("unit", tenant, record_id, data, container, ctx, if_match)

    @post("/communities/{record_id:uuid}/archive", opt=ADMIN, status_code=200,
          sync_to_thread=True, summary="Archive a community")
    def archive_community(self, tenant: str, record_id: UUID, data: ArchiveIn,
                          container: Container, ctx: RequestContext,
                          if_match: IfMatch = None) -> Written:
        return self._archive("community", tenant, record_id, data, container, ctx, if_match)
