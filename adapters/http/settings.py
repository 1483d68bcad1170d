"""A tenant's scoring settings: the precision figures are shown with (四舍五入)."""

from __future__ import annotations

from litestar import Controller, get, put

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.org_levels import check_whole_tenant
from adapters.http.schemas import RoundingIn, RoundingOut

TENANT = "/api/v1/tenants/{tenant:str}"
RULE = "half_up"


class SettingsController(Controller):
    path = TENANT + "/settings"
    tags = ["settings"]

    @get("/rounding", opt=allow("admin", "auditor", "judge", "reporter"), sync_to_thread=True,
         summary="How figures are rounded: half up (四舍五入) to the tenant's precision")
    def rounding(self, tenant: str, container: Container) -> RoundingOut:
        settings = container.app(tenant).settings()
        return RoundingOut(settings.precision, RULE)

    @put("/rounding", opt=allow("admin"), sync_to_thread=True,
         summary="Set the precision for rounds created from now on (each round pins its own)")
    def set_rounding(self, tenant: str, data: RoundingIn, container: Container,
                     ctx: RequestContext) -> RoundingOut:
        check_whole_tenant(ctx)
        w = container.app(tenant).set_precision(data.precision, ctx.cause(data.reason))
        return RoundingOut(data.precision, RULE, w.version, w.position)
