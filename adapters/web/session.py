"""Who is looking at a page: the signed-in user of the session cookie.

A page's handler asks for ``viewer`` (a dependency); a request without a valid session is sent
to the sign-in notice. The cookie holds a session token, made when a sign-in link is confirmed
(``adapters/web/sign_in.py``): it resolves as a bearer token does (the same rate limits, the
same catalogue of token hashes), but only a token of kind ``session`` that has not expired is
taken; an API token is not a cookie, nor a session a bearer token. Revoking a user's tokens,
archiving the user, an admin's revocation and sign-out end the session."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import anyio.to_thread
from litestar import Request
from litestar.exceptions import (
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.types import ASGIApp, Receive, Scope, Send

from adapters.http.auth import _limited_resolve, admit_to_scope, record_refusal
from adapters.http.context import context_of
from tenants.model import Principal

SESSION_COOKIE = "kaoping_session"


class SignInNeeded(NotAuthorizedException):
    """No session, or one that has ended: the page answers with the sign-in notice."""


async def viewer(request: Request[Any, Any, Any], tenant: str) -> Principal:
    """The page's signed-in user, in ``tenant``; another tenant's session is a 404, as in
    the API."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInNeeded("请先登录")
    try:
        principal = await _limited_resolve(request, token)
    except NotAuthorizedException:
        raise SignInNeeded("登录已失效，请重新登录") from None
    if principal.kind != "session":
        raise SignInNeeded("登录已失效，请重新登录")
    if principal.tenant != tenant:
        raise NotFoundException("not found")
    if principal.tenant_status != "active":
        raise PermissionDeniedException("this tenant is suspended")
    ctx = context_of(request.scope)
    ctx.principal, ctx.tenant = principal, tenant
    if principal.role == "admin" and principal.user_id is not None:
        # 组织层级 (ADR 28): an admin scoped to an org node meets every record the page's
        # path or query names outside it as a foreign tenant's (404), whatever the page.
        await anyio.to_thread.run_sync(admit_to_scope, request, ctx, principal.user_id)
        if ctx.scope is not None:
            principal = replace(principal, scope=ctx.scope)
            ctx.principal = principal
    return principal


def role_before_body(*roles: str) -> Any:
    """A page upload's middleware: admit the signed-in user of ``roles`` before anything
    reads the body. Pages are public to the API's guard, and without JavaScript the CSRF
    check reads the whole form first, so an anonymous (or another role's) upload of the
    upload limit's size would be read before the handler refused it; refused here, it is
    answered with not one byte read (recorded as the guard records a refusal)."""

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            request: Request[Any, Any, Any] = Request(scope)
            who = await viewer(request, str(scope["path_params"].get("tenant", "")))
            if who.role not in roles:
                detail = f"the {who.role} role may not do this"
                await anyio.to_thread.run_sync(record_refusal, scope, "role", detail)
                raise PermissionDeniedException(detail)
            await app(scope, receive, send)

        return middleware

    return factory
