"""Communities (教研共同体) with dated membership, and research units."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from litestar import Controller, delete, get, post

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.org_levels import check_in_scope, check_node, in_scope
from adapters.http.schemas import (
    CommunityCreate,
    MemberIn,
    UnitCreate,
    UnitWritten,
    Written,
)
from adapters.http.waiting import await_position
from domain.unit import group_warnings, unit_label

TENANT = "/api/v1/tenants/{tenant:str}"
READERS = allow("admin", "auditor", "judge", "reporter")


def today(ctx: RequestContext | None = None) -> date:
    """The adapters' clock, in the tenant's zone: the domain gets dates as arguments."""
    return ctx.today() if ctx is not None else datetime.now(UTC).date()


class OrganisationController(Controller):
    path = TENANT
    tags = ["people and organisation"]

    @post("/communities", opt=allow("admin"), sync_to_thread=True,
          summary="Register a community: a core school and member schools")
    def create_community(
        self, tenant: str, data: CommunityCreate, container: Container, ctx: RequestContext
    ) -> Written:
        check_in_scope(container, tenant, ctx, data.core_school_id, *data.member_school_ids)
        w = container.app(tenant).register_community(
            data.name, data.type, data.scope, data.core_school_id,
            tuple(data.member_school_ids), data.since or today(ctx), ctx.cause())
        return Written(w.id, w.version, w.position)

    @get("/communities", opt=READERS, sync_to_thread=True,
         before_request=await_position,
         summary="Communities with every membership and its dates (?archived=true: all)")
    def list_communities(self, tenant: str, container: Container, ctx: RequestContext,
                         after: int | None = None,
                         archived: bool = False) -> list[dict[str, object]]:
        container.caught_up(tenant, after)
        with container.views(tenant) as views:
            rows = views.communities(archived)
        return in_scope(container, tenant, ctx, rows)

    @post("/communities/{community_id:uuid}/members", opt=allow("admin"), sync_to_thread=True,
          summary="A school joins (effective on a date, today by default)")
    def join(
        self, tenant: str, community_id: UUID, data: MemberIn, container: Container,
        ctx: RequestContext,
    ) -> Written:
        check_in_scope(container, tenant, ctx, data.school_id)
        w = container.app(tenant).join_community(community_id, data.school_id,
                                                 data.on or today(ctx), ctx.cause())
        return Written(w.id, w.version, w.position)

    @delete("/communities/{community_id:uuid}/members/{school_id:uuid}", opt=allow("admin"),
            status_code=200, sync_to_thread=True,
            summary="A school leaves (effective ?on=date, today by default)")
    def leave(
        self, tenant: str, community_id: UUID, school_id: UUID, container: Container,
        ctx: RequestContext, on: date | None = None,
    ) -> Written:
        w = container.app(tenant).leave_community(community_id, school_id, on or today(ctx),
                                                  ctx.cause())
        return Written(w.id, w.version, w.position)

    @post("/units", opt=allow("admin"), sync_to_thread=True,
          summary="Register a research group, prep group or studio")
    def create_unit(
        self, tenant: str, data: UnitCreate, container: Container, ctx: RequestContext
    ) -> UnitWritten:
        check_in_scope(container, tenant, ctx, data.school_id, data.parent_id)
        node = check_node(container, tenant, ctx, data.node_id)
        w = container.app(tenant).register_unit(
            data.kind, data.name, data.school_id, data.subject, data.host_user_id,
            tuple(data.member_user_ids), ctx.cause(), data.parent_id,
            node if data.node_id is not None or data.school_id is None else None)
        warnings: tuple[str, ...] = ()
        if data.kind == "research_group" and data.school_id and data.subject:
            container.caught_up(tenant)
            with container.views(tenant) as views:
                teachers = views.teachers(data.school_id, data.subject)
            warnings = group_warnings(data.kind, data.subject, teachers)
        return UnitWritten(w.id, w.version, w.position, list(warnings))

    @get("/units", opt=READERS, sync_to_thread=True,
         before_request=await_position,
         summary="Research units (?archived=true includes archived ones)")
    def list_units(self, tenant: str, container: Container, ctx: RequestContext,
                   after: int | None = None,
                   archived: bool = False) -> list[dict[str, object]]:
        container.caught_up(tenant, after)
        with container.views(tenant) as views:
            rows = views.units(archived)
        return [row | {"label": unit_label(row["name"], row["school_name"])}
                for row in in_scope(container, tenant, ctx, rows)]
