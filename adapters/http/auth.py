"""One guard for every route: who is calling, which tenant, and may their role do this.

Routes declare the roles they admit with ``opt=allow(...)``. A tenant route answers 401
without a valid token, 404 to a token of another tenant (as if the tenant did not exist),
403 to a suspended tenant's users and to roles without the right.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

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
from adapters.http.ratelimit import client_key, retry_after
from tenants.model import Principal
from tenants.tokens import same_token, token_hash

PUBLIC = "public"
OPENAPI_PATH = "/schema"
OPERATOR = "operator"
TENANT_ROLES = frozenset({"admin", "judge", "auditor", "reporter"})
PRINCIPAL_TTL = 1.0  # seconds a token's principal is trusted without asking the catalogue
MAX_PRINCIPALS = 10_000


class Principals:
    """Token hash → principal, remembered for ``ttl`` seconds, so that a caller's requests do
    not each cost a catalogue round trip (and a thread hop).

    Only valid tokens are remembered. A revocation, a suspension or a removed tenant made in
    this process changes the catalogue's ``generation`` once it has committed, and nothing
    remembered under another generation is trusted: here, access is taken away at once. A
    change made by another process is seen within ``ttl``."""

    def __init__(self, lookup: Callable[[bytes], Principal | None],
                 generation: Callable[[], int], ttl: float = PRINCIPAL_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.lookup = lookup
        self.generation = generation
        self.ttl = ttl
        self.clock = clock
        self._known: dict[bytes, tuple[Principal, int, float]] = {}
        self._lock = threading.Lock()

    def remembered(self, key: bytes) -> Principal | None:
        entry = self._known.get(key)
        if entry is None:
            return None
        principal, generation, until = entry
        if generation != self.generation() or self.clock() >= until:
            return None
        return principal

    def look_up(self, key: bytes) -> Principal | None:
        """Ask the catalogue (blocks: call it in a worker thread) and remember a principal
        under the generation seen before asking, so a change made meanwhile is not missed."""
        generation, until = self.generation(), self.clock() + self.ttl
        principal = self.lookup(key)
        if self.ttl <= 0:
            return principal
        with self._lock:
            if principal is None:
                self._known.pop(key, None)
            else:
                if len(self._known) >= MAX_PRINCIPALS:
                    self._known.clear()  # rare: cheaper than tracking the oldest
                self._known[key] = (principal, generation, until)
        return principal


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
    ctx.admitted = True


async def admit_before_body(scope: Scope) -> None:
    """Run the guard for the route of ``scope`` before anything reads the request's body: a
    caller without a token, of another tenant or of a role the route does not admit is
    answered without the body being read."""
    handler = scope.get("route_handler")
    if handler is not None:
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
    """Resolve the token within the rate limits. A token seen valid has a bucket of its own,
    taken before the lookup. Any other token is looked up only while the client's address
    has allowance left, and a token that proves invalid is charged to that address: every
    guess from one address shares one allowance."""
    limiter, key = connection.app.state.limiter, token_hash(token)
    guesses = client_key(connection.scope, "bad-token")
    known = limiter.knows(key)
    wait = limiter.take(key) if known else limiter.waiting(guesses)
    if wait is not None:
        raise TooManyRequestsException(
            "too many requests for this token" if known
            else "too many requests with invalid tokens from this address",
            headers={"Retry-After": retry_after(wait)})
    principal = await _resolve(connection, token, key)
    if principal is None:
        limiter.take(guesses)
        raise NotAuthorizedException("the token is not valid",
                                     headers={"WWW-Authenticate": "Bearer"})
    if not known:
        limiter.take(key)  # the token's own bucket starts with this request
    return principal


async def _resolve(
    connection: ASGIConnection[Any, Any, Any, Any], token: str, key: bytes
) -> Principal | None:
    state = connection.app.state
    if same_token(token, state.container.operator_token):
        return Principal(OPERATOR)
    principals: Principals = state.principals
    return principals.remembered(key) or await anyio.to_thread.run_sync(principals.look_up, key)
