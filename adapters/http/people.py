"""A tenant's people and schools."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, post

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.org_levels import check_in_scope, check_node, in_scope
from adapters.http.schemas import (
    SchoolCreate,
    SchoolRead,
    TokenRead,
    UserCreate,
    UserCreated,
    UserRead,
    Written,
)
from adapters.http.waiting import await_position
from domain.user import Affiliation

TENANT = "/api/v1/tenants/{tenant:str}"


class PeopleController(Controller):
    path = TENANT
    tags = ["people and organisation"]

    @post("/users", opt=allow("admin"), sync_to_thread=True,
          summary="Create a user; the token is shown once")
    def create_user(
        self, tenant: str, data: UserCreate, container: Container, ctx: RequestContext
    ) -> UserCreated:
        affiliations = tuple(Affiliation(a.kind, a.id) for a in data.affiliations)
        check_in_scope(container, tenant, ctx, *(a.id for a in affiliations))
        scope = check_node(container, tenant, ctx, data.scope)
        new = container.platform.add_user(tenant, data.name, data.role, affiliations, ctx.cause(),
                                          data.subject, scope)
        return UserCreated(new.user_id, new.token, new.version, new.position)

    @get("/users", opt=allow("admin", "auditor"), sync_to_thread=True,
         before_request=await_position,
         summary="List users (?archived=true includes archived ones)")
    def list_users(
        self, tenant: str, container: Container, ctx: RequestContext, role: str | None = None,
        after: int | None = None, archived: bool = False,
    ) -> list[UserRead]:
        container.caught_up(tenant, after)
        with container.views(tenant) as views:
            rows = views.users(role, archived)
        return [UserRead(r["id"], r["name"], r["role"], r["affiliations"], r["subject"],
                         r["archived"]) for r in in_scope(container, tenant, ctx, rows)]

    @post("/users/{user_id:uuid}/token", opt=allow("admin"), status_code=200,
          sync_to_thread=True, summary="Rotate a user's token (the old one stops working)")
    def rotate_token(
        self, tenant: str, user_id: UUID, container: Container, ctx: RequestContext
    ) -> TokenRead:
        return TokenRead(container.platform.rotate_token(tenant, user_id, ctx.cause()))

    @delete("/users/{user_id:uuid}/token", opt=allow("admin"), sync_to_thread=True,
            summary="Revoke a user's token")
    def revoke_token(
        self, tenant: str, user_id: UUID, container: Container, ctx: RequestContext
    ) -> None:
        container.platform.revoke_token(tenant, user_id, ctx.cause())

    @post("/schools", opt=allow("admin"), sync_to_thread=True, summary="Register a school")
    def create_school(
        self, tenant: str, data: SchoolCreate, container: Container, ctx: RequestContext
    ) -> Written:
        w = container.app(tenant).register_school(
            data.name, data.group, data.stage, data.zone, data.external, ctx.cause(),
            check_node(container, tenant, ctx, data.node_id))
        return Written(w.id, w.version, w.position)

    @get("/schools", opt=allow("admin", "auditor", "judge", "reporter"), sync_to_thread=True,
         before_request=await_position,
         summary="List schools (?archived=true includes archived ones)")
    def list_schools(
        self, tenant: str, container: Container, ctx: RequestContext, after: int | None = None,
        archived: bool = False,
    ) -> list[SchoolRead]:
        container.caught_up(tenant, after)
        with container.views(tenant) as views:
            rows = views.schools(archived)
        return [SchoolRead(r["id"], r["name"], r["group"], r["stage"], r["zone"],
                           r["external"], r["archived"])
                for r in in_scope(container, tenant, ctx, rows)]
