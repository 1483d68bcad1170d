"""One guard for every route: who is calling, which tenant, and may their role do this.

Routes declare the roles they admit with ``opt=allow(...)``. A tenant route answers 401
without a valid token, 404 to a token of another tenant (as if the tenant did not exist),
403 to a suspended tenant's users and to roles without the right.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import (
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
)
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Scope

from adapters.http.context import RequestContext, context_of
from adapters.http.ratelimit import Admission, client_key, retry_after
from domain.errors import NotFound
from tenants.model import Principal
from tenants.tokens import same_token, token_hash

PUBLIC = "public"
OPENAPI_PATH = "/schema"
OPERATOR = "operator"
TENANT_ROLES = frozenset({"admin", "judge", "auditor", "reporter"})
# The threads that run the admission statement: as many as its connections (bootstrap's
# ADMISSION_CONNECTIONS), so none waits in the pool. A plain executor, not anyio's worker
# threads: its hand-off costs the event loop less (ADR 20), and admissions never queue
# behind handlers.
ADMITTING = ThreadPoolExecutor(2, thread_name_prefix="kaoping-admission")


def allow(*roles: str) -> dict[str, Any]:
    return {"roles": frozenset(roles)}


def bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def authorize(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    roles: frozenset[str] | None = handler.opt.get("roles")
    if roles is None:  # only the OpenAPI document is served by routes we did not declare
        if connection.scope["path"].startswith(OPENAPI_PATH):
            return
        raise PermissionDeniedException("this route has no access rule")  # fail closed
    if PUBLIC in roles:
        return
    ctx = context_of(connection.scope)
    if ctx.admitted:  # already, before the body was read (``strict_bodies``)
        return
    token = bearer(connection.headers.get("authorization"))
    if token is None:
        raise NotAuthorizedException("a bearer token is required",
                                     headers={"WWW-Authenticate": "Bearer"})
    principal = await _limited_resolve(connection, token)
    if principal.kind != "api":  # a page's session is a cookie, never a bearer token
        raise NotAuthorizedException("the token is not valid",
                                     headers={"WWW-Authenticate": "Bearer"})
    ctx.principal = principal
    if roles == {OPERATOR}:
        if principal.role != OPERATOR:
            raise PermissionDeniedException("only the platform operator may do this")
        ctx.admitted = True
        return
    _admit_to_tenant(ctx, principal, connection.path_params.get("tenant"))
    if principal.role not in roles:
        detail = f"the {principal.role} role may not do this"
        await anyio.to_thread.run_sync(record_refusal, connection.scope, "role", detail)
        raise PermissionDeniedException(detail)
    if principal.role == "admin" and principal.user_id is not None:
        await anyio.to_thread.run_sync(admit_to_scope, connection, ctx, principal.user_id)
    ctx.admitted = True


def admit_to_scope(connection: ASGIConnection[Any, Any, Any, Any], ctx: RequestContext,
                    user_id: UUID) -> None:
    """组织层级: an admin scoped to an org node meets every record named in the path (or by
    an id in the query) that lies outside it as a foreign tenant's: 404 (the rule:
    ``services/scope.py``). The pages' sign-in (``adapters/web/session.py``) calls it too."""
    app = connection.app.state.container.app(ctx.tenant)
    ctx.scope = app.admin_scope(user_id)
    if ctx.scope is None:
        return
    ids = [value for value in connection.path_params.values() if isinstance(value, UUID)]
    texts = [value for value in connection.path_params.values() if isinstance(value, str)]
    for values in connection.query_params.dict().values():  # ?assessment_id=, ?judge_id=…
        texts += values
    for value in texts:  # a page's ids may be text (``?unit=``), as may a query's
        try:
            ids.append(UUID(value))
        except ValueError:
            continue
    try:
        app.check_in_scope(ctx.scope, ids)
    except NotFound:
        raise NotFoundException("not found") from None


async def admit_before_body(scope: Scope) -> None:
    """Run the guard for the route of ``scope`` before anything reads the request's body: a
    caller without a token, of another tenant or of a role the route does not admit is
    answered without the body being read. Every routed request passes here (``strict_bodies``
    runs it): litestar's own guards are not used, as they copy the route handler per call."""
    handler = scope.get("route_handler")
    if handler is None:  # routing sets it before any middleware runs: fail closed if not
        raise PermissionDeniedException("this route has no access rule")
    await authorize(ASGIConnection(scope), handler)


def _admit_to_tenant(ctx: RequestContext, principal: Principal, tenant: str | None) -> None:
    if principal.role == OPERATOR:
        raise PermissionDeniedException("operator tokens act on the platform, not inside a tenant")
    if tenant is None or principal.tenant != tenant:
        raise NotFoundException("not found")
    ctx.tenant = tenant
    if principal.tenant_status != "active":
        raise PermissionDeniedException("this tenant is suspended")


def record_refusal(scope: Scope, kind: str, detail: str) -> None:
    """Put a refused attempt on the tenant's record (an event the auditor can list;
    repeats within a minute are counted, not written one by one).

    It blocks on the database: call it in a worker thread, never on the event loop."""
    ctx = context_of(scope)
    if ctx.tenant is None or ctx.principal is None:
        return
    route = scope.get("path_template") or scope["path"]
    container = scope["app"].state.container
    container.refusals.record(ctx.tenant, kind, scope.get("method", ""), route, detail,
                              ctx.cause())


async def _limited_resolve(
    connection: ASGIConnection[Any, Any, Any, Any], token: str
) -> Principal:
    """Resolve the token within the rate limits (see ``RateLimiter.admit``): a valid token
    draws on a bucket of its own, and invalid ones on their address's, shared by every
    guess from it."""
    limiter, key = connection.app.state.limiter, token_hash(token)
    container = connection.app.state.container
    loop = asyncio.get_running_loop()
    if same_token(token, container.operator_token):
        wait = await loop.run_in_executor(ADMITTING, limiter.take, key)
        admission = Admission(Principal(OPERATOR), wait, token=True)
    else:
        # Most requests: the principal kept and a token of the lease left, no statement.
        kept = getattr(limiter, "admit_kept", None)
        admission = kept(key) if kept is not None else None
        if admission is None:
            guesses = client_key(connection.scope, "bad-token")
            admission = await loop.run_in_executor(ADMITTING, limiter.admit, key, guesses,
                                                   container.catalogue.principal)
    if admission.wait is not None:
        raise TooManyRequestsException(
            "too many requests for this token" if admission.token
            else "too many requests with invalid tokens from this address",
            headers={"Retry-After": retry_after(admission.wait)})
    if admission.principal is None or admission.principal.expired(datetime.now(UTC)):
        raise NotAuthorizedException("the token is not valid",
                                     headers={"WWW-Authenticate": "Bearer"})
    return admission.principal
