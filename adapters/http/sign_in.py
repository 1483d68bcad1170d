"""Sign-in links for the pages, and the sessions they start (``tenants/signing_in.py``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, post

from adapters.container import Container
from adapters.http.auth import allow
from adapters.http.context import RequestContext
from adapters.http.schemas.sign_in import SessionRead, SignInLinkCreated
from adapters.web.qr import link_url, qr_svg

TENANT = "/api/v1/tenants/{tenant:str}"


class SignInController(Controller):
    path = TENANT + "/users/{user_id:uuid}"
    tags = ["people and organisation"]

    @post("/sign-in-links", opt=allow("admin"), sync_to_thread=True,
          summary="Make a sign-in link (登录链接) for the user's pages: works once, within "
                  "7 days; shown once, with its QR code")
    def create_link(self, request: Request[Any, Any, Any], tenant: str, user_id: UUID,
                    container: Container, ctx: RequestContext) -> SignInLinkCreated:
        made = container.sign_ins.create_link(tenant, user_id, ctx.cause())
        url = link_url(request, tenant, made.code)
        return SignInLinkCreated(url, made.expires_at, qr_svg(url), made.user.id,
                                 made.user.name, made.user.role)

    @get("/sessions", opt=allow("admin"), sync_to_thread=True,
         summary="The user's pages' sessions still going (signed in, not ended or expired)")
    def list_sessions(self, tenant: str, user_id: UUID,
                      container: Container) -> list[SessionRead]:
        return [SessionRead(s.id, s.created_at, s.expires_at)
                for s in container.sign_ins.sessions(tenant, user_id)]

    @delete("/sessions/{session_id:uuid}", opt=allow("admin"), sync_to_thread=True,
            summary="End one of the user's sessions (the user is signed out of the pages)")
    def revoke_session(self, tenant: str, user_id: UUID, session_id: UUID,
                       container: Container, ctx: RequestContext) -> None:
        container.sign_ins.revoke_session(tenant, user_id, session_id, ctx.cause())
