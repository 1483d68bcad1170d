"""Platform routes: the operator creates, lists, suspends and resumes tenants, and gives a
tenant whose admin token was lost a new one."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from litestar import Controller, get, post

from adapters.container import Container
from adapters.http.auth import OPERATOR, allow
from adapters.http.context import RequestContext
from adapters.http.schemas import (
    AdminTokenIn,
    AdminTokenIssued,
    TenantCreate,
    TenantCreated,
    TenantRead,
    TenantStatus,
)


class PlatformController(Controller):
    path = "/api/v1/tenants"
    tags = ["platform"]

    @post("/", opt=allow(OPERATOR), sync_to_thread=True, summary="Create a tenant (district)")
    def create_tenant(
        self, data: TenantCreate, container: Container, ctx: RequestContext
    ) -> TenantCreated:
        created = container.platform.create_tenant(data.slug, data.name, ctx.cause(),
                                                   data.time_zone, data.preset)
        container.projector.watch(data.slug)
        t = created.tenant
        return TenantCreated(t.slug, t.name, t.status, created.admin_token, t.time_zone)

    @get("/", opt=allow(OPERATOR), sync_to_thread=True,
         summary="List tenants, with each one's evidence usage and quota")
    def list_tenants(self, container: Container) -> list[TenantRead]:
        tenants = []
        for t in container.catalogue.all():
            stored, files = container.app(t.slug).evidence_bytes()  # 存储用量, from its log
            tenants.append(TenantRead(t.slug, t.name, t.status,
                                      t.created_at.astimezone(ZoneInfo(t.time_zone)),
                                      t.time_zone, stored, files,
                                      container.settings.evidence_quota_bytes))
        return tenants

    @post("/{tenant:str}/suspend", opt=allow(OPERATOR), status_code=200, sync_to_thread=True,
          summary="Suspend a tenant: its users get 403")
    def suspend(self, tenant: str, container: Container) -> TenantStatus:
        t = container.platform.set_status(tenant, "suspended")
        return TenantStatus(t.slug, t.status)

    @post("/{tenant:str}/resume", opt=allow(OPERATOR), status_code=200, sync_to_thread=True,
          summary="Resume a suspended tenant")
    def resume(self, tenant: str, container: Container) -> TenantStatus:
        t = container.platform.set_status(tenant, "active")
        return TenantStatus(t.slug, t.status)

    @post("/{tenant:str}/admin-tokens", opt=allow(OPERATOR), sync_to_thread=True,
          summary="A new admin token for a tenant whose token was lost (recorded in its log)")
    def issue_admin_token(
        self, tenant: str, container: Container, ctx: RequestContext,
        data: AdminTokenIn | None = None,
    ) -> AdminTokenIssued:
        given = data or AdminTokenIn()
        issued = container.platform.issue_admin_token(tenant, ctx.cause(given.reason),
                                                      given.user_id)
        return AdminTokenIssued(issued.token, issued.user_id, issued.name)
