"""Who is looking at a page: the signed-in user of the session cookie.

A page's handler asks for ``viewer`` (a dependency); a request without a valid session is sent
to the sign-in notice. The cookie's value resolves exactly as a bearer token does (the same
rate limits, the same catalogue of token hashes), so revoking a user's tokens ends their
sessions too.

TODO(issue 12, sign-in): sign-in links create the session token; sign-out and revocation."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import NotAuthorizedException, NotFoundException

from adapters.http.auth import _limited_resolve
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
    principal = await _limited_resolve(request, token)
    if principal.tenant != tenant:
        raise NotFoundException("not found")
    ctx = context_of(request.scope)
    ctx.principal, ctx.tenant = principal, tenant
    return principal
