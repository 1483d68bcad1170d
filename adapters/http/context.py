"""Per-request context: request id, the caller, and the tenant — bound once, at the edge."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import structlog
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from domain.cause import Cause
from tenants.model import DEFAULT_TIME_ZONE, Principal

log = structlog.get_logger("kaoping.http")
SCOPE_KEY = "kaoping"
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer")]
API_HEADERS = [(b"cache-control", b"no-store"),
               (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")]


@dataclass
class RequestContext:
    request_id: str
    principal: Principal | None = None
    tenant: str | None = None
    admitted: bool = False  # the guard let the caller in (it runs once, before the body)
    scope: UUID | None = None  # an admin's org node (issue 16): None is the whole tenant
    started: float = field(default_factory=time.perf_counter)

    def today(self) -> date:
        """Today where the caller's tenant is (北京时间 by default): the adapters' clock."""
        zone = self.principal.time_zone if self.principal else DEFAULT_TIME_ZONE
        return datetime.now(ZoneInfo(zone)).date()

    def cause(self, reason: str | None = None) -> Cause:
        assert self.principal is not None
        return Cause(self.principal.actor_id, self.principal.role, self.request_id, reason)

    def viewer(self) -> tuple[str, UUID | None]:
        """The caller's role and user id, as the services' access rules take them."""
        assert self.principal is not None
        return self.principal.role, self.principal.user_id


def context_of(scope: Scope) -> RequestContext:
    return scope[SCOPE_KEY]  # type: ignore[typeddict-item,no-any-return]


def request_context(app: ASGIApp) -> ASGIApp:
    """Give each request an id (or keep a sane X-Request-ID), and log it once when done."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        ctx = RequestContext(given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex)
        scope[SCOPE_KEY] = ctx  # type: ignore[literal-required]
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", ctx.request_id.encode()))
                headers += SECURITY_HEADERS
                if scope["path"].startswith("/api/"):
                    headers += API_HEADERS
                message["headers"] = headers  # type: ignore[typeddict-unknown-key]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            fields: dict[str, Any] = {
                "request_id": ctx.request_id,
                "tenant": ctx.tenant,
                "actor": ctx.principal.actor_id if ctx.principal else None,
                "role": ctx.principal.role if ctx.principal else None,
                "method": scope.get("method"),
                "route": scope.get("path_template") or scope.get("path"),
                "status": status,
                "duration_ms": round((time.perf_counter() - ctx.started) * 1000, 2),
            }
            log.info("request", **fields)

    return middleware
