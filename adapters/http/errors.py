"""One table maps refusals to HTTP; every error goes out as RFC 9457 problem+json."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import psycopg
import structlog
from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import Scope
from psycopg_pool import PoolTimeout

from adapters.http.auth import record_refusal
from adapters.postgres.pool import NoConnection
from domain.assessment import JudgeIsRecused
from domain.completeness import Incomplete
from domain.errors import (
    DomainError,
    FieldError,
    NotFound,
    NotPermitted,
    OverQuota,
    RuleViolated,
    StaleVersion,
    StateConflict,
)

log = structlog.get_logger("kaoping.http")
PROBLEM = "application/problem+json"

STATUS_OF: dict[type[DomainError], tuple[int, str]] = {
    RuleViolated: (422, "rule-violated"),
    NotFound: (404, "not-found"),
    NotPermitted: (403, "forbidden"),
    StateConflict: (409, "state-conflict"),
    StaleVersion: (412, "stale-version"),
    OverQuota: (413, "over-quota"),  # gives the limit and the usage
    Incomplete: (409, "incomplete"),  # lists what is missing (before StateConflict in the MRO)
}

TITLES = {
    400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 412: "Precondition failed",
    413: "Request body too large", 415: "Unsupported media type", 422: "Unprocessable content",
    429: "Too many requests", 500: "Internal server error", 503: "Service unavailable",
}


def problem(
    status: int,
    detail: str,
    kind: str | None = None,
    errors: tuple[FieldError, ...] | list[dict[str, str]] = (),
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response[Any]:
    body: dict[str, Any] = {
        "type": f"https://kaoping.example/problems/{kind or status}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = [
            {"field": e.field, "message": e.message} if isinstance(e, FieldError) else e
            for e in errors
        ]
    body |= extra or {}  # machine-readable members, e.g. the cards a close still waits for
    return Response(body, status_code=status, media_type=PROBLEM, headers=headers)


async def record_refused(exc: Exception, scope: Scope) -> None:
    """Put a refusal that matters (not permitted, a recused judge) on the record, once,
    before the answer goes out. Exception handlers run on the event loop, so this hook hands
    the database write to a worker thread."""
    if not isinstance(exc, NotPermitted | JudgeIsRecused):
        return
    kind = "recused" if isinstance(exc, JudgeIsRecused) else "not_permitted"
    try:
        await anyio.to_thread.run_sync(record_refusal, scope, kind, exc.detail)
    except Exception:  # the refusal stands even if recording it failed
        log.exception("refusal_not_recorded")


def on_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    for cls in type(exc).__mro__:
        if cls in STATUS_OF:
            status, kind = STATUS_OF[cls]
            return problem(status, exc.detail, kind, exc.errors,
                           extra=getattr(exc, "extra", None))
    return problem(400, exc.detail)


def on_validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            errors.append({"field": str(item.get("key") or item.get("source") or "body"),
                           "message": str(item.get("message", ""))})
    return problem(400, str(exc.detail), "malformed", errors)


def on_http(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    detail = str(exc.detail)
    if exc.status_code == 413:
        detail = "the request body is larger than this server accepts"
    return problem(exc.status_code, detail, headers=exc.headers or None)


def on_conflict(_: Request[Any, Any, Any], exc: IntegrityError) -> Response[Any]:
    return problem(409, "someone else changed this at the same moment: reload and try again",
                   "concurrent-change")


def on_database_down(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.warning("database_unavailable", error=str(exc))
    return problem(503, "the database is not reachable right now", "unavailable",
                   headers={"Retry-After": "2"})


def on_unexpected(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled_error", error_type=type(exc).__name__)
    return problem(500, "something went wrong on our side; it has been logged")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: on_domain_error,
    ValidationException: on_validation,
    HTTPException: on_http,
    IntegrityError: on_conflict,
    OperationalError: on_database_down,
    InterfaceError: on_database_down,
    psycopg.OperationalError: on_database_down,
    PoolTimeout: on_database_down,
    NoConnection: on_database_down,
    Exception: on_unexpected,
}
